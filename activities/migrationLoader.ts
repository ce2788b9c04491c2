/**
 * The loader of migration runs: one chunk of one entity per transaction, set-based. The chunk's
 * new records go in with one multi-row `INSERT … SELECT FROM json_to_recordset … ON CONFLICT DO
 * NOTHING RETURNING` per table (ids made here, so each returned row names its record); what did
 * not go in is looked up once (a person already in the register is linked, a taken reference is
 * rejected). Records whose legacy id was loaded before are merged three ways
 * (domain/migration/merge.ts) against the register's rows read in one query, so a change made in
 * the register since the last load stands; only a field that changes is written. The keys go in
 * with one `ON CONFLICT (entity, legacy_id)` upsert, the outcomes (and the member each record
 * belongs to, for the run's member audit) with one append-only insert into `migration_outcomes`
 * (decision 046: the staged records are never rewritten; the highest settled `seq` is the entity's
 * cursor). All of it commits together: a crash loses the whole chunk (pending again), a retry
 * finds the keys of what committed, so nothing is loaded twice.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import * as repo from '../db/repositories/migration';
import { orderedUuid } from './orderedIds';
import { invoices, members, membershipPeriods, persons, taxMigratedRecords, transferredPeriods } from '../db/schema';
import { toRfReference } from '../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../domain/billing/virtualBarcode';
import { mergeLoaded } from '../domain/migration/merge';
import { recordData, sourceRowOf, type ApplicationRecordData, type CollectionData, type MessageData, type TaxReportData, type TransferredPeriodData, type EntityData, type InvoiceData, type MembershipData, type MigrationEntity, type PaymentData, type PeriodData, type PersonData, type RejectReason } from '../domain/migration/records';
import type { MigrationOutcome } from '../domain/migration/report';
import type { InvoiceStatus } from '../domain/vocabulary';
import { collectionHearingWorkflowId } from '../workflows/definitions/collectionHearing';
import { applicationWorkflowId } from '../workflows/definitions/applicationIntake';

interface Result {
  seq: number;
  legacyId: string;
  outcome: Exclude<MigrationOutcome, 'pending'>;
  kept?: string[];
  reasons?: RejectReason[];
  /** The member the record belongs to (the run's member audit), when there is one. */
  memberId?: string;
}

interface Rec<D> {
  seq: number;
  legacyId: string;
  data: D;
}

/** JSON with the keys of every object in order: a value read back from jsonb (its own key order) against one built here. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v ?? null;
}
/** The same values, whatever the order of their keys (since decision 051 a record's data is built from its source row, no longer read back from jsonb like the keys' `loaded`). */
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** What one entity's chunk settled, and the keys to write. */
class Settled {
  results: Result[] = [];
  keys: repo.NewKey[] = [];
  add(r: Rec<unknown>, outcome: Result['outcome'], more: Omit<Result, 'seq' | 'legacyId' | 'outcome'> = {}) {
    this.results.push({ seq: r.seq, legacyId: r.legacyId, outcome, ...more });
  }
  reject(r: Rec<unknown>, reason: RejectReason) {
    this.add(r, 'rejected', { reasons: [reason] });
  }
  /** A change the register made since the last load is kept; `loaded` becomes what the batch said. */
  async merge<T extends Record<string, unknown>>(r: Rec<unknown>, key: repo.KeyRow, current: T, incoming: T, write: (changes: Partial<T>) => Promise<void>, memberId?: string) {
    const merged = mergeLoaded(key.loaded as T, current, incoming);
    const changed = Object.keys(merged.changes).length > 0;
    if (changed) await write(merged.changes);
    if (!sameJson(key.loaded, merged.loaded)) this.keys.push({ legacyId: r.legacyId, registerId: key.registerId, loaded: merged.loaded });
    this.add(r, changed ? 'updated' : 'unchanged', { kept: merged.kept, ...(memberId ? { memberId } : {}) });
  }
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
type PersonFields = ReturnType<typeof personFields>;
const personNow = (d: PersonData, cur: typeof persons.$inferSelect): PersonFields => personFields({ ...d, ...cur, delivery: cur.deliveryChannel, language: cur.language as PersonData['language'] });
const differing = <T extends Record<string, unknown>>(a: T, b: T) => Object.keys(b).filter((k) => !sameJson(a[k], b[k]));

function invoiceStatus(amountCents: number, openCents: number): InvoiceStatus {
  return openCents === 0 ? 'paid' : openCents < amountCents ? 'partially-paid' : 'open';
}

/**
 * Rows of a multi-row statement, as one json parameter (a 1,000-row VALUES list of bound parameters
 * costs far more to build and plan), for `json_to_recordset`. `json`, not `jsonb` (decision 072):
 * the rows are read once, in order, and jsonb's parse builds each row's object with its keys sorted
 * first — for a chunk of 20,000 flat rows 109 ms against json's 198 ms.
 */
const rowsOf = (rows: readonly object[]) => sql`${JSON.stringify(rows)}::json`;
/**
 * Rows with an object or array for a jsonb column (a key's `loaded`, an application's data), for
 * `jsonb_to_recordset`: from json each such value is parsed again on its own, which costs more than
 * the whole parse saves (for 20,000 keys 338 ms against jsonb's 228 ms; decision 072).
 */
const nestedRowsOf = (rows: readonly object[]) => sql`${JSON.stringify(rows)}::jsonb`;

/** The records of a chunk split into those loaded before (with their key) and new ones. */
function split<D>(recs: readonly Rec<D>[], keys: Map<string, repo.KeyRow>) {
  const keyed: (Rec<D> & { key: repo.KeyRow })[] = [];
  const fresh: Rec<D>[] = [];
  for (const r of recs) {
    const key = keys.get(r.legacyId);
    if (key) keyed.push({ ...r, key });
    else fresh.push(r);
  }
  return { keyed, fresh };
}

/** The keyed records with the register's row each names, read in one query; a record whose row is gone is rejected. */
async function withCurrent<D, Row extends { id: string }>(out: Settled, keyed: (Rec<D> & { key: repo.KeyRow })[], read: (ids: string[]) => Promise<Row[]>) {
  if (keyed.length === 0) return [];
  const current = new Map((await read(keyed.map((r) => r.key.registerId))).map((row) => [row.id, row]));
  return keyed.flatMap((r) => {
    const cur = current.get(r.key.registerId);
    if (cur) return [{ ...r, cur }];
    out.reject(r, { reason: 'already_in_register' });
    return [];
  });
}

/** The new records whose parent was loaded; the others are rejected `unknown_parent` on `field`. */
function placedUnder<D>(out: Settled, fresh: Rec<D>[], parents: Map<string, repo.ParentKey>, parentOf: (d: D) => string, field: string) {
  return fresh.filter((r) => {
    if (parents.has(parentOf(r.data))) return true;
    out.reject(r, { reason: 'unknown_parent', field });
    return false;
  });
}

async function loadPersons(tx: DbOrTx, recs: Rec<PersonData>[], keys: Map<string, repo.KeyRow>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of await withCurrent(out, keyed, (ids) => tx.select().from(persons).where(inArray(persons.id, ids)))) {
    await out.merge(r, r.key, personNow(r.data, r.cur), personFields(r.data), (c) => tx.update(persons).set({ ...c, updatedAt: sql`now()` }).where(eq(persons.id, r.key.registerId)).then(() => undefined));
  }
  if (fresh.length > 0) {
    const rows = fresh.map((r) => ({ id: orderedUuid(), identity_code: r.data.identityCode, birth_date: r.data.birthDate, first_names: r.data.firstNames, last_name: r.data.lastName, language: r.data.language, email: r.data.email, phone: r.data.phone, street_address: r.data.streetAddress, postal_code: r.data.postalCode, city: r.data.city, country: r.data.country, non_disclosure: r.data.nonDisclosure, delivery_channel: r.data.delivery }));
    const inserted = new Set(
      (
        await tx.execute<{ id: string }>(sql`
          INSERT INTO persons (id, identity_code, birth_date, first_names, last_name, language, email, phone, street_address, postal_code, city, country, non_disclosure, delivery_channel)
          SELECT id, identity_code, birth_date, first_names, last_name, language, email, phone, street_address, postal_code, city, country, non_disclosure, delivery_channel
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, identity_code text, birth_date date, first_names text, last_name text, language text, email text, phone text, street_address text, postal_code text, city text, country text, non_disclosure boolean, delivery_channel text)
          ON CONFLICT DO NOTHING RETURNING id`)
      ).map((x) => x.id),
    );
    const linked = fresh.filter((_, i) => !inserted.has(rows[i]!.id));
    // Already in the register under the same identity code (joined since): linked, and the register's values stand.
    const byCode = new Map(linked.length === 0 ? [] : (await tx.select().from(persons).where(inArray(persons.identityCode, linked.map((r) => r.data.identityCode)))).map((p) => [p.identityCode, p]));
    for (const [i, r] of fresh.entries()) {
      const incoming = personFields(r.data);
      if (inserted.has(rows[i]!.id)) {
        out.keys.push({ legacyId: r.legacyId, registerId: rows[i]!.id, loaded: incoming });
        out.add(r, 'migrated');
        continue;
      }
      const cur = byCode.get(r.data.identityCode);
      if (!cur) {
        out.reject(r, { reason: 'already_in_register' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: cur.id, loaded: incoming });
      out.add(r, 'updated', { kept: differing(personNow(r.data, cur), incoming) });
    }
  }
  // The members of the persons a later batch changed (a person new to the register has none yet: the membership's audit row covers it).
  const touched = out.results.filter((r) => r.outcome === 'updated');
  if (touched.length > 0) {
    const personOf = new Map(out.keys.map((k) => [k.legacyId, k.registerId]));
    for (const r of keyed) personOf.set(r.legacyId, r.key.registerId);
    const memberOf = new Map((await tx.select({ id: members.id, personId: members.personId }).from(members).where(inArray(members.personId, touched.map((r) => personOf.get(r.legacyId)!)))).map((m) => [m.personId, m.id]));
    for (const r of touched) {
      const memberId = memberOf.get(personOf.get(r.legacyId)!);
      if (memberId) r.memberId = memberId;
    }
  }
  return out;
}

async function loadMemberships(tx: DbOrTx, recs: Rec<MembershipData>[], keys: Map<string, repo.KeyRow>, people: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of await withCurrent(out, keyed, (ids) => tx.select().from(members).where(inArray(members.id, ids)))) {
    await out.merge(r, r.key, { channel: r.cur.channel, unionCode: r.cur.unionCode }, { channel: r.data.channel, unionCode: r.data.unionCode }, (c) => tx.update(members).set(c).where(eq(members.id, r.key.registerId)).then(() => undefined), r.cur.id);
  }
  const placed = placedUnder(out, fresh, people, (d) => d.personLegacyId, 'person_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ id: orderedUuid(), person_id: people.get(r.data.personLegacyId)!.registerId, member_number: r.data.memberNumber, channel: r.data.channel, union_code: r.data.unionCode }));
    const inserted = new Set(
      (
        await tx.execute<{ id: string }>(sql`
          INSERT INTO members (id, person_id, member_number, channel, union_code)
          SELECT id, person_id, member_number, channel, union_code
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, person_id uuid, member_number bigint, channel text, union_code text)
          ON CONFLICT DO NOTHING RETURNING id`)
      ).map((x) => x.id),
    );
    const left = rows.filter((row) => !inserted.has(row.id));
    const byPerson = new Map(left.length === 0 ? [] : (await tx.select().from(members).where(inArray(members.personId, left.map((row) => row.person_id)))).map((m) => [m.personId, m]));
    for (const [i, r] of placed.entries()) {
      const row = rows[i]!;
      const incoming = { channel: r.data.channel, unionCode: r.data.unionCode };
      if (inserted.has(row.id)) {
        out.keys.push({ legacyId: r.legacyId, registerId: row.id, loaded: incoming });
        out.add(r, 'migrated', { memberId: row.id });
        continue;
      }
      const existing = byPerson.get(row.person_id);
      if (!existing || existing.memberNumber !== r.data.memberNumber) {
        out.reject(r, { reason: existing ? 'already_in_register' : 'member_number_in_use', field: 'member_number' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: existing.id, loaded: incoming });
      out.add(r, 'updated', { kept: differing({ channel: existing.channel, unionCode: existing.unionCode }, incoming), memberId: existing.id });
    }
  }
  return out;
}

async function loadPeriods(tx: DbOrTx, recs: Rec<PeriodData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of await withCurrent(out, keyed, (ids) => tx.select().from(membershipPeriods).where(inArray(membershipPeriods.id, ids)))) {
    await out.merge(
      r,
      r.key,
      { startDate: r.cur.startDate, endDate: r.cur.endDate, endReason: r.cur.endReason },
      { startDate: r.data.startDate, endDate: r.data.endDate, endReason: r.data.endReason },
      (c) => tx.update(membershipPeriods).set({ ...c, ...(c.endDate ? { endedBy: 'migration' } : {}) }).where(eq(membershipPeriods.id, r.key.registerId)).then(() => undefined),
      r.cur.memberId,
    );
  }
  const placed = placedUnder(out, fresh, memberKeys, (d) => d.membershipLegacyId, 'membership_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ id: orderedUuid(), member_id: memberKeys.get(r.data.membershipLegacyId)!.registerId, start_date: r.data.startDate, end_date: r.data.endDate, end_reason: r.data.endReason, ended_by: r.data.endDate ? 'migration' : null }));
    await tx.execute(sql`
      INSERT INTO membership_periods (id, member_id, start_date, end_date, end_reason, ended_by)
      SELECT id, member_id, start_date, end_date, end_reason, ended_by
      FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, member_id uuid, start_date date, end_date date, end_reason text, ended_by text)`);
    for (const [i, r] of placed.entries()) {
      out.keys.push({ legacyId: r.legacyId, registerId: rows[i]!.id, loaded: { startDate: r.data.startDate, endDate: r.data.endDate, endReason: r.data.endReason } });
      out.add(r, 'migrated', { memberId: rows[i]!.member_id });
    }
  }
  return out;
}

async function loadInvoices(tx: DbOrTx, ctx: repo.LoadContext, recs: Rec<InvoiceData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const { cur, ...r } of await withCurrent(out, keyed, (ids) => tx.select().from(invoices).where(inArray(invoices.id, ids)))) {
    await out.merge(
      r,
      r.key,
      { amountCents: cur.amountCents, openCents: cur.openCents, dueDate: cur.dueDate },
      { amountCents: r.data.amountCents, openCents: r.data.openCents, dueDate: r.data.dueDate },
      async (c) => {
        await tx
          .update(invoices)
          .set({ ...c, status: invoiceStatus(c.amountCents ?? cur.amountCents, c.openCents ?? cur.openCents) })
          .where(eq(invoices.id, r.key.registerId));
      },
      cur.memberId,
    );
  }
  const placed = placedUnder(out, fresh, memberKeys, (d) => d.membershipLegacyId, 'membership_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => {
      const d = r.data;
      return {
        id: orderedUuid(),
        member_id: memberKeys.get(d.membershipLegacyId)!.registerId,
        period_start: d.periodStart,
        period_end: d.periodEnd,
        fee_year: Number(d.periodStart.slice(0, 4)),
        amount_cents: d.amountCents,
        reference: d.reference,
        rf_reference: toRfReference(d.reference),
        iban: ctx.iban,
        issued_on: d.issuedOn,
        due_date: d.dueDate,
        delivery: 'letter',
        virtual_barcode: virtualBarcodeV4({ iban: ctx.iban, amountCents: d.openCents, reference: d.reference, dueDate: d.dueDate }),
        status: invoiceStatus(d.amountCents, d.openCents),
        open_cents: d.openCents,
        source_key: `migration:invoice:${r.legacyId}`,
      };
    });
    const inserted = new Set(
      (
        await tx.execute<{ id: string }>(sql`
          INSERT INTO invoices (id, member_id, period_start, period_end, fee_year, amount_cents, lines, reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, status, open_cents)
          SELECT id, member_id, period_start, period_end, fee_year, amount_cents, jsonb_build_array(jsonb_build_object('month', to_char(period_start, 'YYYY-MM'), 'cents', amount_cents)), reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, status, open_cents
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, member_id uuid, period_start date, period_end date, fee_year int, amount_cents int, reference text, rf_reference text, iban text, issued_on date, due_date date, delivery text, virtual_barcode text, status text, open_cents int)
          ON CONFLICT DO NOTHING RETURNING id`)
      ).map((x) => x.id),
    );
    const booked = rows.filter((row) => inserted.has(row.id));
    if (booked.length > 0) {
      // Each invoice went in just now, and its ledger row (keyed by the same legacy id) commits only with it: a plain insert (decision 051).
      await tx.execute(sql`
        INSERT INTO ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, description, description_code, source_key, created_by)
        SELECT member_id, issued_on, 'invoice', amount_cents, id, 'Invoice migrated from the previous register', 'invoice', source_key, 'migration'
        FROM json_to_recordset(${rowsOf(booked.map(({ id, member_id, issued_on, amount_cents, source_key }) => ({ id, member_id, issued_on, amount_cents, source_key })))}) AS x(id uuid, member_id uuid, issued_on date, amount_cents int, source_key text)`);
    }
    for (const [i, r] of placed.entries()) {
      const row = rows[i]!;
      if (!inserted.has(row.id)) {
        out.reject(r, { reason: 'already_in_register', field: 'reference' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: row.id, loaded: { amountCents: r.data.amountCents, openCents: r.data.openCents, dueDate: r.data.dueDate } });
      out.add(r, 'migrated', { memberId: row.member_id });
    }
  }
  return out;
}

async function loadPayments(tx: DbOrTx, recs: Rec<PaymentData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>, invoiceKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  // The ledger is append-only: a payment once loaded stands; a later batch's other figures are named, not written.
  for (const r of keyed) out.add(r, 'unchanged', { kept: differing(r.key.loaded, { paidOn: r.data.paidOn, amountCents: r.data.amountCents }) });
  const placed = fresh.filter((r) => {
    if (!memberKeys.has(r.data.membershipLegacyId)) out.reject(r, { reason: 'unknown_parent', field: 'membership_legacy_id' });
    else if (!invoiceKeys.has(r.data.invoiceLegacyId)) out.reject(r, { reason: 'unknown_parent', field: 'invoice_legacy_id' });
    else return true;
    return false;
  });
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ member_id: memberKeys.get(r.data.membershipLegacyId)!.registerId, occurred_on: r.data.paidOn, amount_cents: -r.data.amountCents, invoice_id: invoiceKeys.get(r.data.invoiceLegacyId)!.registerId, source_key: `migration:payment:${r.legacyId}` }));
    // A payment without a key has no ledger row: the row and the key commit together (its `source_key` is the legacy id's), so a plain insert (decision 051); one there all the same fails the chunk.
    const inserted = new Map(
      (
        await tx.execute<{ id: string | number; source_key: string }>(sql`
          INSERT INTO ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, description, source_key, created_by)
          SELECT member_id, occurred_on, 'payment', amount_cents, invoice_id, 'Payment migrated from the previous register', source_key, 'migration'
          FROM json_to_recordset(${rowsOf(rows)}) AS x(member_id uuid, occurred_on date, amount_cents int, invoice_id uuid, source_key text)
          RETURNING id, source_key`)
      ).map((x) => [x.source_key, String(x.id)]),
    );
    for (const [i, r] of placed.entries()) {
      const id = inserted.get(rows[i]!.source_key);
      if (!id) {
        out.reject(r, { reason: 'already_in_register' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: id, loaded: { paidOn: r.data.paidOn, amountCents: r.data.amountCents } });
      out.add(r, 'migrated', { memberId: rows[i]!.member_id });
    }
  }
  return out;
}

const transferredFields = (d: Omit<TransferredPeriodData, 'membershipLegacyId'>) => ({ fundName: d.fundName, fundBusinessId: d.fundBusinessId, startDate: d.startDate, endDate: d.endDate, paidThrough: d.paidThrough });

/**
 * Periods in another fund (format version 2, decision 047) as the register's transferred periods
 * (`recorded_by` migration): new ones go in (the register's key is member, fund and start date: one
 * it has already is linked and its values stand); a later batch's changes are merged three ways as
 * the fund's own periods are. No outbox event: like the rest of a migration, they are not news.
 */
async function loadTransferredPeriods(tx: DbOrTx, recs: Rec<TransferredPeriodData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of await withCurrent(out, keyed, (ids) => tx.select().from(transferredPeriods).where(inArray(transferredPeriods.id, ids)))) {
    await out.merge(r, r.key, transferredFields(r.cur), transferredFields(r.data), (c) => tx.update(transferredPeriods).set(c).where(eq(transferredPeriods.id, r.key.registerId)).then(() => undefined), r.cur.memberId);
  }
  const placed = placedUnder(out, fresh, memberKeys, (d) => d.membershipLegacyId, 'membership_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ id: orderedUuid(), member_id: memberKeys.get(r.data.membershipLegacyId)!.registerId, fund_name: r.data.fundName, fund_business_id: r.data.fundBusinessId, start_date: r.data.startDate, end_date: r.data.endDate, paid_through: r.data.paidThrough }));
    const inserted = new Set(
      (
        await tx.execute<{ id: string }>(sql`
          INSERT INTO transferred_periods (id, member_id, fund_name, fund_business_id, start_date, end_date, paid_through, recorded_by)
          SELECT id, member_id, fund_name, fund_business_id, start_date, end_date, paid_through, 'migration'
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, member_id uuid, fund_name text, fund_business_id text, start_date date, end_date date, paid_through date)
          ON CONFLICT DO NOTHING RETURNING id`)
      ).map((x) => x.id),
    );
    const left = rows.filter((row) => !inserted.has(row.id));
    const existing = left.length === 0 ? [] : await tx.select().from(transferredPeriods).where(inArray(transferredPeriods.memberId, left.map((row) => row.member_id)));
    for (const [i, r] of placed.entries()) {
      const row = rows[i]!;
      const incoming = transferredFields(r.data);
      if (inserted.has(row.id)) {
        out.keys.push({ legacyId: r.legacyId, registerId: row.id, loaded: incoming });
        out.add(r, 'migrated', { memberId: row.member_id });
        continue;
      }
      const cur = existing.find((t) => t.memberId === row.member_id && t.fundName === row.fund_name && t.startDate === row.start_date);
      if (!cur) {
        out.reject(r, { reason: 'already_in_register' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: cur.id, loaded: incoming });
      out.add(r, 'updated', { kept: differing(transferredFields(cur), incoming), memberId: row.member_id });
    }
  }
  return out;
}

const taxFields = (d: Pick<TaxReportData, 'identityCode' | 'name' | 'amountCents' | 'reportedOn'>) => ({ identityCode: d.identityCode, name: d.name, amountCents: d.amountCents, reportedOn: d.reportedOn });

/**
 * Past tax reports (format version 2, decision 047): the figure that stands at the Tax
 * Administration for a member and year, as `tax_migrated_records` (one per member and year), which
 * `tax_reported_records` lists as an accepted record older than the register's own: a correction
 * run of the year replaces it (or leaves it when the figure is the same) instead of reporting the
 * member again. One the register has for the member and year is linked and stands; a later
 * batch's changes are merged three ways.
 */
async function loadTaxReports(tx: DbOrTx, recs: Rec<TaxReportData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of await withCurrent(out, keyed, (ids) => tx.select().from(taxMigratedRecords).where(inArray(taxMigratedRecords.id, ids)))) {
    await out.merge(r, r.key, taxFields(r.cur), taxFields(r.data), (c) => tx.update(taxMigratedRecords).set(c).where(eq(taxMigratedRecords.id, r.key.registerId)).then(() => undefined), r.cur.memberId);
  }
  const placed = placedUnder(out, fresh, memberKeys, (d) => d.membershipLegacyId, 'membership_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ id: orderedUuid(), member_id: memberKeys.get(r.data.membershipLegacyId)!.registerId, year: r.data.year, identity_code: r.data.identityCode, name: r.data.name, amount_cents: r.data.amountCents, reported_on: r.data.reportedOn }));
    const inserted = new Set(
      (
        await tx.execute<{ id: string }>(sql`
          INSERT INTO tax_migrated_records (id, member_id, year, identity_code, name, amount_cents, reported_on)
          SELECT id, member_id, year, identity_code, name, amount_cents, reported_on
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, member_id uuid, year int, identity_code text, name text, amount_cents int, reported_on date)
          ON CONFLICT DO NOTHING RETURNING id`)
      ).map((x) => x.id),
    );
    const left = rows.filter((row) => !inserted.has(row.id));
    const existing = left.length === 0 ? [] : await tx.select().from(taxMigratedRecords).where(inArray(taxMigratedRecords.memberId, left.map((row) => row.member_id)));
    for (const [i, r] of placed.entries()) {
      const row = rows[i]!;
      const incoming = taxFields(r.data);
      if (inserted.has(row.id)) {
        out.keys.push({ legacyId: r.legacyId, registerId: row.id, loaded: incoming });
        out.add(r, 'migrated', { memberId: row.member_id });
        continue;
      }
      const cur = existing.find((t) => t.memberId === row.member_id && t.year === row.year);
      if (!cur) {
        out.reject(r, { reason: 'already_in_register', field: 'year' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: cur.id, loaded: incoming });
      out.add(r, 'updated', { kept: differing(taxFields(cur), incoming), memberId: row.member_id });
    }
  }
  return out;
}

/**
 * Messages the previous register sent (format version 2, decision 047): metadata only, as rows of
 * the member's message history that are `sent` already (`message_key` `migration:message:<legacy
 * id>`, no recipient details, no subject or body, `template_version` migration), so nothing ever
 * delivers them. Like payments, history: a message once loaded stands, a later batch's other
 * figures are named, not written.
 */
async function loadMessages(tx: DbOrTx, recs: Rec<MessageData>[], keys: Map<string, repo.KeyRow>, memberKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  for (const r of keyed) out.add(r, 'unchanged', { kept: differing(r.key.loaded, { kind: r.data.kind, channel: r.data.channel, sentOn: r.data.sentOn }) });
  const placed = placedUnder(out, fresh, memberKeys, (d) => d.membershipLegacyId, 'membership_legacy_id');
  if (placed.length > 0) {
    const rows = placed.map((r) => ({ id: orderedUuid(), message_key: `migration:message:${r.legacyId}`, member_id: memberKeys.get(r.data.membershipLegacyId)!.registerId, kind: r.data.kind, channel: r.data.channel, sent_on: r.data.sentOn }));
    const inserted = new Map(
      (
        await tx.execute<{ id: string; message_key: string }>(sql`
          INSERT INTO messages (id, message_key, kind, member_id, language, recipient, subject, body, status, channel, template_version, created_at, sent_at)
          SELECT x.id, x.message_key, x.kind, x.member_id, p.language, '{"name": ""}'::jsonb, '', '', 'sent', x.channel, 'migration',
            x.sent_on::timestamp AT TIME ZONE 'Europe/Helsinki', x.sent_on::timestamp AT TIME ZONE 'Europe/Helsinki'
          FROM json_to_recordset(${rowsOf(rows)}) AS x(id uuid, message_key text, member_id uuid, kind text, channel text, sent_on date)
          JOIN members m ON m.id = x.member_id JOIN persons p ON p.id = m.person_id
          ON CONFLICT DO NOTHING RETURNING id, message_key`)
      ).map((x) => [x.message_key, x.id]),
    );
    for (const [i, r] of placed.entries()) {
      const id = inserted.get(rows[i]!.message_key);
      if (!id) {
        out.reject(r, { reason: 'already_in_register' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: id, loaded: { kind: r.data.kind, channel: r.data.channel, sentOn: r.data.sentOn } });
      out.add(r, 'migrated', { memberId: rows[i]!.member_id });
    }
  }
  return out;
}

/**
 * The collection state of open invoices (format version 2, decision 047), as the register's own
 * collection records, so the daily step goes on from where the old register was:
 * - the highest reminder level sent becomes a `sent` reminder of that level (the unique invoice +
 *   level: never sent again; the next level waits for its new due date as any other);
 * - a hold becomes the member's open hold (`set_by` migration), unless the register has one (it stands);
 * - a hearing becomes the member's open hearing with the old register's start and deadline, and a
 *   `migrated` hearing start per invoice, which takes the invoice out of the daily step and is
 *   started (without a letter) after the real run is reconciled. A member's hearing open in the
 *   register since another day stands (`already_in_register`).
 * Nothing is sent. Every write is keyed (`ON CONFLICT DO NOTHING`), so a re-run or a later batch
 * adds only what is new: a higher level, a hold, a hearing.
 */
async function loadCollection(tx: DbOrTx, recs: Rec<CollectionData>[], keys: Map<string, repo.KeyRow>, invoiceKeys: Map<string, repo.ParentKey>): Promise<Settled> {
  const out = new Settled();
  const placed = recs.filter((r) => {
    if (invoiceKeys.has(r.data.invoiceLegacyId)) return true;
    out.reject(r, { reason: 'unknown_parent', field: 'invoice_legacy_id' });
    return false;
  });
  if (placed.length === 0) return out;
  const invoiceIds = [...new Set(placed.map((r) => invoiceKeys.get(r.data.invoiceLegacyId)!.registerId))];
  const invoiceRows = new Map((await tx.select({ id: invoices.id, memberId: invoices.memberId, openCents: invoices.openCents }).from(invoices).where(inArray(invoices.id, invoiceIds))).map((i) => [i.id, i]));
  const recsOf = placed.flatMap((r) => {
    const inv = invoiceRows.get(invoiceKeys.get(r.data.invoiceLegacyId)!.registerId);
    if (inv) return [{ ...r, inv }];
    out.reject(r, { reason: 'already_in_register', field: 'invoice_legacy_id' });
    return [];
  });
  const reminders = recsOf.filter((r) => r.data.reminderLevel !== null);
  if (reminders.length > 0) {
    await tx.execute(sql`
      INSERT INTO collection_reminders (invoice_id, member_id, level, run_date, sent_on, new_due_date, open_cents, channel, message_key, status)
      SELECT invoice_id, member_id, level, sent_on, sent_on, new_due_date, open_cents, 'letter', message_key, 'sent'
      FROM json_to_recordset(${rowsOf(reminders.map((r) => ({ invoice_id: r.inv.id, member_id: r.inv.memberId, level: r.data.reminderLevel, sent_on: r.data.reminderDate, new_due_date: r.data.reminderDueDate, open_cents: r.inv.openCents, message_key: `migration:collection:${r.legacyId}:${r.data.reminderLevel}` })))})
        AS x(invoice_id uuid, member_id uuid, level int, sent_on date, new_due_date date, open_cents int, message_key text)
      ON CONFLICT DO NOTHING`);
  }
  // One hold per member: the latest end date the chunk gives it.
  const holds = new Map<string, { reason: string; until: string }>();
  for (const r of recsOf) if (r.data.holdReason && r.data.holdUntil && (holds.get(r.inv.memberId)?.until ?? '') < r.data.holdUntil) holds.set(r.inv.memberId, { reason: r.data.holdReason, until: r.data.holdUntil });
  if (holds.size > 0) {
    await tx.execute(sql`
      INSERT INTO collection_holds (member_id, reason, until, set_by)
      SELECT member_id, reason, until, 'migration'
      FROM json_to_recordset(${rowsOf([...holds].map(([member_id, h]) => ({ member_id, ...h })))}) AS x(member_id uuid, reason text, until date)
      ON CONFLICT DO NOTHING`);
  }
  // One hearing per member: its invoices, the earliest start and the latest deadline the chunk gives it.
  const hearingRecs = recsOf.filter((r) => r.data.hearingStartedOn && r.data.hearingDeadline);
  const refused = new Set<string>();
  if (hearingRecs.length > 0) {
    const byMember = new Map<string, { member_id: string; invoice_ids: string[]; overdue_cents: number; started_on: string; deadline: string }>();
    for (const r of hearingRecs) {
      const h = byMember.get(r.inv.memberId) ?? { member_id: r.inv.memberId, invoice_ids: [], overdue_cents: 0, started_on: r.data.hearingStartedOn!, deadline: r.data.hearingDeadline! };
      if (!h.invoice_ids.includes(r.inv.id)) {
        h.invoice_ids.push(r.inv.id);
        h.overdue_cents += r.inv.openCents;
      }
      if (r.data.hearingStartedOn! < h.started_on) h.started_on = r.data.hearingStartedOn!;
      if (r.data.hearingDeadline! > h.deadline) h.deadline = r.data.hearingDeadline!;
      byMember.set(r.inv.memberId, h);
    }
    const rows = [...byMember.values()].map((h) => ({ ...h, workflow_id: collectionHearingWorkflowId(h.member_id) }));
    // A member's running hearing (one at most) takes this chunk's invoices when it is the migration's own (same start: an earlier chunk or batch); another one stands.
    const running = new Map(
      (
        await tx.execute<{ member_id: string; started_on: string }>(sql`
          SELECT member_id, started_on::text FROM hearings WHERE status IN ('open', 'awaiting-decision') AND member_id IN (SELECT (json_array_elements_text(${JSON.stringify(rows.map((h) => h.member_id))}::json))::uuid)`)
      ).map((h) => [h.member_id, h.started_on]),
    );
    for (const h of rows) if (running.has(h.member_id) && running.get(h.member_id) !== h.started_on) refused.add(h.member_id);
    const fresh = rows.filter((h) => !running.has(h.member_id));
    const joining = rows.filter((h) => running.get(h.member_id) === h.started_on);
    if (fresh.length > 0) {
      await tx.execute(sql`
        INSERT INTO hearings (member_id, workflow_id, invoice_ids, overdue_cents, started_on, deadline, status)
        SELECT member_id, workflow_id, invoice_ids, overdue_cents, started_on, deadline, 'open'
        FROM jsonb_to_recordset(${nestedRowsOf(fresh)}) AS x(member_id uuid, workflow_id text, invoice_ids jsonb, overdue_cents int, started_on date, deadline date)
        ON CONFLICT DO NOTHING`);
    }
    if (joining.length > 0) {
      await tx.execute(sql`
        WITH merged AS (
          SELECT h2.id, jsonb_agg(DISTINCT v.id) AS ids
          FROM hearings h2
          JOIN jsonb_to_recordset(${nestedRowsOf(joining)}) AS x(member_id uuid, invoice_ids jsonb, started_on date) ON x.member_id = h2.member_id AND x.started_on = h2.started_on
          CROSS JOIN LATERAL jsonb_array_elements_text(h2.invoice_ids || x.invoice_ids) AS v(id)
          GROUP BY h2.id
        )
        UPDATE hearings h SET invoice_ids = m.ids, overdue_cents = (SELECT coalesce(sum(i.open_cents), 0)::int FROM invoices i WHERE i.id::text IN (SELECT jsonb_array_elements_text(m.ids)))
        FROM merged m WHERE h.id = m.id`);
    }
    const starts = hearingRecs.filter((r) => !refused.has(r.inv.memberId));
    if (starts.length > 0) {
      await tx.execute(sql`
        INSERT INTO collection_hearing_starts (invoice_id, member_id, workflow_id, started_on, overdue_cents, migrated)
        SELECT invoice_id, member_id, workflow_id, started_on, overdue_cents, true
        FROM json_to_recordset(${rowsOf(starts.map((r) => ({ invoice_id: r.inv.id, member_id: r.inv.memberId, workflow_id: collectionHearingWorkflowId(r.inv.memberId), started_on: byMember.get(r.inv.memberId)!.started_on, overdue_cents: r.inv.openCents })))})
          AS x(invoice_id uuid, member_id uuid, workflow_id text, started_on date, overdue_cents int)
        ON CONFLICT DO NOTHING`);
    }
  }
  for (const r of recsOf) {
    if (r.data.hearingStartedOn && refused.has(r.inv.memberId)) {
      out.reject(r, { reason: 'already_in_register', field: 'hearing_started_on' });
      continue;
    }
    const { invoiceLegacyId: _, ...loaded } = r.data;
    const key = keys.get(r.legacyId);
    const same = key && sameJson(key.loaded, loaded);
    if (!same) out.keys.push({ legacyId: r.legacyId, registerId: r.inv.id, loaded });
    out.add(r, !key ? 'migrated' : same ? 'unchanged' : 'updated', { memberId: r.inv.memberId });
  }
  return out;
}

/** The submitter of migrated applications: with the idempotency key `migration:<legacy id>`, the application's own unique key. */
export const migratedApplicationSubmitter = 'migration';

/**
 * Applications the previous register received and had not decided (format version 2, decision
 * 047, "Applications"), as the register's applications waiting for a decision: status `received`,
 * channel and submitter `migration`, idempotency key `migration:<legacy id>` (so the table's own
 * unique key finds one loaded before the key's commit), the intake's workflow id. Nothing is
 * started or sent here; the intake starts after the real run is reconciled, `migrated`. Like
 * messages, what the register has since done with an application (decided it, supplemented it)
 * stands: a later batch's other figures are named (`kept`), not written.
 */
async function loadApplications(tx: DbOrTx, recs: Rec<ApplicationRecordData>[], keys: Map<string, repo.KeyRow>): Promise<Settled> {
  const out = new Settled();
  const { keyed, fresh } = split(recs, keys);
  const loadedOf = (d: ApplicationRecordData) => ({ receivedOn: d.receivedOn, application: d.application });
  for (const r of keyed) out.add(r, 'unchanged', { kept: differing(r.key.loaded, loadedOf(r.data)) });
  if (fresh.length > 0) {
    const rows = fresh.map((r) => {
      const id = orderedUuid();
      return { id, idempotency_key: `migration:${r.legacyId}`, received_on: r.data.receivedOn, identity_code: r.data.application.identityCode, data: r.data.application, workflow_id: applicationWorkflowId(id) };
    });
    await tx.execute(sql`
      INSERT INTO applications (id, idempotency_key, channel, submitted_by, received_on, received_by, identity_code, data, status, workflow_id)
      SELECT x.id, x.idempotency_key, 'migration', ${migratedApplicationSubmitter}, x.received_on, 'fund', x.identity_code, x.data, 'received', x.workflow_id
      FROM jsonb_to_recordset(${nestedRowsOf(rows)}) AS x(id uuid, idempotency_key text, received_on date, identity_code text, data jsonb, workflow_id text)
      ON CONFLICT DO NOTHING`);
    // The row under each key: the one just inserted, or one a chunk before the keys' commit left (never: a chunk commits whole), linked.
    const stored = new Map(
      (
        await tx.execute<{ id: string; idempotency_key: string }>(sql`
          SELECT id, idempotency_key FROM applications WHERE submitted_by = ${migratedApplicationSubmitter} AND idempotency_key IN (SELECT json_array_elements_text(${JSON.stringify(rows.map((x) => x.idempotency_key))}::json))`)
      ).map((x) => [x.idempotency_key, x.id]),
    );
    for (const [i, r] of fresh.entries()) {
      const id = stored.get(rows[i]!.idempotency_key);
      if (!id) {
        out.reject(r, { reason: 'already_in_register' });
        continue;
      }
      out.keys.push({ legacyId: r.legacyId, registerId: id, loaded: loadedOf(r.data) });
      out.add(r, 'migrated');
    }
  }
  return out;
}

/** A fault injected into a chunk's transaction (tests: a crash between its writes and its outcomes). */
export interface ChunkFaults {
  beforeSettle?: () => Promise<void>;
}

/**
 * Loads up to `limit` pending records of one entity in one transaction: the register rows, their
 * keys and the records' outcomes (with the member each belongs to) commit together, so a crash
 * loses the whole chunk (it is pending again) and a retry finds the keys of what committed. The
 * members' audit rows are written from the settled records when the run is reconciled, one per
 * member (decision 036). With a lane, only the lane's records (decision 064): the lanes of an
 * entity load side by side.
 * Returns how many were settled.
 */
export async function loadChunk(db: Database, schema: string | null, ctx: repo.LoadContext, entity: MigrationEntity, limit: number, faults: ChunkFaults = {}, lane?: repo.LoadLane): Promise<{ settled: number; outcomes: Record<string, number> }> {
  return repo.inTarget(db, schema, async (tx) => {
    const pending = await repo.pendingRecords(tx, ctx.runId, entity, limit, lane, ctx.stagedRunId);
    if (pending.length === 0) return { settled: 0, outcomes: {} };
    const keys = await repo.keysOf(tx, entity, pending.map((p) => p.legacyId));
    // A record's data from its staged source row (decision 051), or as runs before it staged it.
    const data = pending.map((p) => {
      const d = p.data ?? recordData(entity, sourceRowOf(entity, p.source));
      if (!d) throw new Error(`The staged ${entity} record ${p.seq} of run ${ctx.stagedRunId ?? ctx.runId} does not pass validation on its own.`);
      return d;
    });
    const recs = <E extends MigrationEntity>() => pending.map((p, i) => ({ seq: p.seq, legacyId: p.legacyId, data: data[i] as EntityData[E] }));
    const parentIds = (field: string) => data.map((d) => (d as Record<string, string>)[field]!).filter(Boolean);
    const memberKeys = () => repo.parentKeysOf(tx, 'memberships', parentIds('membershipLegacyId'));
    let out: Settled;
    switch (entity) {
      case 'persons':
        out = await loadPersons(tx, recs<'persons'>(), keys);
        break;
      case 'memberships':
        out = await loadMemberships(tx, recs<'memberships'>(), keys, await repo.parentKeysOf(tx, 'persons', parentIds('personLegacyId')));
        break;
      case 'periods':
        out = await loadPeriods(tx, recs<'periods'>(), keys, await memberKeys());
        break;
      case 'invoices':
        out = await loadInvoices(tx, ctx, recs<'invoices'>(), keys, await memberKeys());
        break;
      case 'payments':
        out = await loadPayments(tx, recs<'payments'>(), keys, await memberKeys(), await repo.parentKeysOf(tx, 'invoices', parentIds('invoiceLegacyId')));
        break;
      case 'transferred_periods':
        out = await loadTransferredPeriods(tx, recs<'transferred_periods'>(), keys, await memberKeys());
        break;
      case 'tax_reports':
        out = await loadTaxReports(tx, recs<'tax_reports'>(), keys, await memberKeys());
        break;
      case 'messages':
        out = await loadMessages(tx, recs<'messages'>(), keys, await memberKeys());
        break;
      case 'applications':
        out = await loadApplications(tx, recs<'applications'>(), keys);
        break;
      case 'collection':
        out = await loadCollection(tx, recs<'collection'>(), keys, await repo.parentKeysOf(tx, 'invoices', parentIds('invoiceLegacyId')));
        break;
    }
    await repo.putKeys(tx, ctx, entity, out.keys, (legacyId) => !keys.has(legacyId));
    if (out.results.length !== pending.length) throw new Error(`A ${entity} chunk settled ${out.results.length} of its ${pending.length} records.`);
    await faults.beforeSettle?.();
    await repo.settleRecords(
      tx,
      ctx.runId,
      entity,
      out.results.map((r) => ({ seq: r.seq, legacy_id: r.legacyId, outcome: r.outcome, reasons: r.reasons ?? null, kept: r.kept?.length ? r.kept : null, member_id: r.memberId ?? null })),
    );
    const outcomes: Record<string, number> = {};
    for (const r of out.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    return { settled: pending.length, outcomes };
  });
}
