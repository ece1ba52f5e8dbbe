/**
 * Where model files live: $CUTROOM_MODELS_DIR if set, else `.cache/models/` at the package root (filled by
 * scripts/fetch-models.sh). The package root is found by walking up from this module to the nearest
 * package.json, so the same code works from src/ (tsx) and dist/src/ (built).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function modelsDir(env: Record<string, string | undefined>): string {
  const fromEnv = env.CUTROOM_MODELS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return join(packageRoot(), '.cache', 'models');
}

/** The BlazeFace model the engine uses: MediaPipe's 256×256 back-camera (full-range-ish) detector. */
export const BLAZEFACE_MODEL_FILE = join('blazeface', 'face_detection_back_256x256_barracuda.onnx');
