/** The catalog counts README.md states, from the catalogs (scripts/gen-readme-counts.ts writes them). */
import { filterTypes } from './filters/catalog.js';
import { listTransitions } from './transitions/catalog.js';
import { listProfiles } from './profiles.js';

export function readmeCountsText(): string {
  return `${listTransitions().length} transitions, ${filterTypes().length} filters`;
}

/** The pattern of the count sentence in README.md; gen-readme-counts.ts and its test both use it. */
export const README_COUNTS_PATTERN = /\b\d+ transitions, \d+ filters\b/;

/** README.md states the number of render profiles as "N render profiles". */
export const README_PROFILES_PATTERN = /\b\d+ render profiles\b/;

export function readmeProfilesText(): string {
  return `${listProfiles().length} render profiles`;
}
