/**
 * Resolve a font family name to a font file through fontconfig (`fc-list`), the same database ffmpeg's drawtext
 * and libass use. fc-match is deliberately not used: it always answers, silently substituting another family
 * for an unknown one, and a missing font must be a coded error naming it, not a surprise typeface.
 */
import { spawn } from 'node:child_process';
import { cutroomError } from '../errors.js';

export interface FontFace {
  family: string;
  style: string;
  file: string;
}

let facesPromise: Promise<FontFace[]> | undefined;

function listFaces(): Promise<FontFace[]> {
  facesPromise ??= new Promise<FontFace[]>((resolve, reject) => {
    const child = spawn('fc-list', ['--format', '%{family}\t%{style}\t%{file}\n'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', (err) =>
      reject(
        cutroomError(
          'DEPENDENCY_MISSING',
          'fc-list (fontconfig) is not installed: apt-get install -y fontconfig',
          {},
          { cause: err },
        ),
      ),
    );
    child.on('close', () => {
      const faces: FontFace[] = [];
      for (const line of out.split('\n')) {
        const [families, styles, file] = line.split('\t');
        if (!families || !file) continue;
        // fontconfig lists localised names comma-separated; the first is the canonical one.
        for (const family of families.split(','))
          faces.push({ family: family.trim(), style: (styles ?? '').split(',')[0]!.trim(), file });
      }
      // Sorted so the choice among equal candidates never depends on fontconfig's listing order.
      faces.sort(
        (a, b) =>
          a.family.localeCompare(b.family) || a.style.localeCompare(b.style) || a.file.localeCompare(b.file),
      );
      resolve(faces);
    });
  });
  return facesPromise;
}

/** The font file for a family (case-insensitive exact match), preferring the Regular/Book (or Bold) face. */
export async function findFontFile({
  family,
  bold = false,
}: {
  family: string;
  bold?: boolean;
}): Promise<string> {
  const faces = (await listFaces()).filter((f) => f.family.toLowerCase() === family.trim().toLowerCase());
  if (faces.length === 0) {
    throw cutroomError(
      'FONT_NOT_FOUND',
      `font family "${family}" is not installed (fc-list does not list it)`,
      { family },
    );
  }
  const wanted = bold ? ['Bold'] : ['Regular', 'Book', 'Roman', 'Medium'];
  const pick = wanted.map((s) => faces.find((f) => f.style === s)).find((f) => f !== undefined) ?? faces[0]!;
  return pick.file;
}

/**
 * The Bold face of an installed family (fontconfig's style "Bold", else a bold upright style such as "Bold
 * Condensed"), or undefined when the family has none: the caller draws the regular face and warns, rather than
 * letting fontconfig substitute another family's bold or embolden synthetically.
 */
export async function findBoldFontFile({ family }: { family: string }): Promise<string | undefined> {
  const faces = (await listFaces()).filter((f) => f.family.toLowerCase() === family.trim().toLowerCase());
  const exact = faces.find((f) => f.style === 'Bold');
  if (exact) return exact.file;
  return faces.find((f) => /\bBold\b/i.test(f.style) && !/Italic|Oblique/i.test(f.style))?.file;
}
