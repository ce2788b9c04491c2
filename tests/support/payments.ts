import { eq, sql } from 'drizzle-orm';
import { expect, vi } from 'vitest';
import { invoices, members } from '../../db/schema';
import { insertLedgerRows } from '../../db/repositories/ledger';
import { createReferenceNumber, memberReferenceBase } from '../../domain/billing/referenceNumber';
import { toRfReference } from '../../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../../domain/billing/virtualBarcode';
import type { ApiClient } from './api';
import { applicationData, newKey } from './applications';
import type { Stack } from './stack';

export interface TestMember {
  memberId: string;
  memberNumber: number;
}

/** A member through the real intake (auto-approved), as the billing run would find them. */
export async function newMember(stack: Stack, client: ApiClient, token: string): Promise<TestMember> {
  const res = await client.api('/api/v1/applications', {
    method: 'POST',
    token,
    headers: { 'idempotency-key': newKey() },
    body: JSON.stringify({ data: applicationData() }),
  });
  expect(res.status).toBe(201);
  const done = await client.waitForStatus(res.body.id, ['approved'], { as: { token } });
  const [row] = await stack.db.select({ memberNumber: members.memberNumber }).from(members).where(eq(members.id, done.memberId));
  return { memberId: done.memberId as string, memberNumber: row!.memberNumber };
}

export interface InvoiceOptions {
  periodStart?: string;
  periodEnd?: string;
  issuedOn?: string;
  dueDate?: string;
}

/**
 * An issued invoice as the billing run writes it (the billing slice is built in parallel): the
 * member's reference for the fee year, and its 'invoice' ledger row.
 */
export async function newInvoice(stack: Stack, member: TestMember, year: number, amountCents: number, o: InvoiceOptions = {}) {
  const reference = createReferenceNumber(memberReferenceBase(member.memberNumber, year));
  const issuedOn = o.issuedOn ?? `${year}-01-10`;
  const dueDate = o.dueDate ?? `${year}-02-15`;
  const [row] = await stack.db
    .insert(invoices)
    .values({
      memberId: member.memberId,
      periodStart: o.periodStart ?? `${year}-01-01`,
      periodEnd: o.periodEnd ?? `${year}-12-31`,
      feeYear: year,
      amountCents,
      lines: [{ month: `${year}-01`, cents: amountCents }],
      reference,
      rfReference: toRfReference(reference),
      iban: stack.profile.iban,
      issuedOn,
      dueDate,
      delivery: 'letter',
      virtualBarcode: virtualBarcodeV4({ iban: stack.profile.iban, amountCents, reference, dueDate }),
      openCents: amountCents,
    })
    .returning();
  await insertLedgerRows(stack.db, [
    { memberId: member.memberId, occurredOn: issuedOn, kind: 'invoice', amountCents, invoiceId: row!.id, description: `Invoice ${row!.invoiceNumber}`, sourceKey: `invoice/${row!.id}`, createdBy: 'test' },
  ]);
  return row!;
}

export async function invoiceById(stack: Stack, id: string) {
  const [row] = await stack.db.select().from(invoices).where(eq(invoices.id, id));
  return row!;
}

export { camt054, type CamtEntry } from './camt054File';

/** A unique archive id (the bank's arkistointitunnus), at most 16 characters so KTL can carry it too. */
let archiveSeq = 0;
export function archiveId(prefix = 'A'): string {
  archiveSeq++;
  return `${prefix}${Date.now().toString(36).slice(-6)}${String(archiveSeq).padStart(4, '0')}${Math.floor(Math.random() * 1000).toString().padStart(3, '0')}`.slice(0, 16);
}

export async function postFile(client: ApiClient, body: string, contentType: string, auth: { cookie?: string; token?: string }) {
  return client.api('/api/v1/payment-files', { method: 'POST', body, headers: { 'content-type': contentType }, ...auth });
}

/** Waits until the file's process has booked it. */
export async function waitProcessed(client: ApiClient, fileId: string, auth: { cookie?: string; token?: string }, timeoutMs = 30_000) {
  return vi.waitFor(
    async () => {
      const res = await client.api(`/api/v1/payment-files/${fileId}`, auth);
      if (res.body?.status !== 'processed') throw new Error(`payment file ${fileId} stayed ${res.body?.status ?? res.status}`);
      return res.body;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Reads until `ok` holds and returns that value. */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const v = await read();
      if (!ok(v)) throw new Error(`condition not met: ${JSON.stringify(v)}`);
      return v;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Row counts of the money tables, to show a refused file booked nothing. */
export async function moneyCounts(stack: Stack) {
  const rows = await stack.db.execute<{ files: number; entries: number; ledger: number; allocations: number }>(sql`
    SELECT (SELECT count(*)::int FROM bank_files) AS files, (SELECT count(*)::int FROM bank_entries) AS entries,
           (SELECT count(*)::int FROM ledger_entries) AS ledger, (SELECT count(*)::int FROM allocations) AS allocations`);
  return rows[0]!;
}
