import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCutroomError } from '../../src/errors.js';
import { dialects, makeServices } from './setup.js';

const doc = (name: string, clipStart = 0) => ({
  name,
  sequences: [
    {
      id: 'main',
      tracks: [
        {
          id: 'v1',
          kind: 'video',
          clips: [{ id: 'c1', asset_id: 'ast_x', start_ms: clipStart, out_ms: 1000 }],
        },
      ],
    },
  ],
});

for (const dialect of await dialects()) {
  test(`[${dialect}] create/get: the document is validated, defaults applied, version 1`, async () => {
    const s = await makeServices({ dialect });
    try {
      const ctx = await s.tenant();
      const p = await s.projects.createProject(ctx, { document: doc('Intro') });
      assert.match(p.id, /^prj_[a-z2-7]{20}$/);
      assert.equal(p.version, 1);
      assert.equal(p.document.id, p.id);
      const clip = (p.document.sequences[0]!.tracks[0] as { clips: { speed: number }[] }).clips[0]!;
      assert.equal(clip.speed, 1, 'schema defaults are applied');
      assert.deepEqual(await s.projects.getProject(ctx, p.id), p);
      const named = await s.projects.createProject(ctx, { document: { ...doc('Named'), id: 'my-project' } });
      assert.equal(named.id, 'my-project');
      await assert.rejects(
        s.projects.createProject(ctx, { document: { ...doc('Again'), id: 'my-project' } }),
        (e) => isCutroomError(e, 'VERSION_CONFLICT'),
      );
      await assert.rejects(
        s.projects.createProject(ctx, {
          document: {
            name: '',
            sequences: [{ tracks: [{ id: 'v', kind: 'video', clips: [{ id: 'c', start_ms: -5 }] }] }],
          },
        }),
        (e) => {
          assert.ok(isCutroomError(e, 'VALIDATION_FAILED'));
          const paths = (e.details.issues as { path: string }[]).map((i) => i.path);
          assert.ok(paths.includes('name'), paths.join());
          assert.ok(
            paths.some((p) => p.startsWith('sequences[0].tracks[0].clips[0]')),
            paths.join(),
          );
          return true;
        },
      );
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] update with the current version succeeds; a stale version → VERSION_CONFLICT (409)`, async () => {
    const s = await makeServices({ dialect });
    try {
      const ctx = await s.tenant();
      const p = await s.projects.createProject(ctx, { document: doc('v1') });
      const u1 = await s.projects.updateProject(ctx, {
        id: p.id,
        document: doc('v2', 500),
        expectedVersion: 1,
      });
      assert.equal(u1.version, 2);
      assert.equal(u1.name, 'v2');
      // A second writer that read version 1 loses, and its change is not applied.
      await assert.rejects(
        s.projects.updateProject(ctx, { id: p.id, document: doc('stale'), expectedVersion: 1 }),
        (e) => {
          assert.ok(isCutroomError(e, 'VERSION_CONFLICT'));
          assert.equal(e.status, 409);
          assert.equal(e.details.current_version, 2);
          return true;
        },
      );
      assert.equal((await s.projects.getProject(ctx, p.id)).name, 'v2');
      // Concurrent updates from the same version: exactly one wins.
      const outcomes = await Promise.allSettled(
        ['a', 'b', 'c'].map((n) =>
          s.projects.updateProject(ctx, { id: p.id, document: doc(n), expectedVersion: 2 }),
        ),
      );
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      assert.equal((await s.projects.getProject(ctx, p.id)).version, 3);
      await assert.rejects(
        s.projects.updateProject(ctx, {
          id: p.id,
          document: { ...doc('x'), id: 'other' },
          expectedVersion: 3,
        }),
        (e) => isCutroomError(e, 'VALIDATION_FAILED'),
      );
      await assert.rejects(s.projects.deleteProject(ctx, { id: p.id, expectedVersion: 1 }), (e) =>
        isCutroomError(e, 'VERSION_CONFLICT'),
      );
      await s.projects.deleteProject(ctx, { id: p.id, expectedVersion: 3 });
      await assert.rejects(s.projects.getProject(ctx, p.id), (e) => isCutroomError(e, 'PROJECT_NOT_FOUND'));
      await assert.rejects(
        s.projects.updateProject(ctx, { id: p.id, document: doc('x'), expectedVersion: 3 }),
        (e) => isCutroomError(e, 'PROJECT_NOT_FOUND'),
      );
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] projects are tenant- and env-scoped; the same id may exist in two tenants`, async () => {
    const s = await makeServices({ dialect });
    try {
      const a = await s.tenant('dev');
      const b = await s.tenant('dev');
      const pa = await s.projects.createProject(a, { document: { ...doc('A'), id: 'shared-id' } });
      for (const ctx of [b, { ...a, env: 'prod' }]) {
        await assert.rejects(s.projects.getProject(ctx, pa.id), (e) =>
          isCutroomError(e, 'PROJECT_NOT_FOUND'),
        );
        await assert.rejects(
          s.projects.updateProject(ctx, { id: pa.id, document: doc('hijack'), expectedVersion: 1 }),
          (e) => isCutroomError(e, 'PROJECT_NOT_FOUND'),
        );
        await assert.rejects(s.projects.deleteProject(ctx, { id: pa.id }), (e) =>
          isCutroomError(e, 'PROJECT_NOT_FOUND'),
        );
        assert.deepEqual((await s.projects.listProjects(ctx)).items, []);
      }
      const pb = await s.projects.createProject(b, { document: { ...doc('B'), id: 'shared-id' } });
      assert.equal((await s.projects.getProject(a, 'shared-id')).name, 'A');
      assert.equal((await s.projects.getProject(b, pb.id)).name, 'B');
    } finally {
      await s.dispose();
    }
  });

  test(`[${dialect}] listProjects paginates without documents`, async () => {
    const s = await makeServices({ dialect });
    try {
      const ctx = await s.tenant();
      const ids = [];
      for (let i = 0; i < 5; i++)
        ids.push((await s.projects.createProject(ctx, { document: doc(`p${i}`) })).id);
      const p1 = await s.projects.listProjects(ctx, { limit: 3 });
      assert.equal(p1.items.length, 3);
      assert.ok(p1.next_cursor);
      assert.ok(!('document' in p1.items[0]!));
      const p2 = await s.projects.listProjects(ctx, { limit: 3, cursor: p1.next_cursor });
      assert.equal(p2.items.length, 2);
      assert.equal(p2.next_cursor, null);
      assert.deepEqual([...p1.items, ...p2.items].map((p) => p.id).sort(), ids.sort());
    } finally {
      await s.dispose();
    }
  });
}
