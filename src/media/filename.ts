import { cutroomError } from '../errors.js';

/** Extensions kept from an uploaded file name; anything else is stored as `.bin` (ffprobe reads by content). */
export const SAFE_EXTENSIONS = new Set([
  // video
  'mp4',
  'm4v',
  'mov',
  'mkv',
  'webm',
  'avi',
  'mts',
  'm2ts',
  'ts',
  'mxf',
  '3gp',
  'flv',
  'mpg',
  'mpeg',
  'wmv',
  'ogv',
  // audio
  'mp3',
  'wav',
  'm4a',
  'aac',
  'flac',
  'ogg',
  'oga',
  'opus',
  'aif',
  'aiff',
  'wma',
  'ac3',
  // image
  'png',
  'jpg',
  'jpeg',
  'webp',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'heic',
  'avif',
]);

export interface SanitisedFilename {
  /** The original name (trimmed to 255 chars) for display; never used to build a path. */
  original: string;
  /** Lower-case extension from SAFE_EXTENSIONS, or "bin". */
  ext: string;
}

/**
 * Checks an uploaded file name and keeps only what is safe to use: the extension, lower-cased, from a fixed
 * list. Names that try to leave a directory (`../`, absolute paths, drive letters, backslashes) or carry NUL
 * bytes are rejected with INVALID_PATH rather than "cleaned", so a hostile client learns nothing useful.
 */
export function sanitiseFilename({ filename }: { filename: string }): SanitisedFilename {
  const problems: string[] = [];
  if (typeof filename !== 'string' || filename.length === 0) problems.push('file name is empty');
  else {
    if (filename.includes('\0')) problems.push('file name contains a NUL byte');
    if (filename.startsWith('/') || /^[A-Za-z]:/.test(filename))
      problems.push('file name is an absolute path');
    if (filename.includes('\\')) problems.push('file name contains a backslash');
    if (filename.split('/').some((s) => s === '..')) problems.push('file name contains a ".." segment');
    if (/[\u0000-\u001f\u007f]/.test(filename.replace('\0', '')))
      problems.push('file name contains control characters');
  }
  if (problems.length > 0)
    throw cutroomError('INVALID_PATH', `unsafe file name: ${problems[0]}`, {
      filename: String(filename),
      problems,
    });
  const base = filename.split('/').pop() ?? '';
  const dot = base.lastIndexOf('.');
  const candidate = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  return { original: filename.slice(0, 255), ext: SAFE_EXTENSIONS.has(candidate) ? candidate : 'bin' };
}
