import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, members, membershipPeriods, messages, tasks } from '../../db/schema';
import { formatHelsinkiDate } from '../../domain/localized';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let bearer: string;
let api: ApiClient['api'];
let waitForStatus: ApiClient['waitForStatus'];
let openTaskFor: ApiClient['openTaskFor'];

// The fund's own completion deadline (14 days): a supplement sent by the test always arrives in time.
beforeAll(async () => {
  stack = await startStack();
  bearer = await stack.token('eservices');
  ({ api, waitForStatus, openTaskFor } = apiClient(stack, { as: { token: bearer } }));
});
afterAll(async () => stack?.close());

async function submit(data = applicationData(), key = newKey()) {
  return api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': key }, body: JSON.stringify({ data }) });
}

describe('application intake', () => {
  it('approves a clean application automatically and creates member, period and decision message', async () => {
    const data = applicationData();
    const res = await submit(data);
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/applications/${res.body.id}`);
    const done = await waitForStatus(res.body.id, ['approved']);
    expect(done.decision).toMatchObject({ outcome: 'approved', automatic: true });
    expect(done.startDate).toBe(done.receivedOn);

    const [period] = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id));
    expect(period?.startDate).toBe(done.receivedOn);
    expect(period?.memberId).toBe(done.memberId);
    const sent = await stack.db.select().from(messages).where(eq(messages.applicationId, res.body.id));
    expect(sent.map((m) => m.kind)).toEqual(['application-approved']);
    await expect.poll(() => stack.messaging.delivered.get(`application/${res.body.id}/decision`)?.channel, { timeout: 15_000 }).toBe('email');
  });

  it('gives the same application for the same idempotency key, never two', async () => {
    const data = applicationData();
    const key = newKey();
    const [a, b] = await Promise.all([submit(data, key), submit(data, key)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const rows = await stack.db.select().from(applications).where(eq(applications.identityCode, data.identityCode));
    expect(rows).toHaveLength(1);
    await waitForStatus(a.body.id, ['approved']);
    const again = await submit(data, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(a.body.id);
    const memberRows = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, a.body.id));
    expect(memberRows).toHaveLength(1);
  });

  it('refuses a reused idempotency key with different content (409)', async () => {
    const key = newKey();
    await submit(applicationData(), key);
    const res = await submit(applicationData(), key);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/already used/);
  });

  it('sends a completion request and re-validates after the supplement', async () => {
    const res = await submit(applicationData({ employment: { status: 'employed' } }));
    const waiting = await waitForStatus(res.body.id, ['awaiting-supplement']);
    expect(waiting.findings.map((f: { code: string }) => f.code)).toEqual(['employer-missing']);
    const request = await stack.db.select().from(messages).where(eq(messages.applicationId, res.body.id));
    expect(request[0]?.kind).toBe('completion-request');
    expect(request[0]?.body).toContain(`/forms/supplement/${res.body.id}`);
    // The deadline as a Finnish letter prints it: the day in Helsinki, not in UTC.
    expect(request[0]?.body).toContain(`viimeistään ${formatHelsinkiDate(new Date(waiting.completionDeadline), 'fi')} osoitteessa`);

    const supplement = await api(`/api/v1/applications/${res.body.id}/supplement`, {
      method: 'POST',
      token: bearer,
      body: JSON.stringify({ data: { employment: { employer: 'Uusi Työnantaja Oy' } } }),
    });
    expect(supplement.status).toBe(200);
    const done = await waitForStatus(res.body.id, ['approved']);
    expect(done.findings).toEqual([]);

    const late = await api(`/api/v1/applications/${res.body.id}/supplement`, {
      method: 'POST',
      token: bearer,
      body: JSON.stringify({ data: { phone: '+358401111111' } }),
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/not waiting for a supplement/);
  });

  it('lets a caseworker reject with a reason; the message carries appeal instructions', async () => {
    const res = await submit(applicationData({ employment: { status: 'unemployed' } }));
    await waitForStatus(res.body.id, ['in-review']);
    const task = await openTaskFor(res.body.id);
    const cookie = await stack.login('caseworker');

    const detail = await api(`/api/v1/tasks/${task.id}`, { cookie });
    expect(detail.status).toBe(200);
    expect(detail.body.application.findings.map((f: { code: string }) => f.code)).toContain('not-employed');

    const noReason = await api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie, body: JSON.stringify({ decision: 'reject' }) });
    expect(noReason.status).toBe(409);
    expect(noReason.body.detail).toMatch(/needs a reason/);

    const decided = await api(`/api/v1/tasks/${task.id}/decision`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ decision: 'reject', reason: 'Hakija ei ole työssä liittymispäivänä.' }),
    });
    expect(decided.status).toBe(200);
    expect(decided.body.outcome).toBe('rejected');
    const done = await waitForStatus(res.body.id, ['rejected']);
    expect(done.decision.reason).toBe('Hakija ei ole työssä liittymispäivänä.');
    const [msg] = await stack.db.select().from(messages).where(eq(messages.applicationId, res.body.id));
    expect(msg?.kind).toBe('application-rejected');
    expect(msg?.body).toMatch(/muutoksenhakulautakun/i);
    const [closed] = await stack.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(closed?.status).toBe('closed');
    expect(await stack.db.select().from(members).where(eq(members.id, done.memberId ?? '00000000-0000-0000-0000-000000000000'))).toEqual([]);
  });

  it('accepts exactly one of two concurrent decisions (200 and 409)', async () => {
    const res = await submit(applicationData({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }));
    await waitForStatus(res.body.id, ['in-review']);
    const task = await openTaskFor(res.body.id);
    const [caseworker, supervisor] = await Promise.all([stack.login('caseworker'), stack.login('supervisor')]);
    const [a, b] = await Promise.all([
      api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'approve' }) }),
      api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: supervisor, body: JSON.stringify({ decision: 'reject', reason: 'Yrittäjä' }) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.detail).toMatch(/already|no longer|closed/);
    const done = await waitForStatus(res.body.id, ['approved', 'rejected']);
    const periods = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id));
    expect(periods).toHaveLength(done.status === 'approved' ? 1 : 0);
    const audits = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, task.id));
    expect(audits.filter((row) => row.action === 'task.decided')).toHaveLength(1);
  });
});

describe('application intake when the completion deadline passes', () => {
  // A deadline of zero has passed when the workflow computes it: the unanswered request goes to a
  // caseworker whatever the machine's speed, and the test waits only for that end state.
  let expiring: Stack;
  let client: ApiClient;
  beforeAll(async () => {
    expiring = await startStack({ intake: { completionDeadline: '0s' } });
    client = apiClient(expiring, { as: { token: bearer } });
  });
  afterAll(async () => expiring?.close());

  it('sends an unanswered completion request to a caseworker', async () => {
    const res = await client.api('/api/v1/applications', {
      method: 'POST',
      token: bearer,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ data: applicationData({ employment: { status: 'employed' } }) }),
    });
    expect(res.status).toBe(201);
    const review = await client.waitForStatus(res.body.id, ['in-review']);
    expect(review.findings.map((f: { code: string }) => f.code)).toEqual(['employer-missing']);
    const sent = await expiring.db.select().from(messages).where(eq(messages.applicationId, res.body.id));
    expect(sent.map((m) => m.kind)).toEqual(['completion-request']);
    const task = await client.openTaskFor(res.body.id);
    expect(task.title).toBe('completion-expired');
    expect(task.requiredRole).toBe('caseworker');
    const late = await client.api(`/api/v1/applications/${res.body.id}/supplement`, {
      method: 'POST',
      token: bearer,
      body: JSON.stringify({ data: { employment: { employer: 'Liian Myöhään Oy' } } }),
    });
    expect(late.status).toBe(409);
  });
});
