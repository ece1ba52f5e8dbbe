// Interchange speed: a 2000-clip, 2-track timeline exported to OTIO and imported back (the lossless round trip),
// and exported to MLT, against the baseline of the same timeline as cutroom JSON (stringify + parse + validate),
// measured in the same run. Run: npm run bench -- interchange
import { loadavg } from 'node:os';
import { exportMlt } from '../src/interchange/mlt-export.js';
import { exportOtio, importOtio } from '../src/interchange/otio.js';
import type { MediaRef } from '../src/interchange/types.js';
import { parseTimeline, TimelineSchema } from '../src/timeline/index.js';

const CLIPS = 2000;
const timeline = TimelineSchema.parse({
  tracks: [
    { id: 'v', kind: 'video', clips: Array.from({ length: CLIPS }, (_, i) => ({ id: `c${i}`, asset_id: `a${i % 10}`, start_ms: i * 1000, in_ms: 500, out_ms: 1500 })) },
    { id: 'm', kind: 'audio', clips: Array.from({ length: CLIPS / 10 }, (_, i) => ({ id: `m${i}`, asset_id: 'music', start_ms: i * 10_000, in_ms: 0, out_ms: 10_000 })) },
  ],
});
const media: Record<string, MediaRef> = { music: { url: '/m/music.wav', name: 'music.wav', kind: 'audio', duration_ms: 600_000, has_video: false, has_audio: true } };
for (let i = 0; i < 10; i++) media[`a${i}`] = { url: `/m/a${i}.mp4`, name: `a${i}.mp4`, kind: 'video', duration_ms: 60_000, has_video: true, has_audio: true };

function time(fn: () => void, runs = 5): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const baseline = time(() => parseTimeline(JSON.parse(JSON.stringify(timeline))));
const otio = time(() => {
  const back = importOtio({ text: exportOtio({ timeline, media }).text });
  if (back.timeline.tracks.length !== 2) throw new Error('round trip lost tracks');
});
const mlt = time(() => exportMlt({ timeline, media }));
const load = loadavg()[0]!.toFixed(2);
console.log(`interchange (${CLIPS + CLIPS / 10} clips), median of 5, load average (1 min) ${load}`);
console.log(`  baseline cutroom JSON round trip: ${baseline.toFixed(1)} ms`);
console.log(`  OTIO export + import:             ${otio.toFixed(1)} ms  (${(otio / baseline).toFixed(1)}x baseline)`);
console.log(`  MLT export:                       ${mlt.toFixed(1)} ms  (${(mlt / baseline).toFixed(1)}x baseline)`);
