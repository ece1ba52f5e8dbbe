export * from './object-store.js';
export * from './local-store.js';
export * from './safe-key.js';
