import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
  {
    // Adapters implement ports; they never reach into the composition root.
    files: ['adapters/**/*.ts', 'adapters/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/bootstrap/**'], message: 'adapters/ do not import bootstrap/.' }] }],
    },
  },
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
