import { and, asc, desc, eq, inArray, min, sql } from 'drizzle-orm';
import type { HearingStatus } from '../../domain/expulsion/status';
import type { DbOrTx } from '../client';
import { atomically, recordEvent } from './outbox';
import { appeals, bankEntries, expulsionDecisions, hearingExplanations, hearings, invoices } from '../schema';

/** Hearings still running (kept in step with domain/expulsion/status.ts runningHearingStatuses and the partial unique index). */
const running: HearingStatus[] = ['open', 'awaiting-decision'];

export type HearingRow = typeof hearings.$inferSelect;
export type ExplanationRow = typeof hearingExplanations.$inferSelect;
export type DecisionRow = typeof expulsionDecisions.$inferSelect;
export type AppealRow = typeof appeals.$inferSelect;

/** Idempotent on (member, start day): a retried activity finds the hearing it already opened. */
export async function insertHearingOnce(db: DbOrTx, row: typeof hearings.$inferInsert): Promise<HearingRow> {
  const inserted = await atomically(db, async (tx) => {
    const [h] = await tx.insert(hearings).values(row).onConflictDoNothing({ target: [hearings.memberId, hearings.startedOn] }).returning();
    if (h) await recordEvent(tx, { type: 'expulsion.hearing_started', memberId: h.memberId, payload: { hearingId: h.id, startedOn: h.startedOn, deadline: h.deadline } });
    return h;
  });
  if (inserted) return inserted;
  const [found] = await db
    .select()
    .from(hearings)
    .where(and(eq(hearings.memberId, row.memberId), eq(hearings.startedOn, row.startedOn)));
  return found!;
}

export async function findHearing(db: DbOrTx, id: string): Promise<HearingRow | undefined> {
  const [row] = await db.select().from(hearings).where(eq(hearings.id, id));
  return row;
}

export async function hearingsOfMember(db: DbOrTx, memberId: string): Promise<HearingRow[]> {
  return db.select().from(hearings).where(eq(hearings.memberId, memberId)).orderBy(desc(hearings.startedOn));
}

/**
 * A change of the hearing; a change of its status writes `expulsion.hearing_status_changed`.
 * `onlyFrom`: the change applies only while the hearing has that status (nothing happens otherwise).
 */
export async function updateHearing(db: DbOrTx, id: string, patch: Partial<typeof hearings.$inferInsert>, onlyFrom?: HearingStatus): Promise<void> {
  await atomically(db, async (tx) => {
    const where = onlyFrom ? and(eq(hearings.id, id), eq(hearings.status, onlyFrom)) : eq(hearings.id, id);
    const [h] = await tx.update(hearings).set(patch).where(where).returning({ memberId: hearings.memberId, status: hearings.status });
    if (h && patch.status) await recordEvent(tx, { type: 'expulsion.hearing_status_changed', memberId: h.memberId, payload: { hearingId: id, status: h.status } });
  });
}

/** What is still open of the hearing's invoices, in cents. */
export async function openCentsOfInvoices(db: DbOrTx, invoiceIds: string[]): Promise<number> {
  if (invoiceIds.length === 0) return 0;
  const [row] = await db
    .select({ open: sql<number>`coalesce(sum(${invoices.openCents}), 0)::int` })
    .from(invoices)
    .where(and(inArray(invoices.id, invoiceIds), inArray(invoices.status, ['open', 'partially-paid'])));
  return row?.open ?? 0;
}

/** The first day the unpaid fees of these invoices cover: the earliest period start of one still open. */
export async function unpaidFrom(db: DbOrTx, invoiceIds: string[]): Promise<string | null> {
  if (invoiceIds.length === 0) return null;
  const [row] = await db
    .select({ from: min(invoices.periodStart) })
    .from(invoices)
    .where(and(inArray(invoices.id, invoiceIds), sql`${invoices.openCents} > 0`));
  return row?.from ?? null;
}

export async function invoicesOf(db: DbOrTx, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return [];
  return db
    .select({ id: invoices.id, memberId: invoices.memberId, invoiceNumber: invoices.invoiceNumber, openCents: invoices.openCents, periodStart: invoices.periodStart, dueDate: invoices.dueDate })
    .from(invoices)
    .where(inArray(invoices.id, invoiceIds))
    .orderBy(asc(invoices.periodStart));
}

export async function insertExplanation(db: DbOrTx, row: typeof hearingExplanations.$inferInsert): Promise<ExplanationRow> {
  const [inserted] = await db.insert(hearingExplanations).values(row).returning();
  return inserted!;
}

export async function explanationsOf(db: DbOrTx, hearingIds: string[]): Promise<ExplanationRow[]> {
  if (hearingIds.length === 0) return [];
  return db.select().from(hearingExplanations).where(inArray(hearingExplanations.hearingId, hearingIds)).orderBy(asc(hearingExplanations.createdAt));
}

/** One decision per hearing: a retried activity finds the one it already made. */
export async function insertDecisionOnce(db: DbOrTx, row: typeof expulsionDecisions.$inferInsert): Promise<DecisionRow> {
  const inserted = await atomically(db, async (tx) => {
    const [d] = await tx.insert(expulsionDecisions).values(row).onConflictDoNothing({ target: expulsionDecisions.hearingId }).returning();
    if (d) await recordEvent(tx, { type: 'expulsion.decided', memberId: d.memberId, payload: { decisionId: d.id, hearingId: d.hearingId, effectiveDate: d.effectiveDate, appealDeadline: d.appealDeadline } });
    return d;
  });
  if (inserted) return inserted;
  return (await decisionOfHearing(db, row.hearingId))!;
}

export async function decisionOfHearing(db: DbOrTx, hearingId: string): Promise<DecisionRow | undefined> {
  const [row] = await db.select().from(expulsionDecisions).where(eq(expulsionDecisions.hearingId, hearingId));
  return row;
}

export async function findDecision(db: DbOrTx, id: string): Promise<DecisionRow | undefined> {
  const [row] = await db.select().from(expulsionDecisions).where(eq(expulsionDecisions.id, id));
  return row;
}

export async function decisionsOf(db: DbOrTx, hearingIds: string[]): Promise<DecisionRow[]> {
  if (hearingIds.length === 0) return [];
  return db.select().from(expulsionDecisions).where(inArray(expulsionDecisions.hearingId, hearingIds));
}

export async function setDecisionReinstated(db: DbOrTx, id: string, on: string): Promise<void> {
  await atomically(db, async (tx) => {
    const [d] = await tx.update(expulsionDecisions).set({ reinstatedOn: on }).where(eq(expulsionDecisions.id, id)).returning({ memberId: expulsionDecisions.memberId });
    if (d) await recordEvent(tx, { type: 'expulsion.reinstated', memberId: d.memberId, payload: { decisionId: id, reinstatedOn: on } });
  });
}

/** One appeal per decision: the first one recorded wins; the caller reads it back. */
export async function insertAppealOnce(db: DbOrTx, row: typeof appeals.$inferInsert): Promise<{ appeal: AppealRow; created: boolean }> {
  const inserted = await atomically(db, async (tx) => {
    const [a] = await tx.insert(appeals).values(row).onConflictDoNothing({ target: appeals.decisionId }).returning();
    if (a) await recordEvent(tx, { type: 'expulsion.appeal_changed', memberId: a.memberId, payload: { appealId: a.id, decisionId: a.decisionId, status: a.status, late: a.late } });
    return a;
  });
  if (inserted) return { appeal: inserted, created: true };
  const [found] = await db.select().from(appeals).where(eq(appeals.decisionId, row.decisionId));
  return { appeal: found!, created: false };
}

export async function findAppeal(db: DbOrTx, id: string): Promise<AppealRow | undefined> {
  const [row] = await db.select().from(appeals).where(eq(appeals.id, id));
  return row;
}

export async function appealsOf(db: DbOrTx, decisionIds: string[]): Promise<AppealRow[]> {
  if (decisionIds.length === 0) return [];
  return db.select().from(appeals).where(inArray(appeals.decisionId, decisionIds));
}

/** A change of the appeal; a change of its status writes `expulsion.appeal_changed`. */
export async function updateAppeal(db: DbOrTx, id: string, patch: Partial<typeof appeals.$inferInsert>): Promise<void> {
  await atomically(db, async (tx) => {
    const [a] = await tx.update(appeals).set(patch).where(eq(appeals.id, id)).returning();
    if (a && patch.status) await recordEvent(tx, { type: 'expulsion.appeal_changed', memberId: a.memberId, payload: { appealId: a.id, decisionId: a.decisionId, status: a.status, late: a.late } });
  });
}

/** Members of the file's booked entries whose hearing is still running: their processes are told of the payment. */
export async function membersInHearingPaidInFile(db: DbOrTx, fileId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ memberId: hearings.memberId })
    .from(hearings)
    .innerJoin(bankEntries, eq(bankEntries.memberId, hearings.memberId))
    .where(and(eq(bankEntries.fileId, fileId), inArray(hearings.status, running)));
  return rows.map((r) => r.memberId);
}

export async function runningHearingOfWorkflow(db: DbOrTx, workflowId: string): Promise<HearingRow | undefined> {
  const [row] = await db
    .select()
    .from(hearings)
    .where(and(eq(hearings.workflowId, workflowId), inArray(hearings.status, running)));
  return row;
}
