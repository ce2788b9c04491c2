/**
 * The loader of migration runs: one chunk of one entity per transaction, each record inserted or,
 * when its legacy id was loaded before, merged three ways (domain/migration/merge.ts) so a change
 * made in the register since the last load stands. The register rows, their keys and the
 * records' outcomes commit together: a crash loses the whole chunk (pending again), a retry finds
 * the keys of what committed, so nothing is loaded twice.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import * as repo from '../db/repositories/migration';
import { invoices, ledgerEntries, members, membershipPeriods, persons } from '../db/schema';
import { toRfReference } from '../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../domain/billing/virtualBarcode';
import { mergeLoaded } from '../domain/migration/merge';
import type { EntityData, InvoiceData, MembershipData, MigrationEntity, PaymentData, PeriodData, PersonData, RejectReason } from '../domain/migration/records';
import type { MigrationOutcome } from '../domain/migration/report';
import type { InvoiceStatus } from '../domain/vocabulary';

interface Result {
  outcome: Exclude<MigrationOutcome, 'pending'>;
  kept?: string[];
  reasons?: RejectReason[];
}

const personFields = (p: PersonData) => ({
  firstNames: p.firstNames,
  lastName: p.lastName,
  language: p.language,
  email: p.email,
  phone: p.phone,
  streetAddress: p.streetAddress,
  postalCode: p.postalCode,
  city: p.city,
  country: p.country,
  nonDisclosure: p.nonDisclosure,
  deliveryChannel: p.delivery,
});

function invoiceStatus(amountCents: number, openCents: number): InvoiceStatus {
  return openCents === 0 ? 'paid' : openCents < amountCents ? 'partially-paid' : 'open';
}

/** A change the register made since the last load is kept; `loaded` becomes what the batch said. */
async function mergeInto<T extends Record<string, unknown>>(tx: DbOrTx, ctx: repo.LoadContext, entity: MigrationEntity, key: repo.KeyRow, current: T, incoming: T, write: (changes: Partial<T>) => Promise<void>): Promise<Result> {
  const merged = mergeLoaded(key.loaded as T, current, incoming);
  const changed = Object.keys(merged.changes).length > 0;
  if (changed) await write(merged.changes);
  const same = JSON.stringify(key.loaded) === JSON.stringify(merged.loaded);
  if (!same) await repo.putKey(tx, ctx, entity, key.legacyId, key.registerId, merged.loaded);
  return { outcome: changed ? 'updated' : 'unchanged', kept: merged.kept };
}

async function loadPerson(tx: DbOrTx, ctx: repo.LoadContext, legacyId: string, d: PersonData, key: repo.KeyRow | undefined): Promise<Result> {
  const incoming = personFields(d);
  if (key) {
    const [cur] = await tx.select().from(persons).where(eq(persons.id, key.registerId));
    if (!cur) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
    return mergeInto(tx, ctx, 'persons', key, personFields({ ...d, ...cur, delivery: cur.deliveryChannel, language: cur.language as PersonData['language'] }), incoming, async (c) => {
      await tx.update(persons).set({ ...c, updatedAt: sql`now()` }).where(eq(persons.id, key.registerId));
    });
  }
  const [row] = await tx.insert(persons).values({ identityCode: d.identityCode, birthDate: d.birthDate, ...incoming }).onConflictDoNothing().returning({ id: persons.id });
  if (row) {
    await repo.putKey(tx, ctx, 'persons', legacyId, row.id, incoming);
    return { outcome: 'migrated' };
  }
  // The person is already in the register (joined since): linked, and the register's values stand.
  const [cur] = await tx.select().from(persons).where(eq(persons.identityCode, d.identityCode));
  if (!cur) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
  const now = personFields({ ...d, ...cur, delivery: cur.deliveryChannel, language: cur.language as PersonData['language'] });
  await repo.putKey(tx, ctx, 'persons', legacyId, cur.id, incoming);
  return { outcome: 'updated', kept: (Object.keys(incoming) as (keyof typeof incoming)[]).filter((k) => JSON.stringify(now[k]) !== JSON.stringify(incoming[k])) };
}

async function loadMembership(tx: DbOrTx, ctx: repo.LoadContext, legacyId: string, d: MembershipData, key: repo.KeyRow | undefined, parents: Map<string, repo.KeyRow>): Promise<Result> {
  const incoming = { channel: d.channel, unionCode: d.unionCode };
  if (key) {
    const [cur] = await tx.select().from(members).where(eq(members.id, key.registerId));
    if (!cur) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
    return mergeInto(tx, ctx, 'memberships', key, { channel: cur.channel, unionCode: cur.unionCode }, incoming, async (c) => {
      await tx.update(members).set(c).where(eq(members.id, key.registerId));
    });
  }
  const person = parents.get(d.personLegacyId);
  if (!person) return { outcome: 'rejected', reasons: [{ reason: 'unknown_parent', field: 'person_legacy_id' }] };
  const [row] = await tx.insert(members).values({ personId: person.registerId, memberNumber: d.memberNumber, ...incoming }).onConflictDoNothing().returning({ id: members.id });
  if (!row) {
    const [existing] = await tx.select().from(members).where(eq(members.personId, person.registerId));
    if (!existing || existing.memberNumber !== d.memberNumber) return { outcome: 'rejected', reasons: [{ reason: existing ? 'already_in_register' : 'member_number_in_use', field: 'member_number' }] };
    await repo.putKey(tx, ctx, 'memberships', legacyId, existing.id, incoming);
    return { outcome: 'updated', kept: Object.keys(incoming).filter((k) => JSON.stringify(existing[k as keyof typeof existing]) !== JSON.stringify(incoming[k as keyof typeof incoming])) };
  }
  await repo.putKey(tx, ctx, 'memberships', legacyId, row.id, incoming);
  return { outcome: 'migrated' };
}

async function loadPeriod(tx: DbOrTx, ctx: repo.LoadContext, legacyId: string, d: PeriodData, key: repo.KeyRow | undefined, parents: Map<string, repo.KeyRow>): Promise<Result> {
  const incoming = { startDate: d.startDate, endDate: d.endDate, endReason: d.endReason };
  if (key) {
    const [cur] = await tx.select().from(membershipPeriods).where(eq(membershipPeriods.id, key.registerId));
    if (!cur) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
    return mergeInto(tx, ctx, 'periods', key, { startDate: cur.startDate, endDate: cur.endDate, endReason: cur.endReason }, incoming, async (c) => {
      await tx.update(membershipPeriods).set({ ...c, ...(c.endDate ? { endedBy: 'migration' } : {}) }).where(eq(membershipPeriods.id, key.registerId));
    });
  }
  const member = parents.get(d.membershipLegacyId);
  if (!member) return { outcome: 'rejected', reasons: [{ reason: 'unknown_parent', field: 'membership_legacy_id' }] };
  const [row] = await tx
    .insert(membershipPeriods)
    .values({ memberId: member.registerId, ...incoming, endedBy: d.endDate ? 'migration' : null })
    .returning({ id: membershipPeriods.id });
  await repo.putKey(tx, ctx, 'periods', legacyId, row!.id, incoming);
  return { outcome: 'migrated' };
}

async function loadInvoice(tx: DbOrTx, ctx: repo.LoadContext, legacyId: string, d: InvoiceData, key: repo.KeyRow | undefined, parents: Map<string, repo.KeyRow>): Promise<Result> {
  const incoming = { amountCents: d.amountCents, openCents: d.openCents, dueDate: d.dueDate };
  if (key) {
    const [cur] = await tx.select().from(invoices).where(eq(invoices.id, key.registerId));
    if (!cur) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
    return mergeInto(tx, ctx, 'invoices', key, { amountCents: cur.amountCents, openCents: cur.openCents, dueDate: cur.dueDate }, incoming, async (c) => {
      const amount = c.amountCents ?? cur.amountCents;
      const open = c.openCents ?? cur.openCents;
      await tx.update(invoices).set({ ...c, status: invoiceStatus(amount, open) }).where(eq(invoices.id, key.registerId));
    });
  }
  const member = parents.get(d.membershipLegacyId);
  if (!member) return { outcome: 'rejected', reasons: [{ reason: 'unknown_parent', field: 'membership_legacy_id' }] };
  const [row] = await tx
    .insert(invoices)
    .values({
      memberId: member.registerId,
      periodStart: d.periodStart,
      periodEnd: d.periodEnd,
      feeYear: Number(d.periodStart.slice(0, 4)),
      amountCents: d.amountCents,
      lines: [{ month: d.periodStart.slice(0, 7), cents: d.amountCents }],
      reference: d.reference,
      rfReference: toRfReference(d.reference),
      iban: ctx.iban,
      issuedOn: d.issuedOn,
      dueDate: d.dueDate,
      delivery: 'letter',
      virtualBarcode: virtualBarcodeV4({ iban: ctx.iban, amountCents: d.openCents, reference: d.reference, dueDate: d.dueDate }),
      status: invoiceStatus(d.amountCents, d.openCents),
      openCents: d.openCents,
    })
    .onConflictDoNothing()
    .returning({ id: invoices.id });
  if (!row) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register', field: 'reference' }] };
  await tx
    .insert(ledgerEntries)
    .values({ memberId: member.registerId, occurredOn: d.issuedOn, kind: 'invoice', amountCents: d.amountCents, invoiceId: row.id, description: 'Invoice migrated from the previous register', descriptionCode: 'invoice', sourceKey: `migration:invoice:${legacyId}`, createdBy: 'migration' })
    .onConflictDoNothing();
  await repo.putKey(tx, ctx, 'invoices', legacyId, row.id, incoming);
  return { outcome: 'migrated' };
}

async function loadPayment(tx: DbOrTx, ctx: repo.LoadContext, legacyId: string, d: PaymentData, key: repo.KeyRow | undefined, members_: Map<string, repo.KeyRow>, invoices_: Map<string, repo.KeyRow>): Promise<Result> {
  const incoming = { paidOn: d.paidOn, amountCents: d.amountCents };
  // The ledger is append-only: a payment once loaded stands; a later batch's other figures are named, not written.
  if (key) return { outcome: 'unchanged', kept: Object.keys(incoming).filter((k) => JSON.stringify(key.loaded[k]) !== JSON.stringify(incoming[k as keyof typeof incoming])) };
  const member = members_.get(d.membershipLegacyId);
  const invoice = invoices_.get(d.invoiceLegacyId);
  if (!member) return { outcome: 'rejected', reasons: [{ reason: 'unknown_parent', field: 'membership_legacy_id' }] };
  if (!invoice) return { outcome: 'rejected', reasons: [{ reason: 'unknown_parent', field: 'invoice_legacy_id' }] };
  const [row] = await tx
    .insert(ledgerEntries)
    .values({ memberId: member.registerId, occurredOn: d.paidOn, kind: 'payment', amountCents: -d.amountCents, invoiceId: invoice.registerId, description: 'Payment migrated from the previous register', sourceKey: `migration:payment:${legacyId}`, createdBy: 'migration' })
    .onConflictDoNothing()
    .returning({ id: ledgerEntries.id });
  if (!row) return { outcome: 'rejected', reasons: [{ reason: 'already_in_register' }] };
  await repo.putKey(tx, ctx, 'payments', legacyId, String(row.id), incoming);
  return { outcome: 'migrated' };
}

/**
 * Loads up to `limit` pending records of one entity in one transaction: the register rows, their
 * keys and the records' outcomes commit together, so a crash loses the whole chunk (it is pending
 * again) and a retry finds the keys of what committed. Returns how many were settled.
 */
export async function loadChunk(db: Database, schema: string | null, ctx: repo.LoadContext, entity: MigrationEntity, limit: number): Promise<{ settled: number; outcomes: Record<string, number> }> {
  return repo.inTarget(db, schema, async (tx) => {
    const pending = await repo.pendingRecords(tx, ctx.runId, entity, limit);
    if (pending.length === 0) return { settled: 0, outcomes: {} };
    const keys = await repo.keysOf(tx, entity, pending.map((p) => p.legacyId));
    const data = <E extends MigrationEntity>(p: repo.PendingRecord) => p.data as EntityData[E];
    const parentIds = (field: string) => pending.map((p) => (p.data as Record<string, string>)[field]!).filter(Boolean);
    const people = entity === 'memberships' ? await repo.keysOf(tx, 'persons', parentIds('personLegacyId')) : new Map<string, repo.KeyRow>();
    const memberKeys = ['periods', 'invoices', 'payments'].includes(entity) ? await repo.keysOf(tx, 'memberships', parentIds('membershipLegacyId')) : new Map<string, repo.KeyRow>();
    const invoiceKeys = entity === 'payments' ? await repo.keysOf(tx, 'invoices', parentIds('invoiceLegacyId')) : new Map<string, repo.KeyRow>();
    const outcomes: Record<string, number> = {};
    const results: { seq: number; outcome: string; reasons: RejectReason[]; kept: string[] }[] = [];
    for (const p of pending) {
      const key = keys.get(p.legacyId);
      let r: Result;
      switch (entity) {
        case 'persons':
          r = await loadPerson(tx, ctx, p.legacyId, data<'persons'>(p), key);
          break;
        case 'memberships':
          r = await loadMembership(tx, ctx, p.legacyId, data<'memberships'>(p), key, people);
          break;
        case 'periods':
          r = await loadPeriod(tx, ctx, p.legacyId, data<'periods'>(p), key, memberKeys);
          break;
        case 'invoices':
          r = await loadInvoice(tx, ctx, p.legacyId, data<'invoices'>(p), key, memberKeys);
          break;
        case 'payments':
          r = await loadPayment(tx, ctx, p.legacyId, data<'payments'>(p), key, memberKeys, invoiceKeys);
          break;
      }
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      results.push({ seq: p.seq, outcome: r.outcome, reasons: r.reasons ?? [], kept: r.kept ?? [] });
    }
    await repo.settleRecords(tx, ctx.runId, entity, results);
    return { settled: pending.length, outcomes };
  });
}

