import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readArtifactJson } from '../../../src/engines/autocut/index.js';
import type { AudioSemanticTimeline } from '../../../src/engines/audio-semantic/index.js';
import { highlightsForAsset } from '../../../src/engines/highlights/index.js';
import { renderToFile } from '../../../src/render/index.js';
import { durationMs } from '../../helpers/media.js';
import { makeServices } from '../../media/setup.js';
import { conversationCameras, SWITCH_MS } from '../autocut/cameras.js';
import { speechAvailable } from '../multicam/speech-media.js';

test(
  'highlights of a real speech recording: phrase edges, the loud half, cached, renderable',
  { skip: !speechAvailable() },
  async () => {
    const services = await makeServices();
    try {
      const ctx = await services.tenant();
      const { a } = await conversationCameras(); // 9 s of speech, 14 dB louder before SWITCH_MS
      const asset = (await services.assets.registerAsset(ctx, { source: { path: a } })).asset;
      const input = {
        asset_id: asset.id,
        target_duration_ms: 3000,
        min_ms: 800,
        max_ms: 3000,
        faces: 'none' as const,
      };
      const r = await highlightsForAsset(services, ctx, input);
      assert.equal(r.cached, false);
      assert.equal(r.artifact.kind, 'highlights');
      const { ranges, total_ms } = r.highlights;
      assert.ok(ranges.length > 0 && total_ms <= 3000, JSON.stringify(ranges));
      const audioId = r.artifact.meta.inputs_used as Record<string, string>;
      const audio = (
        await readArtifactJson<AudioSemanticTimeline>({
          artifacts: services.artifacts,
          ctx,
          artifact: audioId.audio_semantic_timeline!,
          kind: 'audio_semantic_timeline',
          path: 'x',
        })
      ).value;
      const edges = new Set(
        audio.windows.filter((w) => w.kind === 'speech').flatMap((w) => [w.start_ms, w.end_ms]),
      );
      const momentary = (t: number) => audio.loudness.find((p) => p.t_ms >= t + 200)?.momentary_lufs ?? -70;
      for (const x of ranges) {
        for (const edge of [x.start_ms, x.end_ms]) {
          if (edges.has(edge)) continue;
          // Inside a window longer than max_ms: a split where it is quieter than the window around it.
          const w = audio.windows.find((v) => v.start_ms < edge && edge < v.end_ms)!;
          assert.ok(
            w.end_ms - w.start_ms > 3000,
            `edge ${edge} splits a window of ${w.end_ms - w.start_ms} ms`,
          );
          const around = [-600, -300, 300, 600].map((d) => momentary(edge + d));
          assert.ok(momentary(edge) <= Math.max(...around), `edge ${edge} at a quiet moment`);
        }
        // The loud half wins.
        assert.ok(x.start_ms < SWITCH_MS, `range ${x.start_ms}-${x.end_ms} in the loud half`);
      }
      const again = await highlightsForAsset(services, ctx, input);
      assert.equal(again.cached, true);
      assert.equal(again.artifact.id, r.artifact.id);
      assert.deepEqual(again.highlights.ranges, ranges);
      const other = await highlightsForAsset(services, ctx, { ...input, target_duration_ms: 6000 });
      assert.notEqual(other.artifact.id, r.artifact.id);
      // Another tenant cannot use the asset.
      const intruder = await services.tenant();
      await assert.rejects(highlightsForAsset(services, intruder, input), { code: 'ASSET_NOT_FOUND' });

      const out = join(services.dataDir, 'hl.mp4');
      await renderToFile({ services, ctx, timeline: r.timeline, profile: 'draft_360p', output: out });
      assert.ok(Math.abs((await durationMs(out)) - total_ms) <= 70);
      await rm(out, { force: true });
    } finally {
      await services.dispose();
    }
  },
);
