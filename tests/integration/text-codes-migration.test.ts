import { readFileSync } from 'node:fs';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerEntries, memberChanges, members } from '../../db/schema';
import { apiClient } from '../support/api';
import { newMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** The data steps of migration 0013, as shipped: English ledger lines and change reasons become codes. */
const backfill = readFileSync('db/migrations/0013_ledger-and-change-codes.sql', 'utf8')
  .split('--> statement-breakpoint')
  .map((s) => s.trim())
  .filter((s) => /^(--[^\n]*\n)*UPDATE/.test(s));

describe('migration 0013: ledger lines and change reasons as codes', () => {
  it('gives the rows written in English their code and params, and leaves people\'s own words alone', async () => {
    const client = apiClient(stack);
    const member = await newMember(stack, client, await stack.token('eservices'));
    const [{ personId }] = (await stack.db.select({ personId: members.personId }).from(members).where(eq(members.id, member.memberId))) as [{ personId: string }];

    const key = crypto.randomUUID();
    const lines = [
      ['membership fee 2026', 'invoice', { period: '2026' }],
      ['Reference payment 1001232, 1001245', 'reference_payment', { references: '1001232, 1001245' }],
      ['Reversal of bank entry 20260131ABC', 'reversal', { archiveId: '20260131ABC' }],
      ['Allocated by hand: Nimi ja summa täsmäävät', 'allocated_by_hand', { note: 'Nimi ja summa täsmäävät' }],
      ['Perintä lopetettu', null, {}],
    ] as const;
    const reasons = [
      ['resignation notice', 'resignation_notice', {}],
      ['fund switch to Toinen kassa', 'fund_switch', { newFund: 'Toinen kassa' }],
      ['population register (address)', 'population_register', { group: 'address' }],
      ['resignation withdrawn: Jäsen muutti mielensä', 'resignation_withdrawn_because', { reason: 'Jäsen muutti mielensä' }],
      ['Jäsen soitti', null, {}],
    ] as const;
    let ledger: (typeof ledgerEntries.$inferSelect)[] = [];
    let changes: (typeof memberChanges.$inferSelect)[] = [];
    // Inside a transaction that is rolled back: the shared test database keeps its rows as the other tests left them.
    await stack.db
      .transaction(async (tx) => {
        const written = await tx
          .insert(ledgerEntries)
          .values(lines.map(([description], i) => ({ memberId: member.memberId, occurredOn: '2026-01-31', kind: 'write-off' as const, amountCents: 0, description, sourceKey: `test/${key}/${i}`, createdBy: 'test' })))
          .returning({ id: ledgerEntries.id });
        const recorded = await tx
          .insert(memberChanges)
          .values(reasons.map(([reason]) => ({ personId, memberId: member.memberId, field: 'membership', effectiveFrom: '2026-01-31', changedBy: 'public:x', reason })))
          .returning({ id: memberChanges.id });
        for (const statement of backfill) await tx.execute(sql.raw(statement));
        ledger = await tx.select().from(ledgerEntries).where(inArray(ledgerEntries.id, written.map((w) => w.id))).orderBy(ledgerEntries.id);
        changes = await tx.select().from(memberChanges).where(inArray(memberChanges.id, recorded.map((r) => r.id))).orderBy(memberChanges.id);
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && /rollback/i.test(error.message))) throw error;
      });
    expect(ledger.map((l) => [l.description, l.descriptionCode, l.descriptionParams])).toEqual(lines.map(([d, c, p]) => [d, c, p]));
    expect(changes.map((c) => [c.reason, c.reasonCode, c.reasonParams])).toEqual(reasons.map(([r, c, p]) => [r, c, p]));
  });
});
