import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    files: {
      routes: 'web/routes',
      lib: 'web/lib',
      appTemplate: 'web/app.html',
      errorTemplate: 'web/error.html',
      hooks: { server: 'web/hooks.server', client: 'web/hooks.client', universal: 'web/hooks' },
      params: 'web/params',
      assets: 'web/static',
    },
    // The API contract (schemas and types of every operation): the one server module the web imports.
    alias: { $contract: 'integrations/http/contract' },
    // The public forms post from the same origin; integrations use /api with bearer tokens.
    csrf: { trustedOrigins: [] },
  },
};

export default config;
