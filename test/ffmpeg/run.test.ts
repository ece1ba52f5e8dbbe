// runFfmpeg: progress, cancel (process killed, partial output deleted), failures carry stage and stderr tail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCutroomError } from '../../src/errors.js';
import { runFfmpeg, type FfmpegProgress } from '../../src/ffmpeg/index.js';
import { durationMs, frameCount } from '../helpers/media.js';
import { childPids, procAvailable, waitNoChildren } from '../helpers/process-tree.js';

function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cutroom-run-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('progress fractions increase and end at 1; output is what was asked', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'out.mp4');
    const seen: FfmpegProgress[] = [];
    // -re paces the input at real time and -stats_period makes progress blocks frequent, so several arrive.
    const result = await runFfmpeg({
      args: [
        '-stats_period',
        '0.1',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=160x120:r=25:d=1.6',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-threads',
        '1',
        '-pix_fmt',
        'yuv420p',
      ],
      output: out,
      durationMs: 1600,
      stage: 'encode',
      onProgress: (p) => seen.push(p),
    });
    assert.ok(seen.length >= 3, `only ${seen.length} progress events`);
    for (let i = 1; i < seen.length; i += 1) assert.ok(seen[i]!.fraction >= seen[i - 1]!.fraction);
    assert.ok(
      seen.some((p) => p.fraction > 0 && p.fraction < 1),
      'an intermediate fraction',
    );
    assert.equal(seen.at(-1)!.fraction, 1);
    assert.equal(seen.at(-1)!.etaMs, 0);
    assert.ok(seen.at(-1)!.outTimeMs > 1000);
    assert.ok(result.elapsedMs > 0);
    assert.equal(await durationMs(out, 'video'), 1600);
    assert.equal(await frameCount(out), 40);
  } finally {
    cleanup();
  }
});

test('abort kills ffmpeg, deletes the partial output and rejects RENDER_CANCELLED', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'long.mp4');
    const ac = new AbortController();
    let abortedAt = 0;
    const run = runFfmpeg({
      args: [
        '-stats_period',
        '0.1',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=160x120:r=25:d=60',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-threads',
        '1',
      ],
      output: out,
      durationMs: 60_000,
      stage: 'encode',
      context: { job_id: 'j-test' },
      signal: ac.signal,
      onProgress: (p) => {
        if (p.outTimeMs > 300 && abortedAt === 0) {
          assert.ok(existsSync(out), 'partial output exists before the abort');
          if (procAvailable()) assert.ok(childPids('ffmpeg').length >= 1);
          abortedAt = Date.now();
          ac.abort();
        }
      },
    });
    await assert.rejects(run, (err: unknown) => {
      assert.ok(isCutroomError(err, 'RENDER_CANCELLED'), String(err));
      assert.equal(err.details.stage, 'encode');
      assert.deepEqual(err.details.context, { job_id: 'j-test' });
      return true;
    });
    assert.ok(abortedAt > 0);
    assert.ok(Date.now() - abortedAt < 10_000, 'cancel is not waiting for the encode to finish');
    assert.equal(existsSync(out), false, 'partial output deleted');
    if (procAvailable()) assert.deepEqual(await waitNoChildren('ffmpeg', 1000), []);
  } finally {
    cleanup();
  }
});

test('failing args -> RENDER_FAILED with stage, context, exit code and ffmpeg stderr tail', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'x.mp4');
    await assert.rejects(
      runFfmpeg({
        args: ['-f', 'lavfi', '-i', 'nosuchsource=d=1'],
        output: out,
        stage: 'encode',
        context: { chunk: 3 },
      }),
      (err: unknown) => {
        assert.ok(isCutroomError(err, 'RENDER_FAILED'), String(err));
        assert.equal(err.details.stage, 'encode');
        assert.deepEqual(err.details.context, { chunk: 3 });
        assert.notEqual(err.details.exit_code, 0);
        assert.match(String(err.details.stderr_tail), /nosuchsource|No such filter/);
        assert.match(err.message, /during encode/);
        return true;
      },
    );
    assert.equal(existsSync(out), false);
  } finally {
    cleanup();
  }
});

test('timeout -> RENDER_FAILED with timed_out and no output left', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, 'slow.mp4');
    await assert.rejects(
      runFfmpeg({
        args: [
          '-re',
          '-f',
          'lavfi',
          '-i',
          'testsrc2=s=64x48:r=10:d=30',
          '-c:v',
          'libx264',
          '-preset',
          'ultrafast',
        ],
        output: out,
        stage: 'encode',
        timeoutMs: 500,
      }),
      (err: unknown) => isCutroomError(err, 'RENDER_FAILED') && err.details.timed_out === true,
    );
    assert.equal(existsSync(out), false);
  } finally {
    cleanup();
  }
});

test('stderr tail stays bounded on a chatty run', async () => {
  // 300 frames of showinfo at info level: hundreds of stderr lines; only the last 40 are kept.
  const r = await runFfmpeg({
    args: [
      '-loglevel',
      'info',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=32x24:r=100:d=3',
      '-vf',
      'showinfo',
      '-f',
      'null',
      '-',
    ],
    stage: 'encode',
  });
  const lines = r.stderrTail.split('\n');
  assert.ok(lines.length <= 40, `${lines.length} lines`);
  assert.ok(
    lines.some((l) => /n:\s*29\d/.test(l)),
    'the tail holds the last frames',
  );
});

test('missing ffmpeg -> FFMPEG_NOT_FOUND (rejects, does not throw)', async () => {
  const saved = process.env.CUTROOM_FFMPEG;
  process.env.CUTROOM_FFMPEG = '/nonexistent/bin/ffmpeg';
  try {
    const p = runFfmpeg({ args: ['-version'], stage: 'encode' });
    await assert.rejects(
      p,
      (err: unknown) => isCutroomError(err, 'FFMPEG_NOT_FOUND') && /apt-get install/.test(err.message),
    );
  } finally {
    if (saved === undefined) delete process.env.CUTROOM_FFMPEG;
    else process.env.CUTROOM_FFMPEG = saved;
  }
});

test('nicer: the ffmpeg process runs that many steps nicer than this process', { skip: !procAvailable() }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const seen: number[] = [];
    const ac = new AbortController();
    // Relative to our own niceness (a test run may itself be niced).
    const want = Math.min(19, getPriority() + 5);
    const run = runFfmpeg({
      args: ['-stats_period', '0.1', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=30', '-c:v', 'libx264', '-preset', 'ultrafast', '-threads', '1'],
      output: join(dir, 'nice.mp4'),
      durationMs: 30_000,
      stage: 'encode',
      nicer: 5,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.outTimeMs > 200 && seen.length === 0) {
          // /proc/<pid>/stat: the 19th field is the nice value (after the parenthesised command name).
          for (const pid of childPids('ffmpeg')) {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            seen.push(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
          }
          ac.abort();
        }
      },
    });
    await assert.rejects(run, (err: unknown) => isCutroomError(err, 'RENDER_CANCELLED'));
    assert.ok(seen.length >= 1, 'the ffmpeg child was seen');
    assert.ok(seen.length >= 1 && seen.every((n) => n === want), `nice values ${seen.join()}, want ${want}`);
  } finally {
    cleanup();
  }
});
