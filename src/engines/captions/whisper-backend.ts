/**
 * The whisper path: used only when VIDEO_CAPTIONS_MODEL names a user-supplied whisper.cpp model AND a native
 * binding is installed. Neither ships with cutroom, so this file mostly checks: the model file exists, is
 * readable, starts with a ggml/ggjt/GGUF magic and has a plausible size — each failure a CAPTIONS_MODEL_INVALID
 * naming the variable — and the binding can be imported, else DEPENDENCY_MISSING naming the npm package.
 */
import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { cutroomError } from '../../errors.js';
import type { AsrBackend } from './backend.js';

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

/**
 * Checks the model, then the binding. cutroom has no adapter for a binding's API yet (none is installed to
 * build it against), so even a loadable binding ends in DEPENDENCY_MISSING saying so.
 */
export async function createWhisperBackend({
  modelPath,
  importer,
}: {
  modelPath: string;
  importer?: BindingImporter;
}): Promise<AsrBackend> {
  const model = await checkWhisperModel({ path: modelPath });
  await loadWhisperBinding(importer);
  throw cutroomError(
    'DEPENDENCY_MISSING',
    `${WHISPER_BINDING_PACKAGE} loaded, but this cutroom build has no adapter for it; use VIDEO_CAPTIONS_BACKEND=pocketsphinx`,
    { package: WHISPER_BINDING_PACKAGE, backend: 'whisper', model_format: model.format },
  );
}
