/** The catalog counts README.md states, from the catalogs (scripts/gen-readme-counts.ts writes them). */
import { filterTypes } from './filters/catalog.js';
import { listTransitions } from './transitions/catalog.js';

export function readmeCountsText(): string {
  return `${listTransitions().length} transitions, ${filterTypes().length} filters`;
}
