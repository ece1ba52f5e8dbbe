/**
 * The whisper path: used only when VIDEO_CAPTIONS_MODEL names a user-supplied whisper.cpp model AND the native
 * binding `@fugood/whisper.node` (with its platform prebuilt) is installed. Neither ships with cutroom. Checks
 * first: the model file exists, is readable, starts with a ggml/ggjt/GGUF magic and has a plausible size — each
 * failure a CAPTIONS_MODEL_INVALID naming the variable — and the binding can be imported, else
 * DEPENDENCY_MISSING naming the npm package. Then the adapter (pure parts in whisper-adapter.ts) transcribes.
 */
import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { cutroomError } from '../../errors.js';
import type { AsrBackend } from './backend.js';
import { segmentWords } from './segment-words.js';
import {
  pcmToS16le,
  whisperTranscribeOptions,
  whisperWords,
  type WhisperBindingResult,
  type WhisperTranscribeOptions,
} from './whisper-adapter.js';

export const WHISPER_MODEL_VARIABLE = 'VIDEO_CAPTIONS_MODEL';
export const WHISPER_BINDING_PACKAGE = '@fugood/whisper.node';
/** The smallest whisper.cpp model (tiny, q5) is ~31 MB; anything under 1 MiB is not a model. */
const MIN_MODEL_BYTES = 1 << 20;
/** large-v3 in f32 is ~6 GB. */
const MAX_MODEL_BYTES = 8 * 1024 ** 3;

export type WhisperModelFormat = 'ggml' | 'ggjt' | 'gguf';

/**
 * ggml files start with the uint32 magic 0x67676d6c written little-endian (bytes "lmgg"); older writers and
 * some converters wrote it big-endian ("ggml"); ggjt is 0x67676a74; GGUF files start with the bytes "GGUF".
 */
export function whisperModelFormat(head: Buffer): WhisperModelFormat | null {
  const magic = head.subarray(0, 4).toString('latin1');
  if (magic === 'lmgg' || magic === 'ggml') return 'ggml';
  if (magic === 'tjgg' || magic === 'ggjt') return 'ggjt';
  if (magic === 'GGUF') return 'gguf';
  return null;
}

export interface WhisperModelInfo {
  path: string;
  size: number;
  format: WhisperModelFormat;
}

export async function checkWhisperModel({ path }: { path: string }): Promise<WhisperModelInfo> {
  const variable = WHISPER_MODEL_VARIABLE;
  const fail = (reason: string, extra: Record<string, unknown> = {}) =>
    cutroomError('CAPTIONS_MODEL_INVALID', `${variable}=${path}: ${reason}`, {
      variable,
      path,
      reason,
      ...extra,
    });
  if (path.trim() === '') throw fail('the variable is empty');
  const st = await stat(path).catch(() => null);
  if (!st) throw fail('the file does not exist');
  if (!st.isFile()) throw fail('is not a file');
  const size = st.size;
  try {
    await access(path, constants.R_OK);
  } catch {
    throw fail('the file is not readable');
  }
  const fh = await open(path, 'r').catch(() => {
    throw fail('the file is not readable');
  });
  let head: Buffer;
  try {
    head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
  } finally {
    await fh.close();
  }
  const format = whisperModelFormat(head);
  if (!format)
    throw fail('not a whisper.cpp model (no ggml/ggjt/GGUF magic bytes at the start)', {
      magic: head.toString('hex'),
    });
  if (size < MIN_MODEL_BYTES || size > MAX_MODEL_BYTES)
    throw fail(`implausible model size ${size} bytes (expected 1 MiB .. 8 GiB)`, { size });
  return { path, size, format };
}

export type BindingImporter = (specifier: string) => Promise<unknown>;

/** Default importer: a computed specifier, so bundlers and tsc do not require the optional package. */
const defaultImporter: BindingImporter = (specifier) => import(specifier);

export async function loadWhisperBinding(importer: BindingImporter = defaultImporter): Promise<unknown> {
  try {
    return await importer(WHISPER_BINDING_PACKAGE);
  } catch (err) {
    throw cutroomError(
      'DEPENDENCY_MISSING',
      `the whisper backend needs the native binding ${WHISPER_BINDING_PACKAGE} (npm install ${WHISPER_BINDING_PACKAGE}); it could not be loaded: ${(err as Error).message}`,
      { package: WHISPER_BINDING_PACKAGE, backend: 'whisper' },
    );
  }
}

/** The binding's surface this adapter uses (see whisper-adapter.ts for where it was read from). */
export interface WhisperBinding {
  initWhisper(options: { filePath: string; useGpu?: boolean }): Promise<WhisperContextLike>;
}

export interface WhisperContextLike {
  transcribeData(
    audio: ArrayBuffer,
    options: WhisperTranscribeOptions,
  ): { stop: () => Promise<void>; promise: Promise<WhisperBindingResult> };
  release(): Promise<void>;
}

function asBinding(mod: unknown): WhisperBinding {
  const m = mod as { initWhisper?: unknown; default?: { initWhisper?: unknown } };
  const init = typeof m.initWhisper === 'function' ? m.initWhisper : m.default?.initWhisper;
  if (typeof init !== 'function')
    throw cutroomError(
      'DEPENDENCY_MISSING',
      `${WHISPER_BINDING_PACKAGE} loaded but has no initWhisper(): an unsupported version (cutroom is written against 1.1.x)`,
      { package: WHISPER_BINDING_PACKAGE, backend: 'whisper' },
    );
  return { initWhisper: init as WhisperBinding['initWhisper'] };
}

/** sha256 of the model file, streamed (models are GBs); remembered per path, size and mtime. */
const modelHashes = new Map<string, string>();
export async function whisperModelHash(path: string): Promise<string> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const known = modelHashes.get(key);
  if (known) return known;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const hex = hash.digest('hex');
  modelHashes.set(key, hex);
  return hex;
}

export const WHISPER_ADAPTER_VERSION = 'whisper.node-adapter-1';

/**
 * A whisper.cpp recogniser: checks the model, hashes it (the hash is in `version`, so every cache key changes
 * with the model), loads the binding (DEPENDENCY_MISSING naming the package when it or its native prebuilt is
 * missing), and creates the whisper context on first use. Language 'auto' lets whisper detect it; the result
 * then carries the detected language.
 */
export async function createWhisperBackend({
  modelPath,
  importer,
  threads = 2,
}: {
  modelPath: string;
  importer?: BindingImporter;
  threads?: number;
}): Promise<AsrBackend> {
  const model = await checkWhisperModel({ path: modelPath });
  const binding = asBinding(await loadWhisperBinding(importer));
  const sha = await whisperModelHash(modelPath);
  let context: Promise<WhisperContextLike> | undefined;
  const getContext = () => {
    context ??= binding.initWhisper({ filePath: model.path, useGpu: false }).catch((err: unknown) => {
      context = undefined;
      throw cutroomError(
        'CAPTIONS_MODEL_INVALID',
        `${WHISPER_MODEL_VARIABLE}=${model.path}: whisper.cpp could not load the model: ${(err as Error).message}`,
        { variable: WHISPER_MODEL_VARIABLE, path: model.path, reason: 'load failed' },
      );
    });
    return context;
  };
  return {
    name: 'whisper',
    version: `${WHISPER_ADAPTER_VERSION}+model-sha256:${sha}`,
    model: `whisper.cpp ${model.format} ${basename(model.path)} (sha256 ${sha.slice(0, 12)})`,
    stub: false,
    // Multilingual models know ~99 languages and detect them: no language warning.
    languages: [],
    async transcribe({ pcm16k, language, signal }) {
      const ctx = await getContext();
      const job = ctx.transcribeData(pcmToS16le(pcm16k), whisperTranscribeOptions({ language, threads }));
      const onAbort = () => void job.stop();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await job.promise;
        // Like the pocketsphinx runner: an aborted run rejects with the signal's reason.
        if (signal?.aborted) throw signal.reason;
        const words = whisperWords({ result });
        return {
          segments: segmentWords({ words }),
          words,
          ...(result.language ? { language: result.language } : {}),
        };
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
