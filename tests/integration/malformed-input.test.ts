/**
 * Malformed input over every write route of /api/openapi.json: wrong content type, bodies that are
 * not JSON objects, missing, extra and wrongly typed fields, control characters, oversize values.
 * Each must be refused with a 4xx problem+json, never a 5xx, and leave every table as it was.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../integrations/http/contract';
import { apiClient, type ApiResponse } from '../support/api';
import { startStack, type Stack } from '../support/stack';
import { authorizationMatrix, clients, type Caller } from './authorization-matrix';

type Operation = { operationId: string; requestBody?: { content: Record<string, { example?: unknown }> } };
type Doc = { paths: Record<string, Record<string, Operation>> };
type Write = { method: string; path: string; op: Operation; mediaType: string; example: unknown };

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
const credentials = new Map<Caller, { token?: string; cookie?: string }>();
let writes: Write[] = [];

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  credentials.set('anonymous', {});
  for (const id of clients) credentials.set(id, { token: await stack.token(id) });
  for (const user of ['caseworker', 'billing', 'admin', 'supervisor'] as const) credentials.set(user, { cookie: await stack.login(user) });
  const doc = (await api('/api/openapi.json')).body as Doc;
  writes = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod)
      .filter(([, op]) => op.requestBody)
      .map(([method, op]) => {
        const [mediaType, content] = Object.entries(op.requestBody!.content)[0]!;
        return { method, path, op, mediaType, example: content.example };
      }),
  );
}, 180_000);
afterAll(async () => stack?.close());

/** Row counts of every table of the register. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await stack.db.execute<{ table_name: string }>(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const counts: Record<string, number> = {};
  for (const { table_name: t } of tables) {
    const [row] = await stack.db.execute<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM "${t}"`));
    counts[t] = row!.n;
  }
  return counts;
}

/** A caller the table lets through, so the refusal is about the input and not the caller. */
function callerFor(operationId: string): Caller {
  const allowed = authorizationMatrix[operationId] ?? [];
  const preferred: Caller[] = ['caseworker', 'billing', 'admin', 'supervisor', 'eservices', 'bank-gateway', 'union-015', 'anonymous'];
  const caller = preferred.find((c) => allowed.includes(c));
  if (!caller) throw new Error(`no caller in this test may call ${operationId}; add one`);
  return caller;
}

function concretePath(path: string): string {
  return `/api${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'year' ? '2099' : name === 'userId' ? 'malformed-nobody' : name === 'key' ? 'collection' : name === 'kind' ? 'invoice' : name === 'language' ? 'fi' : name === 'run' ? 'test-0123456789ab' : randomUUID()))}`;
}

/** Every string leaf of an example, by its path. */
function stringLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function withLeaf(example: unknown, path: (string | number)[], replace: (old: unknown) => unknown): unknown {
  const copy = structuredClone(example) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  at[last] = replace(at[last]);
  return copy;
}

const wrongType = (v: unknown): unknown => (typeof v === 'string' ? 12345 : typeof v === 'number' ? 'twelve' : typeof v === 'boolean' ? 'yes' : Array.isArray(v) ? 5 : 'not-an-object');

/** Fields whose legitimate values run past 20,000 characters (bounded by their route's body limit instead). */
const longByNature = new Set(['files.0.content']);

/** The malformed bodies of one JSON operation, each named, with the statuses and code it must answer. */
function jsonCases(example: unknown, emptyObjectAccepted = false): [string, string, number[], string?][] {
  const cases: [string, string, number[], string?][] = [
    ['not JSON', '{"data": ', [400]],
    ['an array', '[]', [400]],
    ['a string', '"x"', [400]],
    ['null', 'null', [400]],
    // An operation whose fields are all optional takes {} (and then finds no such record).
    ...(emptyObjectAccepted ? [] : ([['an empty object', '{}', [400]]] as [string, string, number[]][])),
    ['an extra field', JSON.stringify({ ...(example as object), unexpectedField: 1 }), [400]],
  ];
  if (example && typeof example === 'object') {
    for (const key of Object.keys(example)) cases.push([`${key} of the wrong type`, JSON.stringify(withLeaf(example, [key], wrongType)), [400]]);
    for (const leaf of stringLeaves(example)) {
      cases.push([`NUL in ${leaf.join('.')}`, JSON.stringify(withLeaf(example, leaf, (s) => `${String(s).slice(0, 3)}\u0000${String(s).slice(3)}`)), [400], 'control_characters']);
      cases.push([`an escape character in ${leaf.join('.')}`, JSON.stringify(withLeaf(example, leaf, (s) => `\u001b[31m${String(s)}`)), [400], 'control_characters']);
      // A file's content in base64 (a migration batch) is long by nature; its bound is the route's body limit.
      if (!longByNature.has(leaf.join('.'))) cases.push([`${leaf.join('.')} of 20,000 characters`, JSON.stringify(withLeaf(example, leaf, () => 'x'.repeat(20_000))), [400, 413]]);
    }
  }
  return cases;
}

/** A value of a closed list (language, status) with a control character is refused as not on the list. */
function closedListRefused(res: ApiResponse): boolean {
  const params = (res.body?.invalidParams ?? []) as { code?: string }[];
  return params.length > 0 && params.every((p) => p.code === 'one_of');
}

function problemOf(res: ApiResponse): string {
  return `${res.status} ${String(res.body?.code ?? '')} ${String(res.body?.detail ?? res.text).slice(0, 160)}`;
}

describe('malformed input over every write route', () => {
  it('finds the write routes', () => {
    expect(writes.length).toBeGreaterThan(15);
  });

  it('refuses each malformed request with a 4xx problem+json and stores nothing', { timeout: 600_000 }, async () => {
    const before = await rowCounts();
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const wrong: string[] = [];
    let sent = 0;
    const check = (what: string, res: ApiResponse, statuses: number[] = [], code?: string) => {
      const isProblem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
      sent += 1;
      const ok = res.status >= 400 && res.status < 500 && isProblem && (statuses.length === 0 || statuses.includes(res.status)) && (code === undefined || res.body?.code === code || closedListRefused(res));
      if (!ok) wrong.push(`${what}: ${problemOf(res)}${statuses.length ? ` (wanted ${statuses.join('/')}${code ? ` ${code}` : ''})` : ''}`);
    };
    for (const w of writes) {
      const caller = callerFor(w.op.operationId);
      const as = credentials.get(caller)!;
      const send = (body: string, contentType: string, headers: Record<string, string> = {}) =>
        api(concretePath(w.path), { method: w.method.toUpperCase(), ...as, body, headers: { 'content-type': contentType, ...headers } });
      const name = `${w.op.operationId} as ${caller}`;
      if (w.mediaType === 'application/json') {
        check(`${name} with text/plain`, await send(JSON.stringify(w.example ?? {}), 'text/plain'), [415]);
        check(`${name} with a form`, await send('a=1', 'application/x-www-form-urlencoded'), [415]);
        const contract = (routes as Record<string, { body?: { kind: string; schema?: v.GenericSchema } }>)[w.op.operationId];
        const emptyObjectAccepted = contract?.body?.kind === 'json' && v.safeParse(contract.body.schema!, {}).success;
        for (const [what, body, statuses, code] of jsonCases(w.example, emptyObjectAccepted)) check(`${name} with ${what}`, await send(body, 'application/json'), statuses, code);
      } else {
        check(`${name} with JSON`, await send('{}', 'application/json'), [415]);
        check(`${name} with a NUL-filled file`, await send('\u0000'.repeat(64), w.mediaType), [400]);
        check(`${name} with a file that is not one`, await send('<Document><unclosed>', w.mediaType), [400]);
      }
    }
    expect(wrong).toEqual([]);
    expect(sent).toBeGreaterThan(300);
    expect(await rowCounts()).toEqual(before);
  });

  it('names a bad path parameter (not "(body)")', async () => {
    const res = await api('/api/v1/members/not-a-uuid', credentials.get('caseworker'));
    expect(res.status).toBe(400);
    expect(res.body.invalidParams).toEqual([expect.objectContaining({ name: 'id', code: 'format' })]);
    const year = await api('/api/v1/fee-years/20x7', { method: 'PUT', ...credentials.get('admin'), body: '{}' });
    expect(year.status).toBe(400);
    expect(year.body.invalidParams.map((p: { name: string }) => p.name)).toContain('year');
  });

  it('refuses control characters in a path parameter and a query', async () => {
    const path = await api('/api/v1/users/a%00b/sessions', { method: 'DELETE', ...credentials.get('admin') });
    expect(path.status, path.text).toBe(400);
    expect(path.body).toMatchObject({ code: 'control_characters', invalidParams: [expect.objectContaining({ name: 'userId', code: 'control_characters' })] });
    const query = await api('/api/v1/members?q=Vir%00tanen', credentials.get('caseworker'));
    expect(query.status, query.text).toBe(400);
    expect(query.body.invalidParams).toEqual([expect.objectContaining({ name: 'q', code: 'control_characters' })]);
    const filename = await api('/api/v1/payment-files?filename=a%00.xml', { method: 'POST', ...credentials.get('bank-gateway'), body: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(filename.status, filename.text).toBe(400);
    expect(filename.body.invalidParams).toEqual([expect.objectContaining({ name: 'filename', code: 'control_characters' })]);
  });
});
