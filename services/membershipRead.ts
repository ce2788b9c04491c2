/**
 * Membership on a date for the other systems (EKJ above all): one member, or up to 1,000
 * identity codes per request for the nightly checks, each batch one SQL statement and one audit
 * statement. docs/decisions/016-member-read-api.md.
 */
import { randomUUID } from 'node:crypto';
import { recordAudits, type AuditEntry } from '../db/repositories/audit';
import type { Database } from '../db/client';
import * as readRepo from '../db/repositories/membershipRead';
import { collectionState, holdActive } from '../domain/collection/rules';
import { runningHearingStatuses } from '../domain/expulsion/status';
import { feeStatus, openInvoiceTotals, paidThroughDate } from '../domain/billing/ledger';
import { compareDates } from '../domain/dates';
import { parseIdentityCode } from '../domain/identityCode';
import { membershipOnDate, membershipOverInterval } from '../domain/membership/membershipRead';
import { rowFilterFor, rowVisible, type RowFilter } from './clientAccess';
import type { ServiceContext } from './context';
import { dateRangeReversed, failure, forbidden, notFound } from './errors';
import { actorOf, hasRole, hasScope, type Principal } from './principal';
import { createCoalescer, type Coalescer } from './coalescer';

/** The most identity codes one batch request may carry. */
export const MEMBERSHIP_BATCH_MAX = 1000;

export interface MembershipQuery {
  identityCode?: string;
  memberNumber?: number;
  /** The date asked about; today when not given. */
  on?: string;
  /** An interval to report membership days over (both or neither). */
  from?: string;
  to?: string;
  /** E-services: the member logged in (their row filter). */
  subjectIdentityCode?: string;
}

export interface MembershipBatchQuery {
  identityCodes: string[];
  on?: string;
  from?: string;
  to?: string;
  subjectIdentityCode?: string;
}

function requireMembershipReader(p: Principal) {
  if (!hasRole(p, 'caseworker', 'supervisor') && !hasScope(p, 'membership:read')) throw forbidden('Reading membership needs the scope membership:read.');
}

function intervalOf(from: string | undefined, to: string | undefined): { from: string; to: string } | null {
  if (from === undefined && to === undefined) return null;
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? 'from' : 'to';
    throw failure(400, 'interval_incomplete', 'An interval needs both "from" and "to" (or neither).', { invalidParams: [{ name: missing, reason: 'is required with the other end of the interval', code: 'interval_incomplete' }] });
  }
  if (compareDates(from, to) > 0) throw dateRangeReversed();
  return { from, to };
}

/** The member's overdue collection today: its state, the highest reminder level, the open hold and the latest hearing. */
function collectionView(record: readRepo.MembershipRecord, today: string) {
  const overdue = record.invoices.filter((i) => (i.status === 'open' || i.status === 'partially-paid') && i.openCents > 0 && compareDates(i.dueDate, today) < 0);
  const hold = record.hold && holdActive({ until: record.hold.until, resumedAt: null }, today) ? record.hold : null;
  const hearing = record.hearing;
  return {
    state: collectionState({ overdueLevels: overdue.map((i) => i.reminderLevel), inHearing: hearing !== null && runningHearingStatuses.includes(hearing.status), onHold: hold !== null }),
    reminderLevel: overdue.reduce((m, i) => Math.max(m, i.reminderLevel), 0),
    overdueCents: overdue.reduce((s, i) => s + i.openCents, 0),
    hold,
    hearing,
  };
}

/** What a system reads of one membership on a date. */
export function membershipView(record: readRepo.MembershipRecord, on: string, today: string, interval: { from: string; to: string } | null) {
  const r = membershipOnDate(record.periods, record.transferred, on);
  return {
    memberId: record.memberId,
    memberNumber: record.memberNumber,
    on,
    status: r.status,
    periodOnDate: r.periodOnDate ? { startDate: r.periodOnDate.startDate, endDate: r.periodOnDate.endDate, endReason: r.periodOnDate.endReason ?? null } : null,
    periods: record.periods.map((p) => ({ startDate: p.startDate, endDate: p.endDate, endReason: p.endReason })),
    transferredPeriods: record.transferred.map((t) => ({ fundName: t.fundName, fundBusinessId: t.fundBusinessId, startDate: t.startDate, endDate: t.endDate, paidThrough: t.paidThrough })),
    membershipCondition: r.membershipCondition,
    // The ledger as it stands today, whatever the date asked.
    fees: { asOf: today, paidThrough: paidThroughDate(record.invoices, record.remittedMonths), status: feeStatus(record.invoices, record.booked, today), ...openInvoiceTotals(record.invoices) },
    expulsion: r.expelledThrough ? { lastMembershipDay: r.expelledThrough } : null,
    // Overdue collection as it stands today, like the fees.
    collection: collectionView(record, today),
    interval: interval ? membershipOverInterval(record.periods, interval.from, interval.to) : null,
  };
}

export type MembershipView = ReturnType<typeof membershipView>;

function readAudit(p: Principal, memberId: string, details: Record<string, unknown>): AuditEntry {
  return { ...actorOf(p), action: 'member.read', entityType: 'member', entityId: memberId, details };
}

/** One member's membership on a date (and over an interval), by identity code or member number. */
export async function readMembership(ctx: ServiceContext, p: Principal, q: MembershipQuery): Promise<MembershipView> {
  requireMembershipReader(p);
  if ((q.identityCode === undefined) === (q.memberNumber === undefined)) {
    throw failure(400, 'member_key_required', 'Name the member by identityCode or by memberNumber (one of them).', {
      invalidParams: [{ name: 'identityCode', reason: 'give identityCode or memberNumber, not both and not neither', code: 'member_key_required' }],
    });
  }
  const on = q.on ?? ctx.today();
  const interval = intervalOf(q.from, q.to);
  const filter = await rowFilterFor(ctx, p, q.subjectIdentityCode);
  const key = q.identityCode !== undefined ? { identityCode: q.identityCode.trim().toUpperCase() } : { memberNumber: q.memberNumber! };
  // The read and its audit row in one statement, with the reads of other lookups that arrive at the
  // same time: the row is written only for a member the filter lets the caller see.
  const found = await auditedRead(ctx.db, { key, audit: { ...actorOf(p), details: { view: 'membership', on, ...(interval ? interval : {}) } }, auditedFor: auditedMembers(filter) });
  const record = found?.record ?? null;
  const visible = record !== null && rowVisible(filter, record);
  if (found && found.audited !== visible) throw new Error('The audit of a membership read disagrees with the row filter');
  if (record !== null && filter.kind === 'subject' && !visible) {
    throw failure(403, 'subject_mismatch', 'The authenticated member named in subjectIdentityCode is not this member: an e-service reads only its logged-in member.');
  }
  // Another union's member answers as a non-member does: the union learns nothing of them.
  if (record === null || !visible) throw notFound('The member');
  return membershipView(record, on, ctx.today(), interval);
}

type AuditedReadResult = Awaited<ReturnType<typeof readRepo.readMembershipAudited>>;

/** Most reads in one statement, and statements running at once, per database (decisions 048, 058). */
export const LOOKUP_COALESCING: Readonly<{ maxBatch: number; maxInFlight: number }> = { maxBatch: 100, maxInFlight: 4 };

let coalescing = LOOKUP_COALESCING;
let coalescers = new WeakMap<Database, Coalescer<readRepo.AuditedRead, AuditedReadResult>>();

/**
 * Other settings for the lookups that start after this call (the ekj bench sweeps them,
 * `BENCH_COALESCING`); lookups already waiting finish in their own batches.
 */
export function setLookupCoalescing(settings: { maxBatch: number; maxInFlight: number } = LOOKUP_COALESCING): void {
  coalescing = settings;
  coalescers = new WeakMap();
}

/**
 * One audited read, gathered with the reads that arrive within the same turn of the event loop
 * (or while earlier statements run) into one statement: one batched read, one multi-row audit
 * insert, one commit. Each caller gets its own record and its own audit row, after the commit.
 */
function auditedRead(db: Database, read: readRepo.AuditedRead): Promise<AuditedReadResult> {
  if (!readRepo.batchableRead(read)) return readRepo.readMembershipAudited(db, read.key, read.audit, read.auditedFor);
  let reads = coalescers.get(db);
  if (!reads) {
    reads = createCoalescer({ run: (batch) => readRepo.readMembershipsAudited(db, batch), ...coalescing });
    coalescers.set(db, reads);
  }
  return reads.load(read);
}

/** The row filter as the members whose reads the read statement audits. */
function auditedMembers(filter: RowFilter): readRepo.AuditedMembers {
  switch (filter.kind) {
    case 'all':
      return { kind: 'all' };
    case 'own-union':
      return { kind: 'union', unionCode: filter.unionCode };
    case 'subject':
      return { kind: 'member', memberId: filter.memberId };
  }
}

export type BatchItem =
  | { identityCode: string; result: 'found'; membership: MembershipView }
  | { identityCode: string; result: 'not-found' | 'invalid'; membership: null };

/**
 * Up to 1,000 identity codes on one date: each answered in the order asked, `found`, `not-found`
 * (no member, or one the caller's row filter hides) or `invalid` (not an identity code). One SQL
 * statement reads them all; one statement writes the audit: a record per member read, sharing the
 * batch id, and one for the batch with its counts (no identity codes).
 */
export async function readMembershipBatch(ctx: ServiceContext, p: Principal, q: MembershipBatchQuery) {
  requireMembershipReader(p);
  if (q.identityCodes.length > MEMBERSHIP_BATCH_MAX) throw batchTooLarge(q.identityCodes.length);
  const on = q.on ?? ctx.today();
  const today = ctx.today();
  const interval = intervalOf(q.from, q.to);
  const filter: RowFilter = await rowFilterFor(ctx, p, q.subjectIdentityCode);
  const normalized = q.identityCodes.map((c) => {
    const code = c.trim().toUpperCase();
    return parseIdentityCode(code).ok ? code : null;
  });
  const valid = normalized.flatMap((code, index) => (code === null ? [] : [{ code, index }]));
  const lookups = await readRepo.membershipsByIdentityCodes(
    ctx.db,
    valid.map((v) => v.code),
  );
  const recordAt = new Map<number, readRepo.MembershipRecord | null>();
  lookups.forEach((l) => recordAt.set(valid[l.index]!.index, l.record));

  const batchId = randomUUID();
  const audited = new Set<string>();
  const audits: AuditEntry[] = [];
  const items: BatchItem[] = q.identityCodes.map((identityCode, index) => {
    if (normalized[index] === null) return { identityCode, result: 'invalid', membership: null };
    const record = recordAt.get(index) ?? null;
    if (record === null || !rowVisible(filter, record)) return { identityCode, result: 'not-found', membership: null };
    if (!audited.has(record.memberId)) {
      audited.add(record.memberId);
      audits.push(readAudit(p, record.memberId, { view: 'membership', on, batchId, ...(interval ? interval : {}) }));
    }
    return { identityCode, result: 'found', membership: membershipView(record, on, today, interval) };
  });
  const counts = { asked: items.length, found: items.filter((i) => i.result === 'found').length, notFound: items.filter((i) => i.result === 'not-found').length, invalid: items.filter((i) => i.result === 'invalid').length };
  audits.push({ ...actorOf(p), action: 'membership.batch-read', entityType: 'membership-batch', entityId: batchId, details: { on, ...counts, members: audited.size } });
  await recordAudits(ctx.db, audits);
  return { batchId, on, ...counts, items };
}

export function batchTooLarge(count: number) {
  return failure(400, 'batch_too_large', `A batch takes at most ${MEMBERSHIP_BATCH_MAX} identity codes; this one has ${count}. Split it.`, {
    params: { max: MEMBERSHIP_BATCH_MAX },
    invalidParams: [{ name: 'identityCodes', reason: `must have at most ${MEMBERSHIP_BATCH_MAX} items`, code: 'batch_too_large' }],
  });
}
