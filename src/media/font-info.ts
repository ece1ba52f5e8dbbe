/**
 * Font files as assets: recognise an sfnt font by its first bytes (before ffprobe, which cannot read fonts) and
 * check just enough of it that ffmpeg's drawtext (FreeType) will not trip over a truncated upload: a sane table
 * directory whose tables all lie inside the file, the tables a text renderer needs, and a family name from the
 * `name` table. Pure: bytes in, FontInfo out. Spec: https://learn.microsoft.com/typography/opentype/spec/otff
 */
import { cutroomError } from '../errors.js';
import type { FontInfo } from '../timeline/media-info.js';

export type FontSignature = FontInfo['format'] | 'woff' | 'woff2';

/** Bytes detectFontSignature looks at: the sfnt version and the first table record's tag. */
export const FONT_SIGNATURE_BYTES = 16;

const isTagByte = (b: number | undefined): boolean => b !== undefined && b >= 0x20 && b <= 0x7e;

/**
 * What the first bytes say, or null when the file is not a font (then it is probed as media). `00 01 00 00`
 * is also a plausible first-box size of an ISO-BMFF file, so given 16 bytes it must be followed by a table
 * record whose tag is printable ASCII before the file counts as TrueType.
 */
export function detectFontSignature({ head }: { head: Uint8Array }): FontSignature | null {
  if (head.length < 4) return null;
  const tag = String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!);
  if (tag === '\u0000\u0001\u0000\u0000')
    return head.length < FONT_SIGNATURE_BYTES || [12, 13, 14, 15].every((i) => isTagByte(head[i]))
      ? 'ttf'
      : null;
  if (tag === 'true') return 'ttf';
  if (tag === 'OTTO') return 'otf';
  if (tag === 'ttcf') return 'ttc';
  if (tag === 'wOFF') return 'woff';
  if (tag === 'wOF2') return 'woff2';
  return null;
}

/** Collections beyond this are not fonts anyone uploads; the bound keeps a hostile header from looping long. */
const MAX_FONTS_IN_COLLECTION = 256;

interface TableRecord {
  offset: number;
  length: number;
}

function corrupt(message: string, details: Record<string, unknown> = {}): never {
  throw cutroomError('MEDIA_CORRUPT', `font file is corrupt: ${message}`, details);
}

/** Reads big-endian integers, refusing any read past the end of the file (truncated uploads). */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(offset: number, size: number, what: string): void {
    if (offset < 0 || offset + size > this.bytes.length)
      corrupt(`${what} at byte ${offset} lies beyond the end of the file (${this.bytes.length} bytes)`, {
        offset,
        size_bytes: this.bytes.length,
      });
  }
  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset);
  }
  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset);
  }
  tag(offset: number, what: string): string {
    this.need(offset, 4, what);
    return String.fromCharCode(...this.bytes.subarray(offset, offset + 4));
  }
}

/** The table directory of one font (sfnt offset table at `at`), every table checked to lie inside the file. */
function readDirectory(r: Reader, at: number): Map<string, TableRecord> {
  const numTables = r.u16(at + 4, 'numTables');
  if (numTables === 0 || numTables > 1024) corrupt(`table directory has ${numTables} tables`);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < numTables; i++) {
    const rec = at + 12 + 16 * i;
    const tag = r.tag(rec, 'table record');
    const offset = r.u32(rec + 8, 'table record');
    const length = r.u32(rec + 12, 'table record');
    if (offset + length > r.bytes.length)
      corrupt(`table "${tag}" (${length} bytes at ${offset}) extends past the end of the file`, {
        table: tag,
        size_bytes: r.bytes.length,
      });
    tables.set(tag, { offset, length });
  }
  const missing = ['head', 'cmap', 'name'].filter((t) => !tables.has(t));
  const outlines = (tables.has('glyf') && tables.has('loca')) || tables.has('CFF ') || tables.has('CFF2');
  if (!outlines) missing.push('glyf+loca or CFF');
  if (missing.length > 0) corrupt(`required tables missing: ${missing.join(', ')}`, { missing });
  // head.magicNumber: a cheap check that the offsets point at real tables, not at arbitrary bytes.
  if (r.u32(tables.get('head')!.offset + 12, 'head table') !== 0x5f0f3cf5)
    corrupt('head table magic is wrong');
  return tables;
}

function decodeUtf16Be(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

/** nameID -> string, preferring Windows English (3/x/0x409), then any Windows/Unicode record, then Mac Roman. */
function readNames(r: Reader, name: TableRecord): Map<number, string> {
  const count = r.u16(name.offset + 2, 'name table');
  const stringBase = name.offset + r.u16(name.offset + 4, 'name table');
  const best = new Map<number, { rank: number; value: string }>();
  for (let i = 0; i < count; i++) {
    const rec = name.offset + 6 + 12 * i;
    const platform = r.u16(rec, 'name record');
    const language = r.u16(rec + 4, 'name record');
    const nameId = r.u16(rec + 6, 'name record');
    const length = r.u16(rec + 8, 'name record');
    const start = stringBase + r.u16(rec + 10, 'name record');
    if (start + length > r.bytes.length) corrupt(`name record ${i} extends past the end of the file`);
    const raw = r.bytes.subarray(start, start + length);
    let rank: number;
    let value: string;
    if (platform === 3 || platform === 0) {
      rank = platform === 3 && language === 0x409 ? 0 : platform === 3 ? 1 : 2;
      value = decodeUtf16Be(raw);
    } else if (platform === 1 && language === 0) {
      // Mac Roman; family names are ASCII in practice, the high half is shown as Latin-1.
      rank = 3;
      value = String.fromCharCode(...raw);
    } else continue;
    value = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    if (value === '') continue;
    const prev = best.get(nameId);
    if (!prev || rank < prev.rank) best.set(nameId, { rank, value: value.slice(0, 256) });
  }
  return new Map([...best].map(([id, v]) => [id, v.value]));
}

/** Validate a TrueType/OpenType font or collection and read its names; MEDIA_CORRUPT when it is broken. */
export function parseFontInfo({ bytes }: { bytes: Uint8Array }): FontInfo {
  const format = detectFontSignature({ head: bytes });
  if (format === 'woff' || format === 'woff2')
    throw cutroomError(
      'UNSUPPORTED_MEDIA',
      `${format.toUpperCase()} web fonts are not accepted; upload the TrueType (.ttf) or OpenType (.otf) file`,
      { format },
    );
  if (format === null) throw cutroomError('UNSUPPORTED_MEDIA', 'not a TrueType/OpenType font', {});
  const r = new Reader(bytes);
  let offsets = [0];
  if (format === 'ttc') {
    const numFonts = r.u32(8, 'collection header');
    if (numFonts === 0 || numFonts > MAX_FONTS_IN_COLLECTION)
      corrupt(`collection header says ${numFonts} fonts`);
    offsets = Array.from({ length: numFonts }, (_, i) => r.u32(12 + 4 * i, 'collection header'));
  }
  const directories = offsets.map((at) => readDirectory(r, at));
  const names = readNames(r, directories[0]!.get('name')!);
  const family = names.get(1) ?? names.get(16) ?? names.get(4);
  if (family === undefined) corrupt('the name table has no family name (nameID 1)');
  const subfamily = names.get(2);
  const fullName = names.get(4);
  return {
    format,
    family,
    ...(subfamily !== undefined ? { subfamily } : {}),
    ...(fullName !== undefined ? { full_name: fullName } : {}),
    num_fonts: offsets.length,
  };
}
