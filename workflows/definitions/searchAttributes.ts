import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The register's custom search attributes, the one list of them: the embedded dev server registers
 * these (temporal/searchAttributes.ts), an external cluster needs them created (README). Ids, kinds,
 * dates and statuses only: search attributes are visible to every Temporal UI user, so never a
 * name, an identity code, an address or anything a member wrote.
 */
export const applicationIdKey = defineSearchAttributeKey('ApplicationId', SearchAttributeType.KEYWORD);
export const applicationStatusKey = defineSearchAttributeKey('ApplicationStatus', SearchAttributeType.KEYWORD);
/** Which process: the kebab-case kind of every workflow type (`billing-run`, `collection-hearing`, …). */
export const processKindKey = defineSearchAttributeKey('ProcessKind', SearchAttributeType.KEYWORD);
/** The business key the process is about: a billing period, a run date, a year, a batch, a file's hash, an id. */
export const processKeyKey = defineSearchAttributeKey('ProcessKey', SearchAttributeType.KEYWORD);
/** The process's own status, upserted as it changes. */
export const processStatusKey = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);
/** The member's internal id (a UUID), where the process is about one member. */
export const memberIdKey = defineSearchAttributeKey('MemberId', SearchAttributeType.KEYWORD);

export const registerSearchAttributeKeys = [applicationIdKey, applicationStatusKey, processKindKey, processKeyKey, processStatusKey, memberIdKey] as const;

/** Every process kind, one per workflow type. */
export const processKinds = [
  'application-intake',
  'intake-decider',
  'membership-end',
  'member-death',
  'membership-daily-sweep',
  'eligibility-review',
  'population-sync',
  'address-conflict-review',
  'payment-file',
  'unmatched-payment',
  'billing-run',
  'scheduled-billing-run',
  'reconcile',
  'bank-file-fetch',
  'collection-hearing',
  'expulsion-appeal',
  'collection-run',
  'scheduled-collection-run',
  'collection-hearing-starts',
  'collection-delivery',
  'tax-report',
  'scheduled-tax-report',
  'migration-run',
  'outbox-delivery',
  'union-remittance-mismatch',
  'union-member-lists',
  'finance-journal',
  'scheduled-finance-journal',
  'journal-mismatch',
  'bi-extract',
  'scheduled-bi-extract',
] as const;
export type ProcessKind = (typeof processKinds)[number];

/**
 * An application intake's attributes, given when its process is started (decision 037), so that
 * the workflow need not upsert them first: by the desk's submission and by a migration alike.
 */
export const intakeStartAttributes = (applicationId: string) => [
  { key: applicationIdKey, value: applicationId },
  { key: applicationStatusKey, value: 'received' },
  { key: processKindKey, value: 'application-intake' as ProcessKind },
  { key: processKeyKey, value: applicationId },
  { key: processStatusKey, value: 'received' },
];
