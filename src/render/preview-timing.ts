/**
 * Where a preview request's time goes, for the Studio benchmark and anyone tracing the server: the route and the
 * preview service mark named moments (epoch milliseconds, `performance.timeOrigin + performance.now()`, the same
 * clock a browser's `performance` uses, so client and server marks share one time line), and when the request is
 * done the marks are published on the `cutroom:preview` diagnostics channel. Publishing costs nothing when nobody
 * subscribes (node:diagnostics_channel), so the marks stay on in production.
 *
 * The moments, in order: `received` (Fastify got the request), `handler` (body parsed and validated),
 * `timeline` (project resolved), `proxies` (proxy lookup), `planned` (prepareRender), `looked_up` (cache),
 * `spawned` (ffmpeg started), `output_opened` (ffmpeg created its output: process start + inputs opened and
 * probed), `init` (ftyp + moov on disk), `first_fragment` (the first moof + mdat complete), `encoded` (ffmpeg
 * exited). A cache hit stops at `looked_up`.
 */
import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

export const PREVIEW_TIMING_CHANNEL = 'cutroom:preview';

export interface PreviewTimingMessage {
  request_id: string;
  cache: 'hit' | 'miss';
  /** Epoch ms per moment. */
  marks: Record<string, number>;
}

export interface PreviewTiming {
  mark(name: string, at?: number): void;
  /** Called with every read of the output file: marks `init` and `first_fragment` from its top-level boxes. */
  onRead(bytes: Buffer): void;
  publish(cache: 'hit' | 'miss'): void;
}

const now = () => performance.timeOrigin + performance.now();

export function createPreviewTiming({ requestId, receivedAgoMs }: { requestId: string; receivedAgoMs?: number }): PreviewTiming {
  const ch = channel(PREVIEW_TIMING_CHANNEL);
  const marks: Record<string, number> = {};
  if (receivedAgoMs !== undefined) marks.received = now() - receivedAgoMs;
  // Top-level box walk over the first bytes of the file (size + type headers only; 64 KiB is plenty).
  let head = Buffer.alloc(0);
  let walked = 0;
  let published = false;
  return {
    mark: (name, at = now()) => {
      marks[name] ??= at;
    },
    onRead: (bytes) => {
      if (marks.first_fragment !== undefined || !ch.hasSubscribers) return;
      head = Buffer.concat([head, bytes]).subarray(0, 64 * 1024);
      while (walked + 8 <= head.length) {
        const size = head.readUInt32BE(walked);
        if (size < 8 || walked + size > head.length) break;
        const type = head.toString('latin1', walked + 4, walked + 8);
        walked += size;
        if (type === 'moov') marks.init ??= now();
        if (type === 'mdat') {
          marks.first_fragment ??= now();
          break;
        }
      }
    },
    publish: (cache) => {
      if (published || !ch.hasSubscribers) return;
      published = true;
      ch.publish({ request_id: requestId, cache, marks } satisfies PreviewTimingMessage);
    },
  };
}
