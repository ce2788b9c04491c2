import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, memberChanges, membershipPeriods, messages, persons, resignations } from '../../db/schema';
import { createReferenceNumber, formatReferenceNumber, invoiceReference, memberReferenceBase } from '../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../domain/billing/rfReference';
import { addDays, endOfMonth } from '../../domain/dates';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
let caseworker: string;
let supervisor: string;
let billing: string;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('eservices');
  [caseworker, supervisor, billing] = await Promise.all([stack.login('caseworker'), stack.login('supervisor'), stack.login('billing')]);
  client = apiClient(stack, { as: { token } });
});
afterAll(async () => stack?.close());

async function newMember(overrides = {}) {
  const data = applicationData(overrides);
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status).toBe(201);
  const done = await client.waitForStatus(res.body.id, ['approved']);
  return { memberId: done.memberId as string, data, startDate: done.startDate as string };
}

async function periodsOf(memberId: string) {
  return stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
}

async function messagesOf(memberId: string) {
  return stack.db.select().from(messages).where(eq(messages.memberId, memberId));
}

/** The processes run on the worker: give them time on a busy machine. */
const slow = { timeout: 15_000, interval: 100 };

describe('resignation', () => {
  it('ends the membership on the day the notice is received when no later date is asked, fee owed to month end', async () => {
    const { memberId, data } = await newMember();
    const today = stack.ctx.today();
    const res = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    expect(res.status).toBe(201);
    expect(res.body.endDate).toBe(today);
    expect(res.body.feeOwedUntil).toBe(endOfMonth(today));
    await expect.poll(async () => (await periodsOf(memberId))[0], slow).toMatchObject({ endDate: today, endReason: 'resignation' });
    const confirmation = async () => (await messagesOf(memberId)).find((m) => m.kind === 'resignation-confirmed');
    await expect.poll(async () => (await confirmation())?.status, slow).toBe('sent');
    expect((await confirmation())?.body).toBeTruthy();
  });

  it('honours a later requested end date and can be withdrawn inside the window', async () => {
    const { memberId, data } = await newMember();
    const later = addDays(stack.ctx.today(), 40);
    const key = newKey();
    const res = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': key }, body: JSON.stringify({ requestedEndDate: later, subjectIdentityCode: data.identityCode }) });
    expect(res.body.endDate).toBe(later);
    const again = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': key }, body: JSON.stringify({ requestedEndDate: later, subjectIdentityCode: data.identityCode }) });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    expect(await stack.db.select().from(resignations).where(eq(resignations.memberId, memberId))).toHaveLength(1);
    await expect.poll(async () => (await periodsOf(memberId))[0]?.endDate, slow).toBe(later);

    const withdrawn = await client.api(`/api/v1/members/${memberId}/resignations/${res.body.id}/withdraw`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen soitti' }) });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await periodsOf(memberId))[0]?.endDate).toBeNull();
    const twice = await client.api(`/api/v1/members/${memberId}/resignations/${res.body.id}/withdraw`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen soitti' }) });
    expect(twice.status).toBe(409);
  });

  it('refuses a resignation from an ended membership (409) and a requested date in bad form (400)', async () => {
    const { memberId, data } = await newMember();
    const bad = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ requestedEndDate: '2026-02-30', subjectIdentityCode: data.identityCode }) });
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams[0].name).toBe('requestedEndDate');
    const yesterday = addDays(stack.ctx.today(), -1);
    await stack.db.update(membershipPeriods).set({ endDate: yesterday }).where(eq(membershipPeriods.memberId, memberId));
    const res = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    expect(res.status).toBe(409);
  });

  it('takes a public resignation form only as a request: nothing ends until it is confirmed (resignation-requests.test.ts)', async () => {
    const { memberId, data } = await newMember();
    const ok = await client.api('/api/public/resignations', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), identityCode: data.identityCode, lastName: data.lastName.toUpperCase() }) });
    expect(ok.status).toBe(202);
    expect(ok.body).toEqual({ status: 'received' });
    await expect.poll(async () => (await stack.db.select().from(resignations).where(eq(resignations.memberId, memberId)))[0]?.status, slow).toBe('requested');
    expect((await periodsOf(memberId))[0]?.endDate).toBeNull();
  });
});

describe('fund switch and transfers', () => {
  it('ends the membership the day before the new fund starts', async () => {
    const { memberId, data } = await newMember();
    const newStart = addDays(stack.ctx.today(), 10);
    const res = await client.api(`/api/v1/members/${memberId}/fund-switch`, {
      method: 'POST',
      token,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ newFund: 'Esimerkkikassa', newFundStartDate: newStart, subjectIdentityCode: data.identityCode }),
    });
    expect(res.status).toBe(201);
    expect(res.body.endDate).toBe(addDays(newStart, -1));
    await expect.poll(async () => (await periodsOf(memberId))[0], slow).toMatchObject({ endDate: addDays(newStart, -1), endReason: 'fund-switch' });
    // The change history says why by a code the desk translates, with the new fund as its param.
    const overview = await client.api(`/api/v1/members/${memberId}/overview`, { cookie: caseworker });
    expect(overview.body.changes).toContainEqual(expect.objectContaining({ field: 'membership', reasonCode: 'fund_switch', reasonParams: { newFund: 'Esimerkkikassa' } }));
  });

  it('records previous-fund periods only when the gap is at most one month', async () => {
    const { memberId, startDate } = await newMember();
    const far = await client.api(`/api/v1/members/${memberId}/transferred-periods`, {
      method: 'POST',
      cookie: caseworker,
      body: JSON.stringify({ fundName: 'Vanha kassa', startDate: '2015-01-01', endDate: addDays(startDate, -70) }),
    });
    expect(far.status).toBe(422);
    expect(far.body.code).toBe('periods_not_transferable');
    const near = await client.api(`/api/v1/members/${memberId}/transferred-periods`, {
      method: 'POST',
      cookie: caseworker,
      body: JSON.stringify({ fundName: 'Vanha kassa', startDate: '2015-01-01', endDate: addDays(startDate, -10), paidThrough: addDays(startDate, -10) }),
    });
    expect(near.status).toBe(201);
    const overview = await client.api(`/api/v1/members/${memberId}/overview`, { cookie: caseworker });
    expect(overview.body.transferredPeriods).toHaveLength(1);
    expect(overview.body.membershipCondition.totalDays).toBeGreaterThan(365 * 10);
    expect(overview.body.membershipCondition.fullMonths).toBeGreaterThan(12 * 10);
    expect(overview.body.membershipCondition.metOn12).toBe('2015-12-31');
  });
});

describe('death', () => {
  it('ends the membership on the date of death, stops the resignation process and sends no letter', async () => {
    const { memberId, data } = await newMember();
    const res = await client.api(`/api/v1/members/${memberId}/resignations`, {
      method: 'POST',
      token,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ requestedEndDate: addDays(stack.ctx.today(), 60), subjectIdentityCode: data.identityCode }),
    });
    await expect.poll(async () => (await messagesOf(memberId)).map((m) => m.kind), slow).toContain('resignation-confirmed');
    const deathDate = stack.ctx.today();
    const died = await client.api(`/api/v1/members/${memberId}/death`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ dateOfDeath: deathDate }) });
    expect(died.status).toBe(200);
    const [period] = await periodsOf(memberId);
    expect(period?.endDate).toBe(deathDate);
    expect(period?.endReason).toBe('death');
    const [r] = await stack.db.select().from(resignations).where(eq(resignations.id, res.body.id));
    expect(r?.status).toBe('cancelled');
    const description = await stack.ctx.temporal.workflow.getHandle(r!.workflowId).describe();
    expect(description.status.name).toBe('TERMINATED');
    const overview = await client.api(`/api/v1/members/${memberId}/overview`, { cookie: caseworker });
    expect(overview.body.status).toBe('deceased');
    expect(overview.body.messages.filter((m: { status: string }) => m.status === 'pending')).toEqual([]);
  });
});

describe('master data and the overall view', () => {
  it('records contact changes with who and why, highlights them, and audits every read', async () => {
    const { memberId } = await newMember();
    const change = await client.api(`/api/v1/members/${memberId}/contact`, {
      method: 'PATCH',
      cookie: caseworker,
      body: JSON.stringify({ reason: 'Jäsen soitti', email: 'uusi@example.fi', address: { street: 'Uusikatu 2', postalCode: '00200', city: 'Helsinki' } }),
    });
    expect(change.status).toBe(200);
    expect(change.body.changed.sort()).toEqual(['address', 'email']);
    const overview = await client.api(`/api/v1/members/${memberId}/overview`, { cookie: caseworker });
    expect(overview.body.contact.email).toBe('uusi@example.fi');
    expect(overview.body.address).toMatchObject({ hidden: false, street: 'Uusikatu 2', source: 'member' });
    expect(overview.body.recentlyChanged.sort()).toEqual(['address', 'contact']);
    expect(overview.body.addressHistory.length).toBeGreaterThanOrEqual(2);
    const changes = await stack.db.select().from(memberChanges).where(eq(memberChanges.memberId, memberId));
    expect(changes.every((c) => c.reason === 'Jäsen soitti' && c.changedBy.length > 0)).toBe(true);
    const reads = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, memberId));
    expect(reads.some((a) => a.action === 'member.read')).toBe(true);
    expect(reads.some((a) => a.action === 'member.changed')).toBe(true);
  });

  it('hides a non-disclosed address from roles that do not need it', async () => {
    const { memberId, data } = await newMember();
    await stack.db.update(persons).set({ nonDisclosure: true }).where(eq(persons.identityCode, data.identityCode));
    for (const cookie of [caseworker, billing]) {
      const o = await client.api(`/api/v1/members/${memberId}/overview`, { cookie });
      expect(o.body.address).toEqual({ hidden: true, reason: 'non-disclosure' });
      expect(o.body.addressHistory).toEqual([]);
      expect(JSON.stringify(o.body)).not.toContain(data.address!.street);
    }
    const seen = await client.api(`/api/v1/members/${memberId}/overview`, { cookie: supervisor });
    expect(seen.body.address.street).toBe(data.address!.street);
  });

  it('finds a member by surname, identity code, member number and reference number', async () => {
    const { memberId, data } = await newMember({ lastName: 'Harvinaisnimi' });
    const byName = await client.api(`/api/v1/members?q=${encodeURIComponent('harvinais')}`, { cookie: caseworker });
    expect(byName.body.items.map((i: { id: string }) => i.id)).toContain(memberId);
    const byCode = await client.api('/api/v1/members/search', { method: 'POST', cookie: caseworker, body: JSON.stringify({ q: data.identityCode }) });
    expect(byCode.body.kind).toBe('identity-code');
    expect(byCode.body.items[0].id).toBe(memberId);
    const number = byCode.body.items[0].memberNumber as number;
    const byNumber = await client.api(`/api/v1/members?q=${number}`, { cookie: caseworker });
    expect(byNumber.body.items.map((i: { id: string }) => i.id)).toContain(memberId);
    const national = formatReferenceNumber(createReferenceNumber(memberReferenceBase(number, 2026)));
    const rf = formatRfReference(toRfReference(createReferenceNumber(memberReferenceBase(number))));
    const quarterly = formatReferenceNumber(invoiceReference(number, 2027, '2027-Q1'));
    for (const reference of [national, rf, quarterly]) {
      const byReference = await client.api(`/api/v1/members?q=${encodeURIComponent(reference)}`, { cookie: caseworker });
      expect(byReference.body.items.map((i: { id: string }) => i.id)).toContain(memberId);
    }
    const masked = await client.api('/api/v1/members/search', { method: 'POST', cookie: billing, body: JSON.stringify({ q: data.identityCode }) });
    expect(masked.body.items[0].identityCode).toMatch(/\*{4}$/);
    const short = await client.api('/api/v1/members?q=a', { cookie: caseworker });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('search_query_too_short');
  });
});
