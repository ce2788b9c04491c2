import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpMetrics, routeGroup } from '../../../temporal/metrics';

describe('HTTP metrics', () => {
  it('groups routes by their first segments only, never ids', () => {
    expect(routeGroup('/api/v1/applications/6f1c0a9e-1111-4222-8333-944455556666/supplement?lang=fi')).toBe('/api/v1/applications');
    expect(routeGroup('/members/6f1c0a9e-1111-4222-8333-944455556666')).toBe('/members');
    expect(routeGroup('/')).toBe('/');
    expect(routeGroup(`/${'x'.repeat(100)}`)).toBe('/other');
    expect(routeGroup('/api/v1/%3Cscript%3E')).toBe('/api/v1/other');
  });

  it('counts requests and builds a latency histogram in the Prometheus text format', () => {
    const m = new HttpMetrics();
    m.observe('GET', '/api/v1/members', 200, 0.004);
    m.observe('GET', '/api/v1/members', 204, 0.3);
    m.observe('POST', '/api/v1/applications', 503, 2);
    const text = m.render();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{method="GET",route="/api/v1/members",status="2xx"} 2');
    expect(text).toContain('http_request_duration_seconds_bucket{method="GET",route="/api/v1/members",status="2xx",le="0.005"} 1');
    expect(text).toContain('http_request_duration_seconds_bucket{method="GET",route="/api/v1/members",status="2xx",le="0.5"} 2');
    expect(text).toContain('http_request_duration_seconds_bucket{method="POST",route="/api/v1/applications",status="5xx",le="1"} 0');
    expect(text).toContain('http_request_duration_seconds_count{method="POST",route="/api/v1/applications",status="5xx"} 1');
  });

  it('observes what a wrapped server answers', async () => {
    const m = new HttpMetrics();
    const server = createServer(m.wrap((_req, res) => res.writeHead(418).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      await fetch(`http://127.0.0.1:${port}/api/v1/tasks/42`);
      await new Promise((r) => setTimeout(r, 20));
      expect(m.render()).toContain('http_requests_total{method="GET",route="/api/v1/tasks",status="4xx"} 1');
    } finally {
      server.close();
    }
  });
});
