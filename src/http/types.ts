// Route declarations live in src/route-spec.ts so engines can declare routes without importing this layer.
export type * from '../route-spec.js';
