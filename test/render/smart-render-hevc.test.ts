// Smart render into HEVC (draft_360p_hevc, libx265) on real libx265 sources: copied GOPs must decode with their
// source's VPS/SPS/PPS and patches with their own, so the join decodes without a single error; frame count and
// timing equal the full render, copied frames equal a full decode of the source bit for bit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/context.js';
import { probePacketIndex } from '../../src/ffmpeg/probe-packet-index.js';
import { renderToFile, smartRenderToFile, type SmartRenderResult } from '../../src/render/index.js';
import { parseTimeline, type TimelineInput } from '../../src/timeline/index.js';
import { makeServices, type TestServices } from '../media/setup.js';
import {
  assertCopiesExact,
  audioMd5,
  decodeErrors,
  ffmpegOk,
  frameMd5,
  psnrPerFrame,
} from './smart-media.js';

const PROFILE = 'draft_360p_hevc';
let services: TestServices;
let ctx: RequestContext;
let dir: string;
const assets: Record<string, { id: string; path: string }> = {};

/** testsrc2 + a tone, 640x360 at 30 fps (the draft_360p_hevc canvas), video as given. */
async function source(name: string, seconds: number, video: string[]) {
  const path = join(dir, `${name}.mp4`);
  await ffmpegOk([
    ...['-f', 'lavfi', '-i', `testsrc2=s=640x360:r=30:d=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=f=330:sample_rate=48000:d=${seconds}`],
    ...video,
    ...['-c:a', 'aac', '-b:a', '96k', '-shortest', path],
  ]);
  const id = (await services.assets.registerAsset(ctx, { source: { path } })).asset.id;
  assets[name] = { id, path };
}

const X265 = (params: string) => [
  ...['-c:v', 'libx265', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-threads', '2'],
  ...['-x265-params', `log-level=error:keyint=30:min-keyint=30:scenecut=0:bframes=3:${params}`],
];

function clips(list: Array<[string, number, number]>): TimelineInput {
  let at = 0;
  return {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: list.map(([name, inMs, outMs], i) => {
          const clip = { id: `c${i}`, asset_id: assets[name]!.id, start_ms: at, in_ms: inMs, out_ms: outMs };
          at += outMs - inMs;
          return clip;
        }),
      },
    ],
  };
}

/** Smart and full render of one timeline: same frames at the same times, clean decode, same audio. */
async function renderBoth(
  name: string,
  timeline: TimelineInput,
): Promise<{ smart: SmartRenderResult; frames: Array<[number, string]>; file: string }> {
  const tl = parseTimeline(timeline);
  const smartOut = join(dir, `${name}-smart.mp4`);
  const fullOut = join(dir, `${name}-full.mp4`);
  const smart = await smartRenderToFile({ services, ctx, timeline: tl, profile: PROFILE, output: smartOut });
  await renderToFile({ services, ctx, timeline: tl, profile: PROFILE, output: fullOut });
  const [s, f] = await Promise.all([frameMd5(smartOut), frameMd5(fullOut)]);
  assert.equal(s.length, f.length, 'frame count equals the full render');
  assert.equal(s.length, smart.meta.frame_count);
  assert.deepEqual(
    s.map((x) => x[0]),
    f.map((x) => x[0]),
    'every frame at the same time as in the full render',
  );
  assert.equal(await decodeErrors(smartOut), '', 'decodes without errors');
  assert.equal(await audioMd5(smartOut), await audioMd5(fullOut), 'the same audio, sample for sample');
  // Encoded frames are a second encode of the frames the full render shows (a one-frame shift of testsrc2
  // drops PSNR far below this).
  const psnr = await psnrPerFrame(smartOut, fullOut, dir);
  assert.equal(psnr.length, s.length);
  const worst = Math.min(...psnr);
  assert.ok(worst > 25, `smart vs full render PSNR > 25 dB on every frame, worst ${worst.toFixed(1)} dB`);
  return { smart, frames: s, file: smartOut };
}

/** Copied frames equal a full decode of the source, bit for bit. */
function copiesExact(c: { smart: SmartRenderResult; frames: Array<[number, string]> }): Promise<number> {
  return assertCopiesExact(
    c.smart,
    c.frames,
    Object.fromEntries(Object.values(assets).map((x) => [x.id, x.path])),
  );
}

before(async () => {
  services = await makeServices();
  ctx = await services.tenant('dev', 'smart_hevc');
  dir = await mkdtemp(join(tmpdir(), 'cutroom-smart-hevc-'));
  await Promise.all([
    // Closed GOPs: every keyframe an IDR (x265 open-gop=0).
    source('closed', 6, X265('open-gop=0')),
    // x265's default open GOPs: the keyframes after the first are CRA frames with leading pictures.
    source('open', 4, X265('open-gop=1')),
    source('h264', 2, ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-g', '30']),
  ]);
});

after(async () => {
  await services.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('the packet index tells IDR from CRA keyframes', async () => {
  const closed = await probePacketIndex({ path: assets.closed!.path });
  const open = await probePacketIndex({ path: assets.open!.path });
  const keyTypes = (ix: typeof closed) =>
    ix.packets.flatMap(([, , key], i) => (key ? [ix.key_nal_types?.[i]] : []));
  assert.ok(
    keyTypes(closed).every((t) => t === 19 || t === 20),
    JSON.stringify(keyTypes(closed)),
  );
  const o = keyTypes(open);
  assert.ok(o[0] === 19 || o[0] === 20, 'the first keyframe is an IDR');
  assert.ok(o.slice(1).length > 0 && o.slice(1).every((t) => t === 21), `then CRA: ${JSON.stringify(o)}`);
});

test('HEVC GOPs are copied, patches are libx265 with their own parameter sets: clean decode, copies bit-exact', async () => {
  const c = await renderBoth(
    'hevc-cuts',
    clips([
      ['closed', 500, 2500], // inside GOPs: encode 15-30, copy from IDR 30 to the last mini-GOP edge ≤ 75
      ['closed', 3000, 5000], // exactly on keyframes 90 and 150: all copied
      ['closed', 2000, 2033], // one frame: IDR 60 alone
      ['closed', 1033, 4000], // one frame after keyframe 30: encode 31-60, copy 60-120
    ]),
  );
  const m = c.smart.meta.smart;
  assert.equal(m.fallback, false);
  assert.equal(m.frames_total, 60 + 60 + 1 + 89);
  assert.ok(
    m.non_copy.every((r) => r.code === 'partial_gop'),
    JSON.stringify(m.non_copy),
  );
  assert.ok(m.frames_copied >= 60 + 1 + 60 + 40, `copied ${m.frames_copied}`);
  assert.ok(m.frames_encoded >= 15 + 29 && (m.patch_runs ?? 0) >= 1, `encoded ${m.frames_encoded}`);
  for (const seg of m.segments)
    if (seg.kind === 'copy') assert.equal(seg.source_frames[0] % 30, 0, 'a copy starts on an IDR');
  assert.equal(await copiesExact(c), m.frames_copied);
});

test('open-GOP HEVC copies only from its IDR; an H.264 source into the HEVC profile is encoded (codec)', async () => {
  const c = await renderBoth(
    'hevc-open',
    clips([
      ['open', 0, 2000],
      ['open', 1000, 3000], // CRA at 30 and 60: no copy starts there
      ['h264', 0, 1000],
    ]),
  );
  const m = c.smart.meta.smart;
  assert.equal(m.fallback, false);
  const copies = m.segments.filter((x) => x.kind === 'copy');
  assert.ok(
    copies.length === 1 && copies[0]!.source_frames[0] === 0,
    `one copy from the IDR: ${JSON.stringify(copies)}`,
  );
  assert.deepEqual(
    m.non_copy.map((r) => r.code),
    ['partial_gop', 'codec'],
  );
  assert.match(m.non_copy[1]!.message, /source codec h264, output hevc/);
  assert.equal(await copiesExact(c), m.frames_copied);
});
