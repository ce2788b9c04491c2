import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../services/errors';
import { jsonBody } from '../../../integrations/http/validate';

/** jsonBody read straight from Node's request (@hono/node-server on a port) and through app.request(): the same answers. */
const app = new Hono();
app.onError((e, c) => c.json({ code: e instanceof ServiceError ? e.code : 'internal' }, e instanceof ServiceError ? (e.status as 400) : 500));
app.post('/echo', async (c) => c.json(await jsonBody(c, v.object({ q: v.string() }))));
let server: ServerType;
let base: string;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const cases: [string, BodyInit, number, unknown][] = [
  ['a JSON object', JSON.stringify({ q: 'Virtanen' }), 200, { q: 'Virtanen' }],
  ['UTF-8 beyond ASCII', JSON.stringify({ q: 'Hämäläinen 😀' }), 200, { q: 'Hämäläinen 😀' }],
  ['a leading BOM', `\uFEFF${JSON.stringify({ q: 'a' })}`, 200, { q: 'a' }],
  ['not JSON', '{"q":', 400, { code: 'body_not_json' }],
  ['an empty body', '', 400, { code: 'body_not_json' }],
  ['a field of the wrong type', JSON.stringify({ q: 1 }), 400, { code: 'invalid_request' }],
];

describe('jsonBody', () => {
  it.each(cases)('%s: the same over a port and through app.request()', async (_what, body, status, json) => {
    for (const res of [await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }), await app.request('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body })]) {
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual(json);
    }
  });

  it('reads a chunked body (no Content-Length) over a port', async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('{"q":'));
        c.enqueue(new TextEncoder().encode('"ok"}'));
        c.close();
      },
    });
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect([res.status, await res.json()]).toEqual([200, { q: 'ok' }]);
  });
});
