// cutroom keys / assets / serve against a temp data dir.
import { after, before, test } from 'node:test';
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../src/media/services.js';
import { testsrcClip, textRenamedMp4 } from '../helpers/media.js';
import { cutroomIn, type Run } from './run-cli.js';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutroom-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cutroom = (args: string[]): Run => cutroomIn(dir, args);

test('keys create / list / revoke round trip; the printed key resolves until revoked', async () => {
  const dataDir = join(dir, 'keys');
  const created = cutroom([
    '--data-dir',
    dataDir,
    'keys',
    'create',
    '--tenant',
    'acme',
    '--env',
    'prod',
    '--label',
    'ci',
    '--json',
  ]);
  assert.equal(created.status, 0, created.stderr);
  const { key, info } = JSON.parse(created.stdout);
  assert.match(key, /^cr_[A-Za-z0-9_-]{43}$/);
  assert.equal(info.tenant_id, 'acme');
  assert.deepEqual(info.envs, ['prod']);

  const plain = cutroom(['keys', 'create', '--tenant', 'acme', '--data-dir', dataDir]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.match(plain.stdout.trim(), /^cr_[A-Za-z0-9_-]{43}$/, 'human output: just the key on stdout');

  const list = cutroom(['--data-dir', dataDir, 'keys', 'list', '--tenant', 'acme', '--json']);
  const keys = JSON.parse(list.stdout) as Array<{ id: string; revoked_at: string | null }>;
  assert.equal(keys.length, 2);
  assert.ok(keys.some((k) => k.id === info.id));
  assert.ok(!list.stdout.includes(key), 'secrets are never listed');

  const services = await createServices({ dataDir });
  try {
    assert.equal((await services.tenants.resolveApiKey(key))?.tenantId, 'acme');
    const revoke = cutroom(['--data-dir', dataDir, 'keys', 'revoke', info.id]);
    assert.equal(revoke.status, 0, revoke.stderr);
    assert.match(revoke.stdout, /revoked/);
    assert.equal(await services.tenants.resolveApiKey(key), null);
  } finally {
    await services.close();
  }
  const listed = cutroom(['--data-dir', dataDir, 'keys', 'list', '--tenant', 'acme']);
  assert.match(listed.stdout, new RegExp(`${info.id}.*revoked`));

  const missing = cutroom(['--data-dir', dataDir, 'keys', 'revoke', 'key_doesnotexist']);
  assert.equal(missing.status, 1);
  assert.equal(missing.errLines.length, 1);
  assert.match(missing.errLines[0]!, /^cutroom: KEY_NOT_FOUND: /);
});

test('assets add / ls on a temp data dir, per env; refused media is one coded line', async () => {
  const dataDir = join(dir, 'assets');
  const clip = await testsrcClip({ durationMs: 1000, width: 320, height: 240 });
  const added = cutroom(['--data-dir', dataDir, 'assets', 'add', clip, '--json']);
  assert.equal(added.status, 0, added.stderr);
  const { asset } = JSON.parse(added.stdout);
  assert.equal(asset.kind, 'video');
  assert.equal(asset.tenant_id, 'local');
  assert.equal(asset.env, 'dev');
  assert.equal(asset.media_info.duration_ms, 1000);

  const ls = cutroom(['--data-dir', dataDir, 'assets', 'ls', '--json']);
  assert.deepEqual(
    JSON.parse(ls.stdout).items.map((a: { id: string }) => a.id),
    [asset.id],
  );
  const human = cutroom(['--data-dir', dataDir, 'assets', 'ls']);
  assert.match(human.stdout, new RegExp(`${asset.id}\\s+video 320x240\\s+1\\.000 s`));

  const prod = cutroom(['--data-dir', dataDir, '--env', 'prod', 'assets', 'ls', '--json']);
  assert.deepEqual(JSON.parse(prod.stdout).items, []);

  const again = cutroom(['--data-dir', dataDir, 'assets', 'add', clip]);
  assert.match(again.stdout, /^already registered: /);

  const text = cutroom(['--data-dir', dataDir, 'assets', 'add', await textRenamedMp4()]);
  assert.equal(text.status, 1);
  assert.equal(text.errLines.length, 1);
  assert.match(text.errLines[0]!, /^cutroom: UNSUPPORTED_MEDIA: /);

  const badEnv = cutroom(['--data-dir', dataDir, '--env', 'staging', 'assets', 'ls']);
  assert.equal(badEnv.status, 1);
  assert.match(badEnv.errLines[0]!, /^cutroom: ENV_NOT_ALLOWED: /);
});

test('serve: first run prints the local key once; the API answers with it; second run prints none', async () => {
  const dataDir = join(dir, 'serve');
  const runServe = async (): Promise<{
    stdout: string;
    address: string;
    stop: () => Promise<number | null>;
  }> => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, 'serve', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stdout}`)), 60_000);
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        const m = /listening on (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
    });
    return {
      stdout,
      address,
      stop: () =>
        new Promise((resolve) => {
          child.on('exit', (code) => resolve(code));
          child.kill('SIGTERM');
        }),
    };
  };

  const first = await runServe();
  try {
    const key = /(cr_[A-Za-z0-9_-]{43})/.exec(first.stdout)?.[1];
    assert.ok(key, first.stdout);
    const health = await fetch(`${first.address}/healthz`);
    assert.equal(health.status, 200);
    const anon = await fetch(`${first.address}/media-v2/assets`);
    assert.equal(anon.status, 401);
    const list = await fetch(`${first.address}/media-v2/assets`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { items: [], next_cursor: null });
  } finally {
    assert.equal(await first.stop(), 0);
  }
  const second = await runServe();
  try {
    assert.doesNotMatch(second.stdout, /cr_[A-Za-z0-9_-]{43}/, 'the key is printed only on first run');
  } finally {
    assert.equal(await second.stop(), 0);
  }
});
