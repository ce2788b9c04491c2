import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog } from '../../db/schema';
import { apiClient, type ApiInit, type ApiResponse } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
const tokens: Record<'eservices' | 'union' | 'readonly', string> = { eservices: '', union: '', readonly: '' };
const sessions: Record<'caseworker' | 'billing' | 'auditor', string> = { caseworker: '', billing: '', auditor: '' };

beforeAll(async () => {
  stack = await startStack();
  [tokens.eservices, tokens.union, tokens.readonly] = await Promise.all([
    stack.token('eservices'),
    stack.token('union-015'),
    stack.token('readonly-reporting'),
  ]);
  // Sequential: each login walks the IdP's interaction flow with its own cookie jar.
  for (const user of ['caseworker', 'billing', 'auditor'] as const) sessions[user] = await stack.login(user);
  client = apiClient(stack, { as: { token: tokens.eservices } });
});
afterAll(async () => stack?.close());

/** Matches what a stack trace or a source location would leak into a response. */
const STACK_TRACE = /\n\s+at\s|\bat\s+\S+\s+\(|node_modules|[\w-]+\.(ts|js):\d+:\d+/;

/** Every error answer is problem+json, names its status and says nothing about our internals. */
function assertProblemShape(res: ApiResponse) {
  expect(res.headers.get('content-type'), `content-type of a ${res.status}`).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: res.status, title: expect.any(String), detail: expect.any(String) });
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(STACK_TRACE);
}

/** The stack's API, with the problem+json contract checked on every error it returns. */
async function call(path: string, init: ApiInit = {}): Promise<ApiResponse> {
  const res = await client.api(path, init);
  if (res.status >= 400) assertProblemShape(res);
  return res;
}

function expectProblem(res: ApiResponse, status: number, field?: string) {
  expect(res.status, res.text).toBe(status);
  if (field) expect(res.body.invalidParams?.map((p: { name: string }) => p.name)).toContain(field);
}

async function countApplications(): Promise<number> {
  const [row] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(applications);
  return row!.n;
}

/** Runs a refused request and proves it left no application behind. */
async function refusedWithoutStoring(run: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await countApplications();
  const res = await run();
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(await countApplications()).toBe(before);
  return res;
}

function submitAs(token: string, body: unknown, key: string | null = newKey()) {
  return call('/api/v1/applications', {
    method: 'POST',
    token,
    headers: key ? { 'idempotency-key': key } : {},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const submit = (body: unknown, key?: string | null) => submitAs(tokens.eservices, body, key);

describe('input validation', () => {
  it('names a wrong check character and the character it should be', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: applicationData({ identityCode: '131052-308X' }) }));
    expectProblem(res, 400, 'data.identityCode');
    expect(res.body.detail).toMatch(/check character should be T/);
  });

  it('refuses an unknown field at the top level', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: applicationData(), priority: 'high' }));
    expectProblem(res, 400, 'priority');
    expect(res.body.detail).toMatch(/unknown field "priority"/);
  });

  it('refuses an unknown field inside data', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: { ...applicationData(), foo: 1 } }));
    expectProblem(res, 400, 'data.foo');
    expect(res.body.detail).toMatch(/unknown field "foo"/);
  });

  it('refuses a value of the wrong type', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: { ...applicationData(), firstNames: 5 } }));
    expectProblem(res, 400, 'data.firstNames');
  });

  it('names a missing required field', async () => {
    const { lastName: _omitted, ...data } = applicationData();
    const res = await refusedWithoutStoring(() => submit({ data }));
    expectProblem(res, 400, 'data.lastName');
    expect(res.body.invalidParams).toContainEqual({ name: 'data.lastName', reason: 'is required', code: 'required' });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await refusedWithoutStoring(() => submit('{"data": {"identityCode": '));
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/JSON/);
  });

  it('refuses a date that does not exist', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: applicationData({ requestedStartDate: '2025-02-30' }) }));
    expectProblem(res, 400, 'data.requestedStartDate');
    expect(res.body.detail).toMatch(/real date/);
  });

  it('answers a malformed id in the path with 400, not 500', async () => {
    expectProblem(await call('/api/v1/applications/not-a-uuid', { token: tokens.eservices }), 400);
    expectProblem(await call('/api/v1/members/not-a-uuid', { cookie: sessions.caseworker }), 400);
    expectProblem(await call('/api/v1/tasks/not-a-uuid', { cookie: sessions.caseworker }), 400);
    const supplement = await call('/api/v1/applications/1%27%20OR%201=1/supplement', {
      method: 'POST',
      token: tokens.eservices,
      body: JSON.stringify({ data: { phone: '+358401111111' } }),
    });
    expectProblem(supplement, 400);
  });

  it('requires an Idempotency-Key', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: applicationData() }, null));
    expectProblem(res, 400, 'Idempotency-Key');
  });

  it('takes receivedOn only from a union', async () => {
    const res = await refusedWithoutStoring(() => submit({ data: applicationData(), receivedOn: '2025-01-02' }));
    expectProblem(res, 400);
    expect(res.body.field).toBe('receivedOn');
    expect(res.body.detail).toMatch(/only be given by a union/);
  });

  it('refuses receivedOn on the public form', async () => {
    const res = await refusedWithoutStoring(() =>
      call('/api/public/applications', {
        method: 'POST',
        headers: { 'idempotency-key': newKey() },
        body: JSON.stringify({ data: applicationData(), receivedOn: '2025-01-02' }),
      }),
    );
    expectProblem(res, 400, 'receivedOn');
  });

  it('refuses an oversized public form with 413', async () => {
    const res = await refusedWithoutStoring(() =>
      call('/api/public/applications', {
        method: 'POST',
        headers: { 'idempotency-key': newKey() },
        body: JSON.stringify({ data: applicationData({ firstNames: 'A'.repeat(40 * 1024) }) }),
      }),
    );
    expectProblem(res, 413);
  });
});

describe('access', () => {
  it('asks for credentials on every /api/v1 route', async () => {
    const submitted = await refusedWithoutStoring(() =>
      call('/api/v1/applications', { method: 'POST', headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData() }) }),
    );
    for (const res of [
      submitted,
      await call('/api/v1/applications'),
      await call('/api/v1/tasks'),
      await call(`/api/v1/members/${randomUUID()}`),
    ]) {
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses a garbage bearer token with WWW-Authenticate', async () => {
    const res = await call('/api/v1/tasks', { token: 'not.a.jwt' });
    expectProblem(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('refuses a submission from a client that may only read (403)', async () => {
    const res = await refusedWithoutStoring(() => submitAs(tokens.readonly, { data: applicationData() }));
    expectProblem(res, 403);
    expect(res.body.detail).toMatch(/applications:write/);
  });

  it("hides another client's application (404)", async () => {
    const created = await submit({ data: applicationData() });
    expect(created.status).toBe(201);
    const path = `/api/v1/applications/${created.body.id}`;
    expect((await call(path, { token: tokens.eservices })).status).toBe(200);
    expectProblem(await call(path, { token: tokens.union }), 404);
    // The reporting client has no applications:read at all: refused before any lookup.
    expectProblem(await call(path, { token: tokens.readonly }), 403);
  });

  it('lets a caseworker list the work queue', async () => {
    const res = await call('/api/v1/tasks', { cookie: sessions.caseworker });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
  });

  it('keeps the auditor out of the work queue (403)', async () => {
    expectProblem(await call('/api/v1/tasks', { cookie: sessions.auditor }), 403);
  });

  it('shows billing only the tasks that need the billing role', async () => {
    const res = await call('/api/v1/tasks', { cookie: sessions.billing });
    expect(res.status).toBe(200);
    const caseworkerQueues = ['applications', 'members'];
    expect(res.body.items.filter((t: { queue: string }) => caseworkerQueues.includes(t.queue))).toEqual([]);
  });

  describe('member data', () => {
    let memberId: string;
    let identityCode: string;

    beforeAll(async () => {
      const data = applicationData();
      identityCode = data.identityCode;
      const created = await submit({ data });
      expect(created.status).toBe(201);
      const approved = await client.waitForStatus(created.body.id, ['approved']);
      memberId = approved.memberId;
    });

    async function readAs(user: 'caseworker' | 'billing' | 'auditor') {
      return call(`/api/v1/members/${memberId}`, { cookie: sessions[user] });
    }

    async function memberReads(actor: string) {
      return stack.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.read'), eq(auditLog.actor, actor)));
    }

    it('keeps the auditor out (403)', async () => {
      expectProblem(await readAs('auditor'), 403);
    });

    it('shows billing a masked identity code and the caseworker the whole code', async () => {
      const billing = await readAs('billing');
      expect(billing.status).toBe(200);
      expect(billing.body.person.identityCode).toMatch(/^.{7}\*{4}$/);
      expect(billing.body.person.identityCode).toBe(`${identityCode.slice(0, 7)}****`);
      expect(billing.text).not.toContain(identityCode);

      const caseworker = await readAs('caseworker');
      expect(caseworker.status).toBe(200);
      expect(caseworker.body.person.identityCode).toBe(identityCode);
    });

    it('writes an audit row naming the reader for every member read', async () => {
      for (const user of ['caseworker', 'billing'] as const) {
        const me = await call('/api/v1/me', { cookie: sessions[user] });
        expect(me.status).toBe(200);
        const before = (await memberReads(me.body.id)).length;
        expect((await readAs(user)).status).toBe(200);
        expect((await readAs(user)).status).toBe(200);
        const rows = await memberReads(me.body.id);
        expect(rows).toHaveLength(before + 2);
        expect(rows.every((row) => row.actorKind === 'user' && row.entityType === 'member')).toBe(true);
      }
    });
  });
});

describe('the contract', () => {
  it('serves the OpenAPI document and the docs page with every operation', async () => {
    const doc = await call('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const docs = await call('/api/docs');
    expect(docs.status).toBe(200);
    for (const [path, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) expect(docs.text).toContain(`${method.toUpperCase()} /api${path}`);
    }
  });
});
