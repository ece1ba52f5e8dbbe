export * from './types.js';
export * from './frame-feature-extractor.js';
export * from './detect-shot-boundaries.js';
export * from './build-shot-list.js';
export * from './aggregate-samples.js';
export * from './analyze-visual-meta.js';
export * from './service.js';
