export * from './schema.js';
export * from './open-database.js';
export { MIGRATIONS, migrationProvider } from './migrations.js';
