// The whole way as a user, in the system Chromium against a real server: open /, enter the key, upload two
// generated clips, drag them onto the timeline, add a crossfade and a title, play the preview (currentTime
// advances, a sampled frame is not black), render with live progress, download, and probe the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { durationMs, pulsingTone, solidClip, testsrcClip } from '../helpers/media.js';
import { launchBrowser, screenshotOnFailure, signIn, startStudioServer, type Browser, type StudioServer } from './harness.js';

let server: StudioServer;
let browser: Browser;
let clipA: string;
let clipB: string;
let tone: string;

before(async () => {
  [server, browser, clipA, clipB, tone] = await Promise.all([
    startStudioServer(),
    launchBrowser(),
    testsrcClip({ durationMs: 2000, width: 320, height: 240 }),
    solidClip({ color: '#3366CC', durationMs: 2000, width: 320, height: 240 }),
    pulsingTone({ durationMs: 3000 }),
  ]);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const FRAME_MS = 1000 / 30;
const t0 = Date.now();
const log = (what: string) => console.log(`# ${what} at ${Date.now() - t0} ms`);

test('a user uploads, edits, previews, renders and downloads an edit', async (t) => {
  const page = browser.page;
  try {
    await signIn(page, server);

    // Upload both clips through the picker (the streamed multipart route, with XHR progress events).
    await page.getByTestId('file-input').setInputFiles([
      { name: 'a-testsrc.mp4', mimeType: 'video/mp4', buffer: readFileSync(clipA) },
      { name: 'b-blue.mp4', mimeType: 'video/mp4', buffer: readFileSync(clipB) },
      { name: 'c-pulse.wav', mimeType: 'audio/wav', buffer: readFileSync(tone) },
    ]);
    const assetA = page.getByTestId('asset-a-testsrc.mp4');
    const assetB = page.getByTestId('asset-b-blue.mp4');
    const assetC = page.getByTestId('asset-c-pulse.wav');
    await assetA.waitFor();
    await assetB.waitFor();
    await assetC.waitFor();
    const uploads = await page.evaluate(() => window.__studioUploads ?? []);
    for (const name of ['a-testsrc.mp4', 'b-blue.mp4'])
      assert.ok(uploads.some((u) => u.name === name && u.fraction === 1), `a progress event reached 100% for ${name}`);
    assert.match((await assetA.textContent()) ?? '', /video\s*0:02/);

    // The bin re-sorts as uploads finish (in any order): wait until its order holds still before dragging, or
    // a drag can pick up the neighbour that just moved under the pointer.
    const binOrder = () =>
      page.locator('[data-testid^="asset-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')).join());
    // Finished upload rows above the bin fade out after 1.5 s and the bin moves up under the pointer: wait for
    // them to go and for the bin's order and position to hold still.
    const binLayout = async () => `${await binOrder()}@${JSON.stringify(await assetB.boundingBox())}`;
    await waitFor(async () => {
      if ((await page.getByTestId('upload-row').count()) > 0) return false;
      const before = await binLayout();
      await page.waitForTimeout(400);
      return before === (await binLayout());
    });

    // Drag A to the start of Video 1, B just after A's end: snapping butt-joins them at 2 000 ms.
    const row = page.getByTestId('row-V1');
    await assetA.dragTo(row, { targetPosition: { x: 2, y: 20 } });
    await page.locator('[data-testid^="clip-"][data-track-id="V1"]').first().waitFor();
    await assetB.dragTo(row, { targetPosition: { x: 60 * 2 + 5, y: 20 } });
    const clips = page.locator('[data-track-id="V1"][data-clip-id]');
    await waitFor(async () => (await clips.count()) === 2);
    await waitSaved();
    const doc = await storedSequence();
    const v1 = doc.tracks.find((x: { id: string }) => x.id === 'V1');
    assert.deepEqual(
      v1.clips.map((c: { start_ms: number }) => c.start_ms),
      [0, 2000],
      'the second clip snapped to the end of the first',
    );
    // Each drag placed the asset that was dragged (A, then B), not a neighbour in the bin.
    assert.deepEqual(
      v1.clips.map((c: { asset_id: string }) => c.asset_id),
      [await assetA.getAttribute('data-asset-id'), await assetB.getAttribute('data-asset-id')],
    );

    // The tone under them on Audio 1 (3 s: the edit stays 4 s long).
    await assetC.dragTo(page.getByTestId('row-A1'), { targetPosition: { x: 2, y: 20 } });
    await page.locator('[data-track-id="A1"][data-clip-id]').waitFor();

    // Clips show their pictures and sound: sprite tiles (CSS backgrounds on a blob: URL the browser decoded),
    // the bin's thumbnails from the same sprite, and drawn waveform peaks.
    await assertFilmstrip(page.locator('[data-track-id="V1"][data-clip-id]').first());
    await assertFilmstrip(page.locator('[data-track-id="V1"][data-clip-id]').nth(1));
    for (const asset of [assetA, assetB]) {
      const thumb = asset.locator('[data-testid^="thumb-"]');
      await thumb.waitFor();
      assert.match(await thumb.evaluate((el) => getComputedStyle(el).backgroundImage), /^url\("blob:/);
    }
    assert.equal(await assetC.locator('[data-testid^="thumb-"]').count(), 0, 'audio keeps its glyph');
    const peaks = page.locator('[data-track-id="A1"][data-clip-id] [data-testid="waveform"]');
    await peaks.waitFor();
    const inked = await peaks.evaluate((c: HTMLCanvasElement) => {
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
      return n / (c.width * c.height);
    });
    // A pulsing tone fills a good part of the box but not all of it (silence between beats draws a thin line).
    assert.ok(inked > 0.1 && inked < 0.9, `the waveform canvas is partly inked (${(inked * 100).toFixed(0)}%)`);

    // A crossfade from the catalog, dropped on the cut between them.
    await page.getByTestId('tab-transitions').click();
    const cut = page.locator('[data-testid^="cut-V1-"]');
    // force: the cut marker takes pointer events only once the drag has started (Playwright checks before).
    await page.getByTestId('transition-crossfade').dragTo(cut.first(), { force: true });
    await page.locator('.cut-zone.has-transition').waitFor();

    // A title at the playhead.
    await page.getByTestId('tab-titles').click();
    await page.getByTestId('title-text').fill('Hello from the Studio');
    await page.getByTestId('add-title').click();
    await page.locator('[data-track-id="T1"][data-clip-id]').waitFor();

    await waitSaved();
    const saved = await storedSequence();
    const tr = saved.tracks.find((x: { id: string }) => x.id === 'V1').transitions;
    assert.equal(tr.length, 1);
    assert.equal(tr[0].type, 'crossfade');
    assert.equal(saved.tracks.find((x: { id: string }) => x.id === 'T1').items[0].text, 'Hello from the Studio');

    log('edited');
    // Preview: the <video> plays (currentTime advances) and shows a picture, not black.
    const video = page.getByTestId('preview-video');
    await video.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => window.__studioPreview?.ready === true, null, { timeout: 60_000 });
    log('preview ready');
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]');
        return v !== null && v.currentTime > 0.5;
      },
      null,
      { timeout: 20_000 },
    );
    const luma = await page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]')!;
      const c = document.createElement('canvas');
      c.width = 64;
      c.height = 36;
      const g = c.getContext('2d')!;
      g.drawImage(v, 0, 0, c.width, c.height);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
      return sum / (px.length / 4);
    });
    assert.ok(luma > 20, `the sampled preview frame is not black (mean luma ${luma.toFixed(1)})`);
    await page.getByTestId('play').click();

    // Render with live progress, then download.
    await page.getByTestId('tab-render').click();
    await page.getByTestId('render-profile').selectOption('draft_360p');
    await page.getByTestId('render-start').click();
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const state = await page.getByTestId('render-state').textContent().catch(() => null);
        const pct = await page.getByTestId('render-progress').textContent().catch(() => null);
        if (pct) seen.add(pct);
        return state === 'completed';
      },
      120_000,
      100,
    );
    assert.ok(seen.has('100%'), `the progress reached 100% (saw ${[...seen].join(', ')})`);
    await page.getByTestId('past-renders').getByText('completed').first().waitFor();
    log('rendered');

    // The screenshot for the README: the edit on the timeline, a clip in the inspector.
    await page.locator('[data-track-id="V1"][data-clip-id]').first().click();
    await page.getByTestId('tab-inspector').click();
    // The render is an asset too, but it belongs to the past renders, not the media bin.
    const binRefreshed = page.waitForResponse((r) => /\/media-v2\/assets\?.*origin=render/.test(r.url()));
    await page.getByTestId('tab-media').click();
    await binRefreshed;
    const renders = await server.app.inject({
      method: 'GET',
      url: '/media-v2/assets?origin=render',
      headers: { authorization: `Bearer ${server.key}`, 'x-env': 'dev' },
    });
    const renderIds = renders.json().items.map((a: { id: string }) => a.id) as string[];
    assert.equal(renderIds.length, 1, 'the render registered its output as an asset');
    await page.locator('li[data-asset-id]').first().waitFor();
    const binIds = await page.locator('li[data-asset-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-asset-id')));
    assert.equal(binIds.length, 3, `the bin holds the three uploads only (${binIds.join()})`);
    assert.ok(!binIds.includes(renderIds[0]!), 'the render output is not in the media bin');
    await page.getByTestId('zoom-fit').click();
    // Every run keeps its screenshot in the gitignored folder; the README's copy is refreshed only on request
    // (CUTROOM_UPDATE_SCREENSHOT=1), so a test run never dirties the checkout.
    await page.screenshot({
      path: resolve(process.env.CUTROOM_UPDATE_SCREENSHOT === '1' ? 'docs/studio.png' : 'test/studio/screenshots/studio.png'),
    });
    await page.getByTestId('tab-render').click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('render-download').click()]);
    const file = join(browser.downloads, 'edit.mp4');
    await download.saveAs(file);
    const got = await durationMs(file, 'video');
    assert.ok(Math.abs(got - 4000) <= FRAME_MS, `downloaded render is 4000 ms ± 1 frame, got ${got}`);
  } catch (err) {
    await screenshotOnFailure(page, t.name.replace(/\W+/g, '_'));
    throw err;
  }
});

/** The clip's filmstrip has frames whose background is the sprite, and that sprite decodes to pixels. */
async function assertFilmstrip(clip: import('playwright-core').Locator): Promise<void> {
  const frame = clip.locator('[data-testid="filmstrip"] .frame').first();
  await frame.waitFor();
  const bg = await frame.evaluate((el) => getComputedStyle(el).backgroundImage);
  const url = /^url\("(blob:[^"]+)"\)$/.exec(bg)?.[1];
  assert.ok(url, `the filmstrip frame's background is a blob: URL (got ${bg})`);
  const natural = await frame.evaluate(async (_el, src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return { w: img.naturalWidth, h: img.naturalHeight };
  }, url);
  assert.ok(natural.w > 0 && natural.h > 0, `the sprite decodes (${natural.w}x${natural.h})`);
}

async function waitSaved(): Promise<void> {
  await waitFor(async () => ((await browser.page.getByTestId('save-status').textContent()) ?? '').startsWith('Saved'));
}

async function storedSequence() {
  const list = await server.app.inject({
    method: 'GET',
    url: '/video/timeline/projects',
    headers: { authorization: `Bearer ${server.key}`, 'x-env': 'dev' },
  });
  const id = list.json().items[0].id as string;
  const res = await server.app.inject({
    method: 'GET',
    url: `/video/timeline/projects/${id}`,
    headers: { authorization: `Bearer ${server.key}`, 'x-env': 'dev' },
  });
  return res.json().document.sequences[0];
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

