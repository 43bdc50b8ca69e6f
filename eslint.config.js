import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layering (STYLE.md, "Shape of the house"): data flows one way, so a folder imports only
 * the folders below it. Each layer lists what it must not import; a pattern matches a
 * relative import that climbs to src/ and enters that folder, or names src/config.ts (the
 * server's configuration; not checked in agent/, which has a config.ts of its own).
 */
const UP = String.raw`^(\.\./)+`;
const ROOT_FILES = ['config\\.ts$'];
function layer(files, forbidden, why, extra = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: `${UP}(${forbidden.join('|')})`, message: `Upward import: ${why}` }, ...extra],
        },
      ],
    },
  };
}
const ALL = [
  'contract/',
  'domain/',
  'db/',
  'usecases/',
  'processor/',
  'server/',
  'web/',
  'agent/',
  'mms/',
  'cli/',
  'bench/',
];
const except = (...allowed) => ALL.filter((folder) => !allowed.includes(folder));
/** What domain/ must stay free of: it decides, it does no I/O and parses no wire. */
const IMPURE = {
  regex:
    '^(zod|kysely|pg|@electric-sql/.*|fastify.*|@fastify/.*|react.*|node:(fs|net|http|https|child_process)(/.*)?)$',
  message: 'domain/ is pure: no I/O, no wire schemas.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'data', 'dist', 'coverage', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Numbers in messages and keys are the common case, and error messages print the
      // offending value as it came, `undefined` or `null` included; objects, booleans and
      // `any` must still be formatted on purpose.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowNullish: true,
          allowBoolean: false,
          allowAny: false,
          allowRegExp: false,
          allowNever: false,
        },
      ],
      // `(x) => doSomething(x)` in handlers and callbacks is the house style; a void
      // result used in a real expression is still reported.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // Under noUncheckedIndexedAccess `xs[i]!` is how a bound proved by the code (a loop
      // index, a length check, a regex group that always matches) is told to the compiler.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `async` marks functions that satisfy a Promise-returning contract (Fastify plugins,
      // which must be async or take `done`; interface methods such as openMms; async
      // generators in fakes); a body that happens not to await is not a bug.
      '@typescript-eslint/require-await': 'off',
      // It refuses `-x` for any type that is not plain number or bigint, so also for Cents
      // (a branded number): negating an amount is exact, and where the result becomes Cents
      // again it passes the guard (negateCents).
      '@typescript-eslint/no-unsafe-unary-minus': 'off',
    },
  },
  {
    // Tests read API answers (`res.json()`, which is `any`) and assert their shape with
    // expect(); typing every answer would repeat the contract in each test for no safety.
    // So the no-unsafe-* family is off here, and `any` may be added or interpolated.
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'src/**/*.test-support.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // `afterAll(() => t?.close())`: the variable is typed as set, but a failed beforeAll
      // leaves it unset, and the guard keeps that failure from being hidden by a TypeError.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowNullish: true, allowAny: true },
      ],
      '@typescript-eslint/restrict-plus-operands': [
        'error',
        { allowAny: true, allowBoolean: false, allowNullish: false, allowNumberAndString: false, allowRegExp: false },
      ],
    },
  },
  {
    // Every change goes through the one transaction boundary, which runs its work again in
    // a fresh transaction after a retryable conflict (SPEC §7); migrations keep their own,
    // and the agent and the demo MMS talk to the MMS's database, not paybridge's.
    files: [
      'src/usecases/**/*.ts',
      'src/server/**/*.ts',
      'src/processor/**/*.ts',
      'src/db/**/*.ts',
      'src/cli/**/*.ts',
      'src/bench/**/*.ts',
    ],
    ignores: ['src/db/transaction.ts', 'src/db/migrate.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message:
            'Run the work through inTransaction (src/db/transaction.ts): it retries a conflict in a fresh transaction instead of answering 500.',
        },
      ],
    },
  },

  // domain/'s tests may read fixtures from disk; its code may not.
  layer(
    ['src/domain/**/*.test.ts', 'src/domain/**/*.test-support.ts'],
    [...except('domain/'), ...ROOT_FILES],
    'domain/ imports only domain/.',
  ),
  {
    ...layer(['src/domain/**'], [...except('domain/'), ...ROOT_FILES], 'domain/ imports only domain/.', [IMPURE]),
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/*.test-support.ts'],
  },
  layer(
    ['src/contract/**'],
    [...except('contract/', 'domain/'), ...ROOT_FILES],
    'contract/ imports only contract/ and domain/.',
  ),
  layer(
    ['src/db/**'],
    [...except('db/', 'domain/', 'contract/'), ...ROOT_FILES],
    'db/ imports only db/, domain/ and contract/.',
  ),
  layer(
    ['src/processor/**'],
    [...except('processor/', 'db/', 'domain/', 'contract/'), ...ROOT_FILES],
    'processor/ is an adapter over db/, domain/ and contract/.',
  ),
  layer(
    ['src/usecases/**'],
    [
      ...except('usecases/', 'db/', 'domain/', 'contract/', 'processor/'),
      'processor/(?!processor\\.ts$)',
      ...ROOT_FILES,
    ],
    'usecases/ imports usecases/, db/, domain/, contract/ and the Processor interface (processor/processor.ts), never an adapter.',
  ),
  layer(
    ['src/server/**'],
    ['web/', 'agent/', 'cli/', 'bench/', 'mms/'],
    'server/ never imports web/, agent/, cli/, bench/ or mms/.',
  ),
  layer(
    ['src/web/**'],
    [...except('web/', 'contract/', 'domain/'), ...ROOT_FILES],
    'web/ talks to the server over HTTP: it imports only web/, contract/ and domain/.',
  ),
  layer(
    ['src/agent/**'],
    except('agent/', 'contract/', 'domain/'),
    'agent/ talks to the server over HTTP: it imports only agent/, contract/ and domain/.',
  ),
  layer(
    ['src/mms/**'],
    [
      ...except('mms/', 'agent/', 'contract/', 'domain/', 'usecases/'),
      'usecases/(?!demo/demo-data\\.ts$)',
      ...ROOT_FILES,
    ],
    "mms/ (the demo MMS) imports mms/, the agent's MMS connection, contract/, domain/ and the demo data it shares with paybridge's demo.",
  ),
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // The JavaScript files (bin/, this config) are outside tsconfig.json: no type information.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
);
