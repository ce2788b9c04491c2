import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices } from '../../db/schema';
import { virtualBarcodeV5 } from '../../domain/billing/virtualBarcode';
import { apiClient } from '../support/api';
import { newInvoice, newMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** The data step of migration 0007, as shipped: it fills the version-5 barcode of older invoices. */
const backfill = readFileSync('db/migrations/0007_invoice_barcode_v5.sql', 'utf8')
  .split('--> statement-breakpoint')
  .map((s) => s.trim())
  .find((s) => /^(--[^\n]*\n)*UPDATE/.test(s))!;

describe('migration 0007: version-5 barcodes for invoices issued before', () => {
  it('writes what the domain computes, and leaves invoices that have one alone', async () => {
    const client = apiClient(stack);
    const member = await newMember(stack, client, await stack.token('eservices'));
    // Issued as before the column existed: no version-5 barcode.
    const old = await newInvoice(stack, member, 2024, 9600, { dueDate: '2024-02-15' });
    expect(old.virtualBarcodeV5).toBeNull();
    const issued = await newInvoice(stack, member, 2025, 9600, { dueDate: '2025-02-15' });
    // Run inside a transaction that is rolled back: the shared test database keeps its rows as
    // the other tests left them.
    let seen: string | null | undefined;
    let untouched: string | null | undefined;
    await stack.db
      .transaction(async (tx) => {
        await tx.update(invoices).set({ virtualBarcodeV5: 'kept as it was' }).where(eq(invoices.id, issued.id));
        await tx.execute(sql.raw(backfill));
        seen = (await tx.select().from(invoices).where(eq(invoices.id, old.id)))[0]?.virtualBarcodeV5;
        untouched = (await tx.select().from(invoices).where(eq(invoices.id, issued.id)))[0]?.virtualBarcodeV5;
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error && /rollback/i.test(error.message))) throw error;
      });
    expect(seen).toBe(virtualBarcodeV5({ iban: old.iban, amountCents: 9600, rfReference: old.rfReference, dueDate: '2024-02-15' }));
    expect(untouched).toBe('kept as it was');
  });
});
