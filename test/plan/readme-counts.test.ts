// README.md states how many transitions and filters there are; the numbers come from the catalogs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  README_COUNTS_PATTERN,
  README_PROFILES_PATTERN,
  readmeCountsText,
  readmeProfilesText,
} from '../../src/plan/readme-counts.js';

test('README transition and filter counts match the catalogs', () => {
  const stated = README_COUNTS_PATTERN.exec(readFileSync('README.md', 'utf8'))?.[0];
  assert.equal(stated, readmeCountsText(), 'run node --import tsx scripts/gen-readme-counts.ts');
});

test('README render-profile count matches the profile catalog', () => {
  const stated = README_PROFILES_PATTERN.exec(readFileSync('README.md', 'utf8'))?.[0];
  assert.equal(stated, readmeProfilesText(), 'run node --import tsx scripts/gen-readme-counts.ts');
});
