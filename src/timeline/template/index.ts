// Templates with {{NAME}} merge fields: schema, check, merge (pure).
export * from './template-schema.js';
export * from './find-placeholders.js';
export * from './infer-field-type.js';
export * from './check-merge-value.js';
export * from './substitute-placeholders.js';
export * from './parse-merged-timeline.js';
export * from './check-template.js';
export * from './merge-template.js';
