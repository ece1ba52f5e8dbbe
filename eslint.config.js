// Lint rules kept small on purpose: type-aware correctness, no stray console in library code.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Every `cutroom` start loads every command module (commander needs their options for help and parsing), so
    // a command module imports the heavy layers only inside its action (`await import(...)`): `cutroom --help`
    // costs ≈ 0.1 CPU-s instead of ≈ 0.6. Type imports are free and allowed.
    files: ['src/cli/commands/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/render/**',
                '**/timeline/**',
                '**/plan/**',
                '**/engines/*/service.js',
                '**/media/services.js',
              ],
              allowTypeImports: true,
              message: 'load it inside the action with await import(...) (see eslint.config.js)',
            },
          ],
        },
      ],
    },
  },
);
