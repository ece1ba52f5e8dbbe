/**
 * The main job (`npm run demo`): generate sample media, ingest it into the registry (probe + hash), analyse it
 * (shot boundaries, audio semantic timeline), build a sample edit (cuts, transitions, picture-in-picture, a
 * title, music), render it to out/ with the `cutroom render` CLI, then check the output with ffprobe.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { analyzeAudioSemanticForAsset } from '../src/engines/audio-semantic/service.js';
import { analyzeVisualMetaForAsset } from '../src/engines/visual-meta/service.js';
import { probeMedia } from '../src/ffmpeg/probe.js';
import { runFfmpeg } from '../src/ffmpeg/run.js';
import { createServices } from '../src/media/services.js';
import { LOCAL_TENANT_ID } from '../src/media/tenants.js';
import type { TimelineInput } from '../src/timeline/index.js';

const OUT = resolve('out');
const DATA_DIR = join(OUT, 'demo-data');
const SAMPLES = join(OUT, 'samples');

interface Sample {
  name: string;
  /** lavfi video source and tone frequency. */
  video?: string;
  toneHz: number;
  seconds: number;
}

const SAMPLES_TO_MAKE: Sample[] = [
  { name: 'testsrc.mp4', video: 'testsrc2=s=1280x720:r=30', toneHz: 440, seconds: 6 },
  { name: 'mandelbrot.mp4', video: 'mandelbrot=s=1280x720:r=30', toneHz: 660, seconds: 6 },
  { name: 'bars.mp4', video: 'smptehdbars=s=1280x720:r=30', toneHz: 880, seconds: 6 },
  { name: 'music.m4a', toneHz: 220, seconds: 16 },
];

async function makeSample(sample: Sample): Promise<string> {
  const path = join(SAMPLES, sample.name);
  if (existsSync(path)) return path;
  const duration = String(sample.seconds);
  const args = sample.video
    ? [
        '-f',
        'lavfi',
        '-t',
        duration,
        '-i',
        sample.video,
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=${sample.toneHz}:sample_rate=48000:duration=${duration}`,
      ]
    : ['-f', 'lavfi', '-i', `sine=frequency=${sample.toneHz}:sample_rate=48000:duration=${duration}`];
  const codecs = sample.video
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest']
    : ['-c:a', 'aac'];
  await runFfmpeg({ args: [...args, ...codecs], output: path, stage: 'encode' });
  return path;
}

function line(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
}

async function main(): Promise<void> {
  mkdirSync(SAMPLES, { recursive: true });
  rmSync(DATA_DIR, { recursive: true, force: true });
  console.log('cutroom demo: 1/4 generating sample media with ffmpeg');
  const paths = await Promise.all(SAMPLES_TO_MAKE.map(makeSample));

  console.log('cutroom demo: 2/4 ingesting into the registry (ffprobe + sha256)');
  const services = await createServices({ dataDir: DATA_DIR });
  const local = await services.tenants.ensureLocalTenant();
  const ctx = { tenantId: LOCAL_TENANT_ID, env: 'dev', requestId: 'demo' };
  const ids: string[] = [];
  const widths = [24, 6, 10, 12, 10, 16];
  console.log(line(['asset', 'kind', 'duration', 'size', 'fps', 'sha256'], widths));
  for (const path of paths) {
    const { asset } = await services.assets.registerAsset(ctx, { source: { path } });
    ids.push(asset.id);
    const v = asset.media_info.video;
    console.log(
      line(
        [
          asset.id,
          asset.kind,
          `${(asset.media_info.duration_ms / 1000).toFixed(2)} s`,
          v ? `${v.display_width}x${v.display_height}` : '-',
          v ? `${(v.fps.num / v.fps.den).toFixed(2)}` : '-',
          asset.content_hash.slice(0, 16),
        ],
        widths,
      ),
    );
  }

  console.log('cutroom demo: 2b/4 analysing: shot boundaries (visual meta) and the audio semantic timeline');
  const readJson = async (id: string): Promise<unknown> =>
    JSON.parse(await text((await services.artifacts.artifactContent(ctx, id)).stream));
  for (const id of ids.slice(0, 3)) {
    const { shotList } = await analyzeVisualMetaForAsset({ services, ctx, assetId: id, intervalMs: 500 });
    const shots = (await readJson(shotList.id)) as { shots: unknown[]; cuts: number[] };
    console.log(
      `  ${id}: ${shots.shots.length} shot(s), cuts at frames [${shots.cuts.join(', ')}] (artifact ${shotList.id})`,
    );
  }
  const semantic = await analyzeAudioSemanticForAsset({ services, ctx, assetId: ids[3]! });
  const audioTimeline = (await readJson(semantic.artifact.id)) as {
    windows: Array<{ kind: string }>;
    integrated_lufs: number | null;
  };
  const kinds = [...new Set(audioTimeline.windows.map((w) => w.kind))].join(', ');
  console.log(
    `  ${ids[3]}: ${audioTimeline.windows.length} window(s) (${kinds}), integrated ${audioTimeline.integrated_lufs?.toFixed(1)} LUFS` +
      `${semantic.artifact.meta.stub ? ' [stub VAD: model missing]' : ''}`,
  );
  await services.close();
  if (local.created) console.log(`(local tenant created in ${DATA_DIR})`);

  console.log('cutroom demo: 3/4 building the sample edit');
  const [testsrc, mandel, bars, music] = ids as [string, string, string, string];
  const timeline: TimelineInput = {
    id: 'demo',
    tracks: [
      {
        id: 'a-roll',
        kind: 'video',
        clips: [
          { id: 'c1', asset_id: testsrc, start_ms: 0, in_ms: 0, out_ms: 4000 },
          {
            id: 'c2',
            asset_id: mandel,
            start_ms: 4000,
            in_ms: 500,
            out_ms: 4500,
            filters: [{ type: 'style', params: { preset: 'cinematic' } }],
          },
          { id: 'c3', asset_id: bars, start_ms: 8000, in_ms: 0, out_ms: 4000, speed: 1 },
        ],
        transitions: [
          { id: 't1', type: 'crossfade', from_clip_id: 'c1', to_clip_id: 'c2', duration_ms: 1000 },
          { id: 't2', type: 'wipe_left', from_clip_id: 'c2', to_clip_id: 'c3', duration_ms: 800 },
        ],
      },
      {
        id: 'pip',
        kind: 'overlay',
        clips: [
          {
            id: 'p1',
            asset_id: bars,
            start_ms: 1000,
            in_ms: 1000,
            out_ms: 3000,
            volume: 0,
            transform: { position_x: 0.8, position_y: 0.22, scale: 0.3 },
          },
        ],
      },
      {
        id: 'music',
        kind: 'audio',
        clips: [
          {
            id: 'm1',
            asset_id: music,
            start_ms: 0,
            in_ms: 0,
            out_ms: 12000,
            volume: 0.3,
            audio_fade_out_ms: 1500,
          },
        ],
      },
      {
        id: 'titles',
        kind: 'text',
        items: [
          {
            id: 'title',
            start_ms: 300,
            duration_ms: 3000,
            text: 'cutroom demo',
            font: { family: 'DejaVu Sans', size: 96 },
            outline: { color: '#000000', width: 4 },
            position: 'center',
            animation: { in: 'fade', out: 'fade', duration_ms: 400 },
          },
        ],
      },
    ],
  };
  const timelinePath = join(OUT, 'demo-timeline.json');
  writeFileSync(timelinePath, JSON.stringify(timeline, null, 2));
  console.log(`wrote ${timelinePath}`);

  console.log('cutroom demo: 4/4 rendering with `cutroom render` (profile preview_720p)');
  const output = join(OUT, 'demo.mp4');
  const render = spawnSync(
    process.execPath,
    [
      'bin/cutroom.js',
      '--data-dir',
      DATA_DIR,
      'render',
      timelinePath,
      '-o',
      output,
      '--profile',
      'preview_720p',
    ],
    { stdio: 'inherit' },
  );
  if (render.status !== 0) process.exit(render.status ?? 1);

  const info = await probeMedia({ path: output });
  console.log(
    `rendered ${output}: ${(info.duration_ms / 1000).toFixed(3)} s, ${info.video?.width}x${info.video?.height}, ` +
      `audio ${info.audio ? `${info.audio.codec} ${info.audio.sample_rate} Hz` : 'none'}`,
  );

  // Close the loop: the shot detector should find the edit's transitions where the timeline put them.
  console.log('cutroom demo: 5/5 analysing the render: where are its transitions?');
  const check = await createServices({ dataDir: DATA_DIR });
  const rendered = (await check.assets.registerAsset(ctx, { source: { path: output } })).asset;
  const { shotList } = await analyzeVisualMetaForAsset({
    services: check,
    ctx,
    assetId: rendered.id,
    intervalMs: 500,
  });
  const found = JSON.parse(await text((await check.artifacts.artifactContent(ctx, shotList.id)).stream)) as {
    cuts: number[];
    transitions: Array<{ start_frame: number; end_frame: number; kind: string }>;
  };
  const fps = 30;
  for (const cut of found.cuts) console.log(`  hard cut at ${(cut / fps).toFixed(2)} s`);
  for (const t of found.transitions) {
    console.log(
      `  ${t.kind} from ${(t.start_frame / fps).toFixed(2)} s to ${(t.end_frame / fps).toFixed(2)} s`,
    );
  }
  console.log(
    '  (the timeline: picture-in-picture in at 1.0 s and out at 3.0 s, a 1 s crossfade centred on 4.0 s, a 0.8 s wipe centred on 8.0 s)',
  );
  // A key for the Studio on the demo's data (the demo's media is in its bin).
  const studioKey = (await check.tenants.createApiKey({ tenantId: LOCAL_TENANT_ID })).key;
  await check.close();
  console.log('cutroom demo: done. To edit in the Studio (the web editor):');
  console.log(`  node bin/cutroom.js --data-dir ${DATA_DIR} serve --port 8080`);
  console.log(`  then open http://127.0.0.1:8080/ after \`cutroom serve\` and paste the API key ${studioKey} (env dev)`);
}

main().catch((err: unknown) => {
  const e = err as { code?: string; message?: string };
  console.error(`cutroom demo: ${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`);
  process.exit(1);
});
