/**
 * The read API for the other systems (issue 13): membership on a date for EKJ and unions, single
 * and batch, and the member's own data for e-services; the row filter of each system, and the
 * audit of every read.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import * as schema from '../../db/schema';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog, collectionReminders, hearings, invoices, memberChanges, members, membershipPeriods, messages, persons, transferredPeriods } from '../../db/schema';
import { connectDatabase } from '../../db/client';
import { readMembershipAudited, readMembershipsAudited, type AuditedRead } from '../../db/repositories/membershipRead';
import { createPerson } from '../../db/repositories/persons';
import { addDays } from '../../domain/dates';
import { readMembership, readMembershipBatch } from '../../services/membershipRead';
import type { Principal } from '../../services/principal';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { archiveId, camt054, invoiceById, newInvoice, postFile, waitProcessed } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let client: ReturnType<typeof apiClient>;
const tokens: Record<string, string> = {};
let caseworker: string;

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  api = client.api;
  for (const id of ['ekj', 'union-015', 'eservices', 'bank-gateway', 'readonly-reporting']) tokens[id] = await stack.token(id);
  caseworker = await stack.login('caseworker');
}, 120_000);
afterAll(async () => stack?.close());

interface Seeded {
  memberId: string;
  memberNumber: number;
  personId: string;
  identityCode: string;
}

/** A member with the given periods, written as the intake and the membership processes leave them. */
async function seedMember(o: { periods: { startDate: string; endDate: string | null; endReason?: 'resignation' | 'expulsion' | 'fund-switch' | 'death' }[]; unionCode?: string; email?: string; phone?: string | null }): Promise<Seeded> {
  const identityCode = uniqueIdentityCode();
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode, firstNames: 'Testi', lastName: 'Jäsen', birthDate: '1980-01-01', language: 'fi', email: o.email ?? 'jasen@example.fi', phone: o.phone ?? null, address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [member] = await tx.insert(members).values({ personId, channel: o.unionCode ? 'union' : 'direct', unionCode: o.unionCode ?? null }).returning();
    for (const p of o.periods) {
      await tx.insert(membershipPeriods).values({ memberId: member!.id, startDate: p.startDate, endDate: p.endDate, endReason: p.endReason ?? null, endedBy: p.endDate ? 'test' : null });
    }
    return { memberId: member!.id, memberNumber: member!.memberNumber, personId, identityCode };
  });
}

const post = (path: string, token: string, body: unknown) => api(path, { method: 'POST', token, body: JSON.stringify(body) });
const readsOf = (memberId: string) => stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.read')));

describe('membership on a date (EKJ)', () => {
  it('answers before, within and after a period, with the end reason, the condition and the fees; each read audited as the client', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-04-15', endDate: '2025-06-30', endReason: 'resignation' }] });
    await stack.db.insert(transferredPeriods).values({ memberId: m.memberId, fundName: 'Esimerkkikassa', startDate: '2023-01-01', endDate: '2024-04-14', recordedBy: 'test' });
    const paid = await newInvoice(stack, m, 2024, 4800, { periodStart: '2024-04-15', periodEnd: '2024-12-31' });

    const before = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, on: '2024-04-14' });
    expect(before.status, before.text).toBe(200);
    expect(before.body).toMatchObject({ memberId: m.memberId, memberNumber: m.memberNumber, on: '2024-04-14', status: 'starting', periodOnDate: null, expulsion: null, interval: null });
    // Collection as it stands today: the 2024 invoice is past due, no reminder yet.
    expect(before.body.collection).toEqual({ state: 'overdue', reminderLevel: 0, overdueCents: 4800, hold: null, hearing: null });
    // The transferred period alone counts before the first day here.
    expect(before.body.membershipCondition).toMatchObject({ asOf: '2024-04-14', fullMonths: 15, met: true });

    const within = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, on: '2025-01-31' });
    expect(within.body).toMatchObject({ status: 'active', periodOnDate: { startDate: '2024-04-15', endDate: '2025-06-30', endReason: 'resignation' } });
    expect(within.body.periods).toEqual([{ startDate: '2024-04-15', endDate: '2025-06-30', endReason: 'resignation' }]);
    expect(within.body.transferredPeriods).toEqual([{ fundName: 'Esimerkkikassa', fundBusinessId: null, startDate: '2023-01-01', endDate: '2024-04-14', paidThrough: null }]);
    expect(within.body.fees).toMatchObject({ paidThrough: null, status: 'overdue', openInvoices: 1, openCents: 4800 });

    const after = await post('/api/v1/membership/query', tokens.ekj!, { memberNumber: m.memberNumber, on: '2025-09-01', from: '2025-06-01', to: '2025-07-31' });
    expect(after.status, after.text).toBe(200);
    expect(after.body).toMatchObject({ status: 'ended', periodOnDate: null });
    expect(after.body.interval).toEqual({ from: '2025-06-01', to: '2025-07-31', days: 61, memberDays: 30, wholeInterval: false, stretches: [{ startDate: '2025-06-01', endDate: '2025-06-30' }] });

    // Paid: the paid-through date is the end of the paid period.
    await stack.db.update(invoices).set({ status: 'paid', openCents: 0 }).where(eq(invoices.id, paid.id));
    const paidNow = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, on: '2025-01-31' });
    expect(paidNow.body.fees).toMatchObject({ paidThrough: '2024-12-31', status: 'in-order', openInvoices: 0 });
    expect(paidNow.body.collection).toMatchObject({ state: 'clear', overdueCents: 0 });

    const reads = await readsOf(m.memberId);
    expect(reads).toHaveLength(4);
    for (const r of reads) expect(r).toMatchObject({ actor: 'ekj', actorKind: 'client', details: { view: 'membership' } });
    // Never the identity code.
    expect(JSON.stringify(reads)).not.toContain(m.identityCode);
  });

  it('reports an expulsion: the months before it no longer count', async () => {
    const m = await seedMember({ periods: [{ startDate: '2020-01-01', endDate: '2023-06-30', endReason: 'expulsion' }, { startDate: '2024-03-01', endDate: null }] });
    const res = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, on: '2024-03-31' });
    expect(res.body).toMatchObject({ status: 'active', expulsion: { lastMembershipDay: '2023-06-30' }, membershipCondition: { fullMonths: 1, totalDays: 31, met: false } });
  });

  it('tells the collection state: reminded, on hold (set at the desk), in the hearing; the same in a batch', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const year = Number(stack.ctx.today().slice(0, 4)) - 1;
    const inv = await newInvoice(stack, m, year, 6000);
    const other = await newInvoice(stack, m, year + 1, 1500, { dueDate: addDays(stack.ctx.today(), 10) });
    const read = async () => (await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode })).body.collection;
    // Reminders as the daily collection step leaves them: level 1 sent, level 2 failed (not counted).
    const reminder = { memberId: m.memberId, runDate: `${year}-03-01`, sentOn: `${year}-03-01`, newDueDate: `${year}-03-15`, openCents: 6000, channel: 'letter' as const };
    await stack.db.insert(collectionReminders).values([
      { ...reminder, invoiceId: inv.id, level: 1, messageKey: `test/${inv.id}/1`, status: 'sent' },
      { ...reminder, invoiceId: inv.id, level: 2, messageKey: `test/${inv.id}/2`, status: 'failed' },
    ]);
    // The invoice not yet due counts for nothing.
    expect(await read()).toEqual({ state: 'reminded', reminderLevel: 1, overdueCents: 6000, hold: null, hearing: null });
    expect(other.openCents).toBe(1500);

    const until = addDays(stack.ctx.today(), 30);
    const held = await api(`/api/v1/members/${m.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'payment-plan', until }) });
    expect(held.status, held.text).toBe(200);
    expect(await read()).toMatchObject({ state: 'on-hold', hold: { reason: 'payment-plan', until } });

    await stack.db.insert(hearings).values({ memberId: m.memberId, workflowId: `collection-hearing/${m.memberId}`, invoiceIds: [inv.id], overdueCents: 6000, startedOn: `${year}-06-01`, deadline: `${year}-06-22` });
    expect(await read()).toMatchObject({ state: 'hearing', hearing: { status: 'open', startedOn: `${year}-06-01`, deadline: `${year}-06-22` } });

    const batch = await post('/api/v1/membership/batch', tokens.ekj!, { identityCodes: [m.identityCode] });
    expect(batch.body.items[0].membership.collection).toEqual(await read());

    // Paid (the hearing ends with it): clear again, the last hearing still shown. The database is
    // shared with the collection tests, so nothing of this member is left for their runs.
    await stack.db.update(invoices).set({ status: 'paid', openCents: 0 }).where(eq(invoices.memberId, m.memberId));
    await stack.db.update(hearings).set({ status: 'paid', outcomeReason: 'paid' }).where(eq(hearings.memberId, m.memberId));
    expect(await read()).toMatchObject({ state: 'clear', reminderLevel: 0, overdueCents: 0, hearing: { status: 'paid' } });
  });

  it('reads a period cut to nothing (a death recorded before a future start) as no day of membership', async () => {
    const m = await seedMember({ periods: [{ startDate: '2020-01-01', endDate: '2024-12-31', endReason: 'resignation' }, { startDate: '2025-03-01', endDate: '2025-02-10', endReason: 'death' }] });
    const res = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, on: '2025-03-15', from: '2025-01-01', to: '2025-12-31' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'ended', periodOnDate: null, interval: { memberDays: 0 } });
    expect(res.body.periods).toHaveLength(2);
    // The desk's overview counts the condition the same way.
    expect((await api(`/api/v1/members/${m.memberId}/overview`, { cookie: caseworker })).status).toBe(200);
  });

  it('refuses a query without a member, with both keys, or with half an interval; 404 for a non-member', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const neither = await post('/api/v1/membership/query', tokens.ekj!, { on: '2025-01-01' });
    expect(neither.status).toBe(400);
    expect(neither.body.code).toBe('member_key_required');
    expect((await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, memberNumber: m.memberNumber })).body.code).toBe('member_key_required');
    const half = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, from: '2025-01-01' });
    expect(half.body).toMatchObject({ status: 400, code: 'interval_incomplete' });
    expect((await post('/api/v1/membership/query', tokens.ekj!, { identityCode: m.identityCode, from: '2025-02-01', to: '2025-01-01' })).body.code).toBe('date_range_reversed');
    const nobody = await post('/api/v1/membership/query', tokens.ekj!, { identityCode: uniqueIdentityCode() });
    expect(nobody.status).toBe(404);
    expect(await readsOf(m.memberId)).toEqual([]);
  });

  it('a caseworker may ask too; clients without the scope are refused at the edge', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const desk = await api('/api/v1/membership/query', { method: 'POST', cookie: caseworker, body: JSON.stringify({ identityCode: m.identityCode }) });
    expect(desk.status, desk.text).toBe(200);
    for (const id of ['eservices', 'bank-gateway', 'readonly-reporting']) {
      const res = await post('/api/v1/membership/query', tokens[id]!, { identityCode: m.identityCode });
      expect(res.status, id).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
  });
});

describe('row filters', () => {
  it("a union reads its own members; another union's member is a 404, and not-found in a batch", async () => {
    const own = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }], unionCode: '015' });
    const other = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }], unionCode: '022' });
    const direct = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const ok = await post('/api/v1/membership/query', tokens['union-015']!, { identityCode: own.identityCode });
    expect(ok.status, ok.text).toBe(200);
    expect((await readsOf(own.memberId))[0]).toMatchObject({ actor: 'union-015', actorKind: 'client' });
    for (const m of [other, direct]) {
      const res = await post('/api/v1/membership/query', tokens['union-015']!, { identityCode: m.identityCode });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(await readsOf(m.memberId)).toEqual([]);
    }
    const batch = await post('/api/v1/membership/batch', tokens['union-015']!, { identityCodes: [own.identityCode, other.identityCode, direct.identityCode] });
    expect(batch.status, batch.text).toBe(200);
    expect(batch.body.items.map((i: { result: string }) => i.result)).toEqual(['found', 'not-found', 'not-found']);
    expect(await readsOf(other.memberId)).toEqual([]);
  });

  it('an e-service reads only its logged-in member, when a fund gives it membership:read', async () => {
    const me = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const someone = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const eservice: Principal = { kind: 'client', id: 'eservices', channel: 'e-services', scopes: ['membership:read'] };
    await expect(readMembership(stack.ctx, eservice, { identityCode: me.identityCode })).rejects.toMatchObject({ status: 400, code: 'subject_required' });
    await expect(readMembership(stack.ctx, eservice, { identityCode: someone.identityCode, subjectIdentityCode: me.identityCode })).rejects.toMatchObject({ status: 403, code: 'subject_mismatch' });
    expect(await readMembership(stack.ctx, eservice, { identityCode: me.identityCode, subjectIdentityCode: me.identityCode })).toMatchObject({ memberId: me.memberId });
    const batch = await readMembershipBatch(stack.ctx, eservice, { identityCodes: [someone.identityCode, me.identityCode], subjectIdentityCode: me.identityCode });
    expect(batch.items.map((i) => i.result)).toEqual(['not-found', 'found']);
    expect(await readsOf(someone.memberId)).toEqual([]);
  });

  it('a system with no row filter reads no one, whatever its scopes', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const reporting: Principal = { kind: 'client', id: 'readonly-reporting', channel: 'reporting', scopes: ['membership:read'] };
    await expect(readMembership(stack.ctx, reporting, { identityCode: m.identityCode })).rejects.toMatchObject({ status: 403, code: 'client_may_not_read_members' });
    const union: Principal = { kind: 'client', id: 'union-x', channel: 'union', scopes: ['membership:read'] };
    await expect(readMembership(stack.ctx, union, { identityCode: m.identityCode })).rejects.toMatchObject({ status: 403, code: 'union_code_missing' });
  });
});

describe('the batch (EKJ nightly checks)', () => {
  it('answers each code in order, found, not-found or invalid; audits one record per member and one for the batch, no codes', async () => {
    const a = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const b = await seedMember({ periods: [{ startDate: '2025-03-01', endDate: null }] });
    const unknown = uniqueIdentityCode();
    const res = await post('/api/v1/membership/batch', tokens.ekj!, { identityCodes: [a.identityCode, unknown, 'not-a-code', b.identityCode, a.identityCode], on: '2025-02-01' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ on: '2025-02-01', asked: 5, found: 3, notFound: 1, invalid: 1 });
    expect(res.body.items.map((i: { identityCode: string; result: string }) => [i.identityCode, i.result])).toEqual([
      [a.identityCode, 'found'],
      [unknown, 'not-found'],
      ['not-a-code', 'invalid'],
      [b.identityCode, 'found'],
      [a.identityCode, 'found'],
    ]);
    expect(res.body.items[0].membership).toMatchObject({ memberId: a.memberId, status: 'active' });
    expect(res.body.items[3].membership).toMatchObject({ memberId: b.memberId, status: 'starting' });

    const rows = await stack.db.select().from(auditLog).where(inArray(auditLog.entityId, [a.memberId, b.memberId, res.body.batchId]));
    expect(rows.filter((r) => r.entityId === a.memberId)).toHaveLength(1);
    expect(rows.filter((r) => r.entityId === b.memberId)).toHaveLength(1);
    for (const r of rows.filter((x) => x.action === 'member.read')) expect(r).toMatchObject({ actor: 'ekj', details: { view: 'membership', on: '2025-02-01', batchId: res.body.batchId } });
    expect(rows.find((r) => r.action === 'membership.batch-read')).toMatchObject({ entityType: 'membership-batch', actor: 'ekj', details: { asked: 5, found: 3, notFound: 1, invalid: 1, members: 2 } });
    const text = JSON.stringify(rows);
    for (const code of [a.identityCode, b.identityCode, unknown]) expect(text).not.toContain(code);
  });

  it('reads a batch in one statement and audits it in another, however many codes', async () => {
    const seeded = await Promise.all(Array.from({ length: 20 }, () => seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] })));
    const statements: string[] = [];
    const traced = drizzle((stack.db as unknown as { $client: Sql }).$client, { schema, logger: { logQuery: (query) => statements.push(query) } });
    const ekj: Principal = { kind: 'client', id: 'ekj', channel: 'benefits', scopes: ['membership:read'] };
    const codes = [...seeded.map((m) => m.identityCode), ...Array.from({ length: 480 }, () => uniqueIdentityCode())];
    const result = await readMembershipBatch({ ...stack.ctx, db: traced }, ekj, { identityCodes: codes });
    expect(result).toMatchObject({ asked: 500, found: 20, notFound: 480 });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^\s*SELECT/);
    expect(statements[1]).toMatch(/^\s*INSERT INTO audit_log/);
  });

  it('refuses more than 1,000 codes with batch_too_large, reading and auditing nothing', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const codes = [m.identityCode, ...Array.from({ length: 1000 }, () => '010101-0101')];
    const res = await post('/api/v1/membership/batch', tokens.ekj!, { identityCodes: codes });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('batch_too_large');
    expect(res.body.invalidParams[0]).toMatchObject({ name: 'identityCodes', code: 'batch_too_large' });
    expect(await readsOf(m.memberId)).toEqual([]);
    // Exactly 1,000 is a batch.
    const full = await post('/api/v1/membership/batch', tokens.ekj!, { identityCodes: codes.slice(0, 1000) });
    expect(full.status, full.text.slice(0, 300)).toBe(200);
    expect(full.body).toMatchObject({ asked: 1000, found: 1 });
  });
});

describe('coalesced single lookups (decision 048)', () => {
  const ekj: Principal = { kind: 'client', id: 'ekj', channel: 'benefits', scopes: ['membership:read'] };
  const union015: Principal = { kind: 'client', id: 'union-015', channel: 'union', scopes: ['membership:read'], unionCode: '015' };
  const eservice: Principal = { kind: 'client', id: 'eservices', channel: 'e-services', scopes: ['membership:read'] };
  const dates = [undefined, '2023-06-30', '2024-01-01', '2024-09-15', '2025-02-01'];

  /** Members of every kind the filters tell apart: direct, union 015, union 022; ended, running, not yet started. */
  async function seedMix(n: number): Promise<Seeded[]> {
    const kinds = [
      { periods: [{ startDate: '2024-01-01', endDate: null }] },
      { periods: [{ startDate: '2023-01-01', endDate: '2024-06-30', endReason: 'resignation' as const }], unionCode: '015' },
      { periods: [{ startDate: '2025-01-15', endDate: null }], unionCode: '022' },
      { periods: [{ startDate: '2022-03-01', endDate: '2023-12-31', endReason: 'fund-switch' as const }, { startDate: '2024-08-01', endDate: null }], unionCode: '015' },
    ];
    return Promise.all(Array.from({ length: n }, (_, i) => seedMember(kinds[i % kinds.length]!)));
  }

  /** `count` lookups over the members, unknown codes and member numbers, the three kinds of client, and a mix of dates and intervals. */
  function mixedQueries(seeded: Seeded[], count: number) {
    return Array.from({ length: count }, (_, i) => {
      const m = seeded[i % seeded.length]!;
      const principal = [ekj, ekj, union015, eservice][i % 4]!;
      const key =
        i % 7 === 3 ? { identityCode: uniqueIdentityCode() } : i % 7 === 5 ? { memberNumber: 2_000_000_000 + i } : i % 3 === 0 ? { memberNumber: m.memberNumber } : { identityCode: i % 2 ? m.identityCode : m.identityCode.toLowerCase() };
      const on = dates[i % dates.length];
      const interval = i % 5 === 2 ? { from: '2023-01-01', to: '2024-12-31' } : {};
      // The e-service's logged-in member: the member asked about every other time, else another.
      const subject = principal === eservice ? { subjectIdentityCode: (i % 8 === 3 ? m : seeded[(i + 1) % seeded.length]!).identityCode } : {};
      return { principal, query: { ...key, ...(on ? { on } : {}), ...interval, ...subject } };
    });
  }

  const outcome = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? { ok: r.value } : { status: (r.reason as { status?: number }).status, code: (r.reason as { code?: string }).code });

  it('answers many concurrent lookups as the single path does, unknown codes, filters and dates included', async () => {
    const seeded = await seedMix(12);
    const queries = mixedQueries(seeded, 240);
    // All at once: gathered into a few statements.
    const together = (await Promise.allSettled(queries.map((q) => readMembership(stack.ctx, q.principal, q.query)))).map(outcome);
    // One at a time: each its own statement.
    const alone = [];
    for (const q of queries) alone.push(outcome((await Promise.allSettled([readMembership(stack.ctx, q.principal, q.query)]))[0]!));
    expect(together).toEqual(alone);
    // The mix is a mix: found, not found (unknown or filtered out) and the e-service's refusal.
    expect(together.filter((o) => 'ok' in o).length).toBeGreaterThan(60);
    expect(together.filter((o) => o.status === 404).length).toBeGreaterThan(60);
    expect(together.filter((o) => o.status === 403).length).toBeGreaterThan(5);
    expect(together.some((o) => 'ok' in o && (o.ok as { interval: unknown }).interval !== null)).toBe(true);

    // The batch endpoint (its own read statement, for up to 1,000 codes) answers the same memberships.
    const codes = [...seeded.map((m) => m.identityCode), uniqueIdentityCode()];
    const batch = await readMembershipBatch(stack.ctx, ekj, { identityCodes: codes, on: '2024-09-15' });
    const singles = await Promise.allSettled(codes.map((identityCode) => readMembership(stack.ctx, ekj, { identityCode, on: '2024-09-15' })));
    expect(batch.items.map((i) => i.membership)).toEqual(singles.map((r) => (r.status === 'fulfilled' ? r.value : null)));

    // The statement itself, against the single statement it batches, read by read.
    const reads: AuditedRead[] = queries.map((q, i) => ({
      key: 'memberNumber' in q.query ? { memberNumber: q.query.memberNumber! } : { identityCode: q.query.identityCode!.toUpperCase() },
      audit: { actor: q.principal.kind === 'client' ? q.principal.id : 'x', actorKind: 'client', details: { view: 'membership', n: i } },
      auditedFor: q.principal === ekj ? { kind: 'all' } : q.principal === union015 ? { kind: 'union', unionCode: '015' } : { kind: 'member', memberId: seeded[i % seeded.length]!.memberId },
    }));
    const batched = await readMembershipsAudited(stack.db, reads);
    const single = [];
    for (const r of reads) single.push(await readMembershipAudited(stack.db, r.key, r.audit, r.auditedFor));
    expect(batched).toEqual(single);
    expect(batched.filter((b) => b?.audited).length).toBeGreaterThan(60);
    expect(batched.filter((b) => b && !b.audited).length).toBeGreaterThan(20);
    expect(batched.filter((b) => b === null).length).toBeGreaterThan(40);
  });

  it('writes exactly one audit row per lookup answered, with the client as the actor and no personal data, from far fewer statements', async () => {
    const seeded = await seedMix(8);
    const queries = mixedQueries(seeded, 160);
    const results = await Promise.allSettled(queries.map((q) => readMembership(stack.ctx, q.principal, q.query)));
    const today = stack.ctx.today();
    const expected = results.flatMap((r, i) => {
      if (r.status === 'rejected') return [];
      const { principal, query } = queries[i]!;
      const q = query as { on?: string; from?: string; to?: string };
      const details = { view: 'membership', on: q.on ?? today, ...(q.from ? { from: q.from, to: q.to } : {}) };
      return [[r.value.memberId, (principal as { id: string }).id, 'client', JSON.stringify(details, Object.keys(details).sort())]];
    });
    expect(expected.length).toBeGreaterThan(40);
    const rows = await stack.db
      .select()
      .from(auditLog)
      .where(
        inArray(
          auditLog.entityId,
          seeded.map((m) => m.memberId),
        ),
      );
    const written = rows.map((r) => [r.entityId, r.actor, r.actorKind, JSON.stringify(r.details, Object.keys(r.details).sort())]);
    expect(rows.every((r) => r.action === 'member.read')).toBe(true);
    expect(written.sort()).toEqual(expected.sort());
    const text = JSON.stringify(rows.map((r) => r.details));
    for (const m of seeded) expect(text).not.toContain(m.identityCode);
    // Rows of one statement share its transaction's time: EKJ's and the union's lookups, asked in
    // one turn (the e-service's wait for their subject first), went in a few statements.
    const systems = rows.filter((r) => r.actor !== 'eservices');
    expect(systems.length).toBeGreaterThan(40);
    expect(new Set(systems.map((r) => r.at.toISOString())).size).toBeLessThanOrEqual(4);
  });

  it('over HTTP too: concurrent lookups each get their own answer, 200 or 404', async () => {
    const seeded = await seedMix(6);
    const asked = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? { code: uniqueIdentityCode(), memberId: null } : { code: seeded[i % seeded.length]!.identityCode, memberId: seeded[i % seeded.length]!.memberId }));
    const answers = await Promise.all(asked.map((a, i) => post('/api/v1/membership/query', tokens.ekj!, { identityCode: a.code, on: dates[1 + (i % 4)] })));
    answers.forEach((res, i) => {
      if (asked[i]!.memberId === null) {
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      } else expect([res.status, res.body.memberId, res.body.on]).toEqual([200, asked[i]!.memberId, dates[1 + (i % 4)]]);
    });
  });

  it('a lookup the statement cannot carry goes alone and fails alone; a database error fails only its own batch', async () => {
    const seeded = await seedMix(4);
    const good = () => seeded.map((m) => readMembership(stack.ctx, ekj, { identityCode: m.identityCode }));
    // A NUL character and a member number past bigint: refused by PostgreSQL, in statements of their own.
    const mixed = await Promise.allSettled([...good(), readMembership(stack.ctx, ekj, { identityCode: '010101-123\u0000' }), readMembership(stack.ctx, ekj, { memberNumber: 1e20 }), ...good()]);
    expect(mixed.map((r) => r.status)).toEqual([...seeded.map(() => 'fulfilled'), 'rejected', 'rejected', ...seeded.map(() => 'fulfilled')]);

    // A database that is gone: its lookups fail together, the other database's lookups answer.
    const gone = connectDatabase(inject('databaseUrl'), 1);
    await gone.close();
    const both = await Promise.allSettled([...good(), ...seeded.map((m) => readMembership({ ...stack.ctx, db: gone.db }, ekj, { identityCode: m.identityCode }))]);
    expect(both.map((r) => r.status)).toEqual([...seeded.map(() => 'fulfilled'), ...seeded.map(() => 'rejected')]);
  });
});

describe("the member's own data (e-services)", () => {
  it('reads contact, membership, invoices with barcodes, payments and letters of the logged-in member; audited as the client', async () => {
    const m = await seedMember({ periods: [{ startDate: '2019-01-01', endDate: null }] });
    const inv = await newInvoice(stack, m, 2019, 9600);
    const open = await newInvoice(stack, m, 2020, 9600);
    const pay = archiveId('O');
    const file = await postFile(client, camt054([{ archiveId: pay, amountCents: 9600, ref: inv.reference }], { iban: stack.profile.iban }), 'application/xml', { token: tokens['bank-gateway']! });
    expect(file.status, file.text).toBe(202);
    await waitProcessed(client, file.body.id, { token: tokens['bank-gateway']! });
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'paid' });
    await stack.db.insert(messages).values({ memberId: m.memberId, kind: 'membership-approved', subject: 'Tervetuloa', body: 'Hei, vahvista: https://kassa.example/resign/confirm?token=abc.def', recipient: { name: 'Testi Jäsen', email: 'jasen@example.fi' }, language: 'fi', status: 'sent', channel: 'email', sentAt: new Date(), messageKey: `test-${m.memberId}` });

    const res = await post('/api/v1/own-data/query', tokens.eservices!, { subjectIdentityCode: m.identityCode });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ memberId: m.memberId, memberNumber: m.memberNumber, contact: { email: 'jasen@example.fi', deliveryChannel: 'email', address: { street: 'Testikatu 1' }, nonDisclosure: false } });
    expect(res.body.membership).toMatchObject({ status: 'active', fees: { paidThrough: '2019-12-31', openInvoices: 1 } });
    const invoices = res.body.invoices as { id: string; virtualBarcode: string; status: string; reference: string }[];
    expect(invoices.map((i) => [i.id, i.status]).sort()).toEqual([[inv.id, 'paid'], [open.id, 'open']].sort());
    expect(invoices.find((i) => i.id === open.id)!.virtualBarcode).toMatch(/^\d{54}$/);
    expect(res.body.payments).toEqual([expect.objectContaining({ amountCents: 9600, reversal: false, reference: inv.reference })]);
    expect(res.body.letters).toHaveLength(1);
    expect(res.body.letters[0].body).not.toContain('abc.def');
    expect((await readsOf(m.memberId)).map((r) => [r.actor, r.actorKind, (r.details as { view: string }).view])).toEqual([['eservices', 'client', 'own-data']]);
  });

  it('reads no one else: a non-member subject is 404, the subject is required, other systems are refused', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    expect((await post('/api/v1/own-data/query', tokens.eservices!, { subjectIdentityCode: uniqueIdentityCode() })).status).toBe(404);
    const none = await post('/api/v1/own-data/query', tokens.eservices!, {});
    expect(none.status).toBe(400);
    expect(none.body.invalidParams[0]).toMatchObject({ name: 'subjectIdentityCode', code: 'required' });
    for (const id of ['ekj', 'union-015']) expect((await post('/api/v1/own-data/query', tokens[id]!, { subjectIdentityCode: m.identityCode })).status, id).toBe(403);
    // Nor another member's data through the desk's member routes.
    expect((await api(`/api/v1/members/${m.memberId}/overview`, { token: tokens.eservices! })).status).toBe(403);
    expect((await api(`/api/v1/members/${m.memberId}/contact`, { method: 'PATCH', token: tokens.eservices!, body: JSON.stringify({ reason: 'x', email: 'x@example.fi' }) })).status).toBe(403);
    expect(await readsOf(m.memberId)).toEqual([]);
  });

  it('writes back contact and delivery changes with the desk rules, in the change log and the audit as the client', async () => {
    const m = await seedMember({ periods: [{ startDate: '2024-01-01', endDate: null }] });
    const patch = (body: unknown) => api('/api/v1/own-data/contact', { method: 'PATCH', token: tokens.eservices!, body: JSON.stringify(body) });

    const bad = await patch({ subjectIdentityCode: m.identityCode, email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.body.invalidParams[0]).toMatchObject({ name: 'email', code: 'email_format' });
    const sms = await patch({ subjectIdentityCode: m.identityCode, deliveryChannel: 'sms' });
    expect(sms.status).toBe(400);
    expect(sms.body.invalidParams[0]).toMatchObject({ name: 'phone' });

    const ok = await patch({ subjectIdentityCode: m.identityCode, email: 'uusi@example.fi', phone: '040 123 4567', deliveryChannel: 'sms', smsConsent: true, address: { street: 'Uusikatu 2', postalCode: '33100', city: 'Tampere' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.changed).toEqual(expect.arrayContaining(['email', 'phone', 'deliveryChannel', 'smsConsent', 'address']));
    const [person] = await stack.db.select().from(persons).where(eq(persons.id, m.personId));
    expect(person).toMatchObject({ email: 'uusi@example.fi', deliveryChannel: 'sms', smsConsent: true, streetAddress: 'Uusikatu 2', city: 'Tampere' });
    const changes = await stack.db.select().from(memberChanges).where(eq(memberChanges.personId, m.personId));
    expect(changes.filter((c) => c.changedBy === 'eservices').map((c) => c.field).sort()).toEqual(['address', 'contact']);
    expect(changes.find((c) => c.field === 'contact')).toMatchObject({ reason: 'Changed by the member in e-services', effectiveFrom: stack.ctx.today() });
    const audit = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.changed')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'eservices', actorKind: 'client' });

    // The union client may not write a member's own data.
    expect((await api('/api/v1/own-data/contact', { method: 'PATCH', token: tokens['union-015']!, body: JSON.stringify({ subjectIdentityCode: m.identityCode, email: 'x@example.fi' }) })).status).toBe(403);
  });
});
