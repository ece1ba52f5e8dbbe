/**
 * smartPatchBatchArgs(): ONE ffmpeg invocation that encodes many smart-render patches, each written to its own
 * file, instead of one ffmpeg process per patch (process start, input probing and x264 start-up and flush per
 * patch cost far more than the few frames a patch holds).
 *
 * Every patch stays the frame-exact `range` compile of the timeline it was before (same inputs, same chains):
 * the patch graphs are put side by side with their inputs renumbered and their link labels prefixed, their
 * outputs concatenated in order, and the whole run encoded by one libx264 session with the plan's own video
 * settings. An IDR frame is forced on the first frame of every patch (-force_key_frames; -forced-idr makes it an IDR with its SPS/PPS, and an
 * IDR lets no frame reorder across it), and the segment muxer cuts the stream at exactly those packets
 * (segment_frames counts packets in decode order, and with an IDR there every earlier packet belongs to the
 * earlier patches), restarting the timestamps of each file at 0 like a patch encoded on its own.
 *
 * The caller writes every plan's `files` (helper files live in each patch's own work dir) and runs the args
 * with the output pattern (`%d` = patch number in the batch) appended.
 *
 * Pure.
 */
import { cutroomError } from '../errors.js';
import { formatNumber } from './format.js';
import type { RenderPlan } from './types.js';

export interface SmartPatchBatchInput {
  /** Video-only range plans, in output order; their `args` already carry the patch encoder settings. */
  patches: Array<{ plan: RenderPlan; frames: number }>;
  fps: { num: number; den: number };
  /** MP4 time scale of every patch file (that of the copied sources, for the concat demuxer). */
  timescale: number;
  /** Container of the patch files: the profile's (mp4 or mov), or mpegts for an HEVC join (90 kHz, no scale). */
  format: string;
}

export interface SmartPatchBatchArgs {
  args: string[];
  /** The filtergraph of the run (also in args, or in the script file of `files`). */
  graph: string;
  /** Output frame of the run at which each patch starts. */
  starts: number[];
}

/** Graphs longer than this go to a script file (Linux caps one argument at 128 KiB), as in compile(). */
const MAX_INLINE_GRAPH = 32 * 1024;

/**
 * Rewrite the link labels of one filtergraph: `[N:…]` input references get `N + offset`, every other label
 * the prefix. Backslash-escaped characters and single-quoted text (filter values) are left alone.
 */
export function relabelGraph(graph: string, inputOffset: number, prefix: string): string {
  let out = '';
  let i = 0;
  while (i < graph.length) {
    const c = graph[i]!;
    if (c === '\\') {
      out += graph.slice(i, i + 2);
      i += 2;
    } else if (c === "'") {
      const end = graph.indexOf("'", i + 1);
      const stop = end < 0 ? graph.length : end + 1;
      out += graph.slice(i, stop);
      i = stop;
    } else if (c === '[') {
      const end = graph.indexOf(']', i + 1);
      if (end < 0) throw new Error(`unbalanced link label in the filtergraph at ${i}`);
      const name = graph.slice(i + 1, end);
      const input = /^(\d+)(:.*)?$/.exec(name);
      out += input ? `[${Number(input[1]) + inputOffset}${input[2] ?? ''}]` : `[${prefix}${name}]`;
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Split a plan's args into [before the inputs, inputs, graph, output options after `-map [vout]`]. */
function splitPlan(plan: RenderPlan): { global: string[]; graph: string; output: string[] } {
  const a = plan.args;
  const at = a.findIndex((x) => x === '-filter_complex' || x === '-filter_complex_script');
  const inputsLen = plan.inputs.reduce((n, inp) => n + inp.options.length + 2, 0);
  const mapAt = a.indexOf('-map');
  if (at < 0 || at < inputsLen || a[mapAt + 1] !== '[vout]' || a.includes('[aout]'))
    throw cutroomError('RENDER_FAILED', 'a smart-render patch plan is not a video-only filtergraph plan', {
      stage: 'plan',
    });
  const graph =
    a[at] === '-filter_complex'
      ? a[at + 1]!
      : (plan.files.find((f) => f.path === a[at + 1])?.content ?? plan.filtergraph);
  return { global: a.slice(0, at - inputsLen), graph, output: a.slice(mapAt + 2) };
}

/** Remove `-name value` pairs from an argument list. */
function dropOptions(args: string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (names.has(args[i]!)) i++;
    else out.push(args[i]!);
  }
  return out;
}

export function smartPatchBatchArgs(
  input: SmartPatchBatchInput & { scriptPath?: string },
): SmartPatchBatchArgs {
  const { patches, fps } = input;
  if (patches.length === 0) throw new Error('smartPatchBatchArgs: no patches');
  const first = splitPlan(patches[0]!.plan);
  const inputs: string[] = [];
  const statements: string[] = [];
  const starts: number[] = [];
  let offset = 0;
  let frame = 0;
  for (const [i, p] of patches.entries()) {
    const part = splitPlan(p.plan);
    // One encoder session for all: every patch must ask for the same encoding.
    if (
      part.output.join('\u0000') !== first.output.join('\u0000') ||
      part.global.join('\u0000') !== first.global.join('\u0000')
    )
      throw cutroomError(
        'RENDER_FAILED',
        'smart-render patches of one batch differ in their encoder settings',
        {
          stage: 'plan',
          patch: i,
        },
      );
    for (const inp of p.plan.inputs) inputs.push(...inp.options, '-i', inp.path);
    statements.push(relabelGraph(part.graph, offset, `p${i}_`));
    offset += p.plan.inputs.length;
    starts.push(frame);
    frame += p.frames;
  }
  const links = patches.map((_, i) => `[p${i}_vout]`).join('');
  // concat keeps each patch's frames in order; setpts lays them on one frame grid from 0 (each patch graph ends
  // in an exact frame count at the profile rate, so this only renumbers).
  statements.push(
    `${links}concat=n=${patches.length}:v=1:a=0,setpts=N*${formatNumber(fps.den)}/(${formatNumber(fps.num)}*TB)[vout]`,
  );
  const graph = statements.join(';\n');
  // ffmpeg rounds each time to the nearest tick of the encoder time base (1/fps), so the µs rounding of the
  // printed time cannot move a key onto a neighbouring frame.
  const keyTimes = starts.map((f) => formatNumber((f * fps.den) / fps.num)).join(',');
  const output = dropOptions(first.output, new Set(['-f', '-movflags', '-force_key_frames', '-forced-idr']));
  const args = [
    ...first.global,
    ...inputs,
    ...(graph.length > MAX_INLINE_GRAPH && input.scriptPath !== undefined
      ? ['-filter_complex_script', input.scriptPath]
      : ['-filter_complex', graph]),
    ...['-map', '[vout]'],
    ...output,
    ...['-force_key_frames', keyTimes, '-forced-idr', '1'],
    ...['-f', 'segment', '-segment_format', input.format],
    ...[
      '-segment_frames',
      starts
        .slice(1)
        .map((f) => formatNumber(f))
        .join(',') || formatNumber(frame),
    ],
    ...['-reset_timestamps', '1'],
    ...(input.format === 'mpegts'
      ? []
      : ['-segment_format_options', `video_track_timescale=${formatNumber(input.timescale)}`]),
  ];
  return { args, graph, starts };
}

/** Most patches one ffmpeg run encodes (each patch opens one or two inputs, all open for the whole run). */
const MAX_BATCH_PATCHES = 48;

/**
 * Patches in ffmpeg runs: patches joining the same source (one set of encoder settings) share runs; a source's
 * patches are split in output order into up to `runs` runs of about equal frames (so that many runs encode at
 * once), and no run takes more than MAX_BATCH_PATCHES.
 */
export function batchPatches<T extends { frames: number; key: string }>(patches: T[], runs: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const p of patches) {
    const group = groups.get(p.key);
    if (group) group.push(p);
    else groups.set(p.key, [p]);
  }
  const batches: T[][] = [];
  for (const group of groups.values()) {
    const n = Math.max(Math.min(runs, group.length), Math.ceil(group.length / MAX_BATCH_PATCHES), 1);
    const total = group.reduce((sum, p) => sum + p.frames, 0);
    let current: T[] = [];
    let done = 0;
    let closed = 0;
    for (const p of group) {
      current.push(p);
      done += p.frames;
      // Close a run once it holds its share of the frames, or is full.
      if (current.length >= MAX_BATCH_PATCHES || done * n >= (closed + 1) * total) {
        batches.push(current);
        current = [];
        closed++;
      }
    }
    if (current.length > 0) batches.push(current);
  }
  return batches;
}
