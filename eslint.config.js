// Lint: correctness rules of ESLint, typescript-eslint and the Svelte plugin, and the rules that keep
// the layers apart (routes → client → domain; sync-server → domain; nothing imports the other way).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import patterns a layer may not use, with the reason shown in the lint message. */
const forbid = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups }] });

const DATABASES = {
  group: ['dexie', 'pouchdb-*', '$lib/client/local-db*', '$lib/client/replica*', '**/client/local-db*', '**/client/replica*'],
  message: 'Screens read and write data through src/lib/client (records, live queries), never the databases directly.'
};
const APP = {
  group: [
    '$lib/client/*',
    '$lib/components/*',
    '$app/*',
    '**/src/lib/client/*',
    '**/src/lib/components/*',
    '**/src/routes/*',
    '**/lib/client/*',
    '**/lib/components/*',
    'svelte',
    'svelte/*'
  ],
  message: 'This layer must not depend on the app.'
};
const SERVER = { group: ['**/sync-server/*', '**/sync-server/**'], message: 'The app and the domain never import the server.' };
const NODE_ONLY = {
  group: ['node:*', 'fastify', 'fastify/*', '@fastify/*', 'nano', 'pouchdb-node'],
  message: 'The domain runs on the tablet too: no Node or server modules.'
};

export default ts.config(
  { ignores: ['build/', 'build-server/', '.svelte-kit/', 'node_modules/', 'data/', 'bench/results*.json', 'coverage/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // PouchDB and zod internals are typed loosely at the edges; an explicit `any` is a visible decision.
      '@typescript-eslint/no-explicit-any': 'off',
      // Svelte 5 runes reassign $props/$state; these are false positives there.
      'prefer-const': ['error', { destructuring: 'all' }],
      'svelte/prefer-const': ['error', { destructuring: 'all' }],
      'svelte/no-navigation-without-resolve': 'off',
      'svelte/require-each-key': 'off',
      'svelte/prefer-svelte-reactivity': 'off'
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
    },
    // Svelte 5's `let { … } = $props()` must stay `let`: the Svelte-aware rule replaces the core one.
    rules: { 'prefer-const': 'off' }
  },
  { files: ['src/lib/domain/**'], rules: forbid(APP, SERVER, NODE_ONLY) },
  { files: ['src/lib/client/**'], rules: forbid(SERVER) },
  { files: ['src/routes/**', 'src/lib/components/**'], ignores: ['**/*.test.ts'], rules: forbid(DATABASES, SERVER) },
  { files: ['sync-server/**'], rules: forbid(APP) }
);
