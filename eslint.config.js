import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'dist', 'coverage', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Every change goes through the one transaction boundary, which runs its work again in
    // a fresh transaction after a retryable conflict (SPEC §7); migrations keep their own,
    // and the agent and the demo MMS talk to the MMS's database, not paybridge's.
    files: ['src/usecases/**/*.ts', 'src/server/**/*.ts', 'src/processor/**/*.ts', 'src/db/**/*.ts', 'src/cli/**/*.ts', 'src/bench/**/*.ts'],
    ignores: ['src/db/transaction.ts', 'src/db/migrate.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Run the work through inTransaction (src/db/transaction.ts): it retries a conflict in a fresh transaction instead of answering 500.',
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
