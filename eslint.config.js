import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Feature folders under application/ and adapters/http/ (test/architecture.spec.ts checks the same): a feature
// imports the shared core and its own folder, never another feature's internals.
const FEATURES = ['account', 'sessions', 'email', 'two-factor', 'administration'];
const otherFeatures = (feature) => FEATURES.filter((other) => other !== feature).flatMap((other) => [`../${other}/*`, `**/application/${other}/*`, `**/http/${other}/*`]);

const FRAMEWORKS = ['koa', '@koa/*', 'kysely', 'kysely-*', 'pg', 'ioredis', 'inversify', 'jose', '@node-rs/*', 'zod', 'pino', '@electric-sql/*', '@zxcvbn-ts/*', 'openapi3-ts', 'openapi3-ts/*'];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/', 'test-artifacts/', '.scratch/', '.build/', 'lib/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Dependencies point inward: the core knows no framework and no adapter, so it can be embedded anywhere.
    files: ['domain/**/*.ts', 'application/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'domain/ and application/ import no framework.' },
            { group: ['**/adapters/**', '**/bootstrap/**'], message: 'domain/ and application/ import no outer layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'domain/ imports no framework.' },
            { group: ['**/adapters/**', '**/bootstrap/**', '**/application/**'], message: 'domain/ imports nothing outside itself.' },
          ],
        },
      ],
    },
  },
  ...FEATURES.map((feature) => ({
    files: [`application/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'domain/ and application/ import no framework.' },
            { group: ['**/adapters/**', '**/bootstrap/**'], message: 'domain/ and application/ import no outer layer.' },
            { group: otherFeatures(feature), message: 'A feature imports the shared core (domain, ports, core, errors) and its own folder; move what features share into application/core/.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['application/core/**/*.ts', 'application/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: FRAMEWORKS, message: 'domain/ and application/ import no framework.' },
            { group: ['**/adapters/**', '**/bootstrap/**'], message: 'domain/ and application/ import no outer layer.' },
            { group: FEATURES.map((feature) => `../${feature}/*`), message: 'The shared core imports no feature.' },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement ports; they never reach into the composition root.
    files: ['adapters/**/*.ts', 'adapters/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bootstrap/**'], message: 'adapters/ do not import bootstrap/.' }] }],
    },
  },
  ...FEATURES.map((feature) => ({
    files: [`adapters/http/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/bootstrap/**'], message: 'adapters/ do not import bootstrap/.' },
            { group: FEATURES.filter((other) => other !== feature).map((other) => `../${other}/*`), message: "A feature's routes use the shared HTTP files, not another feature's folder." },
          ],
        },
      ],
    },
  })),
  {
    // An identifier without a type fits every factory parameter, and a swapped token list would compile.
    files: ['bootstrap/**/*.ts'],
    ignores: ['bootstrap/tokens.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='Symbol']", message: 'Make service identifiers with token<T>() from bootstrap/tokens.ts.' },
        { selector: "CallExpression[callee.name='bind'] > Literal.arguments", message: 'Bind a token<T>(), not a string.' },
      ],
    },
  },
);
