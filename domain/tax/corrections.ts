/**
 * What a correction run sends. The Tax Administration keeps one return per identifying fields
 * (record id, payment year, the fund's Y-tunnus, the member's identity code, and the name if the
 * original return gave one); the newest return with the same identifiers replaces the previous
 * one, and when an identifying field was wrong the old return is zeroed and a new one sent
 * (domain.md §5). The name stays as in the original return, so a changed surname is no reason to
 * zero; a corrected identity code is.
 */
import type { MemberReport } from './report';

/** The member's figure as last reported (the newest record sent for the member and year). */
export interface ReportedFigure {
  memberId: string;
  identityCode: string;
  name: string;
  amountCents: number;
}

export interface OutgoingRecord {
  memberId: string;
  identityCode: string;
  name: string;
  amountCents: number;
  /** 'new': first record; 'replace': same identifiers, new figure; 'zero': the old identifiers zeroed. */
  kind: 'new' | 'replace' | 'zero';
}

/**
 * The records to send for one member, given what was reported before (null: nothing) and the
 * member's report now. Empty when nothing changed, or when the member is blocked by an exception
 * (a person fixes it first; the exception list shows it).
 */
export function correctionRecords(previous: ReportedFigure | null, now: MemberReport): OutgoingRecord[] {
  const blocked = !now.identityCode || now.exceptions.includes('invalid-identity-code') || now.exceptions.includes('missing-identity-code') || now.exceptions.includes('negative-net');
  if (previous === null) {
    if (!now.reportable) return [];
    return [{ memberId: now.memberId, identityCode: now.identityCode!, name: now.name, amountCents: now.netCents, kind: 'new' }];
  }
  if (blocked) return [];
  const amount = now.netCents;
  if (previous.identityCode !== now.identityCode) {
    const zero: OutgoingRecord = { ...previous, amountCents: 0, kind: 'zero' };
    // Under the right code the member gets a fresh original (its own name, as now).
    return amount > 0 || now.reportable
      ? [zero, { memberId: now.memberId, identityCode: now.identityCode!, name: now.name, amountCents: amount, kind: 'new' }]
      : [zero];
  }
  if (previous.amountCents === amount) return [];
  return [{ ...previous, amountCents: amount, kind: 'replace' }];
}
