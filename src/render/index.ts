export * from './collect-asset-refs.js';
export * from './prepare-render.js';
export * from './render-to-file.js';
export * from './resolve-fonts.js';
export * from './resolve-sources.js';
