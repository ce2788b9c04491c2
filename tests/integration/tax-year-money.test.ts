/**
 * `member_year_money` (decision 060, migration 0043): the year's money per member, kept by
 * statement-level triggers on `ledger_entries`, is what the plain aggregate of the ledger says
 * after every kind of write — payments (several rows of a member in one statement), refunds,
 * reversals, union-collected and unidentified money, a payment booked in one year and placed in the
 * next, a correction after the year, updates that move money between members, years and collectors,
 * an update that moves none, deletes, and a statement of many members at once. After each step the
 * kept rows of this file's members are compared with the aggregate the preview ran before
 * decision 060 (and a few with figures by hand), so a case the triggers miss fails here. Years
 * 2047–2048 are this file's own.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { previewTaxReport } from '../../activities/taxReport';
import { connectDatabase, type DbHandle } from '../../db/client';
import { insertLedgerRows, type NewLedgerRow } from '../../db/repositories/ledger';
import * as repo from '../../db/repositories/taxReport';
import { bankEntries, bankFiles, ledgerEntries, members, persons } from '../../db/schema';
import { getFundProfile } from '../../domain/fundProfile';
import { taxReportSettings } from '../../domain/tax/settings';
import { uniqueIdentityCode } from '../support/applications';

const YEAR = 2047;
let handle: DbHandle;
let bankFileId: string;
const ours: string[] = [];

async function member() {
  const [person] = await handle.db
    .insert(persons)
    .values({ identityCode: uniqueIdentityCode(), firstNames: 'Vuokko', lastName: 'Vuosiraha', birthDate: '1980-01-01', language: 'fi' })
    .returning();
  const [m] = await handle.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
  ours.push(m!.id);
  return m!.id;
}

/** A bank entry booked on `bookingDate` and its member's payment row on `ledgerDate` (default the same). */
async function bankPayment(memberId: string, cents: number, bookingDate: string, o: { ledgerDate?: string; union?: boolean } = {}): Promise<NewLedgerRow> {
  const archiveId = `YEARMONEY-${randomUUID()}`;
  const [entry] = await handle.db.insert(bankEntries).values({ archiveId, fileId: bankFileId, bookingDate, amountCents: cents, memberId, status: 'allocated', unallocatedCents: 0 }).returning();
  return { memberId, occurredOn: o.ledgerDate ?? bookingDate, kind: 'payment', amountCents: -cents, bankEntryId: entry!.id, sourceKey: `payment/${archiveId}`, createdBy: 'test', ...(o.union ? { collectedBy: 'union' as const } : {}) };
}
const row = (memberId: string | null, kind: NewLedgerRow['kind'], cents: number, on: string): NewLedgerRow => ({ memberId, occurredOn: on, kind, amountCents: cents, sourceKey: `${kind}/${randomUUID()}`, createdBy: 'test' });

type Money = { year: number; memberId: string; paid: number; reversed: number; refunded: number; entries: number };
const byKey = (a: Money, b: Money) => a.year - b.year || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0);

/** What the triggers kept for this file's members (a row with no entries left means no money). */
async function kept(): Promise<Money[]> {
  const rows = await handle.db.execute<{ year: number; member_id: string; paid: string; reversed: string; refunded: string; entries: number }>(sql`
    SELECT year, member_id, paid_cents AS paid, reversed_cents AS reversed, refunded_cents AS refunded, entries
    FROM member_year_money WHERE member_id = ANY(${`{${ours.join(',')}}`}::uuid[]) AND entries > 0`);
  return rows.map((r) => ({ year: r.year, memberId: r.member_id, paid: Number(r.paid), reversed: Number(r.reversed), refunded: Number(r.refunded), entries: r.entries })).sort(byKey);
}

/** The plain aggregate of the ledger, as the preview computed it before decision 060, per year. */
async function aggregate(): Promise<Money[]> {
  const rows = await handle.db.execute<{ year: number; member_id: string; paid: string; reversed: string; refunded: string; entries: number }>(sql`
    SELECT extract(year FROM coalesce(l.booked_on, l.occurred_on))::int AS year, l.member_id,
      sum(CASE WHEN l.kind = 'payment' THEN -l.amount_cents ELSE 0 END) AS paid,
      sum(CASE WHEN l.kind = 'reversal' THEN l.amount_cents ELSE 0 END) AS reversed,
      sum(CASE WHEN l.kind = 'refund' THEN l.amount_cents ELSE 0 END) AS refunded,
      count(*)::int AS entries
    FROM ledger_entries l
    WHERE l.kind IN ('payment', 'reversal', 'refund') AND l.member_id = ANY(${`{${ours.join(',')}}`}::uuid[]) AND l.collected_by = 'fund'
    GROUP BY 1, 2`);
  return rows.map((r) => ({ year: r.year, memberId: r.member_id, paid: Number(r.paid), reversed: Number(r.reversed), refunded: Number(r.refunded), entries: r.entries })).sort(byKey);
}

async function expectKeptEqualsAggregate() {
  const plain = await aggregate();
  expect(await kept()).toEqual(plain);
  return plain;
}
const of = (rows: Money[], memberId: string, year = YEAR) => rows.find((r) => r.memberId === memberId && r.year === year);

let a: string, b: string, c: string, d: string, e: string;

beforeAll(async () => {
  handle = connectDatabase(inject('databaseUrl'), 2);
  const [file] = await handle.db.insert(bankFiles).values({ format: 'camt054', sha256: randomUUID(), filename: 'tax-year-money.xml', content: '', receivedBy: 'test', workflowId: 'test' }).returning();
  bankFileId = file!.id;
  [a, b, c, d, e] = [await member(), await member(), await member(), await member(), await member()];
}, 60_000);

afterAll(async () => handle?.close());

describe('member_year_money kept by the ledger triggers', () => {
  it('sums payments, refunds and reversals per member and cash-date year, fund-collected only, one statement of many rows included', async () => {
    // One statement: two payments of a, one of b, a union's payment of c, an unidentified payment, an invoice.
    await insertLedgerRows(handle.db, [
      await bankPayment(a, 2000, `${YEAR}-01-05`),
      await bankPayment(a, 2500, `${YEAR}-02-05`),
      await bankPayment(b, 3000, `${YEAR}-01-05`),
      await bankPayment(c, 9900, `${YEAR}-03-05`, { union: true }),
      row(null, 'payment', -700, `${YEAR}-03-06`),
      row(a, 'invoice', 6000, `${YEAR}-01-01`),
    ]);
    let plain = await expectKeptEqualsAggregate();
    expect(of(plain, a)).toEqual({ year: YEAR, memberId: a, paid: 4500, reversed: 0, refunded: 0, entries: 2 });
    expect(of(plain, c)).toBeUndefined();

    await insertLedgerRows(handle.db, [row(a, 'refund', 500, `${YEAR}-11-20`)]);
    await insertLedgerRows(handle.db, [row(b, 'reversal', 3000, `${YEAR}-01-09`), row(a, 'credit-note', -100, `${YEAR}-01-09`)]);
    plain = await expectKeptEqualsAggregate();
    expect(of(plain, a)).toMatchObject({ paid: 4500, refunded: 500, entries: 3 });
    expect(of(plain, b)).toMatchObject({ paid: 3000, reversed: 3000, entries: 2 });

    // A retried write (same source keys) books nothing twice.
    const again = await bankPayment(d, 1200, `${YEAR}-04-05`);
    await insertLedgerRows(handle.db, [again]);
    await insertLedgerRows(handle.db, [again, { ...again, sourceKey: `${again.sourceKey}/x`, bankEntryId: null, amountCents: -1 }]);
    expect(of(await expectKeptEqualsAggregate(), d)).toMatchObject({ paid: 1201, entries: 2 });
  });

  it('counts a payment by the bank booking date, and a correction booked after the year in the year it was booked', async () => {
    // Booked by the bank on 30 December, placed by hand on 3 January: the old year's.
    await insertLedgerRows(handle.db, [await bankPayment(e, 4000, `${YEAR}-12-30`, { ledgerDate: `${YEAR + 1}-01-03` })]);
    let plain = await expectKeptEqualsAggregate();
    expect(of(plain, e)).toMatchObject({ paid: 4000, entries: 1 });
    expect(of(plain, e, YEAR + 1)).toBeUndefined();
    // The payment reversed and a refund paid in the next year: the next year's money, the year's stays.
    await insertLedgerRows(handle.db, [row(e, 'reversal', 4000, `${YEAR + 1}-01-15`), row(e, 'refund', 300, `${YEAR + 1}-02-01`)]);
    plain = await expectKeptEqualsAggregate();
    expect(of(plain, e)).toMatchObject({ paid: 4000, reversed: 0, refunded: 0 });
    expect(of(plain, e, YEAR + 1)).toEqual({ year: YEAR + 1, memberId: e, paid: 0, reversed: 4000, refunded: 300, entries: 2 });
  });

  it('follows updates that move money between members, years and collectors, and writes nothing for one that moves none', async () => {
    // An unidentified payment placed on a member (the row's member set), then moved to another year.
    const unidentified = row(null, 'payment', -800, `${YEAR}-05-05`);
    await insertLedgerRows(handle.db, [unidentified]);
    const [placed] = await handle.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.sourceKey, unidentified.sourceKey));
    await handle.db.update(ledgerEntries).set({ memberId: c }).where(eq(ledgerEntries.id, placed!.id));
    expect(of(await expectKeptEqualsAggregate(), c)).toMatchObject({ paid: 800, entries: 1 });
    await handle.db.update(ledgerEntries).set({ occurredOn: `${YEAR + 1}-05-05` }).where(eq(ledgerEntries.id, placed!.id));
    let plain = await expectKeptEqualsAggregate();
    expect(of(plain, c)).toBeUndefined();
    expect(of(plain, c, YEAR + 1)).toMatchObject({ paid: 800 });
    // The union collected it after all; then the fund again, for less.
    await handle.db.update(ledgerEntries).set({ collectedBy: 'union' }).where(eq(ledgerEntries.id, placed!.id));
    expect(of(await expectKeptEqualsAggregate(), c, YEAR + 1)).toBeUndefined();
    await handle.db.update(ledgerEntries).set({ collectedBy: 'fund', amountCents: -600 }).where(eq(ledgerEntries.id, placed!.id));
    expect(of(await expectKeptEqualsAggregate(), c, YEAR + 1)).toMatchObject({ paid: 600, entries: 1 });
    // A payment turned into a refund (a kind corrected).
    await handle.db.update(ledgerEntries).set({ kind: 'refund', amountCents: 600 }).where(eq(ledgerEntries.id, placed!.id));
    expect(of(await expectKeptEqualsAggregate(), c, YEAR + 1)).toMatchObject({ paid: 0, refunded: 600, entries: 1 });

    // One statement over every row of three members: the ledger dates move a year on (the rows of a
    // bank entry keep their cash date: the booked_on trigger sets it before the statement's trigger
    // sees them; the others move), then back.
    await handle.db.execute(sql`UPDATE ledger_entries SET occurred_on = occurred_on + 365 WHERE member_id IN (${a}, ${b}, ${d})`);
    plain = await expectKeptEqualsAggregate();
    expect(of(plain, a)).toMatchObject({ paid: 4500, refunded: 0, entries: 2 });
    expect(of(plain, a, YEAR + 1)).toMatchObject({ paid: 0, refunded: 500, entries: 1 });
    expect(of(plain, d, YEAR + 1)).toMatchObject({ paid: 1, entries: 1 });
    await handle.db.execute(sql`UPDATE ledger_entries SET occurred_on = occurred_on - 365 WHERE member_id IN (${a}, ${b}, ${d})`);
    plain = await expectKeptEqualsAggregate();
    expect(of(plain, a, YEAR + 1)).toBeUndefined();
    expect(of(plain, a)).toMatchObject({ paid: 4500, refunded: 500, entries: 3 });

    // A description changed: no money moved, the kept row is not written (its version stays).
    const version = async () => (await handle.db.execute<{ xmin: string }>(sql`SELECT xmin::text FROM member_year_money WHERE year = ${YEAR} AND member_id = ${a}`))[0]!.xmin;
    const before = await version();
    await handle.db.execute(sql`UPDATE ledger_entries SET description = 'corrected text' WHERE member_id = ${a}`);
    expect(await version()).toBe(before);
    await expectKeptEqualsAggregate();
  });

  it('takes deleted rows away; a member whose rows all left the year has no money', async () => {
    const [one] = await handle.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(sql`${ledgerEntries.memberId} = ${a} AND ${ledgerEntries.kind} = 'refund'`);
    await handle.db.delete(ledgerEntries).where(eq(ledgerEntries.id, one!.id));
    expect(of(await expectKeptEqualsAggregate(), a)).toMatchObject({ paid: 4500, refunded: 0, entries: 2 });
    await handle.db.delete(ledgerEntries).where(sql`${ledgerEntries.memberId} = ${b} AND ${ledgerEntries.kind} IN ('payment', 'reversal')`);
    expect(of(await expectKeptEqualsAggregate(), b)).toBeUndefined();
    // Its row stays with no entries and sums of zero, which readers skip.
    const [left] = await handle.db.execute<{ entries: number; paid: string; reversed: string }>(sql`SELECT entries, paid_cents AS paid, reversed_cents AS reversed FROM member_year_money WHERE year = ${YEAR} AND member_id = ${b}`);
    expect(left).toEqual({ entries: 0, paid: '0', reversed: '0' });
  });

  it('is what the preview stages from: its members and total are the plain aggregate’s', async () => {
    const plain = (await expectKeptEqualsAggregate()).filter((r) => r.year === YEAR);
    const runId = `tax-report/${YEAR}/year-money-${randomUUID()}`;
    await repo.insertRunOnce(handle.db, { id: runId, year: YEAR, kind: 'correction', status: 'previewing', startedBy: 'test', workflowId: runId });
    const staged = await previewTaxReport(handle.db, getFundProfile('a-kassa'), runId, YEAR);
    const { netRefunds } = taxReportSettings(getFundProfile('a-kassa'));
    const net = plain.map((r) => r.paid - r.reversed - (netRefunds ? r.refunded : 0));
    expect({ members: staged.members, totalCents: staged.totalCents }).toEqual({ members: plain.length, totalCents: net.filter((n) => n > 0).reduce((s, n) => s + n, 0) });
    await repo.updateRun(handle.db, runId, { status: 'nothing-to-send' });
  });
});

describe('member_year_money_rebuild', () => {
  it('makes the table again from the ledger (a load that bypassed the triggers, a repair)', async () => {
    const before = await kept();
    await handle.db.transaction(async (tx) => {
      // Held off by the rebuild's lock meanwhile: the other tests' ledger writes wait, none is lost.
      await tx.execute(sql`SELECT member_year_money_rebuild()`);
    });
    expect(await kept()).toEqual(before);
  });
});
