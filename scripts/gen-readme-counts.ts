// Rewrites the catalog counts in README.md ("N transitions, M filters", "N render profiles") from the catalogs themselves:
// `node --import tsx scripts/gen-readme-counts.ts`. test/plan/readme-counts.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  README_COUNTS_PATTERN,
  README_PROFILES_PATTERN,
  readmeCountsText,
  readmeProfilesText,
} from '../src/plan/readme-counts.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync(
  'README.md',
  readme
    .replace(README_COUNTS_PATTERN, readmeCountsText())
    .replace(README_PROFILES_PATTERN, readmeProfilesText()),
);
