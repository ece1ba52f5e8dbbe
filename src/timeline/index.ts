export * from './schema.js';
export * from './validate.js';
export * from './media-info.js';
export * from './strict-keys.js';
export * from './suggest-key.js';
