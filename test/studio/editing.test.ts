// Editing in the real browser: sign-in errors (401/403), a refused upload, split / undo / redo / ripple delete
// and trim from the keyboard and the mouse, an invalid inspector value, and a save conflict with another tab.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { colourStepsClip, solidClip } from '../helpers/media.js';
import type { Locator, Route } from 'playwright-core';
import { launchBrowser, SCREENSHOT_DIR, screenshotOnFailure, signIn, startStudioServer, type Browser, type StudioServer } from './harness.js';

let server: StudioServer;
let browser: Browser;
const ctx = { tenantId: 'ta', env: 'dev', requestId: 'req_studio_test' };

before(async () => {
  const [s, b, clip] = await Promise.all([
    startStudioServer({ queue: false }),
    launchBrowser(),
    solidClip({ color: '#CC3344', durationMs: 3000 }),
  ]);
  server = s;
  browser = b;
  await server.services.assets.registerAsset(ctx, { source: { path: clip }, maxBytes: 1e9 });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const headers = () => ({ authorization: `Bearer ${server.key}`, 'x-env': 'dev' });

async function project(): Promise<{ id: string; version: number; document: { sequences: Array<{ tracks: Array<Record<string, unknown>> }> } }> {
  const list = await server.app.inject({ method: 'GET', url: '/video/timeline/projects', headers: headers() });
  const id = list.json().items[0].id as string;
  return (await server.app.inject({ method: 'GET', url: `/video/timeline/projects/${id}`, headers: headers() })).json();
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const saved = () =>
  waitFor(async () => ((await browser.page.getByTestId('save-status').textContent()) ?? '').startsWith('Saved'));
const v1Clips = () => browser.page.locator('[data-track-id="V1"][data-clip-id]');

/**
 * Drag an asset from the bin once the bin holds still: finished upload rows above it fade out and move it up under
 * the pointer (the journey test's CI flake), so wait for them to go and for the asset's box to stop moving.
 */
async function dragFromBin(asset: Locator, target: Locator, position: { x: number; y: number }): Promise<void> {
  const page = browser.page;
  await asset.waitFor();
  await waitFor(async () => {
    if ((await page.getByTestId('upload-row').count()) > 0) return false;
    const before = JSON.stringify(await asset.boundingBox());
    await page.waitForTimeout(300);
    return before === JSON.stringify(await asset.boundingBox());
  });
  await asset.dragTo(target, { targetPosition: position });
}

function guard(name: string, body: () => Promise<void>) {
  return async () => {
    try {
      await body();
    } catch (err) {
      await screenshotOnFailure(browser.page, name);
      throw err;
    }
  };
}

test(
  'sign-in shows the server message for an unknown key (401) and a forbidden env (403)',
  guard('signin', async () => {
    const page = browser.page;
    await page.goto(`${server.url}/`);
    await page.getByTestId('api-key').fill('cr_not_a_real_key');
    await page.getByTestId('signin-submit').click();
    const err = page.getByTestId('signin-error');
    await err.waitFor();
    assert.match((await err.textContent()) ?? '', /Not signed in: the API key is unknown or revoked/);

    await page.getByTestId('api-key').fill(server.keyDevOnly);
    await page.getByTestId('env').fill('prod');
    await page.getByTestId('signin-submit').click();
    await waitFor(async () => /may not act in env "prod"/.test((await err.textContent()) ?? ''));
    assert.match((await err.textContent()) ?? '', /Allowed envs: dev/);
  }),
);

test(
  'a refused upload shows the server error and adds nothing',
  guard('refused-upload', async () => {
    const page = browser.page;
    await signIn(page, server);
    await page.getByTestId('asset-solid.mp4').or(page.locator('[data-asset-id]').first()).first().waitFor();
    const before = await page.locator('[data-asset-id]').count();
    const fake = join(browser.downloads, 'notes.mp4');
    writeFileSync(fake, 'these are my notes, not a video\n'.repeat(50));
    await page.getByTestId('file-input').setInputFiles(fake);
    const error = page.getByTestId('upload-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    assert.match(text, /\((UNSUPPORTED_MEDIA|MEDIA_CORRUPT)\)$/, `the server's code is shown: ${text}`);
    assert.equal(await page.locator('[data-asset-id]').count(), before, 'nothing was added to the bin');
    const list = await server.app.inject({ method: 'GET', url: '/media-v2/assets', headers: headers() });
    assert.equal(list.json().items.length, 1, 'and nothing was registered');
  }),
);

test(
  'split at the playhead, undo, redo, trim by the edge and ripple delete; every step autosaves',
  guard('editing', async () => {
    const page = browser.page;
    await signIn(page, server);
    const asset = page.locator('[data-asset-id]').first();
    await dragFromBin(asset, page.getByTestId('row-V1'), { x: 1, y: 20 });
    await v1Clips().first().waitFor();

    // Playhead to 1 s (60 px per second) by clicking the ruler, then S.
    const ruler = page.getByTestId('ruler');
    await ruler.click({ position: { x: 60, y: 10 } });
    await page.keyboard.press('s');
    await waitFor(async () => (await v1Clips().count()) === 2);
    await saved();
    let clips = (await project()).document.sequences[0]!.tracks.find((t) => t.id === 'V1')!.clips as Array<Record<string, number>>;
    assert.deepEqual(
      clips.map((c) => [c.start_ms, c.in_ms, c.out_ms]),
      [
        [0, 0, 1000],
        [1000, 1000, undefined],
      ],
    );

    await page.keyboard.press('Control+z');
    await waitFor(async () => (await v1Clips().count()) === 1);
    await page.keyboard.press('Shift+Z');
    await waitFor(async () => (await v1Clips().count()) === 2);

    // Trim the second clip's end 30 px (500 ms) to the left by its edge.
    const second = v1Clips().nth(1);
    const box = (await second.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 17, box.y + box.height / 2, { steps: 3 });
    await page.mouse.move(box.x + box.width - 32, box.y + box.height / 2, { steps: 3 });
    await page.mouse.up();
    await saved();
    clips = (await project()).document.sequences[0]!.tracks.find((t) => t.id === 'V1')!.clips as Array<Record<string, number>>;
    assert.equal(clips[1]!.out_ms, 2500, 'the end edge moved by 30 px = 500 ms');

    // Select the first clip and ripple delete it: the second one closes the gap.
    await v1Clips().first().click({ position: { x: 20, y: 30 } });
    await page.keyboard.press('Delete');
    await waitFor(async () => (await v1Clips().count()) === 1);
    await saved();
    clips = (await project()).document.sequences[0]!.tracks.find((t) => t.id === 'V1')!.clips as Array<Record<string, number>>;
    assert.deepEqual(
      clips.map((c) => [c.start_ms, c.in_ms, c.out_ms]),
      [[0, 1000, 2500]],
    );

    // An invalid inspector value shows the schema's message next to the field and changes nothing.
    await v1Clips().first().click({ position: { x: 20, y: 30 } });
    const opacity = page.getByTestId('field-opacity');
    await opacity.fill('2');
    await opacity.press('Enter');
    const fieldError = page.getByTestId('field-error');
    await fieldError.waitFor();
    assert.match((await fieldError.textContent()) ?? '', /^opacity: .*1/);
    const after = (await project()).document.sequences[0]!.tracks.find((t) => t.id === 'V1')!.clips as Array<Record<string, number>>;
    assert.equal(after[0]!.opacity, 1);
  }),
);

test(
  'a save conflict with another tab is shown, and "load theirs" brings their version',
  guard('conflict', async () => {
    const page = browser.page;
    await signIn(page, server);
    await saved();
    // Another tab renames the titles track and saves first.
    const record = await project();
    const theirs = structuredClone(record.document);
    const titles = theirs.sequences[0]!.tracks.find((t) => t.id === 'T1')!;
    titles.name = 'Their titles';
    const put = await server.app.inject({
      method: 'PUT',
      url: `/video/timeline/projects/${record.id}`,
      headers: headers(),
      payload: { ...theirs, version: record.version },
    });
    assert.equal(put.statusCode, 200);

    // Our edit is based on the old version: the save is refused with 409 and the banner says so.
    await page.getByTestId('tab-titles').click();
    await page.getByTestId('add-title').click();
    const banner = page.getByTestId('save-banner');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', new RegExp(`saved version ${record.version + 1} of this project`));
    assert.equal((await page.getByTestId('save-status').textContent()) ?? '', 'Conflict');
    const stored = await project();
    assert.equal(stored.version, record.version + 1, 'our change did not overwrite theirs');

    await page.getByTestId('conflict-load-theirs').click();
    await page.getByTestId('track-T1').getByText('Their titles').waitFor();
    assert.equal(await page.locator('[data-track-id="T1"][data-clip-id]').count(), 0, 'our unsaved title is gone');
    assert.equal(await banner.count(), 0);
  }),
);

test(
  'with no preview ready, the preview area shows the filmstrip frame under the playhead',
  guard('scrub', async () => {
    const page = browser.page;
    // Red 0-1 s, green 1-2 s, blue 2-3 s: the colour tells which frame the stand-in shows.
    const path = await colourStepsClip({ colors: ['#FF0000', '#00FF00', '#0000FF'], stepMs: 1000 });
    const { asset } = await server.services.assets.registerAsset(ctx, { source: { path }, maxBytes: 1e9 });
    // Hold every preview request: no window ever arrives, so only the filmstrip can show a picture.
    const held: Route[] = [];
    await page.route('**/video/preview', (route) => void held.push(route));
    try {
      await signIn(page, server);
      await dragFromBin(page.locator(`li[data-asset-id="${asset.id}"]`), page.getByTestId('row-V2'), { x: 1, y: 20 });
      await page.locator('[data-track-id="V2"][data-clip-id]').waitFor();
      const scrub = page.getByTestId('preview-scrub');
      const ruler = page.getByTestId('ruler');
      const centre = () =>
        scrub.evaluate((c: HTMLCanvasElement) => {
          const [r, g, b] = c.getContext('2d')!.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
          return { r: r!, g: g!, b: b! };
        });
      const expectColour = async (xPx: number, want: 'r' | 'g' | 'b', sourceMs: number) => {
        await ruler.click({ position: { x: xPx, y: 10 } });
        await waitFor(async () => Number(await scrub.getAttribute('data-source-ms')) === sourceMs);
        assert.equal(await scrub.getAttribute('data-asset'), asset.id, 'the top clip (the overlay) is shown');
        let c = await centre();
        await waitFor(async () => {
          c = await centre();
          return c[want] > 200 && (['r', 'g', 'b'] as const).every((k) => k === want || c[k] < 60);
        }).catch(() => assert.fail(`at ${sourceMs} ms the stand-in shows ${JSON.stringify(c)}, not ${want}`));
      };
      // 60 px per second on the ruler: 30 px = 0.5 s (red), 90 px = 1.5 s (green), 150 px = 2.5 s (blue).
      await expectColour(150, 'b', 2500);
      await expectColour(90, 'g', 1500);
      await expectColour(30, 'r', 500);
      // For a look by eye (gitignored folder): the stand-in while the preview is still on its way.
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'scrub.png') });
      assert.ok(held.length > 0, 'the preview was asked for (and held back)');
      assert.equal(await page.getByTestId('preview-video').count(), 0, 'no preview window arrived');
    } finally {
      await page.unroute('**/video/preview');
      for (const r of held) await r.abort().catch(() => undefined);
    }
  }),
);

const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';

test(
  'blur faces puts the blurred copy on the timeline in place of the source',
  { skip: existsSync(MESSI) ? false : 'opencv-doc is not installed (messi5.jpg)' },
  guard('blur-faces', async () => {
    const page = browser.page;
    const { asset } = await server.services.assets.registerAsset(ctx, { source: { path: MESSI }, maxBytes: 1e9 });
    await signIn(page, server);
    const item = page.locator(`li[data-asset-id="${asset.id}"]`);
    // After the earlier tests' clips (60 px per second: 5 s in).
    await dragFromBin(item, page.getByTestId('row-V2'), { x: 300, y: 20 });
    await page.locator(`[data-track-id="V2"][data-asset-id="${asset.id}"]`).waitFor();
    await saved();
    await item.click();
    await page.getByTestId('tab-assists').click();
    await page.getByRole('button', { name: 'Blur faces' }).click();
    const result = page.getByTestId('assist-result');
    await result.waitFor({ timeout: 60_000 });
    assert.match((await result.textContent()) ?? '', /Faces blurred: a new asset in the bin, now used by 1 clip/);
    await saved();
    const v2 = (await project()).document.sequences[0]!.tracks.find((t) => t.id === 'V2') as { clips: Array<{ asset_id: string; start_ms: number }> };
    const placed = v2.clips.filter((c) => c.start_ms >= 4900);
    assert.equal(placed.length, 1);
    const blurredId = placed[0]!.asset_id;
    assert.notEqual(blurredId, asset.id, 'the clip now plays the blurred copy');
    assert.ok(!v2.clips.some((c) => c.asset_id === asset.id), 'no clip plays the source any more');
    await page.locator(`[data-track-id="V2"][data-asset-id="${blurredId}"]`).waitFor();
    const blurred = await server.services.assets.getAsset(ctx, blurredId);
    assert.match(blurred.original_filename, /^messi5 \(faces hidden\)\./);
    await page.getByTestId('tab-media').click();
    await page.locator(`li[data-asset-id="${blurredId}"]`).waitFor();
  }),
);

test(
  'the preview is made for the render profile: a vertical profile previews at 360x640',
  guard('preview-profile', async () => {
    const page = browser.page;
    const bodies: Array<{ profile?: string }> = [];
    const onRequest = (r: import('playwright-core').Request) => {
      if (r.method() === 'POST' && r.url().endsWith('/video/preview')) bodies.push(r.postDataJSON() as { profile?: string });
    };
    page.on('request', onRequest);
    try {
      await signIn(page, server);
      await v1Clips().first().waitFor();
      await page.getByTestId('tab-render').click();
      await page.getByTestId('render-profile').selectOption('social_1080x1920_h264');
      const video = page.getByTestId('preview-video');
      // The frame size is the decoded stream's, i.e. what the server rendered for that profile.
      await waitFor(
        async () =>
          (await video.count()) > 0 &&
          (await video.evaluate((v: HTMLVideoElement) => `${v.videoWidth}x${v.videoHeight}`)) === '360x640',
        30_000,
      );
      assert.ok(bodies.some((b) => b.profile === 'social_1080x1920_h264'), 'the request named the profile');
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'preview-vertical.png') });
    } finally {
      page.off('request', onRequest);
    }
  }),
);
