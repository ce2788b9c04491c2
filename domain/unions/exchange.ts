/**
 * The union ↔ fund exchange (domain.md §7): what a union reports to the fund, whatever layout it
 * came in (integrations/transforms/unionBatch.ts maps each union's layout to this), and the pure
 * rules the register applies to it. docs/decisions/019-union-exchange.md.
 */
import { addMonths, endOfMonth } from '../dates';
import type { Language } from '../fundProfile';
import type { FeeYear } from '../billing/feeRules';
import type { FeeExemption } from '../billing/exemptions';
import { storedMembershipStatus, type MembershipStatus } from '../membership/periods';

export const unionEventKinds = ['join', 'leave', 'exemption-start', 'exemption-end', 'paid-through', 'remittance'] as const;
export type UnionEventKind = (typeof unionEventKinds)[number];

interface Line {
  /** 1-based line of the file (or the item's position in an API call), for outcomes and errors. */
  line: number;
  identityCode: string;
}

export type UnionEvent =
  | (Line & {
      kind: 'join';
      /** The day the union received the application: membership may begin on it (domain.md §7). */
      receivedOn: string;
      lastName: string;
      firstNames: string;
      language: Language;
      email?: string;
      employer?: string;
    })
  | (Line & { kind: 'leave'; receivedOn: string; requestedEndDate?: string })
  | (Line & { kind: 'exemption-start' | 'exemption-end'; date: string })
  | (Line & { kind: 'paid-through'; paidThrough: string })
  | (Line & { kind: 'remittance'; /** 'YYYY-MM': the month the fund share is for. */ period: string; amountCents: number });

export interface UnionBatch {
  unionCode: string;
  /** The union's own id for the batch: the same id again is the same batch. */
  batchId: string;
  events: UnionEvent[];
}

/** Why a remittance was not booked as it came: each becomes a caseworker task. */
export type RemittanceMismatch = 'unknown_member' | 'amount_differs' | 'no_fee_for_period';

/** The fund share a union owes for one month: the month's fee, or a twelfth of the year's fee. */
export function monthlyFundShareCents(rule: FeeYear): number {
  return rule.model === 'per-month' ? (rule.monthlyCents ?? 0) : Math.round((rule.yearlyCents ?? 0) / 12);
}

/** Compares a remittance with the month's fund share: null when it is right. */
export function remittanceMismatch(amountCents: number, expectedCents: number | null): RemittanceMismatch | null {
  if (expectedCents === null) return 'no_fee_for_period';
  return amountCents === expectedCents ? null : 'amount_differs';
}

/**
 * Paid through as the fund's ledger shows it: the end of the last month of the unbroken run of
 * remitted months that starts at the earliest one (a gap stops it: a later month does not pay an
 * earlier one). Null when nothing was remitted.
 */
export function paidThroughFromPeriods(periods: readonly string[]): string | null {
  const months = [...new Set(periods)].sort();
  if (months.length === 0) return null;
  let last = months[0]!;
  for (const m of months.slice(1)) {
    if (`${m}-01` !== addMonths(`${last}-01`, 1)) break;
    last = m;
  }
  return endOfMonth(`${last}-01`);
}

export type UnionDifference = 'paid_through_differs' | 'not_reported_by_union' | 'exemption_differs';

/** What differs between the fund's view of a member and what the union last reported. */
export function unionDifferences(fund: { paidThrough: string | null; exempt: boolean }, union: { reported: boolean; paidThrough: string | null; exempt: boolean }): UnionDifference[] {
  if (!union.reported) return ['not_reported_by_union'];
  const out: UnionDifference[] = [];
  if (fund.paidThrough !== union.paidThrough) out.push('paid_through_differs');
  if (fund.exempt !== union.exempt) out.push('exemption_differs');
  return out;
}

/** One member as the register holds them for the union's list (db/repositories/unions.ts membersOfUnion). */
export interface UnionMemberFacts {
  memberId: string;
  memberNumber: number;
  identityCode: string;
  periods: { startDate: string; endDate: string | null }[];
  remittedPeriods: string[];
  reported: boolean;
  reportedPaidThrough: string | null;
  exemptFrom: string | null;
  exemptUntil: string | null;
  /** The fee exemptions the fund keeps (decision 031: a union's reports and the fund's own grants), as billing reads them. */
  fundExemptions: readonly FeeExemption[];
}

export interface UnionMemberListEntry {
  memberId: string;
  memberNumber: number;
  identityCode: string;
  status: MembershipStatus;
  paidThrough: string | null;
  unionPaidThrough: string | null;
  exemptFrom: string | null;
  exemptUntil: string | null;
  differences: UnionDifference[];
}

export interface UnionMemberList {
  unionCode: string;
  asOf: string;
  members: UnionMemberListEntry[];
  /** Members with at least one difference. */
  differences: number;
}

/** Whether the union's reported exemption is in force on the day. */
function exemptOn(from: string | null, until: string | null, on: string): boolean {
  if (from === null || from > on) return false;
  // An end before the start is an earlier exemption's end: the new one is open.
  return until === null || until < from || on <= until;
}

/** The union's member list on `asOf`: status, paid-through as the ledger shows it, what the union reported, the differences. */
export function unionMemberList(unionCode: string, asOf: string, rows: readonly UnionMemberFacts[]): UnionMemberList {
  const members = rows.map((r) => {
    const paidThrough = paidThroughFromPeriods(r.remittedPeriods);
    const unionExempt = exemptOn(r.exemptFrom, r.exemptUntil, asOf);
    // The fund's view: an exemption it keeps in force on the day (a union's as it was booked, or the fund's own grant).
    const fundExempt = r.fundExemptions.some((e) => e.startDate <= asOf && (e.endDate === null || asOf <= e.endDate));
    return {
      memberId: r.memberId,
      memberNumber: r.memberNumber,
      identityCode: r.identityCode,
      status: storedMembershipStatus(r.periods, asOf),
      paidThrough,
      unionPaidThrough: r.reportedPaidThrough,
      exemptFrom: r.exemptFrom,
      exemptUntil: r.exemptUntil,
      differences: unionDifferences({ paidThrough, exempt: fundExempt }, { reported: r.reported, paidThrough: r.reportedPaidThrough, exempt: unionExempt }),
    };
  });
  return { unionCode, asOf, members, differences: members.filter((m) => m.differences.length > 0).length };
}
