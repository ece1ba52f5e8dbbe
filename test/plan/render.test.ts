// Render tests: compile a timeline over generated media and run the plan with real ffmpeg, then check the
// output itself (frame count, colours at chosen frames, audio levels). Small media, draft profile, ultrafast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/ffmpeg/binaries.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput, PlanSource } from '../../src/plan/types.js';
import type { TimelineInput } from '../../src/timeline/index.js';
import {
  durationMs,
  frameCount,
  hasAudio,
  loudness,
  noAudioClip,
  pngImage,
  rotatedClip,
  sampleColor,
  solidClip,
  vfrClip,
  type Rgb,
} from '../helpers/media.js';
import { audioRmsDb, realSource, runPlan, tempDir, timeline } from './helpers/plan-fixtures.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

async function render(
  name: string,
  tl: TimelineInput,
  sources: Record<string, PlanSource>,
  extra: Partial<CompileInput> = {},
): Promise<{ file: string; plan: ReturnType<typeof compile>; cleanup: () => void }> {
  const tmp = tempDir(name);
  const plan = compile({
    timeline: timeline(tl),
    sources,
    profile: 'draft_360p',
    work_dir: join(tmp.dir, 'work'),
    ...extra,
  });
  const file = join(tmp.dir, `${name}.mp4`);
  runPlan(plan, file);
  return { file, plan, cleanup: tmp.cleanup };
}

const isRed = (c: Rgb) => c.r > 200 && c.g < 50 && c.b < 50;
const isBlue = (c: Rgb) => c.b > 200 && c.r < 50 && c.g < 50;
const isGreen = (c: Rgb) => c.g > 200 && c.r < 50 && c.b < 50;
const isBlack = (c: Rgb) => c.r < 20 && c.g < 20 && c.b < 20;

async function redBlue(): Promise<Record<string, PlanSource>> {
  const red = await solidClip({ color: '#FF0000', durationMs: 2000, toneHz: 440 });
  const blue = await solidClip({ color: '#0000FF', durationMs: 2000, toneHz: 880 });
  return { red: realSource('red', red), blue: realSource('blue', blue) };
}

test('a cut lands on its frame; duration and frame count are exact', async () => {
  const sources = await redBlue();
  const r = await render(
    'cut',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, in_ms: 300, out_ms: 1300 },
            { id: 'b', asset_id: 'blue', start_ms: 1000, in_ms: 500, out_ms: 1500 },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(r.plan.meta.frame_count, 60);
    assert.equal(await frameCount(r.file), 60);
    assert.equal(await durationMs(r.file, 'video'), 2000);
    assert.ok(
      Math.abs((await durationMs(r.file, 'audio')) - 2000) <= 34,
      'audio as long as video (±1 frame)',
    );
    // Frame 29 (966.7 ms) is the last red frame, frame 30 (1000 ms) the first blue one.
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 960, x: 320, y: 180 })));
    assert.ok(isBlue(await sampleColor({ file: r.file, tMs: 1000, x: 320, y: 180 })));
  } finally {
    r.cleanup();
  }
});

test('crossfade is purple mid-way; dip_to_black is dark at the cut; timeline length unchanged', async () => {
  const sources = await redBlue();
  for (const type of ['crossfade', 'dip_to_black']) {
    const r = await render(
      type,
      {
        tracks: [
          {
            id: 'v',
            kind: 'video',
            clips: [
              { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 },
              { id: 'b', asset_id: 'blue', start_ms: 1000, in_ms: 500, out_ms: 1500 },
            ],
            transitions: [{ id: 't', type, from_clip_id: 'a', to_clip_id: 'b', duration_ms: 600 }],
          },
        ],
      },
      sources,
    );
    try {
      assert.equal(await frameCount(r.file), 60);
      assert.equal(r.plan.meta.transitions[0]?.start_ms, 700);
      const mid = await sampleColor({ file: r.file, tMs: 1000, x: 320, y: 180 });
      if (type === 'crossfade') {
        assert.ok(
          mid.r > 80 && mid.b > 80 && mid.g < 40,
          `purple-ish at the cut, got ${JSON.stringify(mid)}`,
        );
      } else {
        // Darker than either side (fadeblack is not symmetric around its midpoint).
        assert.ok(Math.max(mid.r, mid.g, mid.b) < 100, `dark at the cut, got ${JSON.stringify(mid)}`);
      }
      assert.ok(
        isRed(await sampleColor({ file: r.file, tMs: 600, x: 320, y: 180 })),
        'red before the window',
      );
      assert.ok(
        isBlue(await sampleColor({ file: r.file, tMs: 1400, x: 320, y: 180 })),
        'blue after the window',
      );
    } finally {
      r.cleanup();
    }
  }
});

test('a gap renders black and silent; tracks keep sync after it', async () => {
  const sources = await redBlue();
  const r = await render(
    'gap',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 500 },
            { id: 'b', asset_id: 'blue', start_ms: 1000, out_ms: 500 },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(await frameCount(r.file), 45);
    assert.ok(isBlack(await sampleColor({ file: r.file, tMs: 750, x: 320, y: 180 })));
    const gap = audioRmsDb({ file: r.file, startMs: 600, durationMs: 300 });
    assert.ok(gap < -60, `silent gap, got ${gap} dB`);
    const after = audioRmsDb({ file: r.file, startMs: 1100, durationMs: 300 });
    assert.ok(after > -40, `tone after the gap, got ${after} dB`);
  } finally {
    r.cleanup();
  }
});

test('one-frame clips and a one-frame gap each keep their frame (the concat filter counts them as 0 long)', async () => {
  const sources = await redBlue();
  // Frames 0-8 red, 9 blue, 10 red, 11 gap, 12-20 blue (33 ms = one frame at 30 fps).
  const r = await render(
    'one-frame',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, in_ms: 0, out_ms: 300 },
            { id: 'b', asset_id: 'blue', start_ms: 300, in_ms: 0, out_ms: 33 },
            { id: 'c', asset_id: 'red', start_ms: 333, in_ms: 0, out_ms: 33 },
            { id: 'd', asset_id: 'blue', start_ms: 400, in_ms: 0, out_ms: 300 },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(r.plan.meta.frame_count, 21);
    assert.equal(await frameCount(r.file, { decode: true }), 21, 'as many frames as the plan says');
    // Every decoded frame averaged to one pixel, in display order.
    const px = spawnSync(
      ffmpegPath(),
      ['-v', 'error', '-i', r.file, '-an', '-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
      { maxBuffer: 1 << 20 },
    ).stdout;
    const colours = Array.from({ length: px.length / 3 }, (_, i) => {
      const c = { r: px[3 * i]!, g: px[3 * i + 1]!, b: px[3 * i + 2]! };
      return isRed(c) ? 'R' : isBlue(c) ? 'B' : isBlack(c) ? 'K' : '?';
    }).join('');
    assert.equal(colours, 'RRRRRRRRRBRKBBBBBBBBB');
  } finally {
    r.cleanup();
  }
});

test('picture-in-picture: overlay colour at its position, base elsewhere', async () => {
  const sources = await redBlue();
  const green = await solidClip({ color: '#00FF00', durationMs: 1000, width: 160, height: 120 });
  sources.green = realSource('green', green);
  const r = await render(
    'pip',
    {
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 }] },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'p',
              asset_id: 'green',
              start_ms: 200,
              out_ms: 600,
              transform: { position_x: 0.75, position_y: 0.25, scale: 0.3 },
            },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(await frameCount(r.file), 30);
    // Canvas 640x360; fitted 480x360, scaled 0.3 -> 144x108 centred at (480, 90).
    assert.ok(isGreen(await sampleColor({ file: r.file, tMs: 400, x: 478, y: 88 })));
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 400, x: 100, y: 300 })));
    assert.ok(
      isRed(await sampleColor({ file: r.file, tMs: 100, x: 478, y: 88 })),
      'not yet visible at 100 ms',
    );
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 900, x: 478, y: 88 })), 'gone after 800 ms');
  } finally {
    r.cleanup();
  }
});

test('keyframed position moves the overlay', async () => {
  const sources = await redBlue();
  const green = await solidClip({ color: '#00FF00', durationMs: 1000, width: 160, height: 120 });
  sources.green = realSource('green', green);
  const r = await render(
    'kf',
    {
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 }] },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'p',
              asset_id: 'green',
              start_ms: 0,
              out_ms: 1000,
              transform: { scale: 0.2 },
              automation: [
                {
                  param: 'position_x',
                  keyframes: [
                    { t_ms: 0, value: 0.2 },
                    { t_ms: 1000, value: 0.8 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    sources,
  );
  try {
    // x centre = 640 · (0.2 + 0.6 · t): 128 at 0 ms, 320 at 500 ms.
    assert.ok(isGreen(await sampleColor({ file: r.file, tMs: 0, x: 126, y: 178 })));
    assert.ok(isGreen(await sampleColor({ file: r.file, tMs: 500, x: 318, y: 178 })));
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 500, x: 126, y: 178 })));
  } finally {
    r.cleanup();
  }
});

test('speed 2x halves the duration; audio present and as long as the video', async () => {
  const sources = await redBlue();
  const r = await render(
    'speed',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 2000, speed: 2 }],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(r.plan.meta.duration_ms, 1000);
    assert.equal(await frameCount(r.file), 30);
    assert.ok(await hasAudio(r.file));
    assert.ok(Math.abs((await durationMs(r.file, 'audio')) - 1000) <= 34);
    const s = audioRmsDb({ file: r.file, startMs: 100, durationMs: 800 });
    assert.ok(s > -40, `audible, got ${s}`);
  } finally {
    r.cleanup();
  }
});

test('a clip without audio next to one with audio keeps sync', async () => {
  const sources = await redBlue();
  sources.mute = realSource('mute', await noAudioClip({ durationMs: 1000, color: '#00FF00' }));
  const r = await render(
    'noaudio',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'mute', start_ms: 0, out_ms: 1000 },
            { id: 'b', asset_id: 'red', start_ms: 1000, out_ms: 1000 },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(await frameCount(r.file), 60);
    assert.ok(Math.abs((await durationMs(r.file, 'audio')) - 2000) <= 34);
    assert.ok(audioRmsDb({ file: r.file, startMs: 100, durationMs: 800 }) < -60, 'silent first second');
    assert.ok(audioRmsDb({ file: r.file, startMs: 1100, durationMs: 800 }) > -40, 'tone in the second');
    assert.ok(isGreen(await sampleColor({ file: r.file, tMs: 960, x: 320, y: 180 })));
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 1000, x: 320, y: 180 })));
  } finally {
    r.cleanup();
  }
});

test('VFR and rotated sources are normalised; images render', async () => {
  const sources: Record<string, PlanSource> = {
    vfr: realSource('vfr', await vfrClip()),
    rot: realSource('rot', await rotatedClip({ rotation: 90 })),
    img: realSource('img', await pngImage({ color: '#0000FF' })),
  };
  const r = await render(
    'vfr-rot',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'vfr', start_ms: 0, out_ms: 2000 },
            { id: 'b', asset_id: 'rot', start_ms: 2000, out_ms: 1000 },
            { id: 'c', asset_id: 'img', start_ms: 3000, duration_ms: 500 },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(await frameCount(r.file), 105);
    assert.equal(await durationMs(r.file, 'video'), 3500);
    // Rotated 90° clockwise: the coded left half (white) is on top. Displayed 240x320 fits as 270x360.
    const top = await sampleColor({ file: r.file, tMs: 2500, x: 318, y: 40 });
    const bottom = await sampleColor({ file: r.file, tMs: 2500, x: 318, y: 320 });
    assert.ok(top.r > 200 && top.g > 200 && top.b > 200, `white on top, got ${JSON.stringify(top)}`);
    assert.ok(isBlack(bottom), `black at the bottom, got ${JSON.stringify(bottom)}`);
    assert.ok(isBlack(await sampleColor({ file: r.file, tMs: 2500, x: 20, y: 180 })), 'letterbox bars');
    assert.ok(isBlue(await sampleColor({ file: r.file, tMs: 3200, x: 320, y: 180 })));
  } finally {
    r.cleanup();
  }
});

test('a range renders only its frames, frame-exact', async () => {
  const sources = await redBlue();
  const r = await render(
    'range',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 },
            { id: 'b', asset_id: 'blue', start_ms: 1000, out_ms: 1000 },
          ],
        },
      ],
    },
    sources,
    { range: { start_ms: 500, duration_ms: 1000 } },
  );
  try {
    assert.equal(r.plan.meta.frame_count, 30);
    assert.equal(await frameCount(r.file), 30);
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 460, x: 320, y: 180 })));
    assert.ok(isBlue(await sampleColor({ file: r.file, tMs: 500, x: 320, y: 180 })));
  } finally {
    r.cleanup();
  }
});

test('text layers are drawn through compileTextLayer and audio tracks mix', async () => {
  const sources = await redBlue();
  const r = await render(
    'text',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000, muted: true }],
        },
        { id: 'm', kind: 'audio', clips: [{ id: 'b', asset_id: 'blue', start_ms: 500, out_ms: 500 }] },
        {
          id: 't',
          kind: 'text',
          items: [
            { id: 'x', start_ms: 0, duration_ms: 1000, text: 'HELLO', font: { size: 200 }, color: '#FFFFFF' },
          ],
        },
      ],
    },
    sources,
    { fonts: { 'DejaVu Sans': FONT } },
  );
  try {
    assert.equal(await frameCount(r.file), 30);
    assert.ok(r.plan.files.length > 0, 'the text goes through a helper file');
    assert.ok(audioRmsDb({ file: r.file, startMs: 50, durationMs: 400 }) < -60, 'muted clip is silent');
    assert.ok(audioRmsDb({ file: r.file, startMs: 550, durationMs: 400 }) > -40, 'audio track audible');
  } finally {
    r.cleanup();
  }
});

test('keyframed opacity, scale and rotation together render (size change last in the chain)', async () => {
  const sources = await redBlue();
  const green = await solidClip({ color: '#00FF00', durationMs: 2000, width: 160, height: 120 });
  sources.green = realSource('green', green);
  const r = await render(
    'kf-all',
    {
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 2000 }] },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'p',
              asset_id: 'green',
              start_ms: 0,
              out_ms: 2000,
              automation: [
                {
                  param: 'opacity',
                  keyframes: [
                    { t_ms: 0, value: 0 },
                    { t_ms: 500, value: 1 },
                  ],
                },
                {
                  param: 'scale',
                  keyframes: [
                    { t_ms: 0, value: 0.2 },
                    { t_ms: 1000, value: 0.4 },
                  ],
                },
                {
                  param: 'rotation_deg',
                  keyframes: [
                    { t_ms: 0, value: 0 },
                    { t_ms: 1000, value: 90 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    sources,
  );
  try {
    assert.equal(await frameCount(r.file), 60);
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 0, x: 318, y: 178 })), 'opacity 0 at the start');
    assert.ok(isGreen(await sampleColor({ file: r.file, tMs: 1500, x: 318, y: 178 })), 'opaque at 1.5 s');
    assert.ok(isRed(await sampleColor({ file: r.file, tMs: 1500, x: 100, y: 20 })), 'base around it');
  } finally {
    r.cleanup();
  }
});

test('loudness: single-pass loudnorm and measured gain both reach -14 LUFS on social profiles', async () => {
  const tone = await solidClip({ color: '#808080', durationMs: 3000, toneHz: 1000 });
  const sources = { t: realSource('t', tone) };
  const tl = {
    tracks: [
      { id: 'v', kind: 'video' as const, clips: [{ id: 'a', asset_id: 't', start_ms: 0, out_ms: 3000 }] },
    ],
  };
  // The mix as it is before normalisation (draft has no loudness target).
  const raw = await render('loud-raw', tl, sources);
  const rawLufs = (await loudness({ file: raw.file })).integratedLufs;
  raw.cleanup();
  assert.ok(rawLufs < -16, `test tone must start quieter than the target, got ${rawLufs}`);
  for (const measured of [undefined, rawLufs]) {
    const r = await render('loud', tl, sources, {
      profile: 'social_1080p_h264',
      ...(measured === undefined ? {} : { loudness_measurement: { integrated_lufs: measured } }),
    });
    try {
      assert.equal(r.plan.meta.loudness_mode, measured === undefined ? 'single_pass' : 'measured');
      const out = (await loudness({ file: r.file })).integratedLufs;
      assert.ok(Math.abs(out - -14) < 1.5, `${r.plan.meta.loudness_mode}: ${out} LUFS`);
      assert.ok(Math.abs((await durationMs(r.file, 'audio')) - 3000) <= 34);
    } finally {
      r.cleanup();
    }
  }
});

test('mixing tracks does not lower levels (amix normalize=0)', async () => {
  const sources = await redBlue();
  const alone = await render(
    'mix-alone',
    {
      tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 }] }],
    },
    sources,
  );
  const mixed = await render(
    'mix-two',
    {
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 }] },
        {
          id: 'm',
          kind: 'audio',
          clips: [{ id: 'b', asset_id: 'blue', start_ms: 0, out_ms: 1000, volume: 0 }],
        },
      ],
    },
    sources,
  );
  try {
    assert.ok(mixed.plan.filtergraph.includes('amix=inputs=2'), 'two tracks are mixed');
    const a = audioRmsDb({ file: alone.file, startMs: 100, durationMs: 800 });
    const b = audioRmsDb({ file: mixed.file, startMs: 100, durationMs: 800 });
    assert.ok(Math.abs(a - b) < 0.5, `alone ${a} dB, mixed with a silent track ${b} dB`);
  } finally {
    alone.cleanup();
    mixed.cleanup();
  }
});

test('the same plan renders to the same bytes', async () => {
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const sources = await redBlue();
  const tl: TimelineInput = {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [
          { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 500 },
          { id: 'b', asset_id: 'blue', start_ms: 500, out_ms: 500 },
        ],
        transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 200 }],
      },
    ],
  };
  const one = await render('bytes1', tl, sources);
  const two = await render('bytes2', tl, sources);
  try {
    const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    assert.equal(hash(one.file), hash(two.file));
  } finally {
    one.cleanup();
    two.cleanup();
  }
});

test('a transition without handles holds the edge frames and keeps the timeline length', async () => {
  const sources = await redBlue();
  const r = await render(
    'no-handles',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, in_ms: 1000, out_ms: 2000 },
            { id: 'b', asset_id: 'blue', start_ms: 1000, in_ms: 0, out_ms: 1000 },
          ],
          transitions: [{ id: 't', type: 'crossfade', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 600 }],
        },
      ],
    },
    sources,
  );
  try {
    assert.match(r.plan.filtergraph, /tpad=start=9:start_mode=clone/, 'incoming side holds its first frame');
    assert.equal(await frameCount(r.file), 60);
    assert.ok(Math.abs((await durationMs(r.file, 'audio')) - 2000) <= 34);
    const mid = await sampleColor({ file: r.file, tMs: 1000, x: 320, y: 180 });
    assert.ok(mid.r > 80 && mid.b > 80, `purple-ish at the cut, got ${JSON.stringify(mid)}`);
    assert.ok(isBlue(await sampleColor({ file: r.file, tMs: 1400, x: 320, y: 180 })));
  } finally {
    r.cleanup();
  }
});

test('clip filters (compileFilterChain) apply on every segment of the clip, on clip time', async () => {
  const sources = await redBlue();
  const r = await render(
    'filters',
    {
      tracks: [
        {
          id: 'v',
          kind: 'video',
          clips: [
            { id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000, filters: [{ type: 'grayscale' }] },
            { id: 'b', asset_id: 'blue', start_ms: 1000, out_ms: 1000, filters: [{ type: 'grayscale' }] },
          ],
          transitions: [{ id: 't', type: 'wipe_left', from_clip_id: 'a', to_clip_id: 'b', duration_ms: 400 }],
        },
      ],
    },
    sources,
  );
  try {
    for (const tMs of [300, 900, 1500]) {
      const c = await sampleColor({ file: r.file, tMs, x: 320, y: 180 });
      assert.ok(
        Math.max(c.r, c.g, c.b) - Math.min(c.r, c.g, c.b) < 12,
        `grey at ${tMs} ms, got ${JSON.stringify(c)}`,
      );
    }
  } finally {
    r.cleanup();
  }
});

test('keyframed opacity is applied per frame (half-way is a half mix)', async () => {
  const sources = await redBlue();
  const green = await solidClip({ color: '#00FF00', durationMs: 1000, width: 160, height: 120 });
  sources.green = realSource('green', green);
  const r = await render(
    'opacity',
    {
      tracks: [
        { id: 'v', kind: 'video', clips: [{ id: 'a', asset_id: 'red', start_ms: 0, out_ms: 1000 }] },
        {
          id: 'o',
          kind: 'overlay',
          clips: [
            {
              id: 'p',
              asset_id: 'green',
              start_ms: 0,
              out_ms: 1000,
              transform: { scale: 0.5 },
              automation: [
                {
                  param: 'opacity',
                  keyframes: [
                    { t_ms: 0, value: 0 },
                    { t_ms: 1000, value: 1 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    sources,
  );
  try {
    const half = await sampleColor({ file: r.file, tMs: 500, x: 318, y: 178 });
    assert.ok(
      Math.abs(half.r - half.g) < 40 && half.r > 90 && half.g > 90,
      `half mix, got ${JSON.stringify(half)}`,
    );
    const late = await sampleColor({ file: r.file, tMs: 900, x: 318, y: 178 });
    assert.ok(late.g > 190 && late.r < 70, `mostly green at 900 ms, got ${JSON.stringify(late)}`);
  } finally {
    r.cleanup();
  }
});
