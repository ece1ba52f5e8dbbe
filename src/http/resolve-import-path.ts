/**
 * `POST /media-v2/assets {path}` lets a server-side file be registered without uploading it. That is a local
 * file read on behalf of a remote caller, so it is off unless CUTROOM_IMPORT_ROOTS names directories, and the
 * file's real path (symlinks resolved) must stay inside one of them.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { cutroomError } from '../errors.js';

export interface ResolveImportPathInput {
  path: string;
  roots: string[];
}

/** CUTROOM_IMPORT_ROOTS is colon-separated; empty entries are ignored. */
export function importRootsFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(':').filter((p) => p !== '');
}

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** The real path of the file, or INVALID_PATH saying why not. */
export async function resolveImportPath({ path, roots }: ResolveImportPathInput): Promise<string> {
  const problems: string[] = [];
  if (path.includes('\0')) problems.push('path contains a NUL byte');
  if (!isAbsolute(path)) problems.push('path must be absolute');
  if (path.split(/[\\/]/).some((s) => s === '..')) problems.push('path contains a ".." segment');
  if (problems.length > 0) throw cutroomError('INVALID_PATH', `unsafe path: ${problems[0]}`, { problems });
  if (roots.length === 0)
    throw cutroomError(
      'INVALID_PATH',
      'registering server-side files is disabled: set CUTROOM_IMPORT_ROOTS',
      {},
    );
  const realRoots = (await Promise.all(roots.map((r) => realpath(r).catch(() => null)))).filter(
    (r): r is string => r !== null,
  );
  // Paths outside every root are refused before touching the filesystem, so a caller cannot probe which
  // files exist elsewhere; then the real path must stay inside too (a symlink under a root may point out).
  // The roots are the operator's published namespace for registering files: naming them tells the client
  // where its path must be, and nothing it could not already use.
  const outside = cutroomError(
    'INVALID_PATH',
    `path is not inside an import root; allowed roots: ${roots.map((r) => resolve(r)).join(', ')}`,
    { allowed_roots: roots.map((r) => resolve(r)) },
  );
  const lexicalRoots = [...roots.map((r) => resolve(r)), ...realRoots];
  if (!lexicalRoots.some((root) => inside(root, path))) throw outside;
  const real = await realpath(path).catch(() => null);
  if (real === null) throw cutroomError('INVALID_PATH', 'no such file under the import root', {});
  if (!realRoots.some((root) => inside(root, real))) throw outside;
  const st = await stat(real);
  if (!st.isFile()) throw cutroomError('INVALID_PATH', 'path is not a regular file', {});
  return real;
}
