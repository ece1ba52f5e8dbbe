// Rewrites the catalog counts in README.md ("N transitions, M filters") from the catalogs themselves:
// `node --import tsx scripts/gen-readme-counts.ts`. test/plan/readme-counts.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { readmeCountsText } from '../src/plan/readme-counts.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', readme.replace(/\b\d+ transitions, \d+ filters\b/, readmeCountsText()));
