import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { ApplicationData } from '../../domain/application';
import type { DbOrTx } from '../client';
import { atomically, recordEvent, recordEvents } from './outbox';
import * as personsRepo from './persons';
import type { ChangeContext } from './persons';
import { members, membershipPeriods, messages, persons, transferredPeriods } from '../schema';
import type { DeliveryPreference, PeriodEndReason } from '../../domain/vocabulary';

export type MemberRow = typeof members.$inferSelect;
export type PeriodRow = typeof membershipPeriods.$inferSelect;
export type TransferredPeriodRow = typeof transferredPeriods.$inferSelect;

/**
 * Finds the applicant by any identity code they have had, or creates them with their histories;
 * a returning member's name, address and contact data from the new application are recorded as changes.
 * `deliveryChannel` is a new person's preference (the fund's delivery rules); a returning one keeps theirs.
 */
export async function upsertPersonFromApplication(db: DbOrTx, data: ApplicationData, birthDate: string, deliveryChannel: DeliveryPreference, ctx: ChangeContext): Promise<string> {
  const existing = await personsRepo.findPersonByAnyIdentityCode(db, data.identityCode);
  if (!existing) {
    return personsRepo.createPerson(db, { ...data, birthDate, address: data.address ?? null, deliveryChannel }, { ...ctx, source: 'application' });
  }
  await personsRepo.changeName(db, existing, { firstNames: data.firstNames, lastName: data.lastName }, { ...ctx, source: 'application' });
  const a = data.address;
  if (a && (a.street !== existing.streetAddress || a.postalCode !== existing.postalCode || a.city !== existing.city)) {
    await personsRepo.changeAddress(db, existing, a, { ...ctx, source: 'application' });
  }
  await personsRepo.changeContact(db, existing, { email: data.email ?? existing.email, phone: data.phone ?? existing.phone, language: data.language }, ctx);
  return existing.id;
}

export async function ensureMember(
  db: DbOrTx,
  personId: string,
  attrs: { channel: string; unionCode: string | null; eligibilityBasis: string | null },
): Promise<string> {
  await db
    .insert(members)
    .values({ personId, ...attrs })
    .onConflictDoNothing({ target: members.personId });
  const rows = await db.select({ id: members.id }).from(members).where(eq(members.personId, personId));
  return rows[0]!.id;
}

/** Opens the period of an approved application once; its `membership.joined` event with it. */
export async function openPeriodOnce(db: DbOrTx, memberId: string, startDate: string, sourceApplicationId: string): Promise<void> {
  await atomically(db, async (tx) => {
    const [opened] = await tx
      .insert(membershipPeriods)
      .values({ memberId, startDate, sourceApplicationId })
      .onConflictDoNothing({ target: membershipPeriods.sourceApplicationId })
      .returning({ id: membershipPeriods.id });
    if (!opened) return;
    const [m] = await tx.select({ channel: members.channel, unionCode: members.unionCode }).from(members).where(eq(members.id, memberId));
    await recordEvent(tx, { type: 'membership.joined', memberId, payload: { periodId: opened.id, startDate, channel: m?.channel ?? 'unknown', unionCode: m?.unionCode ?? null } });
  });
}

export async function findMemberView(db: DbOrTx, memberId: string) {
  const rows = await db
    .select({ member: members, person: persons })
    .from(members)
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(members.id, memberId));
  const row = rows[0];
  if (!row) return undefined;
  const [periods, history] = await Promise.all([
    db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId)).orderBy(asc(membershipPeriods.startDate)),
    db.select().from(messages).where(eq(messages.memberId, memberId)).orderBy(desc(messages.createdAt)),
  ]);
  return { ...row, periods, messages: history };
}

export async function findMember(db: DbOrTx, memberId: string): Promise<MemberRow | undefined> {
  return (await db.select().from(members).where(eq(members.id, memberId)))[0];
}

/** The member and their person row, or undefined. */
export async function findMemberWithPerson(db: DbOrTx, memberId: string): Promise<{ member: MemberRow; person: personsRepo.PersonRow } | undefined> {
  const rows = await db.select({ member: members, person: persons }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, memberId));
  return rows[0];
}

/** The member with this member number and their person row, or undefined. */
export async function findMemberWithPersonByNumber(db: DbOrTx, memberNumber: number): Promise<{ member: MemberRow; person: personsRepo.PersonRow } | undefined> {
  const rows = await db.select({ member: members, person: persons }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.memberNumber, memberNumber));
  return rows[0];
}

/** The member id of a person, or undefined when the person is no member. */
export async function findMemberIdOfPerson(db: DbOrTx, personId: string): Promise<string | undefined> {
  return (await db.select({ id: members.id }).from(members).where(eq(members.personId, personId)))[0]?.id;
}

/** Every period of the member, earliest first. */
export async function periodsOfMember(db: DbOrTx, memberId: string): Promise<PeriodRow[]> {
  return db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId)).orderBy(membershipPeriods.startDate);
}

/** The member's periods in previous funds, earliest first. */
export async function transferredPeriodsOfMember(db: DbOrTx, memberId: string): Promise<TransferredPeriodRow[]> {
  return db.select().from(transferredPeriods).where(eq(transferredPeriods.memberId, memberId)).orderBy(transferredPeriods.startDate);
}

/** Records a previous fund's period once (member, fund and start date are the key), with its event. */
export async function insertTransferredPeriodOnce(db: DbOrTx, row: typeof transferredPeriods.$inferInsert): Promise<void> {
  await atomically(db, async (tx) => {
    const [t] = await tx.insert(transferredPeriods).values(row).onConflictDoNothing().returning();
    if (!t) return;
    await recordEvent(tx, {
      type: 'membership.transferred_period_recorded',
      memberId: t.memberId,
      payload: { fundName: t.fundName, fundBusinessId: t.fundBusinessId, startDate: t.startDate, endDate: t.endDate, paidThrough: t.paidThrough },
    });
  });
}

const endedEvents = (rows: { id: string; memberId: string }[], endDate: string, endReason: PeriodEndReason) =>
  rows.map((r) => ({ type: 'membership.period_ended' as const, memberId: r.memberId, payload: { periodId: r.id, endDate, endReason } }));

/** Ends the member's open (or later-ending) periods on `endDate`; idempotent. Returns the periods changed. */
export async function endOpenPeriods(db: DbOrTx, memberId: string, endDate: string, reason: PeriodEndReason, by: string): Promise<{ id: string }[]> {
  return atomically(db, async (tx) => {
    const changed = await tx
      .update(membershipPeriods)
      .set({ endDate, endReason: reason, endedBy: by })
      .where(and(eq(membershipPeriods.memberId, memberId), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, endDate))))
      .returning({ id: membershipPeriods.id, memberId: membershipPeriods.memberId });
    await recordEvents(tx, endedEvents(changed, endDate, reason));
    return changed.map((c) => ({ id: c.id }));
  });
}

/** Ends one period on `endDate` unless it already ends by then; true when it changed. */
export async function endPeriod(db: DbOrTx, periodId: string, endDate: string, reason: PeriodEndReason, by: string): Promise<boolean> {
  return atomically(db, async (tx) => {
    const changed = await tx
      .update(membershipPeriods)
      .set({ endDate, endReason: reason, endedBy: by })
      .where(and(eq(membershipPeriods.id, periodId), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, endDate))))
      .returning({ id: membershipPeriods.id, memberId: membershipPeriods.memberId });
    await recordEvents(tx, endedEvents(changed, endDate, reason));
    return changed.length > 0;
  });
}

/** Opens again the member's periods that `reasons` ended on `endDate` (a withdrawn resignation). */
export async function reopenPeriodsEnded(db: DbOrTx, memberId: string, endDate: string, reasons: PeriodEndReason[]): Promise<void> {
  await atomically(db, async (tx) => {
    const reopened = await tx
      .update(membershipPeriods)
      .set({ endDate: null, endReason: null, endedBy: null })
      .where(and(eq(membershipPeriods.memberId, memberId), eq(membershipPeriods.endDate, endDate), inArray(membershipPeriods.endReason, reasons)))
      .returning({ id: membershipPeriods.id });
    await recordEvents(tx, reopened.map((r) => ({ type: 'membership.period_reopened' as const, memberId, payload: { periodId: r.id, previousEndDate: endDate } })));
  });
}

export interface AgeLimitCandidate {
  memberId: string;
  birthDate: string;
  language: string;
  periodId: string;
  endDate: string | null;
}

/**
 * Periods of living members born on or before `bornBy` that are open or ended within the last
 * 62 days of `today`: the age-limit sweep's candidates, narrowed in SQL before the domain rule.
 */
export async function ageLimitCandidates(db: DbOrTx, bornBy: string, today: string): Promise<AgeLimitCandidate[]> {
  return db
    .select({ memberId: members.id, birthDate: persons.birthDate, language: persons.language, periodId: membershipPeriods.id, endDate: membershipPeriods.endDate })
    .from(membershipPeriods)
    .innerJoin(members, eq(members.id, membershipPeriods.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(and(lte(persons.birthDate, bornBy), isNull(persons.dateOfDeath), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, sql`${today}::date - 62`))));
}

/** The identity codes of every living member: what the population-register sync asks about. */
export async function identityCodesOfLivingMembers(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ code: persons.identityCode }).from(persons).innerJoin(members, eq(members.personId, persons.id)).where(isNull(persons.dateOfDeath));
  return rows.map((r) => r.code);
}
