/**
 * The tax report's preview is one SQL statement (decision 034); the rules it applies are the
 * domain's (`memberReport`, `correctionRecords`, `addToSummary`). This file holds the statement to
 * them: a register of members in every situation the rules tell apart, staged under three settings,
 * against what the domain functions make of the same members. Also the cash date the statement
 * reads without a join (`ledger_entries.booked_on`, migration 0026). Year 2033 is this file's own:
 * before the years the tax tests with a desk use (the desk offers the latest year with a run).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { previewTaxReport } from '../../activities/taxReport';
import { connectDatabase, type DbHandle } from '../../db/client';
import { insertLedgerRows } from '../../db/repositories/ledger';
import * as repo from '../../db/repositories/taxReport';
import { bankEntries, bankFiles, ledgerEntries, members, persons, taxRejectedRecords, taxReportItems } from '../../db/schema';
import { getFundProfile, type FundProfile } from '../../domain/fundProfile';
import { isValidIdentityCode } from '../../domain/identityCode';
import { addToSummary, correctionRecords, emptySummary, memberReport, type MemberIdentity, type ReportedFigure, type TaxReportSettings } from '../../domain/tax';
import type { TaxRecordKind } from '../../domain/vocabulary';
import { uniqueIdentityCode } from '../support/applications';

const YEAR = 2033;
let handle: DbHandle;
let bankFileId: string;

interface Case {
  memberId: string;
  identity: MemberIdentity;
  /** The year's money as the rules see it (cash basis, fund-collected). */
  money: { paidCents: number; reversedCents: number; refundedCents: number };
  /** What stands at the Tax Administration before the run. */
  previous: ReportedFigure | null;
  /** Any record of the year sent for the member, rejected ones too: a member of every later run. */
  reportedBefore: boolean;
}
const cases: Case[] = [];

async function member(o: { lastName?: string; firstNames?: string; identityCode?: string; dateOfDeath?: string; nonDisclosure?: boolean } = {}) {
  const identity: MemberIdentity = {
    identityCode: o.identityCode ?? uniqueIdentityCode(),
    firstNames: o.firstNames ?? 'Aino',
    lastName: o.lastName ?? 'Verotus',
    dateOfDeath: o.dateOfDeath ?? null,
    nonDisclosure: o.nonDisclosure ?? false,
  };
  const [person] = await handle.db
    .insert(persons)
    .values({ identityCode: identity.identityCode!, firstNames: identity.firstNames, lastName: identity.lastName, birthDate: '1980-01-01', language: 'fi', dateOfDeath: identity.dateOfDeath, nonDisclosure: identity.nonDisclosure })
    .returning();
  const [m] = await handle.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
  const c: Case = { memberId: m!.id, identity, money: { paidCents: 0, reversedCents: 0, refundedCents: 0 }, previous: null, reportedBefore: false };
  cases.push(c);
  return c;
}

/** A payment the bank booked on `bookingDate`, on the member's ledger on `ledgerDate` (default the same). */
async function pay(c: Case, cents: number, bookingDate: string, o: { ledgerDate?: string; union?: boolean } = {}) {
  const archiveId = `TAXSTAGE-${randomUUID()}`;
  const [entry] = await handle.db.insert(bankEntries).values({ archiveId, fileId: bankFileId, bookingDate, amountCents: cents, memberId: c.memberId, status: 'allocated', unallocatedCents: 0 }).returning();
  await insertLedgerRows(handle.db, [{ memberId: c.memberId, occurredOn: o.ledgerDate ?? bookingDate, kind: 'payment', amountCents: -cents, bankEntryId: entry!.id, sourceKey: `payment/${archiveId}`, createdBy: 'test', ...(o.union ? { collectedBy: 'union' as const } : {}) }]);
  if (!o.union && bookingDate.startsWith(String(YEAR))) c.money.paidCents += cents;
  return entry!.id;
}
async function ledger(c: Case, kind: 'refund' | 'reversal', cents: number, on: string) {
  await insertLedgerRows(handle.db, [{ memberId: c.memberId, occurredOn: on, kind, amountCents: cents, sourceKey: `${kind}/${randomUUID()}`, createdBy: 'test' }]);
  if (on.startsWith(String(YEAR))) c.money[kind === 'refund' ? 'refundedCents' : 'reversedCents'] += cents;
}

let earlierFileId: string;
/** A record sent before (`status` 'rejected' stands for nothing); the newest not rejected is what stands. */
async function reported(c: Case, kind: TaxRecordKind, amountCents: number, o: { identityCode?: string; name?: string; status?: 'accepted' | 'rejected' } = {}) {
  const record = { memberId: c.memberId, identityCode: o.identityCode ?? c.identity.identityCode!, name: o.name ?? `${c.identity.lastName} ${c.identity.firstNames}`, amountCents };
  // The earlier run's staged record is its reported record (decision 041); its file is acknowledged.
  const [{ n }] = (await handle.db.execute<{ n: number }>(sql`SELECT coalesce(max(seq), 0)::int + 1 AS n FROM tax_report_items WHERE run_id = ${`tax-report/${YEAR}`}`)) as unknown as [{ n: number }];
  await handle.db.insert(taxReportItems).values({ runId: `tax-report/${YEAR}`, seq: n, recordNumber: n, netCents: amountCents, exceptions: [], recordKind: kind, ...record });
  if (o.status === 'rejected') await handle.db.insert(taxRejectedRecords).values({ fileId: earlierFileId, recordNumber: n, reason: 'test' });
  c.reportedBefore = true;
  if ((o.status ?? 'accepted') !== 'rejected') c.previous = kind === 'zero' ? null : record;
}

beforeAll(async () => {
  handle = connectDatabase(inject('databaseUrl'), 2);
  const [file] = await handle.db.insert(bankFiles).values({ format: 'camt054', sha256: randomUUID(), filename: 'tax-staging.xml', content: '', receivedBy: 'test', workflowId: 'test' }).returning();
  bankFileId = file!.id;
  await repo.insertRunOnce(handle.db, { id: `tax-report/${YEAR}`, year: YEAR, kind: 'annual', status: 'acknowledged', startedBy: 'test', workflowId: `tax-report/${YEAR}` });
  const { row } = await repo.insertFileOnce(handle.db, { runId: `tax-report/${YEAR}`, year: YEAR, sha256: 'x', content: '', recordCount: 0, totalCents: 0, status: 'acknowledged' });
  earlierFileId = row.id;

  await pay(await member(), 12000, `${YEAR}-03-05`); // a plain payer
  const zero = await member(); // paid and refunded: nets to zero
  await pay(zero, 5000, `${YEAR}-02-01`);
  await ledger(zero, 'refund', 5000, `${YEAR}-09-01`);
  const negative = await member(); // refunded more than paid in the year
  await pay(negative, 3000, `${YEAR}-02-01`);
  await ledger(negative, 'refund', 8000, `${YEAR}-06-01`);
  const reversed = await member(); // a payment reversed
  await pay(reversed, 4000, `${YEAR}-01-10`);
  await pay(reversed, 4000, `${YEAR}-02-10`);
  await ledger(reversed, 'reversal', 4000, `${YEAR}-02-12`);
  await pay(await member({ identityCode: `${uniqueIdentityCode().slice(0, 10)}Z` }), 7000, `${YEAR}-04-01`); // invalid code
  await pay(await member({ dateOfDeath: `${YEAR}-10-01`, nonDisclosure: true }), 6000, `${YEAR}-01-15`);
  // The name as in the file: any run of whitespace one space, none at the ends.
  await pay(await member({ lastName: ' Ämmälä\u00a0', firstNames: 'Anna \t Maria\u2003' }), 2500, `${YEAR}-05-05`);
  const edges = await member(); // booked 31 Dec the year before (placed 2 Jan): not; booked 30 Dec (placed 3 Jan next year): yes
  await pay(edges, 1100, `${YEAR - 1}-12-31`, { ledgerDate: `${YEAR}-01-02` });
  await pay(edges, 2200, `${YEAR}-12-30`, { ledgerDate: `${YEAR + 1}-01-03` });
  await pay(edges, 3300, `${YEAR + 1}-01-01`);
  await pay(await member(), 15000, `${YEAR}-05-01`, { union: true }); // the union's: not in the report at all

  const same = await member(); // reported, unchanged
  await pay(same, 9000, `${YEAR}-03-01`);
  await reported(same, 'new', 9000);
  const changed = await member(); // reported, a later payment: replaced under the original name
  await pay(changed, 9000, `${YEAR}-03-01`);
  await pay(changed, 1000, `${YEAR}-11-01`);
  await reported(changed, 'new', 9000, { name: 'Vanha Nimi' });
  const corrected = await member(); // reported under a wrong code: zeroed, a new one under the right code
  await pay(corrected, 8000, `${YEAR}-03-01`);
  await reported(corrected, 'new', 8000, { identityCode: uniqueIdentityCode() });
  const correctedToZero = await member(); // the same, now netting to zero
  await pay(correctedToZero, 2000, `${YEAR}-03-01`);
  await ledger(correctedToZero, 'refund', 2000, `${YEAR}-04-01`);
  await reported(correctedToZero, 'new', 2000, { identityCode: uniqueIdentityCode() });
  const nowInvalid = await member({ identityCode: `${uniqueIdentityCode().slice(0, 10)}Z` }); // reported, now blocked: nothing sent
  await pay(nowInvalid, 5000, `${YEAR}-03-01`);
  await reported(nowInvalid, 'new', 4000);
  const zeroedBefore = await member(); // the newest record zeroed an old code: nothing stands
  await pay(zeroedBefore, 6000, `${YEAR}-03-01`);
  await reported(zeroedBefore, 'new', 6000, { identityCode: uniqueIdentityCode() });
  await reported(zeroedBefore, 'zero', 0, { identityCode: uniqueIdentityCode() });
  const rejectedOnly = await member(); // only a rejected record, no money now: a member of the run without money
  await reported(rejectedOnly, 'new', 3000, { status: 'rejected' });
  const moneyGone = await member(); // reported, the payment moved to another year since: replaced with 0
  await reported(moneyGone, 'new', 4500);
  const rejectedNewest = await member(); // the newest rejected: the one before stands
  await pay(rejectedNewest, 7000, `${YEAR}-03-01`);
  await reported(rejectedNewest, 'new', 5000);
  await reported(rejectedNewest, 'replace', 7000, { status: 'rejected' });
}, 60_000);

afterAll(async () => handle?.close());

/** What the domain's rules stage for the cases, in the statement's order. */
function expected(settings: Pick<TaxReportSettings, 'netRefunds' | 'zeroNet'>) {
  const summary = emptySummary();
  const rows: { memberId: string; netCents: number; exceptions: string[]; recordKind: string | null; identityCode: string | null; name: string; amountCents: number | null }[] = [];
  for (const c of [...cases].sort((a, b) => (a.memberId < b.memberId ? -1 : 1))) {
    const hasMoney = c.money.paidCents !== 0 || c.money.reversedCents !== 0 || c.money.refundedCents !== 0;
    if (!hasMoney && !c.reportedBefore) continue;
    const report = memberReport({ memberId: c.memberId, ...c.money }, c.identity, settings);
    if (hasMoney) addToSummary(summary, report);
    const records = correctionRecords(c.previous, report);
    const base = { memberId: c.memberId, netCents: report.netCents, exceptions: report.exceptions };
    if (records.length === 0 && report.exceptions.length > 0) rows.push({ ...base, recordKind: null, identityCode: report.identityCode, name: report.name, amountCents: null });
    for (const r of records) rows.push({ ...base, recordKind: r.kind, identityCode: r.identityCode, name: r.name, amountCents: r.amountCents });
  }
  return { summary, rows };
}

describe('the preview statement against the domain rules', () => {
  for (const settings of [
    { netRefunds: true, zeroNet: 'omit' },
    { netRefunds: true, zeroNet: 'report' },
    { netRefunds: false, zeroNet: 'omit' },
  ] as const) {
    it(`stages what memberReport and correctionRecords make of every case (netRefunds ${settings.netRefunds}, zeroNet ${settings.zeroNet})`, async () => {
      const base = getFundProfile('a-kassa');
      const profile: FundProfile = { ...base, taxReport: { ...base.taxReport, ...settings } };
      const runId = `tax-report/${YEAR}/staging-${randomUUID()}`;
      await repo.insertRunOnce(handle.db, { id: runId, year: YEAR, kind: 'correction', status: 'previewing', startedBy: 'test', workflowId: runId });
      const staged = await previewTaxReport(handle.db, profile, runId, YEAR);
      const rows = await handle.db
        .select({ seq: taxReportItems.seq, recordNumber: taxReportItems.recordNumber, memberId: taxReportItems.memberId, netCents: taxReportItems.netCents, exceptions: taxReportItems.exceptions, recordKind: taxReportItems.recordKind, identityCode: taxReportItems.identityCode, name: taxReportItems.name, amountCents: taxReportItems.amountCents })
        .from(taxReportItems)
        .where(eq(taxReportItems.runId, runId))
        .orderBy(asc(taxReportItems.seq));
      const want = expected(settings);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(rows.map(({ seq: _, recordNumber: __, ...r }) => r)).toEqual(want.rows);
      // The file's record numbers (decision 041): its records 1, 2, … in seq order; none for a listed-only row.
      let next = 0;
      expect(rows.map((r) => r.recordNumber)).toEqual(rows.map((r) => (r.recordKind === null ? null : ++next)));
      const outgoing = want.rows.filter((r) => r.recordKind !== null);
      expect(staged).toEqual({
        ...want.summary,
        outgoing: outgoing.length,
        outgoingCents: outgoing.reduce((s, r) => s + (r.recordKind === 'zero' ? 0 : r.amountCents!), 0),
      });
      // Every kind of row is in the comparison: new, replace, zero and listed-only.
      expect(new Set(rows.map((r) => r.recordKind))).toEqual(new Set(['new', 'replace', 'zero', null]));
      // A retried preview starts over rather than adding rows.
      await previewTaxReport(handle.db, profile, runId, YEAR);
      const [{ n }] = (await handle.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tax_report_items WHERE run_id = ${runId}`)) as unknown as [{ n: number }];
      expect(n).toBe(rows.length);
      // A finished run row: reconcile (decision 033) leaves it alone, as it has no process.
      await repo.updateRun(handle.db, runId, { status: 'nothing-to-send' });
    });
  }
});

describe('the cash date on the ledger row (booked_on)', () => {
  it('carries the bank booking date where it differs from the ledger date, and the booking date does not change', async () => {
    const c = await member();
    const agreeing = await pay(c, 100, `${YEAR}-06-01`);
    const byHand = await pay(c, 100, `${YEAR}-12-30`, { ledgerDate: `${YEAR + 1}-01-03` });
    const rows = await handle.db.select({ bankEntryId: ledgerEntries.bankEntryId, bookedOn: ledgerEntries.bookedOn }).from(ledgerEntries).where(eq(ledgerEntries.memberId, c.memberId));
    expect(Object.fromEntries(rows.map((r) => [r.bankEntryId, r.bookedOn]))).toEqual({ [agreeing]: null, [byHand]: `${YEAR}-12-30` });
    // Nobody sets it by hand: the trigger keeps it.
    await handle.db.update(ledgerEntries).set({ bookedOn: '2000-01-01' }).where(eq(ledgerEntries.bankEntryId, agreeing));
    const [after] = await handle.db.select({ bookedOn: ledgerEntries.bookedOn }).from(ledgerEntries).where(eq(ledgerEntries.bankEntryId, agreeing));
    expect(after!.bookedOn).toBeNull();
    await expect(handle.db.update(bankEntries).set({ bookingDate: `${YEAR}-06-02` }).where(eq(bankEntries.id, agreeing))).rejects.toMatchObject({ cause: { message: expect.stringMatching(/does not change/) } });
    // The fee statement's years read the same cash date.
    const years = await repo.memberYears(handle.db, c.memberId);
    expect(years).toEqual([{ year: YEAR, paidCents: 200, reversedCents: 0, refundedCents: 0 }]);
  });
});

describe('identity_code_valid (migration 0026) and parseIdentityCode', () => {
  it('give the same answer for every code: each check character of random codes, and the calendar edges', async () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const signs = ['+', '-', 'A', 'B', 'C', 'D', 'E', 'F', 'U', 'V', 'W', 'X', 'Y', 'Z', 'G', 'a', ' '];
    const checks = [...'0123456789ABCDEFHJKLMNPRSTUVWXYGIOQZa'];
    const codes: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const prefix = `${pad(randomInt(33), 2)}${pad(randomInt(14), 2)}${pad(randomInt(100), 2)}${signs[randomInt(signs.length)]}${pad(randomInt(1000), 3)}`;
      for (const c of checks) codes.push(prefix + c);
    }
    // Leap days by century, month ends, day and month 00, individual numbers 000–002, length and case.
    for (const date of ['290200', '290204', '290203', '290296', '300200', '310400', '300400', '311299', '010100', '000100', '010000', '011300', '320199']) {
      for (const sign of ['+', '-', 'A', 'U', 'F']) for (const n of ['000', '001', '002', '899', '999']) for (const c of checks) codes.push(`${date}${sign}${n}${c}`);
    }
    codes.push('', '131052-308', '131052-308TT', '131052-308t', '131052–308T', '１31052-308T', '131052-308T ');
    const rows = await handle.db.execute<{ c: string; ok: boolean }>(sql`SELECT value AS c, identity_code_valid(value) AS ok FROM jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb)`);
    const differ = rows.filter((r) => r.ok !== isValidIdentityCode(r.c)).map((r) => r.c);
    expect(differ).toEqual([]);
    // Both answers occur plenty: the comparison is not of one side's constant.
    expect(rows.filter((r) => r.ok).length).toBeGreaterThan(500);
    expect(rows.filter((r) => !r.ok).length).toBeGreaterThan(10_000);
  });
});
