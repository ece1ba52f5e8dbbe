/**
 * A .zip of files stored as they are (method 0, no compression: PNG and JPEG frames are compressed already, and
 * deflating them again costs time for ~nothing). Written for one-file downloads of image sequences: every zip
 * tool opens it (Windows and macOS without installing anything, unlike .tar), and entries are in the given order
 * with a fixed timestamp (1980-01-01), so the same frames always give the same bytes.
 *
 * Classic zip only (no zip64): at most 65 535 entries and 4 GiB in all; beyond that INVALID_PARAM, before any
 * byte is written for the entry count, while writing for the size.
 */
import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { cutroomError } from '../errors.js';

export const ZIP_MAX_ENTRIES = 0xffff;
const ZIP_MAX_OFFSET = 0xffffffff;
/** MS-DOS date of 1980-01-01 (day 1, month 1, year 0); time 00:00:00. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;

export interface ZipEntry {
  /** Name inside the archive (ASCII, forward slashes). */
  name: string;
  /** File to read the bytes from. */
  path: string;
}

export async function writeZip({
  output,
  entries,
}: {
  output: string;
  entries: readonly ZipEntry[];
}): Promise<void> {
  if (entries.length > ZIP_MAX_ENTRIES)
    throw cutroomError(
      'INVALID_PARAM',
      `a zip holds at most ${ZIP_MAX_ENTRIES} files, not ${entries.length}`,
      {
        path: 'output.format',
        max_entries: ZIP_MAX_ENTRIES,
      },
    );
  const fh = await open(output, 'w');
  try {
    const central: Buffer[] = [];
    let offset = 0;
    const write = async (buf: Buffer) => {
      await fh.write(buf);
      offset += buf.length;
    };
    for (const entry of entries) {
      const data = await readFile(entry.path);
      const name = Buffer.from(entry.name, 'utf8');
      const crc = crc32(data);
      if (offset + 30 + name.length + data.length > ZIP_MAX_OFFSET)
        throw cutroomError(
          'INVALID_PARAM',
          'the frames exceed the 4 GiB a zip holds; render a shorter range',
          {
            path: 'output.format',
          },
        );
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(10, 4); // version needed: 1.0 (stored)
      local.writeUInt16LE(0, 6); // flags
      local.writeUInt16LE(0, 8); // method: stored
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(data.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28); // extra length
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
      header.writeUInt16LE(10, 6);
      header.writeUInt16LE(0, 8);
      header.writeUInt16LE(0, 10);
      header.writeUInt16LE(DOS_TIME, 12);
      header.writeUInt16LE(DOS_DATE, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(data.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      // extra, comment, disk number, internal and external attributes: 0
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      await write(Buffer.concat([local, name]));
      await write(data);
    }
    const cd = Buffer.concat(central);
    const cdOffset = offset;
    if (cdOffset + cd.length + 22 > ZIP_MAX_OFFSET)
      throw cutroomError('INVALID_PARAM', 'the frames exceed the 4 GiB a zip holds; render a shorter range', {
        path: 'output.format',
      });
    await write(cd);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(cdOffset, 16);
    await write(end);
  } finally {
    await fh.close();
  }
}
