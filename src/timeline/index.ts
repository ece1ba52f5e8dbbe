export * from './schema.js';
export * from './validate.js';
export * from './media-info.js';
export * from './edit/index.js';
export * from './motion.js';
export * from './clip-transition.js';
export * from './generator.js';
export * from './matte.js';
