import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { memberChanges, members, personAddresses, personIdentityCodes, personNames, persons } from '../schema';
import type { NewEvent } from '../../domain/events';
import { recordEvent } from './outbox';
import type { AddressSource, ChangeReasonCode, DeliveryPreference } from '../../domain/vocabulary';

export type PersonRow = typeof persons.$inferSelect;

export interface AddressInput {
  kind?: 'permanent' | 'postal' | 'temporary-foreign' | 'permanent-foreign';
  street: string;
  postalCode: string;
  city: string;
  country?: string | null;
}

export interface ChangeContext {
  by: string;
  /** English, as written by a person or for integrators; the desk shows `reasonCode` translated when there is one. */
  reason: string;
  /** Why the system made the change; none for a caseworker's own reason. */
  reasonCode?: ChangeReasonCode | null;
  reasonParams?: Record<string, string | number>;
  effectiveFrom: string;
  /** Makes re-applying the same external change a no-op (e.g. `dvv/<token>/<code>/<group>`). */
  sourceKey?: string;
  memberId?: string | null;
}

/** Finds a person by any identity code they have had, so a corrected code still finds them. */
export async function findPersonByAnyIdentityCode(db: DbOrTx, code: string): Promise<PersonRow | undefined> {
  const rows = await db
    .select({ person: persons })
    .from(personIdentityCodes)
    .innerJoin(persons, eq(persons.id, personIdentityCodes.personId))
    .where(eq(personIdentityCodes.identityCode, code));
  if (rows[0]) return rows[0].person;
  const direct = await db.select().from(persons).where(eq(persons.identityCode, code));
  return direct[0];
}

export async function findPerson(db: DbOrTx, id: string): Promise<PersonRow | undefined> {
  return (await db.select().from(persons).where(eq(persons.id, id)))[0];
}

/**
 * The newest address the population register sent for this person, current or not: while an
 * address conflict is open it is the one a caseworker may adopt (and the one adopting takes).
 */
export async function latestRegisterAddress(db: DbOrTx, personId: string) {
  const rows = await db
    .select()
    .from(personAddresses)
    .where(and(eq(personAddresses.personId, personId), eq(personAddresses.source, 'population-register')))
    .orderBy(desc(personAddresses.recordedAt))
    .limit(1);
  return rows[0];
}

/** Records one effective-dated change; false when its source key was applied before. */
export async function recordChange(db: DbOrTx, personId: string, field: string, before: unknown, after: unknown, ctx: ChangeContext): Promise<boolean> {
  const inserted = await db
    .insert(memberChanges)
    .values({
      personId,
      memberId: ctx.memberId ?? null,
      field,
      effectiveFrom: ctx.effectiveFrom,
      changedBy: ctx.by,
      reason: ctx.reason,
      reasonCode: ctx.reasonCode ?? null,
      reasonParams: ctx.reasonParams ?? {},
      before: before ?? null,
      after: after ?? null,
      sourceKey: ctx.sourceKey ? `${ctx.sourceKey}/${field}` : null,
    })
    .onConflictDoNothing({ target: memberChanges.sourceKey })
    .returning({ id: memberChanges.id });
  if (inserted.length === 0) return false;
  await recordChangeEvent(db, personId, field, after, ctx);
  return true;
}

const statusChanges: Partial<Record<string, 'deceased' | 'name-changed' | 'identity-code-corrected' | 'non-disclosure-changed'>> = {
  death: 'deceased',
  name: 'name-changed',
  'identity-code': 'identity-code-corrected',
  'non-disclosure': 'non-disclosure-changed',
};

/**
 * The outbox event of a member's changed data (a person who is no member has none): which contact
 * fields changed, or which status change it was — never the values (docs/decisions/018-outbox.md).
 * Period changes have events of their own (db/repositories/members.ts).
 */
async function recordChangeEvent(db: DbOrTx, personId: string, field: string, after: unknown, ctx: ChangeContext): Promise<void> {
  let event: Omit<NewEvent, 'memberId'> | undefined;
  if (field === 'contact') event = { type: 'member.contact_changed', payload: { fields: Object.keys((after ?? {}) as object).sort(), effectiveFrom: ctx.effectiveFrom } };
  else if (field === 'address') event = { type: 'member.contact_changed', payload: { fields: ['address'], effectiveFrom: ctx.effectiveFrom } };
  else if (statusChanges[field]) event = { type: 'member.status_changed', payload: { change: statusChanges[field], effectiveFrom: ctx.effectiveFrom } };
  if (!event) return;
  const memberId = ctx.memberId ?? (await db.select({ id: members.id }).from(members).where(eq(members.personId, personId)))[0]?.id;
  if (!memberId) return;
  await recordEvent(db, { ...event, memberId } as NewEvent);
}

export async function createPerson(
  db: DbOrTx,
  p: { identityCode: string; firstNames: string; lastName: string; birthDate: string; language: string; email?: string | null; phone?: string | null; address?: AddressInput | null; deliveryChannel?: DeliveryPreference },
  ctx: ChangeContext & { source: AddressSource },
): Promise<string> {
  const [row] = await db
    .insert(persons)
    .values({
      identityCode: p.identityCode,
      firstNames: p.firstNames,
      lastName: p.lastName,
      birthDate: p.birthDate,
      language: p.language,
      email: p.email ?? null,
      phone: p.phone ?? null,
      streetAddress: p.address?.street ?? null,
      postalCode: p.address?.postalCode ?? null,
      city: p.address?.city ?? null,
      country: p.address?.country ?? null,
      addressSource: p.address ? ctx.source : null,
      // The intake passes the fund's rule (domain/messageDelivery.ts); without one, e-mail when there is an address.
      deliveryChannel: p.deliveryChannel ?? (p.email ? 'email' : 'letter'),
    })
    .returning({ id: persons.id });
  const personId = row!.id;
  await db.insert(personIdentityCodes).values({ personId, identityCode: p.identityCode, active: true, source: ctx.source, recordedBy: ctx.by });
  await db.insert(personNames).values({ personId, firstNames: p.firstNames, lastName: p.lastName, validFrom: ctx.effectiveFrom, source: ctx.source, recordedBy: ctx.by });
  if (p.address) await insertAddress(db, personId, p.address, ctx);
  return personId;
}

async function insertAddress(db: DbOrTx, personId: string, a: AddressInput, ctx: ChangeContext & { source: AddressSource }) {
  const kind = a.kind ?? 'permanent';
  await db
    .update(personAddresses)
    .set({ validTo: ctx.effectiveFrom })
    .where(and(eq(personAddresses.personId, personId), eq(personAddresses.kind, kind), isNull(personAddresses.validTo)));
  await db.insert(personAddresses).values({
    personId,
    kind,
    street: a.street,
    postalCode: a.postalCode,
    city: a.city,
    country: a.country ?? null,
    source: ctx.source,
    validFrom: ctx.effectiveFrom,
    recordedBy: ctx.by,
  });
}

/** A new current address with history and change log; returns false if the change was applied before. */
export async function changeAddress(db: DbOrTx, person: PersonRow, a: AddressInput, ctx: ChangeContext & { source: AddressSource }): Promise<boolean> {
  const before = person.streetAddress ? { street: person.streetAddress, postalCode: person.postalCode, city: person.city, country: person.country, source: person.addressSource } : null;
  if (!(await recordChange(db, person.id, 'address', before, { ...a, source: ctx.source }, ctx))) return false;
  await insertAddress(db, person.id, a, ctx);
  await db
    .update(persons)
    .set({ streetAddress: a.street, postalCode: a.postalCode, city: a.city, country: a.country ?? null, addressSource: ctx.source, updatedAt: sql`now()` })
    .where(eq(persons.id, person.id));
  return true;
}

export async function changeName(db: DbOrTx, person: PersonRow, name: { firstNames: string; lastName: string }, ctx: ChangeContext & { source: AddressSource | 'caseworker' }): Promise<boolean> {
  if (person.firstNames === name.firstNames && person.lastName === name.lastName) return false;
  const before = { firstNames: person.firstNames, lastName: person.lastName };
  if (!(await recordChange(db, person.id, 'name', before, name, ctx))) return false;
  await db.insert(personNames).values({ personId: person.id, ...name, validFrom: ctx.effectiveFrom, source: ctx.source, recordedBy: ctx.by });
  await db.update(persons).set({ ...name, updatedAt: sql`now()` }).where(eq(persons.id, person.id));
  return true;
}

/** Contact fields the member gives (not address): e-mail, phone, language, delivery preferences. */
export type ContactPatch = Partial<Pick<PersonRow, 'email' | 'phone' | 'language' | 'deliveryChannel' | 'eInvoiceAddress' | 'eInvoiceOperator' | 'eInvoiceConsent' | 'smsConsent'>>;

export async function changeContact(db: DbOrTx, person: PersonRow, patch: ContactPatch, ctx: ChangeContext): Promise<string[]> {
  const changed = (Object.keys(patch) as (keyof ContactPatch)[]).filter((k) => patch[k] !== undefined && patch[k] !== person[k]);
  if (changed.length === 0) return [];
  const before = Object.fromEntries(changed.map((k) => [k, person[k]]));
  const after = Object.fromEntries(changed.map((k) => [k, patch[k]]));
  if (!(await recordChange(db, person.id, 'contact', before, after, ctx))) return [];
  await db.update(persons).set({ ...after, updatedAt: sql`now()` }).where(eq(persons.id, person.id));
  return changed;
}

export async function setNonDisclosure(db: DbOrTx, person: PersonRow, active: boolean, until: string | null, ctx: ChangeContext): Promise<boolean> {
  if (person.nonDisclosure === active && person.nonDisclosureUntil === until) return false;
  if (!(await recordChange(db, person.id, 'non-disclosure', { active: person.nonDisclosure }, { active, until }, ctx))) return false;
  await db.update(persons).set({ nonDisclosure: active, nonDisclosureUntil: until, updatedAt: sql`now()` }).where(eq(persons.id, person.id));
  return true;
}

export async function setDateOfDeath(db: DbOrTx, person: PersonRow, date: string, precision: 'day' | 'month' | 'year', ctx: ChangeContext): Promise<boolean> {
  if (person.dateOfDeath === date) return false;
  if (!(await recordChange(db, person.id, 'death', null, { date, precision }, ctx))) return false;
  await db.update(persons).set({ dateOfDeath: date, deathDatePrecision: precision, updatedAt: sql`now()` }).where(eq(persons.id, person.id));
  return true;
}

/** DVV's correction: the new code becomes current; the old ones stay findable. */
export async function correctIdentityCode(db: DbOrTx, person: PersonRow, activeCode: string, ctx: ChangeContext): Promise<boolean> {
  if (person.identityCode === activeCode) return false;
  if (!(await recordChange(db, person.id, 'identity-code', { identityCode: person.identityCode }, { identityCode: activeCode }, ctx))) return false;
  await db.update(personIdentityCodes).set({ active: false }).where(eq(personIdentityCodes.personId, person.id));
  await db
    .insert(personIdentityCodes)
    .values({ personId: person.id, identityCode: activeCode, active: true, source: 'population-register', recordedBy: ctx.by })
    .onConflictDoUpdate({ target: personIdentityCodes.identityCode, set: { active: true } });
  await db.update(persons).set({ identityCode: activeCode, updatedAt: sql`now()` }).where(eq(persons.id, person.id));
  return true;
}

/**
 * Keeps an address the population register sent in the person's address history without making
 * it current (the member's own address stays until a caseworker decides).
 */
export async function recordRegisterAddress(db: DbOrTx, personId: string, a: AddressInput & { kind: NonNullable<AddressInput['kind']> }, validFrom: string, by: string): Promise<void> {
  await db.insert(personAddresses).values({ personId, kind: a.kind, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country ?? null, source: 'population-register', validFrom, recordedBy: by });
}

export async function setMunicipality(db: DbOrTx, personId: string, municipality: string | null): Promise<void> {
  await db.update(persons).set({ municipality }).where(eq(persons.id, personId));
}

/** The person's recorded changes, newest first. */
export async function changesOfPerson(db: DbOrTx, personId: string, limit: number) {
  return db.select().from(memberChanges).where(eq(memberChanges.personId, personId)).orderBy(desc(memberChanges.changedAt)).limit(limit);
}

/** The person's names, addresses (newest first) and identity codes, as recorded. */
export async function historiesOfPerson(db: DbOrTx, personId: string) {
  const [names, addresses, identityCodes] = await Promise.all([
    db.select().from(personNames).where(eq(personNames.personId, personId)).orderBy(desc(personNames.validFrom)),
    db.select().from(personAddresses).where(eq(personAddresses.personId, personId)).orderBy(desc(personAddresses.validFrom)),
    db.select().from(personIdentityCodes).where(eq(personIdentityCodes.personId, personId)),
  ]);
  return { names, addresses, identityCodes };
}
