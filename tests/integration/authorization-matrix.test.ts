/**
 * Every operation of /api/openapi.json × every caller (anonymous, each integration client, each
 * desk role), held to the one table in ./authorization-matrix.ts. The requests carry no valid
 * input: a caller who may not call an operation must hear 403 (or 401) before any word about
 * its input, and one who may must never hear 401 or 403.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiResponse } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { authorizationMatrix, callers, clients, deskUsers, type Caller } from './authorization-matrix';

type Operation = { operationId: string; requestBody?: { content: Record<string, unknown> } };
type Doc = { paths: Record<string, Record<string, Operation>> };

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
const credentials = new Map<Caller, { token?: string; cookie?: string }>();
let operations: { method: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  credentials.set('anonymous', {});
  for (const id of clients) credentials.set(id, { token: await stack.token(id) });
  // Sequential: each login walks the IdP's interaction flow with its own cookie jar.
  for (const user of deskUsers) credentials.set(user, { cookie: await stack.login(user) });
  const doc = (await api('/api/openapi.json')).body as Doc;
  operations = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ method, path, op })));
}, 180_000);
afterAll(async () => stack?.close());

/** The path with harmless values: ids that name nothing, a year no one bills. */
function concretePath(path: string): string {
  return `/api${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'year' ? '2099' : name === 'userId' ? 'matrix-nobody' : randomUUID()))}`;
}

async function callAs(caller: Caller, method: string, path: string, op: Operation): Promise<ApiResponse> {
  const content = Object.keys(op.requestBody?.content ?? {});
  const hasBody = content.length > 0;
  // An empty JSON object (or an empty file): never valid, so nothing is stored by anyone.
  const contentType = content.includes('application/json') ? 'application/json' : (content[0] ?? 'application/json');
  return api(concretePath(path), {
    method: method.toUpperCase(),
    ...credentials.get(caller),
    ...(hasBody ? { body: contentType === 'application/json' ? '{}' : '', headers: { 'content-type': contentType } } : {}),
  });
}

describe('authorisation matrix', () => {
  it('has exactly one row for every operation of the OpenAPI document', () => {
    const documented = operations.map((o) => o.op.operationId).sort();
    expect(documented.length).toBeGreaterThan(40);
    const missing = documented.filter((id) => !(id in authorizationMatrix));
    expect(missing, 'operations without a row in tests/integration/authorization-matrix.ts').toEqual([]);
    expect(Object.keys(authorizationMatrix).filter((id) => !documented.includes(id)), 'rows for operations the API does not have').toEqual([]);
  });

  it('answers every operation × caller as the table says', { timeout: 300_000 }, async () => {
    const wrong: string[] = [];
    for (const { method, path, op } of operations) {
      const allowed = authorizationMatrix[op.operationId] ?? [];
      const isPublic = path.startsWith('/public/');
      for (const caller of callers) {
        const res = await callAs(caller, method, path, op);
        const may = allowed.includes(caller);
        const expected = may ? 'neither 401 nor 403, no 5xx' : caller === 'anonymous' && !isPublic ? '401' : '403';
        const ok = may ? ![401, 403].includes(res.status) && res.status < 500 : res.status === (caller === 'anonymous' && !isPublic ? 401 : 403);
        if (!ok) wrong.push(`${op.operationId} (${method.toUpperCase()} ${path}) as ${caller}: ${res.status}, expected ${expected}${res.status >= 400 ? ` — ${String(res.body?.detail ?? '').slice(0, 120)}` : ''}`);
        if (!may && res.status === 403) expect(res.body?.code, `${op.operationId} as ${caller}`).toBe('forbidden');
      }
    }
    expect(wrong).toEqual([]);
  });
});
