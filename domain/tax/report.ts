/**
 * One member's line in the annual report of fees paid: the year's money on the cash basis (the
 * booked payment date decides the year), what is reported, and why a member cannot be reported.
 * The preview and the commit both call `memberReport`, so what is approved is what is sent.
 */
import { parseIdentityCode } from '../identityCode';
import type { TaxReportSettings } from './settings';

/** What moved in the year for one member, fund-collected only, as positive magnitudes. */
export interface MemberYearMoney {
  memberId: string;
  /** Payments booked in the year. */
  paidCents: number;
  /** Reversed payments booked in the year. */
  reversedCents: number;
  /** Refunds paid to the member in the year. */
  refundedCents: number;
}

export interface MemberIdentity {
  identityCode: string | null;
  firstNames: string;
  lastName: string;
  dateOfDeath: string | null;
  nonDisclosure: boolean;
}

/** Why a member is listed for a person to look at. Blocking ones keep the member out of the file. */
export type TaxReportException = 'missing-identity-code' | 'invalid-identity-code' | 'negative-net' | 'deceased' | 'non-disclosure';

export const blockingExceptions: readonly TaxReportException[] = ['missing-identity-code', 'invalid-identity-code', 'negative-net'];

export interface MemberReport {
  memberId: string;
  identityCode: string | null;
  /** As it goes into the file: "Surname First names". */
  name: string;
  netCents: number;
  /** Whether the member gets a record in a first report. */
  reportable: boolean;
  exceptions: TaxReportException[];
}

export function netPaidCents(money: MemberYearMoney, settings: Pick<TaxReportSettings, 'netRefunds'>): number {
  return money.paidCents - money.reversedCents - (settings.netRefunds ? money.refundedCents : 0);
}

export function reportName(identity: Pick<MemberIdentity, 'firstNames' | 'lastName'>): string {
  return `${identity.lastName} ${identity.firstNames}`.replace(/\s+/g, ' ').trim();
}

export function memberReport(money: MemberYearMoney, identity: MemberIdentity, settings: Pick<TaxReportSettings, 'netRefunds' | 'zeroNet'>): MemberReport {
  const netCents = netPaidCents(money, settings);
  const exceptions: TaxReportException[] = [];
  if (!identity.identityCode) exceptions.push('missing-identity-code');
  else if (!parseIdentityCode(identity.identityCode).ok) exceptions.push('invalid-identity-code');
  if (netCents < 0) exceptions.push('negative-net');
  if (identity.dateOfDeath) exceptions.push('deceased');
  if (identity.nonDisclosure) exceptions.push('non-disclosure');
  const blocked = exceptions.some((e) => blockingExceptions.includes(e));
  return {
    memberId: money.memberId,
    identityCode: identity.identityCode,
    name: reportName(identity),
    netCents,
    reportable: !blocked && (netCents > 0 || settings.zeroNet === 'report'),
    exceptions,
  };
}

export interface ReportSummary {
  /** Members with any fund-collected money in the year. */
  members: number;
  /** Records a first report would send. */
  records: number;
  totalCents: number;
  exceptions: Partial<Record<TaxReportException, number>>;
  blocked: number;
}

export function emptySummary(): ReportSummary {
  return { members: 0, records: 0, totalCents: 0, exceptions: {}, blocked: 0 };
}

/** Adds one member to the running summary (the preview summarises in chunks). */
export function addToSummary(summary: ReportSummary, report: MemberReport): ReportSummary {
  summary.members += 1;
  if (report.reportable) {
    summary.records += 1;
    summary.totalCents += report.netCents;
  }
  for (const e of report.exceptions) summary.exceptions[e] = (summary.exceptions[e] ?? 0) + 1;
  if (report.exceptions.some((e) => blockingExceptions.includes(e))) summary.blocked += 1;
  return summary;
}
