/**
 * The entries of a stored (method 0) zip as written by writeZip: name, size and where each entry's bytes start
 * in the file, so one frame of an image-sequence render is served as a byte range of the stored .zip, with no
 * unpacking and no second copy of the frames in the store.
 *
 * Reads the end-of-central-directory record (writeZip writes no comment, but a comment of up to 64 KiB is
 * searched for anyway) and the central directory. Classic zip only, like writeZip; a compressed entry or a
 * malformed file is MEDIA_CORRUPT (the file is ours, so that means it was damaged in the store).
 */
import { open } from 'node:fs/promises';
import { cutroomError } from '../errors.js';

export interface StoredZipEntry {
  name: string;
  size: number;
  crc32: number;
  /** Offset of the entry's local header; its bytes start after that header (see storedZipEntryDataOffset). */
  local_header_offset: number;
}

const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

const damaged = (path: string, why: string) =>
  cutroomError('MEDIA_CORRUPT', `the stored zip is damaged: ${why}`, {
    path: 'output',
    reason: why,
    file: path,
  });

export async function readStoredZipIndex({ path }: { path: string }): Promise<StoredZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await fh.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    if (eocd < 0) throw damaged(path, 'no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size) throw damaged(path, 'central directory out of range');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: StoredZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CD_SIG) throw damaged(path, `entry ${i} is malformed`);
      const method = cd.readUInt16LE(p + 10);
      if (method !== 0) throw damaged(path, `entry ${i} is compressed (method ${method})`);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      entries.push({
        name: cd.toString('utf8', p + 46, p + 46 + nameLength),
        crc32: cd.readUInt32LE(p + 16),
        size: cd.readUInt32LE(p + 24),
        local_header_offset: cd.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

/** Where the bytes of `entry` start: after its local header, whose name and extra lengths are read from the file. */
export async function storedZipEntryDataOffset({
  path,
  entry,
}: {
  path: string;
  entry: StoredZipEntry;
}): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const local = Buffer.alloc(30);
    const { bytesRead } = await fh.read(local, 0, 30, entry.local_header_offset);
    if (bytesRead !== 30 || local.readUInt32LE(0) !== LOCAL_SIG)
      throw damaged(path, `no local header for ${entry.name}`);
    return entry.local_header_offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}
