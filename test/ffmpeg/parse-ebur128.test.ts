import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEbur128Summary } from '../../src/ffmpeg/parse-ebur128.js';
import { runFfmpeg } from '../../src/ffmpeg/run.js';

// Captured from ffmpeg 5.1 (`-af ebur128=framelog=verbose -f null -`), as StderrTail keeps it (no blank lines).
const CAPTURED = `size=N/A time=00:00:02.00 bitrate=N/A speed= 578x
video:0kB audio:188kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: unknown
[Parsed_ebur128_0 @ 0x558b6aca7500] Summary:
  Integrated loudness:
    I:         -21.8 LUFS
    Threshold: -31.8 LUFS
  Loudness range:
    LRA:         0.0 LU
    Threshold:   0.0 LUFS
    LRA low:     0.0 LUFS
    LRA high:    0.0 LUFS`;

test('parseEbur128Summary reads the integrated loudness of the summary', () => {
  assert.deepEqual(parseEbur128Summary(CAPTURED), { integrated_lufs: -21.8, silent: false });
});

test('parseEbur128Summary: -70 LUFS (nothing above the gate) is silent; no summary is null', () => {
  const silent = CAPTURED.replace('-21.8 LUFS', '-70.0 LUFS');
  assert.deepEqual(parseEbur128Summary(silent), { integrated_lufs: -70, silent: true });
  assert.equal(parseEbur128Summary('[Parsed_ebur128_0 @ 0x1] t: 0.1 TARGET:-23 LUFS M:-120.7'), null);
  assert.equal(parseEbur128Summary(''), null);
});

test('parseEbur128Summary reads what ffmpeg prints: a louder tone measures ~6 LU louder', async () => {
  const measure = async (volume: number) => {
    const r = await runFfmpeg({
      args: [
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:sample_rate=48000:duration=2,volume=${volume}`,
        '-af',
        'ebur128=framelog=verbose',
        '-f',
        'null',
        '-',
      ],
      stage: 'plan',
    });
    const s = parseEbur128Summary(r.stderrTail);
    assert.ok(s, r.stderrTail);
    return s.integrated_lufs;
  };
  const quiet = await measure(0.25);
  const loud = await measure(0.5);
  assert.ok(Math.abs(loud - quiet - 6.02) < 0.3, `${quiet} -> ${loud}`);
});
