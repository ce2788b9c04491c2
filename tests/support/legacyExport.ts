/**
 * A realistic legacy export of any size (docs/migration-format.md): persons, memberships with
 * periods (ended ones with reasons), invoices with open balances and payments, deterministic from
 * a seed. With `faults`, one member in fifty (`faultEvery`) carries a fault real exports have: a duplicate
 * row, a bad identity code, overlapping periods, a reference that does not check, a payment
 * without an invoice. Identity codes use individual numbers 900–999 (never real people).
 */
import { addDays, addMonths, endOfMonth } from '../../domain/dates';
import { generateTestIdentityCode } from '../../domain/identityCode';
import { createReferenceNumber } from '../../domain/billing/referenceNumber';
import type { MigrationEntity } from '../../domain/migration/records';
import { migrationColumns } from '../../domain/migration/records';
import { seededRandom as rng } from '../../temporal/demo/demoApplicants';

export interface LegacyExportOptions {
  members: number;
  seed?: number;
  faults?: boolean;
  /** One member in this many carries a fault (default 50); the kinds take turns. */
  faultEvery?: number;
  /** Member numbers are `memberNumberBase + i` (keep them clear of the register's own). */
  memberNumberBase?: number;
  /** A prefix on every legacy id, so two exports in one database do not meet. */
  prefix?: string;
  /** Invoices per member (monthly, ending before `until`). */
  invoicesPerMember?: number;
  until?: string;
  /**
   * Format version 2's collection state (decision 047) for the open invoices: a reminder level,
   * some with a hearing open or a hold; with `faults`, a level the fund does not have and a state
   * of an invoice that is paid. From a random stream of its own, so the version 1 files are the
   * same with it or without.
   */
  collectionState?: boolean;
  /**
   * Format version 2's transferred periods: one member in five came from another fund within a
   * month (a period there ending the day before the membership's first); with `faults`, a Y-tunnus
   * that does not check and a period that ends before it starts. A random stream of its own.
   */
  transferredPeriods?: boolean;
  /**
   * Format version 2's past tax reports: for each member with payments in the year before `until`'s,
   * the sum of them as reported by the old register (filed on 31 January); with `faults`, a
   * reported identity code that does not check and a year reported twice.
   */
  taxReports?: boolean;
  /**
   * Format version 2's messages sent (metadata): each invoice's letter or e-invoice and the
   * membership's approval; with `faults`, a kind the register does not know and a channel it does
   * not have.
   */
  messages?: boolean;
  /**
   * Format version 2's applications waiting for a decision (decision 047, "Applications"): this many
   * applicants who are not members, received in the last two months before `until`; with `faults`,
   * one in `faultEvery` (at least one in four) has a bad identity code, a requested start before
   * the day received, or an employment status the form does not have, in turn.
   */
  applications?: number;
}

export type LegacyExport = Record<MigrationEntity, Record<string, string>[]>;

export type LegacyFault = 'duplicate' | 'bad-identity-code' | 'overlapping-periods' | 'bad-reference' | 'payment-without-invoice' | 'bad-reminder-level' | 'state-of-paid-invoice' | 'bad-business-id' | 'transfer-ends-before-start' | 'tax-report-bad-code' | 'tax-report-twice' | 'message-kind-unknown' | 'message-channel-invalid' | 'application-bad-identity-code' | 'application-start-before-receipt' | 'application-employment-unknown';


const firstNames = ['Aino', 'Eero', 'Helmi', 'Väinö', 'Saara', 'Jönssi', 'Åsa', 'Mikael', 'Liisa', 'Öljy'];
const lastNames = ['Virtanen', 'Mäkinen', 'Nieminen', 'Korhonen', 'Hämäläinen', 'Lindström', 'Åberg', 'Järvinen'];
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

/** The export, and which legacy ids carry which fault (for tests that look for them). */
export function generateLegacyExport(opts: LegacyExportOptions): { files: LegacyExport; faults: Map<string, LegacyFault> } {
  const random = rng(opts.seed ?? 1);
  const prefix = opts.prefix ?? 'L';
  const base = opts.memberNumberBase ?? 9_000_000;
  const until = opts.until ?? '2026-11-30';
  const perMember = opts.invoicesPerMember ?? 3;
  const files: LegacyExport = { persons: [], memberships: [], periods: [], invoices: [], payments: [], collection: [], transferred_periods: [], tax_reports: [], messages: [], applications: [] };
  const stateRandom = rng((opts.seed ?? 1) + 7_919);
  const transferRandom = rng((opts.seed ?? 1) + 104_729);
  const faults = new Map<string, LegacyFault>();
  const faultKinds: LegacyFault[] = ['duplicate', 'bad-identity-code', 'overlapping-periods', 'bad-reference', 'payment-without-invoice'];
  for (let i = 0; i < opts.members; i++) {
    const every = opts.faultEvery ?? 50;
    const fault = opts.faults && i % every === every - 1 ? faultKinds[Math.floor(i / every) % faultKinds.length]! : null;
    const personId = `${prefix}P${i}`;
    const memberId = `${prefix}M${i}`;
    const birth = addDays('1955-01-01', Math.floor(i / 100) + (opts.seed ?? 1) * 3_000);
    let code = generateTestIdentityCode(birth, 900 + (i % 100));
    if (fault === 'bad-identity-code') {
      code = code.slice(0, 10) + (code.endsWith('A') ? 'B' : 'A');
      faults.set(personId, fault);
    }
    const first = firstNames[Math.floor(random() * firstNames.length)]!;
    const last = lastNames[Math.floor(random() * lastNames.length)]!;
    const person = {
      legacy_id: personId,
      identity_code: code,
      first_names: first,
      last_name: last,
      language: random() < 0.9 ? 'fi' : 'sv',
      email: random() < 0.7 ? `member${i}@example.fi` : '',
      phone: '',
      street_address: `Testikatu ${1 + (i % 90)}`,
      postal_code: String(100 + (i % 900)).padStart(5, '0'),
      city: random() < 0.5 ? 'Helsinki' : 'Åbo',
      country: 'FI',
      delivery: random() < 0.2 ? 'e-invoice' : 'letter',
      non_disclosure: random() < 0.01 ? '1' : '0',
    };
    files.persons.push(person);
    if (fault === 'duplicate') {
      files.persons.push({ ...person, first_names: `${first} Maria` });
      faults.set(personId, fault);
    }
    const union = random() < 0.3;
    files.memberships.push({ legacy_id: memberId, person_legacy_id: personId, member_number: String(base + i), channel: union ? 'union' : 'direct', union_code: union ? '015' : '' });
    const start = addMonths('2015-01-01', Math.floor(random() * 100));
    const ended = random() < 0.15;
    const end = ended ? endOfMonth(addMonths(start, 12 + Math.floor(random() * 24))) : '';
    files.periods.push({ legacy_id: `${prefix}T${i}`, membership_legacy_id: memberId, start_date: start, end_date: end, end_reason: ended ? (random() < 0.7 ? 'resignation' : 'fund-switch') : '' });
    if (opts.transferredPeriods) transferOf(files, faults, { prefix, i, every: opts.faults ? (opts.faultEvery ?? 50) : 0, memberId, start, random: transferRandom });
    if (fault === 'overlapping-periods') {
      files.periods.push({ legacy_id: `${prefix}T${i}b`, membership_legacy_id: memberId, start_date: addMonths(start, 2), end_date: '', end_reason: '' });
      faults.set(`${prefix}T${i}`, fault);
    }
    // This member's invoices and payments are the ones added from here on (read back below without scanning the whole export: that was quadratic).
    const invoicesFrom = files.invoices.length;
    const paymentsFrom = files.payments.length;
    for (let k = 0; k < perMember; k++) {
      const month = addMonths(until.slice(0, 8) + '01', -(perMember - k));
      const amount = 1500 + Math.floor(random() * 5) * 100;
      const paid = k < perMember - 1 || random() < 0.5;
      const invoiceId = `${prefix}I${i}_${k}`;
      let reference = createReferenceNumber(`${base + i}${k + 1}7`);
      if (fault === 'bad-reference' && k === 0) {
        reference = reference.slice(0, -1) + String((Number(reference.slice(-1)) + 1) % 10);
        faults.set(invoiceId, fault);
      }
      files.invoices.push({
        legacy_id: invoiceId,
        membership_legacy_id: memberId,
        reference,
        period_start: month,
        period_end: endOfMonth(month),
        issued_on: addDays(month, -14),
        due_date: addDays(month, 14),
        amount: cents(amount),
        open_amount: cents(paid ? 0 : amount),
      });
      if (paid && !(fault === 'bad-reference' && k === 0)) files.payments.push({ legacy_id: `${prefix}Y${i}_${k}`, membership_legacy_id: memberId, invoice_legacy_id: invoiceId, paid_on: addDays(month, 10), amount: cents(amount) });
      if (opts.collectionState) collectionOf(files, faults, { prefix, i, every: opts.faults ? (opts.faultEvery ?? 50) : 0, invoiceId, paid, dueDate: addDays(month, 14), until, random: stateRandom });
    }
    if (opts.messages) {
      const every = opts.faults ? (opts.faultEvery ?? 50) : 0;
      const faulty = every > 0 && i % every === Math.floor(every / 4);
      const approval = { legacy_id: `${prefix}N${i}_a`, membership_legacy_id: memberId, kind: 'application-approved', channel: person.email ? 'email' : 'letter', sent_on: start };
      if (faulty) {
        const kind: LegacyFault = Math.floor(i / every) % 2 === 0 ? 'message-kind-unknown' : 'message-channel-invalid';
        if (kind === 'message-kind-unknown') approval.kind = 'christmas-card';
        else approval.channel = 'fax';
        faults.set(approval.legacy_id, kind);
      }
      files.messages.push(approval);
      for (const inv of files.invoices.slice(invoicesFrom)) {
        files.messages.push({ legacy_id: `${prefix}N${inv.legacy_id!.slice(prefix.length + 1)}`, membership_legacy_id: memberId, kind: 'invoice', channel: person.delivery === 'e-invoice' ? 'e-invoice' : 'letter', sent_on: inv.issued_on! });
      }
    }
    if (opts.taxReports) {
      const year = String(Number(until.slice(0, 4)) - 1);
      const paid = files.payments.slice(paymentsFrom).filter((y) => y.paid_on!.startsWith(year)).reduce((n, y) => n + Math.round(Number(y.amount) * 100), 0);
      if (paid > 0) {
        const row = { legacy_id: `${prefix}R${i}_${year}`, membership_legacy_id: memberId, year, identity_code: code, name: `${last} ${first}`, amount: cents(paid), reported_on: `${Number(year) + 1}-01-31` };
        const taxFault: LegacyFault | null = opts.faults && i % (opts.faultEvery ?? 50) === Math.floor((2 * (opts.faultEvery ?? 50)) / 3) ? (Math.floor(i / (opts.faultEvery ?? 50)) % 2 === 0 ? 'tax-report-bad-code' : 'tax-report-twice') : null;
        if (taxFault === 'tax-report-bad-code') row.identity_code = code.slice(0, 10) + (code.endsWith('A') ? 'B' : 'A');
        files.tax_reports.push(row);
        if (taxFault === 'tax-report-twice') files.tax_reports.push({ ...row, legacy_id: `${row.legacy_id}b`, amount: cents(paid + 100) });
        if (taxFault) faults.set(row.legacy_id, taxFault);
      }
    }
    if (fault === 'payment-without-invoice') {
      files.payments.push({ legacy_id: `${prefix}Y${i}_x`, membership_legacy_id: memberId, invoice_legacy_id: '', paid_on: addDays(until, -20), amount: '17.00' });
      faults.set(`${prefix}Y${i}_x`, fault);
    }
  }
  if (opts.applications) applicationsOf(files, faults, { prefix, count: opts.applications, seed: opts.seed ?? 1, until, every: opts.faults ? Math.min(opts.faultEvery ?? 50, 4) : 0 });
  return { files, faults };
}

function applicationsOf(files: LegacyExport, faults: Map<string, LegacyFault>, o: { prefix: string; count: number; seed: number; until: string; every: number }): void {
  const random = rng(o.seed + 15_485_863);
  const kinds: LegacyFault[] = ['application-bad-identity-code', 'application-start-before-receipt', 'application-employment-unknown'];
  for (let j = 0; j < o.count; j++) {
    const legacyId = `${o.prefix}A${j}`;
    let code = generateTestIdentityCode(addDays('1988-01-01', j + o.seed * 97), 900 + ((j * 7) % 100));
    const receivedOn = addDays(o.until, -Math.floor(random() * 60));
    const row = {
      legacy_id: legacyId,
      received_on: receivedOn,
      identity_code: code,
      first_names: firstNames[Math.floor(random() * firstNames.length)]!,
      last_name: lastNames[Math.floor(random() * lastNames.length)]!,
      language: random() < 0.9 ? 'fi' : 'sv',
      email: `applicant${j}@example.fi`,
      phone: '',
      street_address: `Hakijantie ${1 + (j % 50)}`,
      postal_code: '00100',
      city: 'Helsinki',
      country: 'FI',
      employment_status: random() < 0.8 ? 'employed' : 'unemployed',
      employer: 'Testi Oy',
      requested_start_date: '',
      union_code: '',
    };
    const fault = o.every > 0 && j % o.every === o.every - 1 ? kinds[Math.floor(j / o.every) % kinds.length]! : null;
    if (fault === 'application-bad-identity-code') row.identity_code = code = code.slice(0, 10) + (code.endsWith('A') ? 'B' : 'A');
    if (fault === 'application-start-before-receipt') row.requested_start_date = addDays(receivedOn, -10);
    if (fault === 'application-employment-unknown') row.employment_status = 'retired';
    if (fault) faults.set(legacyId, fault);
    files.applications.push(row);
  }
}

/**
 * The collection state of one invoice: an open one past its due date has the first reminder, half
 * of them the second, half of those a hearing open with a deadline after `until`, one in four of
 * the others a payment plan. With faults (the member halfway through each `every`), a level 7 or a
 * state of a paid invoice.
 */
function collectionOf(
  files: LegacyExport,
  faults: Map<string, LegacyFault>,
  o: { prefix: string; i: number; every: number; invoiceId: string; paid: boolean; dueDate: string; until: string; random: () => number },
): void {
  const legacyId = `${o.prefix}C${o.invoiceId.slice(o.prefix.length + 1)}`;
  const faulty = o.every > 0 && o.i % o.every === Math.floor(o.every / 2);
  const fault: LegacyFault | null = faulty ? (Math.floor(o.i / o.every) % 2 === 0 ? 'bad-reminder-level' : 'state-of-paid-invoice') : null;
  if (o.paid && !fault) return;
  if (!o.paid && fault === 'state-of-paid-invoice') return;
  const first = addDays(o.dueDate, 14);
  if (first > o.until) return;
  const row = { legacy_id: legacyId, invoice_legacy_id: o.invoiceId, reminder_level: '1', reminder_date: first, reminder_due_date: addDays(first, 14), hearing_started_on: '', hearing_deadline: '', hold_reason: '', hold_until: '' };
  if (o.random() < 1 / 2 && addDays(o.dueDate, 30) <= o.until) {
    Object.assign(row, { reminder_level: '2', reminder_date: addDays(o.dueDate, 30), reminder_due_date: addDays(o.dueDate, 44) });
    if (o.random() < 1 / 2 && addDays(o.dueDate, 45) <= o.until) Object.assign(row, { hearing_started_on: addDays(o.dueDate, 45), hearing_deadline: addDays(o.until, 30) });
  }
  if (!row.hearing_started_on && o.random() < 1 / 4) Object.assign(row, { hold_reason: 'payment-plan', hold_until: addDays(o.until, 60) });
  if (fault === 'bad-reminder-level') row.reminder_level = '7';
  if (fault) faults.set(legacyId, fault);
  files.collection.push(row);
}

/** Previous funds, with made-up Y-tunnus that check (not the funds' real ones). */
const previousFunds = [
  { name: 'Palvelualojen työttömyyskassa', businessId: '0202012-8' },
  { name: 'Rakennusalan työttömyyskassa', businessId: '0220553-6' },
  { name: 'Erityisalojen työttömyyskassa', businessId: '0116286-1' },
];

/** A period in a previous fund for one member in five (the one-month rule: it ends the day before `start`); faults: a Y-tunnus that does not check, an end before the start. */
function transferOf(files: LegacyExport, faults: Map<string, LegacyFault>, o: { prefix: string; i: number; every: number; memberId: string; start: string; random: () => number }): void {
  const faulty = o.every > 0 && o.i % o.every === Math.floor(o.every / 3);
  if (!faulty && o.random() >= 1 / 5) return;
  const fund = previousFunds[Math.floor(o.random() * previousFunds.length)]!;
  const end = addDays(o.start, -1);
  const row = { legacy_id: `${o.prefix}X${o.i}`, membership_legacy_id: o.memberId, fund_name: fund.name, fund_business_id: fund.businessId, start_date: addMonths(o.start, -(24 + Math.floor(o.random() * 36))), end_date: end, paid_through: end };
  if (faulty) {
    const fault: LegacyFault = Math.floor(o.i / o.every) % 2 === 0 ? 'bad-business-id' : 'transfer-ends-before-start';
    if (fault === 'bad-business-id') row.fund_business_id = `${fund.businessId.slice(0, -1)}${(Number(fund.businessId.slice(-1)) + 1) % 10}`;
    else row.start_date = addDays(end, 1);
    faults.set(row.legacy_id, fault);
  }
  files.transferred_periods.push(row);
}

function field(v: string, delimiter: string): string {
  return v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One entity's rows as CSV text in the format's column order. */
export function exportCsv(entity: MigrationEntity, rows: readonly Record<string, string>[], delimiter = ','): string {
  const cols = migrationColumns[entity];
  return [cols.join(delimiter), ...rows.map((r) => cols.map((c) => field(r[c] ?? '', delimiter)).join(delimiter))].join('\r\n') + '\r\n';
}

/** One entity's rows as JSON Lines. */
export function exportJsonLines(rows: readonly Record<string, string>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** Windows-1252 bytes of text that has only Latin-1 characters (what an old Windows system writes). */
export function windows1252(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new Error(`not Latin-1: ${text[i]}`);
    out[i] = c;
  }
  return out;
}
