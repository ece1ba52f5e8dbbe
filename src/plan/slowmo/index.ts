export { SLOWMO_PRESETS, SLOWMO_QUALITIES } from './slowmo-presets.js';
export type { SlowmoPreset, SlowmoQuality } from './slowmo-presets.js';
export { SLOWMO_FALLBACK, slowmoFilter } from './slowmo-filter.js';
export type {
  SlowmoDetails,
  SlowmoFilterOptions,
  SlowmoFilterResult,
  SlowmoMethod,
} from './slowmo-filter.js';
