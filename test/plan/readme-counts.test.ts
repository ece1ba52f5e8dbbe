// README.md states how many transitions and filters there are; the numbers come from the catalogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readmeCountsText } from '../../src/plan/readme-counts.js';

test('README transition and filter counts match the catalogs', () => {
  const stated = /\b\d+ transitions, \d+ filters\b/.exec(readFileSync('README.md', 'utf8'))?.[0];
  assert.equal(stated, readmeCountsText(), 'run node --import tsx scripts/gen-readme-counts.ts');
});
