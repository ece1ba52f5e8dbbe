// The templates repository on each dialect: stored per tenant and env, listed newest first with cursors, merged
// with asset fields checked against the caller's tenant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { createTemplateService } from '../../src/media/templates.js';
import { pngImage } from '../helpers/media.js';
import { dialects, makeServices } from './setup.js';

const template = (name: string) => ({
  name,
  timeline: {
    tracks: [
      {
        id: 'v',
        kind: 'video',
        clips: [{ id: 'c', asset_id: '{{PHOTO}}', start_ms: 0, duration_ms: '{{DUR}}' }],
      },
    ],
  },
});

for (const dialect of await dialects()) {
  test(`[${dialect}] templates: tenant/env scoped, paginated, asset fields checked on merge`, async () => {
    const s = await makeServices({ dialect });
    try {
      const ctx = await s.tenant();
      const other = await s.tenant();
      const templates = createTemplateService({ db: s.db, assets: s.assets });
      const png = await pngImage({ color: '#00FF00' });
      const mine = (await s.assets.registerAsset(ctx, { source: { path: png } })).asset.id;
      const theirs = (await s.assets.registerAsset(other, { source: { path: png } })).asset.id;

      const ids: string[] = [];
      for (const name of ['one', 'two', 'three'])
        ids.push((await templates.createTemplate(ctx, { document: template(name) })).id);
      const got = await templates.getTemplate(ctx, ids[0]!);
      assert.equal(got.name, 'one');
      assert.deepEqual(got.document.timeline, template('one').timeline);
      assert.deepEqual(
        got.fields.map((f) => [f.name, f.type]),
        [
          ['DUR', 'number'],
          ['PHOTO', 'asset'],
        ],
      );

      const page1 = await templates.listTemplates(ctx, { limit: 2 });
      assert.equal(page1.items.length, 2);
      assert.ok(page1.next_cursor);
      const page2 = await templates.listTemplates(ctx, { limit: 2, cursor: page1.next_cursor });
      assert.deepEqual([...page1.items, ...page2.items].map((t) => t.id).sort(), [...ids].sort());
      assert.equal(page2.next_cursor, null);

      for (const c of [other, { ...ctx, env: 'prod' }]) {
        await assert.rejects(templates.getTemplate(c, ids[0]!), (e) =>
          isCutroomError(e, 'TEMPLATE_NOT_FOUND'),
        );
        assert.deepEqual((await templates.listTemplates(c)).items, []);
      }

      const merged = await templates.mergeStoredTemplate(ctx, {
        id: ids[0]!,
        merge: { PHOTO: mine, DUR: 1200 },
      });
      const track = merged.timeline.tracks[0]!;
      assert.ok(track.kind === 'video');
      assert.equal(track.clips[0]!.asset_id, mine);
      assert.equal(track.clips[0]!.duration_ms, 1200);
      await assert.rejects(
        templates.mergeStoredTemplate(ctx, { id: ids[0]!, merge: { PHOTO: theirs, DUR: 1200 } }),
        (e) => isCutroomError(e, 'TEMPLATE_MERGE_INVALID') && (e.details.fields as string[])[0] === 'PHOTO',
      );
    } finally {
      await s.dispose();
    }
  });
}
