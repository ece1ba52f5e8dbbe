/**
 * probePacketIndex: every video packet of a file (pts, dts, keyframe flag, decode order) plus the stream
 * parameters a stream copy has to match, for the smart-render planner (src/plan/smart-plan.ts).
 *
 * Demux only (`-show_packets` reads no picture data into a decoder), so it costs a read of the file: about a
 * second per 10 minutes of 1080p on local disk. Results are memoised per process by (path, size, mtime).
 */
import { open, stat } from 'node:fs/promises';
import { cutroomError } from '../errors.js';
import type { Rational, VideoPacketIndex } from '../timeline/index.js';
import { capture } from './capture.js';
import { inputUrl } from './input-url.js';

const TIMEOUT_MS = 120_000;

interface PacketProbeJson {
  streams?: Array<{
    codec_name?: string;
    profile?: string;
    level?: number;
    pix_fmt?: string;
    width?: number;
    height?: number;
    sample_aspect_ratio?: string;
    time_base?: string;
    r_frame_rate?: string;
    color_range?: string;
    color_space?: string;
    color_primaries?: string;
    color_transfer?: string;
  }>;
  packets?: Array<{
    pts?: number | string;
    dts?: number | string;
    flags?: string;
    pos?: number | string;
    size?: number | string;
  }>;
  format?: { start_time?: string };
}

function rational(text: string | undefined, fallback: Rational): Rational {
  const m = /^(\d+)[/:](\d+)$/.exec(text ?? '');
  if (!m || Number(m[2]) === 0) return fallback;
  return { num: Number(m[1]), den: Number(m[2]) };
}

/** Pure: ffprobe JSON -> index (exported for tests). Packets without timestamps are refused. */
export function parsePacketIndex(json: PacketProbeJson): VideoPacketIndex {
  const s = json.streams?.[0];
  if (!s) throw cutroomError('PROBE_FAILED', 'the file has no video stream to index');
  const tb = rational(s.time_base, { num: 1, den: 1 });
  const packets: VideoPacketIndex['packets'] = [];
  for (const p of json.packets ?? []) {
    const pts = Number(p.pts);
    const dts = p.dts === undefined || p.dts === 'N/A' ? pts : Number(p.dts);
    if (!Number.isFinite(pts) || !Number.isFinite(dts))
      throw cutroomError('PROBE_FAILED', 'a video packet has no timestamp; the file cannot be indexed');
    packets.push([pts, dts, (p.flags ?? '').includes('K')]);
  }
  const start = Number(json.format?.start_time);
  return {
    codec: s.codec_name ?? 'unknown',
    profile: s.profile ?? 'unknown',
    level: s.level ?? -1,
    pix_fmt: s.pix_fmt ?? 'unknown',
    width: s.width ?? 0,
    height: s.height ?? 0,
    sar: rational(s.sample_aspect_ratio, { num: 1, den: 1 }),
    time_base: tb,
    fps: rational(s.r_frame_rate, { num: 0, den: 1 }),
    color: {
      range: s.color_range ?? 'unknown',
      space: s.color_space ?? 'unknown',
      primaries: s.color_primaries ?? 'unknown',
      transfer: s.color_transfer ?? 'unknown',
    },
    format_start_ts: Number.isFinite(start) ? Math.round((start * tb.den) / tb.num) : 0,
    packets,
  };
}

/**
 * nal_unit_type of the first slice NAL unit (types 0-31) of an HEVC sample in MP4/MOV form: NAL units with a
 * 4-byte big-endian length each (ffmpeg and the encoders we know write lengthSizeMinusOne = 3). Undefined when
 * the lengths do not walk the sample exactly (another length size, Annex B, a damaged sample).
 */
export function hevcFirstSliceType(sample: Uint8Array): number | undefined {
  let at = 0;
  let first: number | undefined;
  while (at + 4 <= sample.length) {
    const len =
      ((sample[at]! << 24) | (sample[at + 1]! << 16) | (sample[at + 2]! << 8) | sample[at + 3]!) >>> 0;
    if (len < 2 || at + 4 + len > sample.length) return undefined;
    const type = (sample[at + 4]! >> 1) & 0x3f;
    if (first === undefined && type < 32) first = type;
    at += 4 + len;
  }
  return at === sample.length ? first : undefined;
}

/** Read each HEVC keyframe packet (ffprobe's pos/size) and note the NAL type of its first slice. */
async function hevcKeyNalTypes(
  path: string,
  packets: NonNullable<PacketProbeJson['packets']>,
): Promise<Record<number, number>> {
  const types: Record<number, number> = {};
  const file = await open(path, 'r');
  try {
    for (const [i, p] of packets.entries()) {
      if (!(p.flags ?? '').includes('K')) continue;
      const pos = Number(p.pos);
      const size = Number(p.size);
      if (!Number.isInteger(pos) || !Number.isInteger(size) || pos < 0 || size <= 0 || size > 64 << 20)
        continue;
      const buf = Buffer.alloc(size);
      const { bytesRead } = await file.read(buf, 0, size, pos);
      if (bytesRead !== size) continue;
      const t = hevcFirstSliceType(buf);
      if (t !== undefined) types[i] = t;
    }
  } finally {
    await file.close();
  }
  return types;
}

const memo = new Map<string, Promise<VideoPacketIndex>>();

export async function probePacketIndex(options: {
  path: string;
  signal?: AbortSignal;
}): Promise<VideoPacketIndex> {
  const st = await stat(options.path);
  const key = `${options.path}\0${st.size}\0${st.mtimeMs}`;
  const known = memo.get(key);
  if (known) return known;
  const work = (async () => {
    const r = await capture({
      binary: 'ffprobe',
      args: [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_name,profile,level,pix_fmt,width,height,sample_aspect_ratio,time_base,r_frame_rate,color_range,color_space,color_primaries,color_transfer:packet=pts,dts,flags,pos,size:format=start_time',
        '-of',
        'json',
        inputUrl(options.path),
      ],
      timeoutMs: TIMEOUT_MS,
      maxStdoutBytes: 512 * 1024 * 1024,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (r.exitCode !== 0)
      throw cutroomError('PROBE_FAILED', `ffprobe could not index the packets of ${options.path}`, {
        stage: 'probe',
        stderr_tail: r.stderrTail,
      });
    const json = JSON.parse(r.stdout.toString('utf8')) as PacketProbeJson;
    const index = parsePacketIndex(json);
    // HEVC keyframes may be CRA frames, which cannot start a piece of a join (see smart-cut-points.ts): read
    // which are IDR from the packets themselves (a few bytes of each keyframe; no decoding).
    if (index.codec === 'hevc') index.key_nal_types = await hevcKeyNalTypes(options.path, json.packets ?? []);
    return index;
  })();
  memo.set(key, work);
  work.catch(() => memo.delete(key));
  return work;
}
