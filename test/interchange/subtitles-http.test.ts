// Subtitles (SRT, WebVTT) as caption tracks, and the interchange routes: import returns a tenant's project,
// export writes its files; other tenants' projects and assets stay invisible; bad input is coded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isCutroomError } from '../../src/errors.js';
import { parseSubtitles } from '../../src/interchange/subtitles.js';
import { testsrcClip } from '../helpers/media.js';
import { auth, multipartBody, startTestServer, type TestServer } from '../http/helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

test('SRT cues become transcript segments with word times inside each cue; tags removed with a warning', () => {
  const r = parseSubtitles({ text: fixture('interview.srt'), format: 'srt', language: 'en' });
  assert.deepEqual(r.transcript.segments.map((s) => [s.start_ms, s.end_ms, s.text]), [
    [500, 2000, 'Hello and welcome to the show.'],
    [2500, 4250, 'Today we talk about & cutting video.'],
  ]);
  const words = r.transcript.segments[0]!.words;
  assert.equal(words.length, 6);
  assert.equal(words[0]!.start_ms, 500);
  assert.equal(words[5]!.end_ms, 2000);
  for (let i = 1; i < words.length; i++) assert.ok(words[i]!.start_ms >= words[i - 1]!.end_ms - 1);
  assert.deepEqual(r.warnings.map((w) => w.path), ['line 3']);
});

test('WebVTT: header, STYLE and NOTE blocks, cue ids and settings, hours optional', () => {
  const r = parseSubtitles({ text: fixture('interview.vtt'), format: 'vtt' });
  assert.deepEqual(r.transcript.segments.map((s) => [s.start_ms, s.end_ms, s.text]), [
    [500, 2000, 'Hello and welcome'],
    [62000, 64500, 'Second cue'],
  ]);
  assert.deepEqual(r.warnings.map((w) => w.path).sort(), ['line 10', 'line 11', 'line 4']);
});

test('bad cue timing is reported by line number, every bad cue at once', () => {
  const text = '1\n00:00:01,000 --> 00:00:00,500\nbackwards\n\n2\n00:00:02,000 -> 00:00:03,000\narrow\n\n3\n00:00:61,000 --> 00:01:02,000\nseconds\n';
  assert.throws(() => parseSubtitles({ text, format: 'srt' }), (err: unknown) => {
    assert.ok(isCutroomError(err, 'INTERCHANGE_INVALID'));
    assert.deepEqual((err.details.issues as Array<{ line: number }>).map((i) => i.line), [2, 5, 10]);
    return true;
  });
  assert.throws(() => parseSubtitles({ text: '00:00.000 --> 00:01.000\nhi\n', format: 'vtt' }), (err: unknown) => isCutroomError(err, 'INTERCHANGE_PARSE_FAILED') && err.details.line === 1);
});

let s: TestServer;
let assetA: string;
let assetB: string;

before(async () => {
  s = await startTestServer();
  const upload = async (key: string) => {
    const mp = multipartBody({ filename: 'shot 1.mp4', content: readFileSync(await testsrcClip({ durationMs: 2000 })) });
    const res = await s.app.inject({ method: 'POST', url: '/media-v2/assets', headers: { ...auth(key, 'dev'), ...mp.headers }, payload: mp.payload });
    assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
    return res.json().asset.id as string;
  };
  assetA = await upload(s.keyA);
  assetB = await upload(s.keyB);
});
after(() => s.close());

const shotstack = (src: string) => ({
  timeline: { tracks: [{ clips: [{ asset: { type: 'video', src, trim: 0.5 }, start: 0, length: 1 }, { asset: { type: 'video', src }, start: 1, length: 0.5, filter: 'negative' }] }] },
});

function importAs(key: string, format: string, body: object) {
  return s.app.inject({ method: 'POST', url: `/video/interchange/import?format=${format}`, headers: auth(key, 'dev'), payload: body });
}

test('POST /video/interchange/import makes a project of the caller; export writes OTIO, MLT, FCPXML, EDL', async () => {
  const res = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(shotstack('https://x/a.mp4')), assets: { 'https://x/a.mp4': assetA }, name: 'From Shotstack' });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.equal(body.project.name, 'From Shotstack');
  const clips = body.project.document.sequences[0].tracks[0].clips;
  assert.deepEqual(clips.map((c: { asset_id: string; in_ms: number }) => [c.asset_id, c.in_ms]), [[assetA, 500], [assetA, 0]]);
  assert.ok(body.warnings.some((w: { path: string }) => w.path === 'timeline.tracks[0].clips[1].filter'));
  const got = await s.app.inject({ method: 'GET', url: `/video/timeline/projects/${body.project.id}`, headers: auth(s.keyA, 'dev') });
  assert.equal(got.statusCode, 200);

  for (const [format, type, check] of [
    ['otio', 'application/json', /"OTIO_SCHEMA": "Timeline.1"/],
    ['mlt', 'application/xml', /<mlt LC_NUMERIC="C"/],
    ['fcpxml', 'application/xml', /<fcpxml version="1.9">/],
    ['edl', 'text/plain', /^TITLE: From Shotstack\r\nFCM: NON-DROP FRAME/],
  ] as const) {
    const ex = await s.app.inject({ method: 'GET', url: `/video/timeline/projects/${body.project.id}/export?format=${format}&fps=25`, headers: auth(s.keyA, 'dev') });
    assert.equal(ex.statusCode, 200, ex.body);
    assert.ok(String(ex.headers['content-type']).startsWith(type), String(ex.headers['content-type']));
    assert.match(ex.body, check);
    assert.match(String(ex.headers['content-disposition']), new RegExp(`From_Shotstack\\.${format}"`));
    assert.ok(Array.isArray(JSON.parse(String(ex.headers['x-cutroom-warnings']))));
    // Media is named by its original file name (never by a server path) unless asked.
    if (format !== 'edl') assert.ok(ex.body.includes('shot'), format);
    assert.ok(!ex.body.includes(s.dataDir), `${format} leaks the data dir`);
  }
  // The OTIO export imports back to the same sequence.
  const otio = await s.app.inject({ method: 'GET', url: `/video/timeline/projects/${body.project.id}/export?format=otio`, headers: auth(s.keyA, 'dev') });
  const again = await importAs(s.keyA, 'otio', { text: otio.body });
  assert.equal(again.statusCode, 201, again.body);
  assert.equal(JSON.stringify(again.json().project.document.sequences[0].tracks), JSON.stringify(body.project.document.sequences[0].tracks));
});

test('tenants are walls: another tenant cannot map to my asset, read or export my project', async () => {
  const mine = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(shotstack('u')), assets: { u: assetA } });
  assert.equal(mine.statusCode, 201);
  const id = mine.json().project.id;
  const theirs = await importAs(s.keyB, 'shotstack', { text: JSON.stringify(shotstack('u')), assets: { u: assetA } });
  assert.equal(theirs.statusCode, 404);
  assert.equal(theirs.json().error.code, 'ASSET_NOT_FOUND');
  const ex = await s.app.inject({ method: 'GET', url: `/video/timeline/projects/${id}/export?format=otio`, headers: auth(s.keyB, 'dev') });
  assert.equal(ex.statusCode, 404);
  assert.equal(ex.json().error.code, 'PROJECT_NOT_FOUND');
  // Nothing was created for tenant B by the refused import.
  const list = await s.app.inject({ method: 'GET', url: '/video/timeline/projects', headers: auth(s.keyB, 'dev') });
  assert.deepEqual(list.json().items, []);
  const ok = await importAs(s.keyB, 'shotstack', { text: JSON.stringify(shotstack('u')), assets: { u: assetB } });
  assert.equal(ok.statusCode, 201);
});

test('SRT import over HTTP: an asr_transcript artifact and a project with a caption track in the chosen style', async () => {
  const res = await importAs(s.keyA, 'srt', { text: fixture('interview.srt'), style: 'bold_pop', language: 'en' });
  assert.equal(res.statusCode, 201, res.body);
  const { project, transcript_artifact_id: artifactId } = res.json();
  assert.deepEqual(project.document.sequences[0].tracks[0].items[0], { id: 'subtitles', transcript_artifact_id: artifactId, start_ms: 0, style: 'bold_pop' });
  const art = await s.app.inject({ method: 'GET', url: `/media-v2/artifacts/${artifactId}/content`, headers: auth(s.keyA, 'dev') });
  assert.equal(art.statusCode, 200);
  assert.equal(art.json().segments.length, 2);
  const other = await s.app.inject({ method: 'GET', url: `/media-v2/artifacts/${artifactId}`, headers: auth(s.keyB, 'dev') });
  assert.equal(other.statusCode, 404);
  const srt = await s.app.inject({ method: 'GET', url: `/video/captions/${artifactId}/srt`, headers: auth(s.keyA, 'dev') });
  assert.equal(srt.statusCode, 200);
  assert.match(srt.body, /Hello and welcome/);
});

test('bad input over HTTP: unknown format, malformed file, unmapped media, path traversal, huge file, metacharacters', async () => {
  const unknown = await importAs(s.keyA, 'premiere', { text: '{}' });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().error.code, 'INTERCHANGE_FORMAT_UNKNOWN');
  assert.ok(unknown.json().error.details.valid.includes('otio'));
  const noExport = await s.app.inject({ method: 'GET', url: '/video/timeline/projects/p_x/export?format=shotstack', headers: auth(s.keyA, 'dev') });
  assert.equal(noExport.json().error.code, 'INTERCHANGE_FORMAT_UNKNOWN');
  const bad = await importAs(s.keyA, 'mlt', { text: '<mlt><tractor></mlt>' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'INTERCHANGE_PARSE_FAILED');
  const bomb = await importAs(s.keyA, 'mlt', { text: '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><mlt>&lol2;</mlt>' });
  assert.equal(bomb.json().error.code, 'INTERCHANGE_PARSE_FAILED');
  const traversal = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(shotstack('../../etc/passwd')) });
  assert.equal(traversal.statusCode, 422);
  assert.equal(traversal.json().error.code, 'INTERCHANGE_MEDIA_UNMAPPED');
  assert.equal(traversal.json().error.details.issues[0].reference, '../../etc/passwd');
  const badId = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(shotstack('u')), assets: { u: '../../etc/passwd' } });
  assert.equal(badId.statusCode, 400);
  assert.equal(badId.json().error.code, 'VALIDATION_FAILED');
  const huge = await importAs(s.keyA, 'otio', { text: ' '.repeat(9 * 1024 * 1024) });
  assert.equal(huge.statusCode, 413);
  assert.equal(huge.json().error.code, 'INTERCHANGE_TOO_LARGE');
  // Text with ffmpeg/XML metacharacters survives into MLT and FCPXML escaped.
  const title = { timeline: { tracks: [{ clips: [{ asset: { type: 'title', text: "it's 50% [a];b:c=d \\ <x> & \"q\"" }, start: 0, length: 1 }] }, { clips: [{ asset: { type: 'video', src: 'u' }, start: 0, length: 1 }] }] } };
  const t = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(title), assets: { u: assetA } });
  assert.equal(t.statusCode, 201, t.body);
  const mlt = await s.app.inject({ method: 'GET', url: `/video/timeline/projects/${t.json().project.id}/export?format=mlt`, headers: auth(s.keyA, 'dev') });
  assert.match(mlt.body, /it&apos;s 50% \[a\];b:c=d \\ &lt;x&gt; &amp; &quot;q&quot;/);
});

test('/openapi.json lists the interchange routes', async () => {
  const res = await s.app.inject({ method: 'GET', url: '/openapi.json' });
  const paths = res.json().paths;
  assert.ok(paths['/video/interchange/import']?.post);
  assert.ok(paths['/video/timeline/projects/{id}/export']?.get);
});

test('export with media=path is refused unless the operator enables it: server paths stay on the server', async () => {
  const res = await importAs(s.keyA, 'shotstack', { text: JSON.stringify(shotstack('https://x/a.mp4')), assets: { 'https://x/a.mp4': assetA }, name: 'Paths' });
  assert.equal(res.statusCode, 201, res.body);
  const url = `/video/timeline/projects/${res.json().project.id}/export?format=otio&media=path`;
  const refused = await s.app.inject({ method: 'GET', url, headers: auth(s.keyA, 'dev') });
  assert.equal(refused.statusCode, 400, refused.body);
  assert.equal(refused.json().error.code, 'VALIDATION_FAILED');
  assert.equal(refused.json().error.details.issues[0].path, 'media');
  assert.ok(!refused.body.includes(s.dataDir), 'no server path in the refusal');
  process.env.CUTROOM_EXPORT_MEDIA_PATHS = '1';
  try {
    const allowed = await s.app.inject({ method: 'GET', url, headers: auth(s.keyA, 'dev') });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.ok(allowed.body.includes(s.dataDir), 'the operator asked for server paths and gets them');
  } finally {
    delete process.env.CUTROOM_EXPORT_MEDIA_PATHS;
  }
});
