import type { MiddlewareHandler } from 'hono';
import { problem } from './problem';

/** Set by the web server from the socket (or its trusted proxy header), never taken from the client. */
export const clientAddressHeader = 'x-jasenrekisteri-client-address';

/**
 * A per-process token bucket per client address for the public forms. Behind several web servers
 * the effective limit is their sum; a shared limiter belongs in the reverse proxy.
 */
export function rateLimit(opts: { perMinute: number; key?: (ip: string) => string }): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const ip = c.req.header(clientAddressHeader) || 'local';
    const now = Date.now();
    const bucket = buckets.get(ip) ?? { tokens: opts.perMinute, at: now };
    bucket.tokens = Math.min(opts.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * opts.perMinute);
    bucket.at = now;
    if (bucket.tokens < 1) {
      c.header('Retry-After', '60');
      return problem(c, 429, 'Too many requests', 'Too many submissions from this address. Wait a minute and try again.', { code: 'too_many_submissions' });
    }
    bucket.tokens -= 1;
    buckets.set(ip, bucket);
    if (buckets.size > 10_000) buckets.clear();
    await next();
  };
}
