import { context, propagation, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { MiddlewareHandler } from 'hono';

/**
 * A server span per request (decision 027), active while the request is served, so a workflow the
 * request starts is its child (the Temporal client's interceptor reads the active context). A
 * `traceparent` header from the caller is honoured. The span names the route pattern, the path
 * without its query (search words are personal data), the method and the status; nothing else.
 */
export function requestSpans(tracer: Tracer): MiddlewareHandler {
  return async (c, next) => {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    await tracer.startActiveSpan(
      `${c.req.method} ${c.req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'url.path': c.req.path } },
      parent,
      async (span) => {
        try {
          await next();
          const route = c.req.routePath;
          if (route && route !== '*' && route !== '/*') {
            span.setAttribute('http.route', route);
            span.updateName(`${c.req.method} ${route}`);
          }
          span.setAttribute('http.response.status_code', c.res.status);
          if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        } finally {
          span.end();
        }
      },
    );
  };
}
