import type { Tracer } from '@opentelemetry/api';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import type { ServiceContext } from '../../services/context';
import { failure, ServiceError } from '../../services/errors';
import { defaultSessionSettings, type SessionSettings } from '../../services/sessions';
import { requirePrincipal, type AppEnv, type AuthConfig } from './auth';
import { routes } from './contract';
import { deskSessions, SESSION_COOKIE } from './deskSession';
import { docsPage, docsStyle, openApiDocument } from './openapi';
import { problem } from './problem';
import { rateLimit } from './rateLimit';
import { implement, mount, type RouteImpl } from './routing';
import { applicationRoutes } from './routes/applications';
import { auditRoutes } from './routes/audit';
import { hearingRoutes } from './routes/hearings';
import { collectionRoutes } from './routes/collection';
import { billingRoutes } from './routes/billing';
import { scheduleRoutes } from './routes/schedules';
import { statisticsRoutes } from './routes/statistics';
import { taxReportRoutes } from './routes/taxReport';
import { unionRoutes } from './routes/unions';
import { exemptionRoutes } from './routes/exemptions';
import { fundConfigRoutes } from './routes/fundConfig';
import { messageTemplateRoutes } from './routes/messageTemplates';
import { paymentRoutes } from './routes/payments';
import { memberRoutes } from './routes/members';
import { membershipRoutes } from './routes/membership';
import { migrationRoutes } from './routes/migration';
import { outboxRoutes } from './routes/outbox';
import { publicRoutes } from './routes/public';
import { sessionRoutes } from './routes/sessions';
import { taskRoutes } from './routes/tasks';
import { temporalCodecRoutes } from './routes/temporalCodec';
import { TEMPORAL_CODEC_PATH } from './contract/temporalCodec';
import { changesState, crossSiteDetail, crossSiteReason } from './sameOrigin';
import { apiSecurityHeaders, htmlPageContentSecurityPolicy } from './securityHeaders';
import { requestSpans } from './tracing';

export interface AppDeps {
  ctx: ServiceContext;
  auth: AuthConfig;
  publicBaseUrl: string;
  publicFormsPerMinute?: number;
  /** Where errors go; receives no request bodies, so no personal data reaches the log. */
  logError?: (message: string) => void;
  /** Check every answer against its contract (tests); see MountOptions. */
  checkResponses?: boolean;
  /** OpenTelemetry tracing (temporal/tracing.ts): a server span per request; none when off. */
  tracer?: Tracer | null;
}

/** Every operation the app serves; /api/openapi.json documents exactly these. */
export function apiOperations(ctx: ServiceContext, sessions: SessionSettings = defaultSessionSettings): RouteImpl[] {
  const me = implement(routes.me, async (c) => {
    const principal = c.get('principal');
    // requirePrincipal lets no public caller into /api/v1.
    if (principal.kind === 'public') throw failure(401, 'login_required', 'Log in at /auth/login, or send a bearer token (Authorization: Bearer …).');
    return { status: 200, json: principal };
  });
  return [me, ...applicationRoutes(ctx), ...taskRoutes(ctx), ...memberRoutes(ctx), ...membershipRoutes(ctx), ...billingRoutes(ctx), ...paymentRoutes(ctx), ...publicRoutes(ctx), ...sessionRoutes(ctx, sessions), ...auditRoutes(ctx), ...hearingRoutes(ctx), ...collectionRoutes(ctx), ...taxReportRoutes(ctx), ...temporalCodecRoutes(ctx), ...statisticsRoutes(ctx), ...scheduleRoutes(ctx), ...outboxRoutes(ctx), ...unionRoutes(ctx), ...exemptionRoutes(ctx), ...fundConfigRoutes(ctx), ...messageTemplateRoutes(ctx), ...migrationRoutes(ctx)];
}

/** The REST/JSON API under /api and the desk login under /auth, testable with app.request(). */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const logError = deps.logError ?? ((m: string) => console.error(m));

  app.onError((error, c) => {
    if (error instanceof ServiceError) return problem(c, error.status, error.title, error.detail, { code: error.code, ...(Object.keys(error.params).length ? { params: error.params } : {}), ...error.extra });
    const ref = crypto.randomUUID();
    logError(`[${ref}] ${c.req.method} ${c.req.routePath}: ${error.name}: ${error.message.split('\n')[0]}`);
    return problem(c, 500, 'Internal error', `Something went wrong on our side. Quote reference ${ref} when reporting it.`, { code: 'internal_error', params: { ref } });
  });
  app.notFound((c) => problem(c, 404, 'Not found', `There is no ${c.req.method} ${c.req.path}. See /api/openapi.json.`, { code: 'route_not_found' }));

  if (deps.tracer) app.use('*', requestSpans(deps.tracer));
  app.use('*', apiSecurityHeaders(deps.publicBaseUrl));
  // The Temporal Web UI (another origin) calls the codec endpoint with the administrator's desk
  // session: that one origin, on that one path, is let through the origin check below, with CORS.
  const temporalUiOrigin = deps.ctx.temporalUi ? new URL(deps.ctx.temporalUi.url).origin : null;
  const fromTemporalUi = (path: string, origin: string | undefined) => temporalUiOrigin !== null && origin === temporalUiOrigin && path === TEMPORAL_CODEC_PATH;
  app.use(TEMPORAL_CODEC_PATH, async (c, next) => {
    if (!fromTemporalUi(c.req.path, c.req.header('origin'))) return next();
    c.header('Access-Control-Allow-Origin', temporalUiOrigin!);
    c.header('Access-Control-Allow-Credentials', 'true');
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'content-type, x-namespace, authorization', 'Access-Control-Max-Age': '600' });
    }
    await next();
  });
  // A browser request that rides on the desk's cookie must come from the desk's own pages. A bearer
  // token is never sent by a browser on its own, so integrations meet no such check.
  app.use('*', async (c, next) => {
    if (changesState(c.req.method) && !c.req.header('authorization') && getCookie(c, SESSION_COOKIE) !== undefined) {
      const reason = fromTemporalUi(c.req.path, c.req.header('origin')) ? null : crossSiteReason(c.req.raw.headers, deps.publicBaseUrl);
      if (reason) return problem(c, 403, 'Forbidden', crossSiteDetail(reason), { code: 'cross_site_request' });
    }
    await next();
  });

  const desk = deskSessions(deps.ctx, deps.auth, deps.publicBaseUrl);
  app.use('/auth/*', desk.oidc);
  app.get('/auth/login', desk.login);
  app.get('/auth/callback', desk.callback);
  app.post('/auth/logout', desk.logout);

  const operations = apiOperations(deps.ctx, desk.settings);
  const contracts = operations.map((o) => o.contract);
  const document = openApiDocument(`${deps.publicBaseUrl}/api`, contracts);
  const docs = docsPage(contracts);
  const docsPolicy = htmlPageContentSecurityPolicy(docsStyle);
  app.get('/api/openapi.json', (c) => c.json(document));
  app.get('/api/docs', (c) => c.html(docs, 200, { 'Content-Security-Policy': docsPolicy }));

  // The public forms: no login, but size- and rate-limited.
  app.use(
    '/api/public/*',
    declaredBodyLimit(32 * 1024, (c) => problem(c, 413, 'Too large', 'The form is larger than 32 KiB; shorten the free-text fields.', { code: 'form_too_large' })),
    rateLimit({ perMinute: deps.publicFormsPerMinute ?? 20 }),
  );

  const apiBodyLimit = declaredBodyLimit(256 * 1024, (c) => problem(c, 413, 'Too large', 'The request body is larger than 256 KiB.', { code: 'body_too_large' }));
  app.use(
    '/api/v1/*',
    // Bank files, union batch files and migration batches are the large uploads; their routes set
    // their own limits (128 MiB, 16 MiB, 64 MiB) after authentication.
    (c, next) =>
      (c.req.method === 'POST' && (c.req.path === '/api/v1/payment-files' || c.req.path === '/api/v1/union-batches')) || (c.req.method === 'PUT' && /^\/api\/v1\/migration-batches\/[^/]+$/.test(c.req.path))
        ? next()
        : apiBodyLimit(c, next),
    // The desk's OIDC settings serve its sessions only: a bearer request never needs them.
    (c, next) => (c.req.header('authorization') ? next() : desk.oidc(c, next)),
    requirePrincipal(deps.auth, desk),
  );
  for (const operation of operations) mount(app, operation, { checkResponses: deps.checkResponses ?? false });
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * Hono's bodyLimit, judging by the headers whatever it can: a GET or HEAD has no body, and a
 * declared length (Content-Length without Transfer-Encoding; Node's parser then reads exactly that
 * many bytes) is compared with the limit, as bodyLimit does; only a body of undeclared length goes
 * through bodyLimit, which counts its bytes. bodyLimit asks for the web Request's body first,
 * which under @hono/node-server builds a Request, a web stream and an abort signal for every call,
 * GETs too: a tenth of the server's time per EKJ lookup (docs/decisions/042-ekj-lookup-throughput.md).
 */
function declaredBodyLimit(maxSize: number, onError: (c: Context<AppEnv>) => Response | Promise<Response>): MiddlewareHandler<AppEnv> {
  const counted = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return parseInt(length, 10) > maxSize ? onError(c) : next();
    return counted(c, next);
  };
}
