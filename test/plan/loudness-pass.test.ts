// compile({ loudness_pass: 'measure' }): the render's own audio mix, unnormalised, into an ebur128 meter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCutroomError } from '../../src/errors.js';
import { compile } from '../../src/plan/compile.js';
import type { CompileInput } from '../../src/plan/types.js';
import { TimelineSchema } from '../../src/timeline/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function fixture(): CompileInput {
  const raw = JSON.parse(readFileSync(join(DIR, 'loudness-measure.json'), 'utf8')) as CompileInput;
  return { ...raw, timeline: TimelineSchema.parse(raw.timeline), loudness_pass: undefined };
}

test('the measurement pass meters exactly the mix the measured render applies its gain to', () => {
  const input = fixture();
  const measure = compile({ ...input, loudness_pass: 'measure' });
  const render = compile({ ...input, streams: 'audio', loudness_measurement: { integrated_lufs: -20 } });
  assert.equal(render.meta.loudness_mode, 'measured');
  // Same graph once the render's gain + limiter and the meter are taken out.
  const strip = (g: string) =>
    g.replace(/volume=[-\d.]+dB,alimiter=[^,]*,/, '').replace(/,ebur128=framelog=verbose/, '');
  assert.equal(strip(measure.filtergraph), strip(render.filtergraph));
  assert.ok(measure.filtergraph.endsWith('ebur128=framelog=verbose[aout]'));
  assert.ok(!/loudnorm|volume=|alimiter/.test(measure.filtergraph));
  // Audio only: no picture is decoded, and nothing is written.
  assert.equal(measure.args.filter((a) => a === '-vn').length, measure.inputs.length + 1);
  assert.deepEqual(measure.args.slice(-3), ['-f', 'null', '-']);
  assert.ok(!measure.args.includes('-c:a'));
  assert.equal(measure.meta.loudness_pass, 'measure');
  assert.equal(measure.meta.loudness_mode, 'none');
  // A measurement in the input does not change the measurement pass.
  assert.equal(
    compile({ ...input, loudness_pass: 'measure', loudness_measurement: { integrated_lufs: -20 } })
      .filtergraph,
    measure.filtergraph,
  );
});

test('a measurement pass of a video-only plan is INVALID_PARAM', () => {
  assert.throws(
    () => compile({ ...fixture(), loudness_pass: 'measure', streams: 'video' }),
    (err: unknown) => isCutroomError(err, 'INVALID_PARAM') && /streams/.test((err as Error).message),
  );
});
