import { and, asc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client';
import { applications, appeals, bankFiles, billingRuns, resignations, taxReportRuns, unionRemittanceMismatches } from '../schema';
import type { BillingRunRow } from './billing';
import type { TaxRunRow } from './taxReport';

/*
 * The rows the reconcile process judges: stored in a status that means "its process should be
 * running", older than a grace period and younger than the lookback, read in id order a page at
 * a time. Ages are by the database's clock, the one that wrote the rows.
 */

export interface StrandedPage {
  /** Rows younger than this may still be getting their process started. */
  olderThanMs: number;
  /** Rows older than this are not judged. */
  lookbackMs: number;
  afterId: string | null;
  limit: number;
}

const olderThan = (column: PgColumn, ms: number): SQL => sql`${column} < now() - (${ms}::bigint * interval '1 millisecond')`;
const newerThan = (column: PgColumn, ms: number): SQL => sql`${column} > now() - (${ms}::bigint * interval '1 millisecond')`;
const after = (column: PgColumn, id: string | null) => (id === null ? undefined : gt(column, id));
/** A stranded row's window: stored over `olderThanMs` ago, within the lookback, after the page's last id. */
const inWindow = (createdAt: PgColumn, id: PgColumn, p: StrandedPage) => [olderThan(createdAt, p.olderThanMs), newerThan(createdAt, p.lookbackMs), after(id, p.afterId)];

/** Applications still 'received' (the status they are stored with). */
export async function strandedApplications(db: DbOrTx, p: StrandedPage): Promise<{ id: string; workflowId: string }[]> {
  return db
    .select({ id: applications.id, workflowId: applications.workflowId })
    .from(applications)
    .where(and(eq(applications.status, 'received'), ...inWindow(applications.createdAt, applications.id, p)))
    .orderBy(asc(applications.id))
    .limit(p.limit);
}

/** Payment files not yet processed. */
export async function strandedPaymentFiles(db: DbOrTx, p: StrandedPage): Promise<{ id: string; sha256: string; workflowId: string }[]> {
  return db
    .select({ id: bankFiles.id, sha256: bankFiles.sha256, workflowId: bankFiles.workflowId })
    .from(bankFiles)
    .where(and(ne(bankFiles.status, 'processed'), ...inWindow(bankFiles.createdAt, bankFiles.id, p)))
    .orderBy(asc(bankFiles.id))
    .limit(p.limit);
}

/** Billing runs previewing or committing. */
export async function strandedBillingRuns(db: DbOrTx, p: StrandedPage): Promise<BillingRunRow[]> {
  return db
    .select()
    .from(billingRuns)
    .where(and(inArray(billingRuns.status, ['previewing', 'committing']), ...inWindow(billingRuns.createdAt, billingRuns.id, p)))
    .orderBy(asc(billingRuns.id))
    .limit(p.limit);
}

/** Resignations and fund switches still pending, and public requests still awaiting confirmation. */
export async function strandedResignations(db: DbOrTx, p: StrandedPage): Promise<{ id: string; workflowId: string; confirmationExpiresAt: Date | null }[]> {
  return db
    .select({ id: resignations.id, workflowId: resignations.workflowId, confirmationExpiresAt: resignations.confirmationExpiresAt })
    .from(resignations)
    .where(and(inArray(resignations.status, ['pending', 'requested']), ...inWindow(resignations.createdAt, resignations.id, p)))
    .orderBy(asc(resignations.id))
    .limit(p.limit);
}

/** Appeals not yet reconsidered ('received', the status they are stored with). */
export async function strandedAppeals(db: DbOrTx, p: StrandedPage): Promise<{ id: string; workflowId: string }[]> {
  return db
    .select({ id: appeals.id, workflowId: appeals.workflowId })
    .from(appeals)
    .where(and(eq(appeals.status, 'received'), ...inWindow(appeals.createdAt, appeals.id, p)))
    .orderBy(asc(appeals.id))
    .limit(p.limit);
}

/** Union remittance mismatches still 'open' (the status they are stored with): each waits on its task process. */
export async function strandedUnionMismatches(db: DbOrTx, p: StrandedPage): Promise<{ id: string; workflowId: string }[]> {
  return db
    .select({ id: unionRemittanceMismatches.id, workflowId: unionRemittanceMismatches.workflowId })
    .from(unionRemittanceMismatches)
    .where(and(eq(unionRemittanceMismatches.status, 'open'), ...inWindow(unionRemittanceMismatches.createdAt, unionRemittanceMismatches.id, p)))
    .orderBy(asc(unionRemittanceMismatches.id))
    .limit(p.limit);
}

/**
 * Tax-report runs previewing (the status they are stored with) or awaiting approval: before the
 * approval nothing has left the register, so a process started again from the beginning only
 * stages the preview again and finds the same approval task. A run past its approval whose
 * process is gone is not restarted (that would ask for a second approval of a file already made).
 */
export async function strandedTaxRuns(db: DbOrTx, p: StrandedPage): Promise<TaxRunRow[]> {
  return db
    .select()
    .from(taxReportRuns)
    .where(and(inArray(taxReportRuns.status, ['previewing', 'awaiting-approval']), ...inWindow(taxReportRuns.createdAt, taxReportRuns.id, p)))
    .orderBy(asc(taxReportRuns.id))
    .limit(p.limit);
}
