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

/**
 * The folder import matrix (docs/decisions/006-import-matrix.md). Each folder's ban list: an import
 * of one of these from a file in that folder fails `npm run lint`. `allowTypeImports` marks where a
 * type may cross (a service typing a workflow start), but never a value.
 */
const ban = (regex, message, allowTypeImports = false) => ({ regex, message, allowTypeImports });
/** Workflow code, but not workflows/definitions (ids, queues, updates, signals, queries). */
const workflowCode = '^(\\.\\./)+workflows(/(?!definitions(/|$))|$)';

const importMatrix = [
  {
    folder: 'workflows/definitions',
    files: ['workflows/definitions/**/*.ts'],
    bans: [
      ban('^\\.\\./(?!\\.\\./domain(/|$))', 'A process definition holds ids, queues and messages only: it may import ./ definitions and domain/, nothing else of ours.'),
      ban('^@temporalio/(client|worker|activity|testing)(/|$)', 'Definitions are imported by workflows: only @temporalio/workflow (define*) and @temporalio/common.'),
    ],
  },
  {
    folder: 'activities',
    files: ['activities/**/*.ts'],
    bans: [
      ban(projectFolders('services'), 'An activity never calls a service: have a starter passed in its deps (temporal/services.ts) or let the workflow start a child.', true),
      ban(workflowCode, 'Activities may import workflows/definitions (ids, queues, updates, signals), not workflow code.', true),
      ban(projectFolders('integrations/http', 'integrations/dev-idp', 'web', 'temporal'), 'Activities reach the outside through adapters and the database through db/, nothing else.'),
    ],
  },
  {
    folder: 'services',
    files: ['services/**/*.ts'],
    bans: [
      ban(projectFolders('activities'), 'A service never imports an activity module: share the rule through domain/ or the query through db/repositories.'),
      ban(workflowCode, 'Services start and message processes through workflows/definitions; workflow functions only as `import type`.', true),
      ban(projectFolders('integrations/http', 'integrations/dev-idp', 'integrations/adapters', 'web', 'temporal'), 'Services use domain/, db/, transforms and process definitions; adapters reach them through activities.'),
    ],
  },
  {
    folder: 'db',
    files: ['db/**/*.ts'],
    bans: [
      ban(projectFolders('domain'), 'db/ runs no business rules: import domain types only (`import type`); do the rule in domain/ and pass its result in.', true),
      ban(projectFolders('activities', 'services', 'workflows', 'integrations', 'web', 'temporal'), 'db/ is the bottom layer: it imports nothing above it.'),
    ],
  },
  {
    folder: 'integrations/http',
    files: ['integrations/http/**/*.ts'],
    bans: [
      ban(projectFolders('db', 'activities', 'workflows', 'temporal', 'web', 'integrations/adapters'), 'The API calls services (and domain/); the database, processes and adapters are behind them.'),
      ban(projectFolders('adapters'), 'The API calls services (and domain/); adapters are behind them.'),
    ],
  },
  {
    folder: 'integrations/adapters',
    files: ['integrations/adapters/**/*.ts'],
    bans: [
      ban(projectFolders('db', 'services', 'activities', 'workflows', 'temporal', 'web', 'integrations/http'), 'An adapter moves bytes to one outside system: transforms and domain types only.'),
      ban(projectFolders('http', 'dev-idp'), 'An adapter moves bytes to one outside system: transforms and domain types only.'),
    ],
  },
  {
    folder: 'integrations/transforms',
    files: ['integrations/transforms/**/*.ts'],
    bans: [
      ban(projectFolders('db', 'services', 'activities', 'workflows', 'temporal', 'web', 'integrations/http', 'integrations/adapters'), 'A transform maps formats and nothing else: domain/ only.'),
      ban(projectFolders('adapters', 'http', 'dev-idp'), 'A transform maps formats and nothing else: domain/ only.'),
    ],
  },
];

/** Module-level state in a module every workflow of a thread shares (decision 037). */
const sharedModuleMessage = 'Workflow and domain modules are shared by every workflow of a worker thread (decision 037): keep no state at module level (no top-level let/var, Map or Set); keep it in the function.';
const sharedModuleStateBans = ['Program >', 'Program > ExportNamedDeclaration >'].flatMap((at) => [
  { selector: `${at} VariableDeclaration[kind!='const']`, message: sharedModuleMessage },
  { selector: `${at} VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/]`, message: sharedModuleMessage },
]);

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
    // The server hook mounts the Hono app under /api (plumbing, like temporal/), so it may import it.
    ignores: ['web/hooks.server.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: projectFolders('db', 'activities', 'workflows', 'services', 'temporal'),
              message: 'The desk talks to the API only (/api/v1); it must not reach into the back end.',
            },
            {
              regex: '^(\\.\\./)+integrations/(?!http/contract(/|$))',
              message: 'The desk knows the API by its contract (integrations/http/contract) only.',
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
  {
    // Workflow modules and the domain modules they import are evaluated once per workflow thread
    // and shared, deep-frozen, by every workflow it runs (SDK preloadModules, decision 037): state
    // kept at module level would leak from one workflow into the next.
    name: 'jasenrekisteri/shared-workflow-modules',
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...sharedModuleStateBans],
    },
  },
  ...domainBlocks,
  ...importMatrix.map(({ folder, files, bans }) => ({
    name: `jasenrekisteri/imports-${folder}`,
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: bans }] },
  })),
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
