/**
 * A readable stream of a file that another process is still writing (ffmpeg writing a fragmented MP4): bytes
 * are passed on as they land, and the stream ends once `finished` resolves and the rest is read. This is how a
 * preview's first bytes reach the client while ffmpeg is still encoding; fragmented MP4 (empty moov, one
 * fragment per keyframe) is playable from its first fragment and is never rewritten behind the reader.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface GrowingFileStreamInput {
  path: string;
  /** Resolves when the writer is done (the file is complete); rejects when it failed. */
  finished: Promise<unknown>;
  /** How often to look for new bytes. Default 10 ms. */
  pollMs?: number;
  /** Called once the writer has created the file (timing). */
  onOpen?: () => void;
  /** Called with each chunk read, before it is passed on (timing). */
  onRead?: (bytes: Buffer) => void;
}

export function growingFileStream({ path, finished, pollMs = 10, onOpen, onRead }: GrowingFileStreamInput): Readable {
  let done = false;
  let failure: unknown = null;
  finished.then(
    () => (done = true),
    (err: unknown) => {
      done = true;
      failure = err ?? new Error('writer failed');
    },
  );
  const sleep = () => new Promise((r) => setTimeout(r, pollMs));
  async function* bytes(): AsyncGenerator<Buffer> {
    let fh: FileHandle | null = null;
    try {
      while (!fh) {
        try {
          fh = await open(path, 'r');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          if (failure) throw failure;
          if (done) return;
          await sleep();
        }
      }
      onOpen?.();
      const buf = Buffer.alloc(256 * 1024);
      let pos = 0;
      for (;;) {
        const wasDone = done;
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          const chunk = Buffer.from(buf.subarray(0, bytesRead));
          onRead?.(chunk);
          yield chunk;
          continue;
        }
        if (failure) throw failure;
        // Only stop on an empty read that started after the writer was done: nothing more can come.
        if (wasDone) return;
        await sleep();
      }
    } finally {
      await fh?.close();
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}
