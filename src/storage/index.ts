export * from './object-store.js';
export * from './local-store.js';
export * from './safe-key.js';
export * from './s3-store.js';
export * from './store-from-env.js';
