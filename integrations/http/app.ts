import { oidcAuthMiddleware, processOAuthCallback, revokeSession } from '@hono/oidc-auth';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ServiceContext } from '../../services/context';
import { ServiceError } from '../../services/errors';
import { oidcSetup, requirePrincipal, type AppEnv, type AuthConfig } from './auth';
import { routes } from './contract';
import { docsPage, openApiDocument } from './openapi';
import { problem } from './problem';
import { rateLimit } from './rateLimit';
import { implement, mount, type RouteImpl } from './routing';
import { applicationRoutes } from './routes/applications';
import { billingRoutes } from './routes/billing';
import { paymentRoutes } from './routes/payments';
import { memberRoutes } from './routes/members';
import { publicRoutes } from './routes/public';
import { taskRoutes } from './routes/tasks';

export interface AppDeps {
  ctx: ServiceContext;
  auth: AuthConfig;
  publicBaseUrl: string;
  publicFormsPerMinute?: number;
  /** Where errors go; receives no request bodies, so no personal data reaches the log. */
  logError?: (message: string) => void;
  /** Check every answer against its contract (tests); see MountOptions. */
  checkResponses?: boolean;
}

/** Every operation the app serves; /api/openapi.json documents exactly these. */
export function apiOperations(ctx: ServiceContext): RouteImpl[] {
  const me = implement(routes.me, async (c) => {
    const principal = c.get('principal');
    // requirePrincipal lets no public caller into /api/v1.
    if (principal.kind === 'public') throw new ServiceError(401, 'Unauthorized', 'Log in at /auth/login, or send a bearer token (Authorization: Bearer …).');
    return { status: 200, json: principal };
  });
  return [me, ...applicationRoutes(ctx), ...taskRoutes(ctx), ...memberRoutes(ctx), ...billingRoutes(ctx), ...paymentRoutes(ctx), ...publicRoutes(ctx)];
}

/** The REST/JSON API under /api and the desk login under /auth, testable with app.request(). */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const logError = deps.logError ?? ((m: string) => console.error(m));

  app.onError((error, c) => {
    if (error instanceof ServiceError) return problem(c, error.status, error.title, error.detail, { code: error.code, ...(Object.keys(error.params).length ? { params: error.params } : {}), ...error.extra });
    const ref = crypto.randomUUID();
    logError(`[${ref}] ${c.req.method} ${c.req.routePath}: ${error.name}: ${error.message.split('\n')[0]}`);
    return problem(c, 500, 'Internal error', `Something went wrong on our side. Quote reference ${ref} when reporting it.`);
  });
  app.notFound((c) => problem(c, 404, 'Not found', `There is no ${c.req.method} ${c.req.path}. See /api/openapi.json.`));

  const oidc = oidcSetup(deps.auth);
  app.use('/auth/*', oidc);
  app.get('/auth/login', oidcAuthMiddleware(), (c) => {
    const returnTo = c.req.query('returnTo');
    return c.redirect(returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
  });
  app.get('/auth/callback', (c) => processOAuthCallback(c));
  app.post('/auth/logout', async (c) => {
    await revokeSession(c);
    return c.redirect('/');
  });

  const operations = apiOperations(deps.ctx);
  const contracts = operations.map((o) => o.contract);
  const document = openApiDocument(`${deps.publicBaseUrl}/api`, contracts);
  const docs = docsPage(contracts);
  app.get('/api/openapi.json', (c) => c.json(document));
  app.get('/api/docs', (c) => c.html(docs));

  // The public forms: no login, but size- and rate-limited.
  app.use(
    '/api/public/*',
    bodyLimit({ maxSize: 32 * 1024, onError: (c) => problem(c, 413, 'Too large', 'The form is larger than 32 KiB; shorten the free-text fields.') }),
    rateLimit({ perMinute: deps.publicFormsPerMinute ?? 20 }),
  );

  const apiBodyLimit = bodyLimit({ maxSize: 256 * 1024, onError: (c) => problem(c, 413, 'Too large', 'The request body is larger than 256 KiB.') });
  app.use(
    '/api/v1/*',
    // Bank files are the one large upload; their route sets its own limit (128 MiB) after authentication.
    (c, next) => (c.req.method === 'POST' && c.req.path === '/api/v1/payment-files' ? next() : apiBodyLimit(c, next)),
    oidc,
    requirePrincipal(deps.auth),
  );
  for (const operation of operations) mount(app, operation, { checkResponses: deps.checkResponses ?? false });
  return app;
}

export type App = ReturnType<typeof createApp>;
