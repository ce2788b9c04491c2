import { randomInt } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInHelsinki } from '../../domain/dates';
import { auditLog } from '../../db/schema';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

/**
 * Issues 9.8, 10.2, 10.3, 10.5: identity codes stay out of URLs, queue rows say whom they are
 * about, applications in any status are found and opened, and the auditor reads the audit log.
 */
let stack: Stack;
let bearer: string;
let api: ApiClient['api'];
let waitForStatus: ApiClient['waitForStatus'];
let openTaskFor: ApiClient['openTaskFor'];
const cookies: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  bearer = await stack.token('eservices');
  ({ api, waitForStatus, openTaskFor } = apiClient(stack, { as: { token: bearer } }));
  for (const user of ['caseworker', 'supervisor', 'billing', 'admin', 'auditor']) cookies[user] = await stack.login(user);
});
afterAll(async () => stack?.close());

/** A surname no other test applicant has: letters only, so a search reads it as a name. */
function uniqueSurname(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let tail = '';
  for (let i = 0; i < 6; i++) tail += letters[randomInt(letters.length)];
  return `Löydy${tail}nen`;
}

async function submit(data = applicationData()) {
  const res = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

const post = (path: string, user: string, body: unknown) => api(path, { method: 'POST', cookie: cookies[user]!, body: JSON.stringify(body) });
const get = (path: string, user: string) => api(path, { cookie: cookies[user]! });

async function lastAudit(action: string, actor: string) {
  const [row] = await stack.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actor, actor)))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
}

describe('member search without identity codes in URLs (9.8)', () => {
  it('refuses an identity code in GET /members?q= and finds it through POST /members/search', async () => {
    const data = applicationData({ lastName: uniqueSurname() });
    const id = await submit(data);
    const { memberId } = await waitForStatus(id, ['approved'], { timeoutMs: 60_000 });

    const before = await lastAudit('member.search', 'caseworker');
    for (const q of [data.identityCode, data.identityCode.toLowerCase(), data.identityCode.slice(0, 8)]) {
      const refused = await get(`/api/v1/members?q=${encodeURIComponent(q)}`, 'caseworker');
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'identity_code_in_url', invalidParams: [{ name: 'q', code: 'identity_code_in_url' }] });
      expect(refused.text).not.toContain(data.identityCode);
    }
    // Refused before anything was searched: nothing audited.
    expect((await lastAudit('member.search', 'caseworker'))?.id).toBe(before?.id);

    const found = await post('/api/v1/members/search', 'caseworker', { q: data.identityCode, limit: 5 });
    expect(found.status).toBe(200);
    expect(found.body.kind).toBe('identity-code');
    expect(found.body.items).toEqual([expect.objectContaining({ id: memberId, identityCode: data.identityCode })]);
    const audited = await lastAudit('member.search', 'caseworker');
    expect(audited?.details).toEqual({ kind: 'identity-code', results: 1 });
    expect(JSON.stringify(audited)).not.toContain(data.identityCode);

    // Names and numbers still work in the query string.
    const byName = await get(`/api/v1/members?q=${encodeURIComponent(data.lastName)}`, 'caseworker');
    expect(byName.body.items.map((i: { id: string }) => i.id)).toContain(memberId);

    const masked = await post('/api/v1/members/search', 'billing', { q: data.identityCode });
    expect(masked.body.items[0].identityCode).toMatch(/\*{4}$/);
  });

  it('answers search_query_too_short, a 400 for a malformed body, and 403 for the auditor', async () => {
    const short = await post('/api/v1/members/search', 'caseworker', { q: 'a' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'search_query_too_short', params: { min: 2 } });
    expect((await post('/api/v1/members/search', 'caseworker', { q: 'Virtanen', limit: 500 })).status).toBe(400);
    expect((await post('/api/v1/members/search', 'caseworker', { query: 'Virtanen' })).status).toBe(400);
    expect((await post('/api/v1/members/search', 'auditor', { q: 'Virtanen' })).status).toBe(403);
    const anonymous = await api('/api/v1/members/search', { method: 'POST', body: JSON.stringify({ q: 'Virtanen' }) });
    expect(anonymous.status).toBe(401);
  });
});

describe('applications in progress are found and opened (10.3)', () => {
  it('finds an application waiting for a supplement by id, identity code and name, and shows it on one page', async () => {
    const data = applicationData({ lastName: uniqueSurname(), firstNames: 'Täydentävä', employment: { status: 'employed' } });
    const id = await submit(data);
    await waitForStatus(id, ['awaiting-supplement']);

    // Not in any queue: the supplement is the applicant's to send.
    const queue = await get('/api/v1/tasks?limit=200', 'caseworker');
    expect(queue.body.items.map((t: { subject: { id: string } }) => t.subject.id)).not.toContain(id);

    for (const [q, kind] of [
      [id.toUpperCase(), 'application-id'],
      [data.identityCode, 'identity-code'],
      [`${data.lastName.toLowerCase()} täydentävä`, 'name'],
    ] as const) {
      const found = await post('/api/v1/applications/search', 'caseworker', { q });
      expect(found.status, q).toBe(200);
      expect(found.body.kind).toBe(kind);
      expect(found.body.items).toEqual([
        { id, applicant: { name: `${data.lastName} Täydentävä`, identityCode: data.identityCode }, status: 'awaiting-supplement', channel: 'e-services', receivedOn: expect.any(String), memberId: null, openTaskId: null },
      ]);
    }
    const audited = await lastAudit('application.search', 'caseworker');
    expect(audited?.details).toEqual({ kind: 'name', results: 1 });

    // Administrators find it with the code masked; a number names no application.
    const admin = await post('/api/v1/applications/search', 'admin', { q: id });
    expect(admin.body.items[0].applicant.identityCode).toMatch(/\*{4}$/);
    const byNumber = await post('/api/v1/applications/search', 'caseworker', { q: '100001' });
    expect(byNumber.body).toEqual({ kind: 'none', items: [] });
    const fragment = await post('/api/v1/applications/search', 'caseworker', { q: id.slice(0, 13) });
    expect(fragment.body.items).toEqual([]);

    const overview = await get(`/api/v1/applications/${id}/overview?lang=en`, 'caseworker');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      id,
      status: 'awaiting-supplement',
      channel: 'e-services',
      applicant: { name: `${data.lastName} Täydentävä`, identityCode: data.identityCode },
      completionRounds: 1,
      findings: [{ code: 'employer-missing', severity: 'missing' }],
      tasks: [],
    });
    expect(overview.body.completionDeadline).toEqual(expect.any(String));
    const history = overview.body.history.map((h: { kind: string; code: string }) => `${h.kind}:${h.code}`);
    expect(history).toEqual(expect.arrayContaining(['event:application.submitted', 'event:application.completion-requested', 'message:completion-request']));
    // Reads are audited, but not part of the application's history.
    expect(history.filter((h: string) => h.endsWith('.read'))).toEqual([]);
    expect((await lastAudit('application.read', 'caseworker'))?.details).toEqual({ view: 'overview' });
  });

  it('links an application in review to its open task', async () => {
    const id = await submit(applicationData({ lastName: uniqueSurname(), employment: { status: 'unemployed' } }));
    await waitForStatus(id, ['in-review']);
    const task = await openTaskFor(id);
    const found = await post('/api/v1/applications/search', 'supervisor', { q: id });
    expect(found.body.items[0].openTaskId).toBe(task.id);
    const overview = await get(`/api/v1/applications/${id}/overview`, 'supervisor');
    expect(overview.body.tasks).toEqual([expect.objectContaining({ id: task.id, kind: 'application-review', status: 'open', outcome: null })]);
  });

  it('lets only caseworkers, supervisors and administrators search and open applications', async () => {
    const id = await submit(applicationData({ lastName: uniqueSurname() }));
    for (const user of ['billing', 'auditor']) {
      expect((await post('/api/v1/applications/search', user, { q: id })).status, user).toBe(403);
      expect((await get(`/api/v1/applications/${id}/overview`, user)).status, user).toBe(403);
    }
    const client = await api('/api/v1/applications/search', { method: 'POST', token: bearer, body: JSON.stringify({ q: id }) });
    expect(client.status).toBe(403);
    expect((await get('/api/v1/applications/00000000-0000-4000-8000-000000000000/overview', 'caseworker')).status).toBe(404);
    expect((await get('/api/v1/applications/not-an-id/overview', 'caseworker')).status).toBe(400);
    const short = await post('/api/v1/applications/search', 'caseworker', { q: ' x ' });
    expect(short.body.code).toBe('search_query_too_short');
  });
});

describe('work-queue rows say whom they are about (10.2)', () => {
  it('carries the applicant, received date, channel and age, and audits the listing', async () => {
    const data = applicationData({ lastName: uniqueSurname(), firstNames: 'Jonottava', employment: { status: 'unemployed' } });
    const id = await submit(data);
    await waitForStatus(id, ['in-review']);
    const task = await openTaskFor(id);
    const list = await get('/api/v1/tasks?kind=application-review&limit=200', 'caseworker');
    expect(list.status).toBe(200);
    const row = list.body.items.find((t: { id: string }) => t.id === task.id);
    expect(row).toMatchObject({ about: { name: `${data.lastName} Jonottava`, receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), channel: 'e-services' }, ageDays: 0 });
    expect((await lastAudit('task.listed', 'caseworker'))?.details).toMatchObject({ kind: 'application-review', results: expect.any(Number) });

    const detail = await get(`/api/v1/tasks/${task.id}`, 'caseworker');
    expect(detail.body.task.about.name).toBe(`${data.lastName} Jonottava`);
  });
});

describe('the audit log (10.5)', () => {
  it('gives the auditor the log by member, user, event and time, as JSON and CSV, and audits the reading', async () => {
    const data = applicationData({ lastName: uniqueSurname() });
    const id = await submit(data);
    const { memberId } = await waitForStatus(id, ['approved'], { timeoutMs: 60_000 });
    const overview = await get(`/api/v1/members/${memberId}/overview`, 'supervisor');
    expect(overview.status).toBe(200);

    const byMember = await get(`/api/v1/audit-log?memberId=${memberId}`, 'auditor');
    expect(byMember.status).toBe(200);
    const events = byMember.body.items.map((e: { event: string }) => e.event);
    // The member's own events and those of their application.
    expect(events).toEqual(expect.arrayContaining(['member.read', 'application.submitted', 'application.approved']));
    expect(byMember.body.items[0]).toMatchObject({ id: expect.any(Number), at: expect.any(String), actor: expect.any(String), actorKind: expect.any(String) });
    // Newest first.
    const times = byMember.body.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);

    // The member by their number: the same entries; an unknown number finds nothing.
    const byNumber = await get(`/api/v1/audit-log?memberNumber=${overview.body.memberNumber}`, 'auditor');
    expect(byNumber.body.items.map((e: { id: number }) => e.id)).toEqual(byMember.body.items.map((e: { id: number }) => e.id));
    expect((await get('/api/v1/audit-log?memberNumber=999999999999', 'auditor')).body.items).toEqual([]);

    const byUser = await get(`/api/v1/audit-log?memberId=${memberId}&user=supervisor&event=member.read`, 'auditor');
    expect(byUser.body.items).toEqual([expect.objectContaining({ actor: 'supervisor', event: 'member.read', entityType: 'member', entityId: memberId, details: { view: 'overview' } })]);

    const today = todayInHelsinki(); // a date in the audit filter is a Helsinki day
    const inRange = await get(`/api/v1/audit-log?memberId=${memberId}&from=2000-01-01&to=2099-12-31`, 'auditor');
    expect(inRange.body.items.length).toBe(byMember.body.items.length);
    const before = await get(`/api/v1/audit-log?memberId=${memberId}&to=2000-01-01`, 'auditor');
    expect(before.body).toEqual({ items: [], nextOffset: null });
    const oneDay = await get(`/api/v1/audit-log?user=supervisor&from=${today}&to=${today}&limit=1`, 'auditor');
    expect(oneDay.body.items).toHaveLength(1);

    const paged = await get(`/api/v1/audit-log?memberId=${memberId}&limit=1`, 'auditor');
    expect(paged.body.nextOffset).toBe(1);
    const second = await get(`/api/v1/audit-log?memberId=${memberId}&limit=1&offset=1`, 'auditor');
    expect(second.body.items[0].id).not.toBe(paged.body.items[0].id);

    const csv = await get(`/api/v1/audit-log?memberId=${memberId}&format=csv`, 'auditor');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="audit-log.csv"/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('at,actor,actor_kind,event,entity_type,entity_id,details');
    expect(lines.length).toBeGreaterThan(byMember.body.items.length);

    const read = await lastAudit('audit-log.read', 'auditor');
    expect(read).toMatchObject({ entityType: 'audit-log' });
    expect((await lastAudit('audit-log.exported', 'auditor'))?.entityId).toBe(memberId);
    // The log holds no personal data of the member.
    expect(JSON.stringify(byMember.body)).not.toContain(data.identityCode);
  });

  it('refuses other roles and clients, a reversed range and malformed filters', async () => {
    for (const user of ['caseworker', 'supervisor', 'billing', 'admin']) expect((await get('/api/v1/audit-log', user)).status, user).toBe(403);
    expect((await api('/api/v1/audit-log', { token: bearer })).status).toBe(403);
    expect((await api('/api/v1/audit-log')).status).toBe(401);
    const reversed = await get('/api/v1/audit-log?from=2025-03-02&to=2025-03-01', 'auditor');
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('date_range_reversed');
    for (const bad of ['memberId=x', 'memberNumber=12a', 'from=2025-13-01', 'limit=0', 'limit=201', 'format=xml', 'event=DROP TABLE', 'who=me']) {
      expect((await get(`/api/v1/audit-log?${bad}`, 'auditor')).status, bad).toBe(400);
    }
  });
});

describe('report ranges', () => {
  it('answers date_range_reversed for a report whose range runs backwards', async () => {
    const res = await get('/api/v1/reports/fee-income?from=2025-03-01&to=2025-01-01', 'billing');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('date_range_reversed');
  });
});
