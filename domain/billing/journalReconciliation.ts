/**
 * The finance system's day file and the check that the journal equals the ledger
 * (docs/finance-journal-format.md, decision 025).
 */
import { counterAccount, journalCsv, type Accounts, type JournalDay, type JournalLine, type LedgerDaySum } from './journal';

/** The layout's name and version, written into every day file so a reader can refuse one it does not know. */
export const journalDayFormat = 'jasenrekisteri.journal-day/1';

/** One day of the journal as the finance system receives it (JSON; the CSV has the same lines). */
export interface JournalDayFile {
  format: typeof journalDayFormat;
  date: string;
  currency: 'EUR';
  lines: JournalLine[];
  debitCents: number;
  creditCents: number;
}

/** Net movement (debit − credit, cents) per account number on one day. */
export type AccountNets = Record<string, number>;

/** The day file of `date` from the journal days (a day without movement has no lines). */
export function journalDayFile(date: string, days: readonly JournalDay[]): JournalDayFile {
  const day = days.find((d) => d.date === date);
  return { format: journalDayFormat, date, currency: 'EUR', lines: day?.lines ?? [], debitCents: day?.debitCents ?? 0, creditCents: day?.creditCents ?? 0 };
}

/** The day file as CSV: the journal CSV's columns, one line per journal line, CRLF, header always. */
export function journalDayCsv(file: JournalDayFile): string {
  return journalCsv({ days: [{ date: file.date, lines: file.lines, debitCents: file.debitCents, creditCents: file.creditCents }] });
}

/** The file name both formats share, e.g. `journal-2026-12-03.csv`. */
export const journalDayFileName = (date: string, ext: 'csv' | 'json') => `journal-${date}.${ext}`;

/** The delivery key of a day's file: the same day is one delivery, however often it is sent. */
export const journalDayFileKey = (date: string) => `journal-${date}`;

/** Net per account number of a journal day's lines. */
export function journalNets(lines: readonly Pick<JournalLine, 'account' | 'debitCents' | 'creditCents'>[]): AccountNets {
  const nets: AccountNets = {};
  for (const l of lines) nets[l.account] = (nets[l.account] ?? 0) + l.debitCents - l.creditCents;
  return dropZeros(nets);
}

/**
 * Net per account number straight from the ledger's sums of one day, without journal lines: each
 * ledger row posts its amount to fees receivable (or unidentified payments) and the negation to
 * its kind's counter account.
 */
export function ledgerNets(sums: readonly LedgerDaySum[], accounts: Accounts): AccountNets {
  const nets: AccountNets = {};
  const add = (account: string, cents: number) => (nets[account] = (nets[account] ?? 0) + cents);
  for (const s of sums) {
    add(accounts[s.unidentified ? 'unidentifiedPayments' : 'feesReceivable'].number, s.cents);
    add(accounts[counterAccount[s.kind]].number, -s.cents);
  }
  return dropZeros(nets);
}

function dropZeros(nets: AccountNets): AccountNets {
  return Object.fromEntries(Object.entries(nets).filter(([, cents]) => cents !== 0).sort(([a], [b]) => a.localeCompare(b)));
}

export interface AccountDifference {
  account: string;
  journalCents: number;
  ledgerCents: number;
}

export interface DayReconciliation {
  date: string;
  /** What the ledger was compared with: the file the finance system was sent, or (not sent yet) the journal as it is now. */
  against: 'pushed' | 'journal';
  status: 'balanced' | 'mismatch';
  /** Whether the journal's debits equal its credits on the day. */
  journalBalanced: boolean;
  journalDebitCents: number;
  journalCreditCents: number;
  differences: AccountDifference[];
}

/** Compares a day's journal (its nets and totals) with the ledger's nets: every account must agree and debits equal credits. */
export function reconcileDay(input: { date: string; against: 'pushed' | 'journal'; journal: { nets: AccountNets; debitCents: number; creditCents: number }; ledger: AccountNets }): DayReconciliation {
  const accounts = [...new Set([...Object.keys(input.journal.nets), ...Object.keys(input.ledger)])].sort();
  const differences = accounts
    .map((account) => ({ account, journalCents: input.journal.nets[account] ?? 0, ledgerCents: input.ledger[account] ?? 0 }))
    .filter((d) => d.journalCents !== d.ledgerCents);
  const journalBalanced = input.journal.debitCents === input.journal.creditCents;
  return {
    date: input.date,
    against: input.against,
    status: differences.length === 0 && journalBalanced ? 'balanced' : 'mismatch',
    journalBalanced,
    journalDebitCents: input.journal.debitCents,
    journalCreditCents: input.journal.creditCents,
    differences,
  };
}

/** Whether a check found something the previous check of the day did not (so a task is due), by its differences. */
export function isNewMismatch(current: DayReconciliation, previous: Pick<DayReconciliation, 'status' | 'differences'> | null): boolean {
  if (current.status !== 'mismatch') return false;
  // By value, not by text: a stored (jsonb) difference comes back with its keys in another order.
  const key = (ds: readonly AccountDifference[]) => ds.map((d) => `${d.account}:${d.journalCents}:${d.ledgerCents}`).join('|');
  return !previous || previous.status !== 'mismatch' || key(previous.differences) !== key(current.differences);
}
