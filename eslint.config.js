// ESLint flat config. The import bans encode the architecture: workflow code must stay
// deterministic, the domain stays pure, and the desk UI reaches data only through the API.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Bare built-in names (fs, path, crypto, …); `node:` specifiers are caught by a pattern. */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

const builtinBans = (why) => ({
  paths: nodeBuiltins.map((name) => ({ name, message: why })),
  patterns: [{ regex: '^node:', message: why }],
});

/** `../x`, `../../x`, … ending in one of the given top-level folders. */
const projectFolders = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const workflowRule = builtinBans(
  'Workflow code is replayed and must be deterministic: no Node APIs. Do the I/O in an activity.',
);
workflowRule.patterns.push(
  {
    regex: projectFolders('db', 'integrations', 'services', 'activities', 'temporal'),
    allowTypeImports: true,
    message: 'Workflow code may not do I/O: call an activity instead (import type is fine).',
  },
  {
    regex: '^(@temporalio/(client|worker|activity|testing)|postgres|drizzle-orm|hono|jose|oidc-provider)(/|$)',
    allowTypeImports: true,
    message: 'Not usable inside the workflow sandbox; only @temporalio/workflow and @temporalio/common are.',
  },
);

/** The domain is pure rules; each nesting depth gets a pattern that catches leaving domain/. */
const domainBlocks = [0, 1, 2, 3].map((depth) => {
  const rule = builtinBans('The domain is pure business rules: no Node APIs.');
  rule.patterns.push({
    regex: `^(\\.\\./){${depth + 1}}`,
    message: 'The domain may only import from domain/; pass what it needs in as arguments.',
  });
  return {
    name: `jasenrekisteri/domain-depth-${depth}`,
    files: [`domain/${'*/'.repeat(depth)}*.ts`],
    rules: { 'no-restricted-imports': ['error', rule] },
  };
});

export default defineConfig(
  {
    name: 'jasenrekisteri/ignores',
    ignores: ['build/', '.svelte-kit/', '.data/', 'node_modules/', 'db/migrations/', 'test-results/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    name: 'jasenrekisteri/base',
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    name: 'jasenrekisteri/svelte',
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
    // The desk is served at the origin root (no `paths.base`), so plain hrefs are already resolved.
    rules: { 'svelte/no-navigation-without-resolve': 'off' },
  },
  {
    name: 'jasenrekisteri/web',
    files: ['web/**/*.{ts,js,svelte}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: projectFolders('db', 'activities', 'workflows', 'services'),
              message: 'The desk talks to the API only (/api/v1); it must not reach into the back end.',
            },
          ],
        },
      ],
    },
  },
  {
    name: 'jasenrekisteri/workflows',
    files: ['workflows/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', workflowRule] },
  },
  ...domainBlocks,
  {
    // Type information only where an unawaited promise silently loses a write or an activity.
    // tsconfig.json extends .svelte-kit/tsconfig.json, so run `svelte-kit sync` first (npm run lint does).
    name: 'jasenrekisteri/type-aware',
    files: ['workflows/**/*.ts', 'activities/**/*.ts', 'services/**/*.ts', 'temporal/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    name: 'jasenrekisteri/tests',
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
