import { describe, expect, it } from 'vitest';
import { biHeader, biLine } from '../../../domain/bi';
import { journalDays } from '../../../domain/billing/journal';
import { isNewMismatch, journalDayCsv, journalDayFile, journalNets, ledgerNets, reconcileDay } from '../../../domain/billing/journalReconciliation';
import { defaultAccounts } from '../../../services/bookkeeping';

const sums = [
  { day: '2026-03-02', kind: 'invoice' as const, unidentified: false, cents: 9600 },
  { day: '2026-03-02', kind: 'payment' as const, unidentified: false, cents: -4800 },
  { day: '2026-03-02', kind: 'payment' as const, unidentified: true, cents: -1000 },
];

describe('the journal day file', () => {
  it('has the day lines, totals and the format name; an empty day is an empty file with its header', () => {
    const file = journalDayFile('2026-03-02', journalDays(sums, defaultAccounts));
    expect(file).toMatchObject({ format: 'jasenrekisteri.journal-day/1', date: '2026-03-02', currency: 'EUR', debitCents: 15400, creditCents: 15400 });
    const empty = journalDayFile('2026-03-03', journalDays(sums, defaultAccounts));
    expect(empty).toMatchObject({ lines: [], debitCents: 0, creditCents: 0 });
    expect(journalDayCsv(empty)).toBe('date,account,account_name,source,debit,credit\r\n');
  });
});

describe('reconciling the journal with the ledger', () => {
  it('balances when the journal nets equal the ledger nets per account', () => {
    const file = journalDayFile('2026-03-02', journalDays(sums, defaultAccounts));
    const ledger = ledgerNets(sums, defaultAccounts);
    expect(ledger).toEqual({ '1700': 4800, '1910': 5800, '2890': -1000, '3000': -9600 });
    const r = reconcileDay({ date: '2026-03-02', against: 'journal', journal: { nets: journalNets(file.lines), debitCents: file.debitCents, creditCents: file.creditCents }, ledger });
    expect(r).toMatchObject({ status: 'balanced', journalBalanced: true, differences: [] });
  });

  it('names each account that differs, and a journal whose debits differ from its credits', () => {
    const ledger = ledgerNets([...sums, { day: '2026-03-02', kind: 'payment', unidentified: true, cents: -300 }], defaultAccounts);
    const r = reconcileDay({ date: '2026-03-02', against: 'pushed', journal: { nets: { '1700': 4800, '1910': 5800, '2890': -1000, '3000': -9600 }, debitCents: 15400, creditCents: 15400 }, ledger });
    expect(r.status).toBe('mismatch');
    expect(r.differences).toEqual([
      { account: '1910', journalCents: 5800, ledgerCents: 6100 },
      { account: '2890', journalCents: -1000, ledgerCents: -1300 },
    ]);
    const unbalanced = reconcileDay({ date: '2026-03-02', against: 'pushed', journal: { nets: {}, debitCents: 100, creditCents: 0 }, ledger: {} });
    expect(unbalanced).toMatchObject({ status: 'mismatch', journalBalanced: false, differences: [] });
  });

  it('calls a mismatch new only when the previous check of the day did not have the same one', () => {
    const mismatch = reconcileDay({ date: 'd', against: 'pushed', journal: { nets: { '1910': 1 }, debitCents: 1, creditCents: 1 }, ledger: {} });
    expect(isNewMismatch(mismatch, null)).toBe(true);
    // Stored as jsonb, the keys come back in another order: still the same mismatch.
    expect(isNewMismatch(mismatch, { status: 'mismatch', differences: [{ ledgerCents: 0, account: '1910', journalCents: 1 }] })).toBe(false);
    expect(isNewMismatch(mismatch, { status: 'balanced', differences: [] })).toBe(true);
    expect(isNewMismatch({ ...mismatch, status: 'balanced' }, null)).toBe(false);
  });
});

describe('BI extract lines', () => {
  it('writes the pseudonym, money in euros (a minus is not guarded as a formula), and guards text', () => {
    expect(biHeader('payments')).toBe('ledger_id,person_pseudonym,occurred_on,kind,amount,collected_by\r\n');
    expect(biLine('payments', { ledger_id: 7, occurred_on: '2026-03-02', kind: 'payment', amount_cents: -4800, collected_by: 'fund' }, 'ab12')).toBe('7,ab12,2026-03-02,payment,-48.00,fund\r\n');
    expect(biLine('members', { birth_year: 1980, language: 'fi', municipality: '=HYPERLINK()', union_code: null, channel: 'direct', created_on: '2026-01-01', status: 'member', deceased: false }, 'cd34')).toBe(
      "cd34,1980,fi,'=HYPERLINK(),,direct,2026-01-01,member,false\r\n",
    );
  });
});
