/**
 * HTTP metrics in the Prometheus text format (off by default; docs/decisions/017). The web server
 * counts every request by method, route group and status class and times it; `/metrics` is served
 * on its own port (METRICS_PORT), never on the public one. Route groups are the path's first
 * segments only (`/api/v1/applications`, `/members`), never ids, so nothing about a person appears
 * and the number of series stays small.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** `/api/v1/applications/123/supplement` → `/api/v1/applications`; `/members/abc` → `/members`. */
export function routeGroup(url: string): string {
  const path = url.split('?')[0] ?? '/';
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api') return `/${parts.slice(0, parts[1] === 'v1' ? 3 : 2).map(safe).join('/')}`;
  return parts.length === 0 ? '/' : `/${safe(parts[0]!)}`;
}

/** A path segment as a label value: short plain characters only (a guessed URL must not grow the series). */
function safe(segment: string): string {
  return /^[a-z0-9_.-]{1,40}$/i.test(segment) ? segment : 'other';
}

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

export class HttpMetrics {
  private readonly series = new Map<string, Series>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = JSON.stringify([/^[A-Z]{1,10}$/.test(method) ? method : 'OTHER', route, `${Math.floor(status / 100)}xx`]);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    s.count++;
    s.sum += seconds;
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) s.buckets[i]!++;
    });
  }

  /** Wraps a request handler: the request is observed when its response finishes. */
  wrap(handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => this.observe(req.method ?? 'OTHER', routeGroup(req.url ?? '/'), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
      handler(req, res);
    };
  }

  render(): string {
    const lines = [
      '# HELP http_requests_total HTTP requests answered, by method, route group and status class.',
      '# TYPE http_requests_total counter',
    ];
    const entries = [...this.series.entries()].map(([key, s]) => {
      const [method, route, status] = JSON.parse(key) as [string, string, string];
      return { labels: `method="${method}",route="${route}",status="${status}"`, s };
    });
    for (const { labels, s } of entries) lines.push(`http_requests_total{${labels}} ${s.count}`);
    lines.push('# HELP http_request_duration_seconds Time to answer an HTTP request.', '# TYPE http_request_duration_seconds histogram');
    for (const { labels, s } of entries) {
      BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{${labels},le="${le}"} ${s.buckets[i]}`));
      lines.push(`http_request_duration_seconds_bucket{${labels},le="+Inf"} ${s.count}`);
      lines.push(`http_request_duration_seconds_sum{${labels}} ${s.sum}`);
      lines.push(`http_request_duration_seconds_count{${labels}} ${s.count}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** The `/metrics` endpoint, for a server of its own. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    if ((req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.render());
  }
}
