import type { DeliveryRules } from './messageDelivery';
import type { ScheduleTimes } from './scheduleTimes';
import type { TaskGroupMapping } from './taskGroups';
import type { FeeRules } from './billing/feeRules';
import type { ExpulsionRules } from './expulsion/rules';
import type { CollectionRules } from './collection/rules';
import type { Language, Localized } from './localized';
import type { MembershipRules } from './membership/rules';
import type { TaxReportSettings } from './tax/settings';
import { aKassaProfile } from './profiles/aKassa';
import { kokoProfile } from './profiles/koko';

export type { Language, Localized } from './localized';
export { parseDuration } from './duration';
export { renderTemplate } from './template';

export type FundId = 'a-kassa' | 'koko';

export type MessageKind =
  | 'application-approved'
  | 'application-rejected'
  | 'completion-request'
  | 'resignation-confirmed'
  | 'resignation-confirmation-request'
  | 'resignation-withdrawn'
  | 'membership-ended-switch'
  | 'age-limit-notice'
  | 'membership-ended-age'
  | 'invoice'
  | 'hearing-letter'
  | 'expulsion-decision'
  | 'expulsion-not-decided'
  | 'expulsion-corrected'
  | 'appeal-forwarded'
  | 'samu-overturned'
  | 'payment-reminder'
  | 'payment-reminder-final';

/** The channels the messaging service delivers by; a template may have a text of its own for each. */
export const messageChannels = ['email', 'sms', 'letter'] as const;
export type MessageChannel = (typeof messageChannels)[number];

/** The placeholders each message template uses; the sender must supply a value for every one. */
export const messagePlaceholders: Readonly<Record<MessageKind, readonly string[]>> = {
  'application-approved': ['firstName', 'fundName', 'startDate'],
  'application-rejected': ['firstName', 'fundName', 'reason', 'appealInstructions'],
  'completion-request': ['firstName', 'fundName', 'missing', 'deadline', 'supplementUrl'],
  'resignation-confirmed': ['firstName', 'fundName', 'endDate', 'feeOwedUntil'],
  'resignation-confirmation-request': ['firstName', 'fundName', 'receivedOn', 'endDate', 'confirmUrl', 'expiresOn'],
  'resignation-withdrawn': ['firstName', 'fundName', 'receivedOn'],
  'membership-ended-switch': ['firstName', 'fundName', 'endDate', 'feeOwedUntil'],
  'age-limit-notice': ['firstName', 'fundName', 'endDate'],
  'membership-ended-age': ['firstName', 'fundName', 'endDate'],
  invoice: ['firstName', 'fundName', 'period', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
  'hearing-letter': ['firstName', 'fundName', 'amount', 'invoices', 'deadline', 'iban'],
  'expulsion-decision': ['firstName', 'fundName', 'amount', 'effectiveDate', 'reason', 'explanation', 'law', 'appealInstructions', 'appealDeadline'],
  'expulsion-not-decided': ['firstName', 'fundName', 'reason'],
  'expulsion-corrected': ['firstName', 'fundName', 'effectiveDate', 'reason'],
  'appeal-forwarded': ['firstName', 'fundName', 'receivedOn', 'statement'],
  'samu-overturned': ['firstName', 'fundName', 'ruledOn'],
  'payment-reminder': ['firstName', 'fundName', 'invoiceNumber', 'period', 'originalDueDate', 'openAmount', 'fee', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
  'payment-reminder-final': ['firstName', 'fundName', 'invoiceNumber', 'period', 'originalDueDate', 'openAmount', 'fee', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
};

/** The intake's decision paths (decision 063); `per-application` when a profile names none. */
export const intakeDecisionPaths = ['per-application', 'batched'] as const;
export type IntakeDecisionPath = (typeof intakeDecisionPaths)[number];

export interface FundPostalAddress {
  street: string;
  postCode: string;
  town: string;
  /** ISO 3166 alpha-2. */
  countryCode: string;
}

/**
 * Everything that differs between funds. The law gives the frame and each fund's rules fill in
 * the details, so these are configuration, never constants in the code.
 */
export interface FundProfile {
  id: FundId;
  name: Localized;
  /** Y-tunnus. */
  businessId: string;
  iban: string;
  bic: string;
  /** The fund's postal address: the seller's address on its e-invoices (Finvoice requires one). */
  postalAddress: FundPostalAddress;
  /** 'open': any wage earner; 'higher-education': degree holders, upper-level employees, working students. */
  scope: 'open' | 'higher-education';
  /** An applicant must be under this age on the membership start date. */
  maxJoinAge: number;
  intake: {
    /** How long the applicant has to complete an application, e.g. '14d' (see parseDuration). */
    completionDeadline: string;
    maxCompletionRounds: number;
    /** Due time of the caseworker's review task. */
    reviewDue: string;
    /** 1 (highest) to 5. */
    reviewPriority: number;
    /**
     * How a received application is decided (decision 063): `per-application` (the default) starts
     * its own process (`application/<id>`) at receipt; `batched` leaves it to the fund's one intake
     * decider (`intake-decider/<fund>`), which approves the clean ones in batches and starts the
     * per-application process only for the others.
     */
    decisionPath?: IntakeDecisionPath;
  };
  joinForm: { askEligibilityBasis: boolean; askUnion: boolean };
  unions: { code: string; name: string }[];
  /** Inserted as {{appealInstructions}} into decisions that can be appealed. */
  appealInstructions: Localized;
  messages: Record<MessageKind, { subject: Localized; body: Localized }>;
  /**
   * Which stored template version `messages` holds per kind and language (domain/messageTemplates.ts
   * withTemplates); a kind or language absent here is the shipped template.
   */
  messageVersions?: Partial<Record<MessageKind, Partial<Record<Language, number>>>>;
  /**
   * A channel's own text of a kind in a language, over `messages` (decision 039), with its stored
   * version's id; set only from stored versions (the shipped profile has none).
   */
  messageVariants?: Partial<Record<MessageKind, Partial<Record<Language, Partial<Record<MessageChannel, { subject: string; body: string; version: number }>>>>>>;
  /** Fee amounts per year and invoicing options; see domain/billing/fees.ts. */
  fees: FeeRules;
  /** Resignation, age limit, transfers and entrepreneurs; see domain/membership/. */
  membership: MembershipRules;
  /**
   * Approval of billing runs. `fourEyes` (default true): the billing user who started a run may
   * not approve it; a second billing user does (see domain/billing/approval.ts).
   */
  billingApproval: { fourEyes: boolean };
  /** Hearing, expulsion decision and appeal for unpaid fees; see domain/expulsion/rules.ts. */
  expulsion: ExpulsionRules;
  /**
   * Overdue collection: reminder levels (wait, channels, template, new due date, fee) and when the
   * hearing starts after the last one; see domain/collection/rules.ts. [U] fund policy.
   */
  collection: CollectionRules;
  /**
   * The annual report of fees paid to the Tax Administration: only what differs from
   * `defaultTaxReportSettings` (domain/tax/settings.ts; the record identifier and the amount code
   * there are placeholders until the official record description is at hand).
   */
  taxReport?: Partial<TaxReportSettings>;
  /**
   * Which candidate group each kind of task goes to (domain/taskGroups.ts); absent: the shipped
   * `defaultTaskGroups`. Set by administrators as the `taskGroups` setting.
   */
  taskGroups?: TaskGroupMapping;
  /** When the calendar schedules run (domain/scheduleTimes.ts); absent: the shipped times. Set as the `scheduleTimes` setting. */
  scheduleTimes?: ScheduleTimes;
  /** How messages reach members (domain/messageDelivery.ts); absent: the shipped rules. Set as the `deliveryRules` setting. */
  deliveryRules?: DeliveryRules;
}

export const fundProfileIds: readonly FundId[] = ['a-kassa', 'koko'];

// Frozen because one object is shared by every caller; a caller's edit must not leak into others.
const profiles: Readonly<Record<FundId, FundProfile>> = {
  'a-kassa': deepFreeze(aKassaProfile),
  koko: deepFreeze(kokoProfile),
};

export function isFundId(id: string): id is FundId {
  return (fundProfileIds as readonly string[]).includes(id);
}

/** The shipped profile for `id`; throws naming the valid ids, since a wrong id is a setup error. */
export function getFundProfile(id: string): FundProfile {
  if (!isFundId(id)) {
    throw new Error(`unknown fund profile "${id}": use one of ${fundProfileIds.join(', ')}`);
  }
  return profiles[id];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
