import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, membershipPeriods, messages, resignations } from '../../db/schema';
import { submitResignation } from '../../services/membershipEvents';
import type { Principal } from '../../services/principal';
import { apiClient } from '../support/api';
import { applicationData, newKey, uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let eservices: string;
let union: string;
let caseworker: string;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  [eservices, union] = await Promise.all([stack.token('eservices'), stack.token('union-015')]);
  caseworker = await stack.login('caseworker');
  client = apiClient(stack, { as: { token: eservices } });
}, 120_000);
afterAll(async () => stack?.close());

/** The processes run on the worker: give them time on a busy machine. */
const slow = { timeout: 30_000, interval: 100 };

async function newMember(overrides = {}, token = eservices) {
  const data = applicationData(overrides);
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status).toBe(201);
  // Each client sees only its own applications.
  const done = await apiClient(stack, { as: { token } }).waitForStatus(res.body.id, ['approved']);
  return { memberId: done.memberId as string, data };
}

const resignationsOf = (memberId: string) => stack.db.select().from(resignations).where(eq(resignations.memberId, memberId));
const periodsOf = (memberId: string) => stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
const messagesOf = (memberId: string) => stack.db.select().from(messages).where(eq(messages.memberId, memberId));
const auditOf = (memberId: string) => stack.db.select().from(auditLog).where(eq(auditLog.entityId, memberId));

async function publicResign(identityCode: string, lastName: string) {
  const started = Date.now();
  const res = await client.api('/api/public/resignations', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), identityCode, lastName }) });
  return { ...res, ms: Date.now() - started };
}

/** The member's open request, once its process has sent the confirmation message; and the link's token. */
async function requestedWithToken(memberId: string) {
  await expect.poll(async () => (await messagesOf(memberId)).find((m) => m.kind === 'resignation-confirmation-request')?.status, slow).toBe('sent');
  const message = (await messagesOf(memberId)).find((m) => m.kind === 'resignation-confirmation-request')!;
  const url = /(https?:\/\/\S+\/resign\/confirm\?token=\S+)/.exec(message.body)?.[1];
  expect(url).toBeTruthy();
  const token = decodeURIComponent(new URL(url!).searchParams.get('token')!);
  const [request] = await resignationsOf(memberId);
  return { request: request!, token, message };
}

describe('the public resignation form', () => {
  it('answers the same, no sooner than the floor, for a member, a wrong surname and a non-member; only the member gets a request', async () => {
    const { memberId, data } = await newMember();
    const other = await newMember();
    const member = await publicResign(data.identityCode, data.lastName.toUpperCase());
    const wrongSurname = await publicResign(other.data.identityCode, 'Väärä');
    const nobody = await publicResign(uniqueIdentityCode(), 'Ketään');
    for (const res of [member, wrongSurname, nobody]) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ status: 'received' });
      expect(res.ms).toBeGreaterThanOrEqual(stack.ctx.publicAnswerFloorMs - 5);
    }
    // Nothing is stored for the refused ones.
    expect(await resignationsOf(other.memberId)).toHaveLength(0);
    expect((await auditOf(other.memberId)).filter((a) => a.action.startsWith('member.resignation'))).toEqual([]);

    const { request, message } = await requestedWithToken(memberId);
    expect(request).toMatchObject({ status: 'requested', channel: 'resignation-form', receivedOn: stack.ctx.today() });
    expect(request.confirmationExpiresAt!.getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);
    // The link goes only to the contact details on record; nothing of the membership changed.
    expect(message.recipient).toMatchObject({ email: data.email });
    expect((await periodsOf(memberId))[0]?.endDate).toBeNull();

    // A second form while one request is open sends no second link.
    const again = await publicResign(data.identityCode, data.lastName);
    expect(again.body).toEqual({ status: 'received' });
    expect(await resignationsOf(memberId)).toHaveLength(1);
  }, 120_000);

  it('confirms through the link: the preview shows dates only, the resignation takes effect received on the day of the request', async () => {
    const { memberId, data } = await newMember();
    await publicResign(data.identityCode, data.lastName);
    const { request, token } = await requestedWithToken(memberId);

    const bad = await client.api('/api/public/resignation-confirmations/preview', { method: 'POST', body: JSON.stringify({ token: `${token.slice(0, -2)}xx` }) });
    expect(bad.status).toBe(403);
    expect(bad.body.code).toBe('resignation_link_invalid');

    const preview = await client.api('/api/public/resignation-confirmations/preview', { method: 'POST', body: JSON.stringify({ token }) });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ state: 'awaiting-confirmation', receivedOn: request.receivedOn, endDate: request.endDate, feeOwedUntil: request.feeOwedUntil });
    expect(Object.keys(preview.body).sort()).toEqual(['endDate', 'expiresAt', 'feeOwedUntil', 'receivedOn', 'state']);
    expect(JSON.stringify(preview.body)).not.toContain(data.lastName);

    const confirmed = await client.api('/api/public/resignation-confirmations', { method: 'POST', body: JSON.stringify({ token }) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('confirmed');
    await expect.poll(async () => (await periodsOf(memberId))[0]?.endDate, slow).toBe(request.receivedOn);
    const [after] = await resignationsOf(memberId);
    expect(after).toMatchObject({ status: 'pending', receivedOn: request.receivedOn, decidedBy: 'public' });
    await expect.poll(async () => (await messagesOf(memberId)).find((m) => m.kind === 'resignation-confirmed')?.status, slow).toBe('sent');
    const twice = await client.api('/api/public/resignation-confirmations', { method: 'POST', body: JSON.stringify({ token }) });
    expect(twice.status).toBe(200);
    expect(twice.body.state).toBe('confirmed');
    const actions = (await auditOf(memberId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['member.resignation-requested', 'member.resignation-confirmation-sent', 'member.resignation-request-viewed', 'member.resignation-request-confirmed']));
  }, 120_000);

  it('lets a caseworker confirm a request, or reject one with a reason (the membership continues)', async () => {
    const a = await newMember();
    const b = await newMember();
    await publicResign(a.data.identityCode, a.data.lastName);
    await publicResign(b.data.identityCode, b.data.lastName);
    const ra = (await requestedWithToken(a.memberId)).request;
    const rb = (await requestedWithToken(b.memberId)).request;

    const byClient = await client.api(`/api/v1/members/${a.memberId}/resignations/${ra.id}/confirm`, { method: 'POST', token: eservices, body: JSON.stringify({}) });
    expect(byClient.status).toBe(403);
    const confirmed = await client.api(`/api/v1/members/${a.memberId}/resignations/${ra.id}/confirm`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen vahvisti puhelimessa' }) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'pending', receivedOn: ra.receivedOn });
    await expect.poll(async () => (await periodsOf(a.memberId))[0]?.endDate, slow).toBe(ra.endDate);
    const again = await client.api(`/api/v1/members/${a.memberId}/resignations/${ra.id}/confirm`, { method: 'POST', cookie: caseworker, body: JSON.stringify({}) });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('resignation_request_closed');

    const noReason = await client.api(`/api/v1/members/${b.memberId}/resignations/${rb.id}/reject`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: ' ' }) });
    expect(noReason.status).toBe(400);
    const rejected = await client.api(`/api/v1/members/${b.memberId}/resignations/${rb.id}/reject`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen ei tehnyt ilmoitusta' }) });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: 'Jäsen ei tehnyt ilmoitusta' });
    await expect.poll(async () => (await stack.ctx.temporal.workflow.getHandle(rb.workflowId).describe()).status.name, slow).toBe('COMPLETED');
    expect((await periodsOf(b.memberId))[0]?.endDate).toBeNull();
    const { token } = await requestedWithToken(b.memberId);
    const late = await client.api('/api/public/resignation-confirmations', { method: 'POST', body: JSON.stringify({ token }) });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('resignation_request_closed');
    const audit = await auditOf(b.memberId);
    expect(audit.find((x) => x.action === 'member.resignation-request-rejected')?.details).toMatchObject({ reason: 'Jäsen ei tehnyt ilmoitusta' });
    // Shown on the member page; the message history shows that a link was sent, not the link's token.
    const overview = await client.api(`/api/v1/members/${b.memberId}/overview`, { cookie: caseworker });
    expect(overview.body.resignations[0]).toMatchObject({ status: 'rejected', channel: 'resignation-form', decisionReason: 'Jäsen ei tehnyt ilmoitusta' });
    const linkMessage = overview.body.messages.find((m: { kind: string }) => m.kind === 'resignation-confirmation-request');
    expect(linkMessage.body).toContain('/resign/confirm?token=…');
    expect(linkMessage.body).not.toContain(token);
  }, 120_000);
});

describe('an unconfirmed request', () => {
  let short: Stack;
  beforeAll(async () => {
    short = await startStack({ membership: { resignationConfirmationValidity: '3s' } });
  }, 120_000);
  afterAll(async () => short?.close());

  it('expires after the validity: the membership continues and the link says so', async () => {
    const api = apiClient(short, { as: { token: eservices } });
    const data = applicationData();
    const app = await api.api('/api/v1/applications', { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
    const memberId = (await api.waitForStatus(app.body.id, ['approved'])).memberId as string;
    const res = await api.api('/api/public/resignations', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), identityCode: data.identityCode, lastName: data.lastName }) });
    expect(res.status).toBe(202);
    const rows = () => short.db.select().from(resignations).where(eq(resignations.memberId, memberId));
    await expect.poll(async () => (await rows())[0]?.status, slow).toBe('expired');
    const message = (await short.db.select().from(messages).where(and(eq(messages.memberId, memberId), eq(messages.kind, 'resignation-confirmation-request'))))[0]!;
    const token = decodeURIComponent(new URL(/(https?:\/\/\S+)/.exec(message.body)![1]!).searchParams.get('token')!);
    const late = await api.api('/api/public/resignation-confirmations', { method: 'POST', body: JSON.stringify({ token }) });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('resignation_request_expired');
    const periods = await short.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
    expect(periods[0]?.endDate).toBeNull();
    const audit = await short.db.select().from(auditLog).where(eq(auditLog.entityId, memberId));
    expect(audit.map((a) => a.action)).toContain('member.resignation-request-expired');
  }, 120_000);
});

describe('integration clients act only on their own members', () => {
  it('e-services must name the logged-in member: missing 400 subject_required, another member 403 subject_mismatch; nothing stored', async () => {
    const { memberId, data } = await newMember();
    const other = await newMember();
    const path = `/api/v1/members/${memberId}/resignations`;
    const missing = await client.api(path, { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({}) });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('subject_required');
    const mismatch = await client.api(path, { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: other.data.identityCode }) });
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.code).toBe('subject_mismatch');
    const switchMissing = await client.api(`/api/v1/members/${memberId}/fund-switch`, {
      method: 'POST',
      token: eservices,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ newFund: 'Esimerkkikassa', newFundStartDate: '2030-01-01' }),
    });
    expect(switchMissing.status).toBe(400);
    expect(switchMissing.body.code).toBe('subject_required');
    expect(await resignationsOf(memberId)).toHaveLength(0);
    const own = await client.api(path, { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    expect(own.status).toBe(201);
  }, 120_000);

  it('a union acts only on members of its union_code: 403 member_not_of_union; a union token without the claim 403 union_code_missing', async () => {
    const notOurs = await newMember();
    const ours = await newMember({ unionCode: '015' }, union);
    const refused = await client.api(`/api/v1/members/${notOurs.memberId}/fund-switch`, {
      method: 'POST',
      token: union,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ newFund: 'Esimerkkikassa', newFundStartDate: '2030-01-01' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('member_not_of_union');
    expect(await resignationsOf(notOurs.memberId)).toHaveLength(0);
    const accepted = await client.api(`/api/v1/members/${ours.memberId}/resignations`, { method: 'POST', token: union, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({}) });
    expect(accepted.status).toBe(201);

    // A client the IdP gave no union code, and a client of another channel: the service refuses both.
    const unionWithoutCode: Principal = { kind: 'client', id: 'union-x', channel: 'union', scopes: ['members:write'] };
    await expect(submitResignation(stack.ctx, unionWithoutCode, notOurs.memberId, 'resignation', { idempotencyKey: newKey() })).rejects.toMatchObject({ status: 403, code: 'union_code_missing' });
    const reporting: Principal = { kind: 'client', id: 'reporting-x', channel: 'reporting', scopes: ['members:write'] };
    await expect(submitResignation(stack.ctx, reporting, notOurs.memberId, 'resignation', { idempotencyKey: newKey() })).rejects.toMatchObject({ status: 403, code: 'client_may_not_act_on_members' });
    expect(await resignationsOf(notOurs.memberId)).toHaveLength(0);
  }, 120_000);
});

describe('withdrawing a resignation', () => {
  it('needs a reason, is audited with it, and sends the member a confirmation', async () => {
    const { memberId, data } = await newMember();
    const res = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    expect(res.status).toBe(201);
    await expect.poll(async () => (await periodsOf(memberId))[0]?.endDate, slow).toBe(res.body.endDate);
    const path = `/api/v1/members/${memberId}/resignations/${res.body.id}/withdraw`;
    const noReason = await client.api(path, { method: 'POST', cookie: caseworker, body: JSON.stringify({}) });
    expect(noReason.status).toBe(400);
    expect(noReason.body.invalidParams[0].name).toBe('reason');
    const withdrawn = await client.api(path, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen perui eron puhelimessa' }) });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'Jäsen perui eron puhelimessa' });
    expect((await periodsOf(memberId))[0]?.endDate).toBeNull();
    const audit = await auditOf(memberId);
    expect(audit.find((a) => a.action === 'member.resignation-withdrawn')).toMatchObject({ actorKind: 'user', details: { resignationId: res.body.id, reason: 'Jäsen perui eron puhelimessa' } });
    await expect.poll(async () => (await messagesOf(memberId)).find((m) => m.kind === 'resignation-withdrawn')?.status, slow).toBe('sent');
    const message = (await messagesOf(memberId)).find((m) => m.kind === 'resignation-withdrawn')!;
    expect(message.body).toContain('Jäsenyytesi jatkuu');
  }, 120_000);
});
