/**
 * Chooses the recogniser. VIDEO_CAPTIONS_BACKEND=whisper|pocketsphinx|stub forces one (a forced real backend
 * that is unavailable is an error, never a silent stub). Unset: whisper when VIDEO_CAPTIONS_MODEL is set and a
 * binding loads, else pocketsphinx when its binaries and model are installed, else the stub with a
 * CAPTIONS_STUB_BACKEND warning saying what is missing.
 */
import type { Warning } from '../../errors.js';
import { cutroomError, isCutroomError } from '../../errors.js';
import type { AsrBackend, SelectedAsrBackend } from './backend.js';
import {
  createPocketsphinxBackend,
  DEFAULT_POCKETSPHINX_MODEL_DIR,
  pocketsphinxModelFiles,
} from './pocketsphinx-backend.js';
import { findExecutable } from './run-process.js';
import { createStubAsrBackend } from './stub-backend.js';
import { createWhisperBackend, WHISPER_MODEL_VARIABLE, type BindingImporter } from './whisper-backend.js';

export const CAPTIONS_STUB_BACKEND = 'CAPTIONS_STUB_BACKEND';
export const CAPTIONS_WHISPER_UNAVAILABLE = 'CAPTIONS_WHISPER_UNAVAILABLE';
export const ASR_BACKENDS = ['whisper', 'pocketsphinx', 'stub'] as const;

export interface SelectAsrBackendOptions {
  env?: Record<string, string | undefined>;
  /** Tests inject an importer to exercise a loadable/unloadable whisper binding. */
  importer?: BindingImporter;
}

const cache = new Map<string, AsrBackend>();

/** pocketsphinx, or why it is not usable. */
export function findPocketsphinx(env: Record<string, string | undefined>): AsrBackend | { missing: string } {
  const batch = findExecutable({ name: 'pocketsphinx_batch', env });
  if (!batch)
    return {
      missing:
        'pocketsphinx_batch is not on PATH (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)',
    };
  const modelDir = env.VIDEO_CAPTIONS_POCKETSPHINX_DIR || DEFAULT_POCKETSPHINX_MODEL_DIR;
  const { missing } = pocketsphinxModelFiles(modelDir);
  if (missing.length > 0)
    return {
      missing: `the pocketsphinx en-US model is incomplete in ${modelDir} (missing ${missing.join(', ')}; apt-get install pocketsphinx-en-us or set VIDEO_CAPTIONS_POCKETSPHINX_DIR)`,
    };
  const key = `${batch}\0${modelDir}`;
  let backend = cache.get(key);
  if (!backend) {
    backend = createPocketsphinxBackend({ batch, modelDir });
    cache.set(key, backend);
  }
  return backend;
}

function stub(reasons: Warning[], why: string): SelectedAsrBackend {
  return {
    backend: createStubAsrBackend(),
    warnings: [
      ...reasons,
      {
        code: CAPTIONS_STUB_BACKEND,
        message: `${why}; captions come from a stub (loud stretches labelled "speech N", stub: true), not from speech recognition`,
      },
    ],
  };
}

export async function selectAsrBackend(opts: SelectAsrBackendOptions = {}): Promise<SelectedAsrBackend> {
  const env = opts.env ?? process.env;
  const forced = env.VIDEO_CAPTIONS_BACKEND?.trim() || undefined;
  const modelPath = env[WHISPER_MODEL_VARIABLE]?.trim() || undefined;
  if (forced !== undefined && !(ASR_BACKENDS as readonly string[]).includes(forced))
    throw cutroomError(
      'CAPTIONS_BACKEND_UNKNOWN',
      `VIDEO_CAPTIONS_BACKEND=${forced} is not a captions backend`,
      {
        variable: 'VIDEO_CAPTIONS_BACKEND',
        value: forced,
        valid: [...ASR_BACKENDS],
      },
    );
  if (forced === 'stub') return stub([], 'VIDEO_CAPTIONS_BACKEND=stub');
  if (forced === 'whisper') {
    if (!modelPath)
      throw cutroomError(
        'CAPTIONS_MODEL_INVALID',
        `VIDEO_CAPTIONS_BACKEND=whisper needs ${WHISPER_MODEL_VARIABLE} set to a whisper.cpp ggml model file`,
        { variable: WHISPER_MODEL_VARIABLE, path: null, reason: 'not set' },
      );
    return {
      backend: await createWhisperBackend({
        modelPath,
        ...(opts.importer ? { importer: opts.importer } : {}),
      }),
      warnings: [],
    };
  }
  if (forced === 'pocketsphinx') {
    const ps = findPocketsphinx(env);
    if ('missing' in ps)
      throw cutroomError('DEPENDENCY_MISSING', `VIDEO_CAPTIONS_BACKEND=pocketsphinx but ${ps.missing}`, {
        backend: 'pocketsphinx',
      });
    return { backend: ps, warnings: [] };
  }
  const warnings: Warning[] = [];
  if (modelPath) {
    try {
      return {
        backend: await createWhisperBackend({
          modelPath,
          ...(opts.importer ? { importer: opts.importer } : {}),
        }),
        warnings,
      };
    } catch (err) {
      // A wrong model path is the user's mistake: say so. A missing binding falls back to pocketsphinx.
      if (!isCutroomError(err, 'DEPENDENCY_MISSING')) throw err;
      warnings.push({
        code: CAPTIONS_WHISPER_UNAVAILABLE,
        message: `${err.message}; using pocketsphinx instead`,
      });
    }
  }
  const ps = findPocketsphinx(env);
  if ('missing' in ps) return stub(warnings, ps.missing);
  return { backend: ps, warnings };
}
