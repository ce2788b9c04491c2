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
    // SvelteKit's origin check refused every text/plain or multipart POST without the desk's Origin,
    // bearer-token uploads to /api included. Ours (web/hooks.server.ts for the desk's and public
    // forms' actions, integrations/http/app.ts for requests with the session cookie) replaces it;
    // `'*'` is how this SvelteKit version turns its own off (`checkOrigin: false` is deprecated).
    csrf: { trustedOrigins: ['*'] },
    // A nonce for SvelteKit's inline start-up script on every rendered page; nothing else inline
    // but the route announcer's style attribute.
    // No form-action: after a form post with an ended session the browser is redirected on to the
    // fund's IdP, which form-action 'self' would block.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        // The one style attribute: SvelteKit's route announcer (kit's write_root.js), by its hash.
        'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['none'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
