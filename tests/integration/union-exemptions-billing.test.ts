/**
 * Union-reported fee exemptions in billing (decision 031): the union's EXEMPTION_START/END become
 * exemption periods (once, however often or concurrently the batch is sent), and a real billing
 * run bills no month whose membership days are all exempt: a wholly exempt quarter is staged as
 * `exempt` and issues no invoice, a partly exempt one is invoiced for its other months only.
 * Real PostgreSQL and Temporal.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { billingRunItems, feeExemptions, invoices, members, membershipPeriods } from '../../db/schema';
import { createPerson } from '../../db/repositories/persons';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

// A quarter of 2025 (A-kassa: 800 cents a month, confirmed): no other test bills it.
const PERIOD = '2025-Q2';
const dueDate = addDays(todayInHelsinki(), 30);

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let union: string;
let billing: string;
let approver: string;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  union = await stack.token('union-015');
  [billing, approver] = await Promise.all([stack.login('billing'), stack.login('billing2')]);
}, 120_000);
afterAll(async () => stack?.close());

/** A member of union 015 since 2024: `direct` stands for a migrated member the fund invoices itself. */
async function seedMember(channel: 'union' | 'direct'): Promise<{ memberId: string; identityCode: string }> {
  const identityCode = uniqueIdentityCode();
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode, firstNames: 'Vapaa', lastName: 'Maksusta', birthDate: '1980-01-01', language: 'fi', email: 'vapaa@example.fi', phone: null, address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [member] = await tx.insert(members).values({ personId, channel, unionCode: '015' }).returning();
    await tx.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2024-01-01', endDate: null });
    return { memberId: member!.id, identityCode };
  });
}

const sendEvents = (body: unknown) => api('/api/v1/union-batches/events', { method: 'POST', token: union, body: JSON.stringify(body) });

async function exemptionsOf(memberIds: string[]) {
  const rows = await stack.db.select().from(feeExemptions).where(inArray(feeExemptions.memberId, memberIds));
  return rows.map((r) => [r.memberId, r.startDate, r.endDate]).sort();
}

describe('union exemptions in billing', () => {
  it('a wholly exempt quarter is not billed, a partly exempt one only for its paying months', async () => {
    const unionExempt = await seedMember('union'); // exempt 15.3.–31.7.: the whole quarter
    const partly = await seedMember('direct'); // exempt 10.4.–31.5.: April has paying days, May none
    const openEnded = await seedMember('direct'); // exempt from 1.4., no end yet
    const control = await seedMember('direct'); // no exemption
    const ids = [unionExempt.memberId, partly.memberId, openEnded.memberId, control.memberId];

    const events = [
      { kind: 'exemption-start', identityCode: unionExempt.identityCode, date: '2025-03-15' },
      { kind: 'exemption-end', identityCode: unionExempt.identityCode, date: '2025-07-31' },
      { kind: 'exemption-start', identityCode: partly.identityCode, date: '2025-04-10' },
      { kind: 'exemption-end', identityCode: partly.identityCode, date: '2025-05-31' },
      { kind: 'exemption-start', identityCode: openEnded.identityCode, date: '2025-04-01' },
    ];
    const batchId = `EX-${partly.memberId.slice(0, 8)}`;
    // The same batch twice at once, and the same events in another batch: one exemption each.
    const [a, b, c] = await Promise.all([sendEvents({ batchId, events }), sendEvents({ batchId, events }), sendEvents({ batchId: `${batchId}-again`, events })]);
    for (const res of [a, b, c]) {
      expect(res.status, res.text).toBeLessThan(300);
      expect(res.body.lines.map((l: { outcome: string }) => l.outcome)).toEqual(['recorded', 'recorded', 'recorded', 'recorded', 'recorded']);
    }
    expect(await exemptionsOf(ids)).toEqual(
      [
        [unionExempt.memberId, '2025-03-15', '2025-07-31'],
        [partly.memberId, '2025-04-10', '2025-05-31'],
        [openEnded.memberId, '2025-04-01', null],
      ].sort(),
    );

    const started = await api('/api/v1/billing-runs', { method: 'POST', cookie: billing, body: JSON.stringify({ period: PERIOD, dueDate }) });
    expect(started.status, started.text).toBe(201);
    const runId = started.body.id as string;
    const waitFor = (wanted: string) =>
      vi.waitFor(
        async () => {
          const res = await api(`/api/v1/billing-runs/${encodeURIComponent(runId)}`, { cookie: billing });
          if (res.body?.status === 'failed') throw new Error('run failed');
          if (res.body?.status !== wanted || (wanted === 'committed' && res.body.progress?.phase !== 'done')) throw new Error(`run is ${res.body?.status}`);
          return res.body;
        },
        { timeout: 120_000, interval: 200 },
      );
    const previewed = await waitFor('awaiting-approval');
    expect(previewed.previewTotals.byCategory.exempt.count).toBeGreaterThanOrEqual(2);

    const staged = new Map((await stack.db.select().from(billingRunItems).where(and(eq(billingRunItems.runId, runId), inArray(billingRunItems.memberId, ids)))).map((r) => [r.memberId, r]));
    expect(staged.get(unionExempt.memberId)).toMatchObject({ category: 'exempt', amountCents: 0 });
    expect(staged.get(openEnded.memberId)).toMatchObject({ category: 'exempt', amountCents: 0 });
    expect(staged.get(partly.memberId)).toMatchObject({ category: 'invoice', amountCents: 1600, lines: [{ month: '2025-04', cents: 800 }, { month: '2025-06', cents: 800 }] });
    expect(staged.get(control.memberId)).toMatchObject({ category: 'invoice', amountCents: 2400 });

    const decided = await api(`/api/v1/tasks/${previewed.approvalTaskId}/decision`, { method: 'POST', cookie: approver, body: JSON.stringify({ decision: 'approve' }) });
    expect(decided.status, decided.text).toBeLessThan(300);
    await waitFor('committed');

    const issued = await stack.db.select().from(invoices).where(and(eq(invoices.runId, runId), inArray(invoices.memberId, ids)));
    const byMember = new Map(issued.map((i) => [i.memberId, i]));
    expect(byMember.has(unionExempt.memberId)).toBe(false);
    expect(byMember.has(openEnded.memberId)).toBe(false);
    expect(byMember.get(partly.memberId)).toMatchObject({ amountCents: 1600, lines: [{ month: '2025-04', cents: 800 }, { month: '2025-06', cents: 800 }] });
    expect(byMember.get(control.memberId)).toMatchObject({ amountCents: 2400 });
  });

  it('an end corrects the latest exemption and closes an open one; an end with no exemption started changes nothing', async () => {
    const m = await seedMember('direct');
    const other = await seedMember('direct');
    const batch = (id: string, events: unknown[]) => sendEvents({ batchId: `${id}-${m.memberId.slice(0, 8)}`, events });
    expect((await batch('S', [{ kind: 'exemption-start', identityCode: m.identityCode, date: '2025-01-01' }, { kind: 'exemption-end', identityCode: other.identityCode, date: '2025-01-31' }])).status).toBe(202);
    expect((await batch('E1', [{ kind: 'exemption-end', identityCode: m.identityCode, date: '2025-02-28' }])).status).toBe(202);
    expect((await batch('E2', [{ kind: 'exemption-end', identityCode: m.identityCode, date: '2025-03-31' }])).status).toBe(202);
    expect(await exemptionsOf([m.memberId, other.memberId])).toEqual([[m.memberId, '2025-01-01', '2025-03-31']]);
  });
});
