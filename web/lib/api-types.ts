// Shapes of the HTTP API as the desk and the public forms receive them. Declared here rather than
// imported from the services so the web layer depends on the API contract only.

export type Lang = 'fi' | 'sv' | 'en';

export interface Me {
  kind: 'user';
  id: string;
  name: string;
  roles: string[];
}

export interface ApplicationData {
  identityCode: string;
  firstNames: string;
  lastName: string;
  language: Lang;
  email?: string;
  phone?: string;
  address?: { street: string; postalCode: string; city: string; country?: string };
  employment: { status: string; employer?: string; startedOn?: string; entrepreneurSince?: string };
  eligibility?: { basis: 'degree' | 'occupation' | 'student'; degree?: string; occupation?: string };
  requestedStartDate?: string;
  previousFund?: { name: string; endedOn?: string; resignationAuthorisation: boolean };
  unionCode?: string;
}

/** What the supplement form may send: any field but the applicant's identity and language. */
export type SupplementData = Omit<Partial<ApplicationData>, 'identityCode' | 'language' | 'employment' | 'address'> & {
  employment?: Partial<ApplicationData['employment']>;
  address?: ApplicationData['address'];
};

export interface PublicFund {
  id: string;
  name: Record<Lang, string>;
  scope: 'open' | 'higher-education';
  joinForm: { askEligibilityBasis: boolean; askUnion: boolean };
  unions: { code: string; name: string }[];
  maxJoinAge: number;
}

export interface SubmittedApplication {
  id: string;
  status: string;
  receivedOn: string;
}

export interface TaskView {
  id: string;
  kind: string;
  queue: string;
  /** Comma-separated finding codes, or 'completion-expired'. */
  title: string;
  priority: number;
  dueAt: string;
  status: 'open' | 'closed';
  overdue: boolean;
  claimedBy: { id: string; name: string } | null;
  subject: { type: string; id: string };
  createdAt: string;
  outcome: string | null;
}

export interface TaskList {
  items: TaskView[];
  total: number;
}

export interface FindingView {
  code: string;
  severity: 'missing' | 'doubt' | 'blocker';
  field?: string;
  message: string;
}

export interface ApplicationReview {
  id: string;
  status: string;
  channel: string;
  receivedOn: string;
  receivedBy: string;
  startDate: string | null;
  findings: FindingView[];
  completionDeadline: string | null;
  decision: { outcome: string; reason: string | null; decidedAt: string; automatic: boolean } | null;
  memberId: string | null;
  workflowId: string;
  data: ApplicationData;
}

/** The member a member task is about; the identity code comes masked for roles that may not see it whole. */
export interface ReviewMember {
  id: string;
  memberNumber: number;
  firstNames: string;
  lastName: string;
  identityCode: string;
  birthDate: string;
  status: MemberStatus | 'deceased';
  nonDisclosure: boolean;
}

export type ReviewAddress =
  | {
      hidden: false;
      kind: string | null;
      street: string;
      postalCode: string | null;
      city: string | null;
      country: string | null;
      source: string | null;
      validFrom: string | null;
      recordedAt?: string;
    }
  | { hidden: true; reason: 'non-disclosure' };

/** An address-conflict task: the address on record (the member's own) and the population register's newest. */
export interface AddressConflictReview {
  member: ReviewMember;
  current: ReviewAddress | null;
  register: ReviewAddress | null;
}

/** An eligibility-review task: the member's periods and the ground in doubt with its limit. */
export interface EligibilityReview {
  member: ReviewMember;
  reason: string;
  basis: string;
  eligibilityBasis: string | null;
  entrepreneurSince: string | null;
  limitMonths: number;
  limitDate: string | null;
  periods: { startDate: string; endDate: string | null; endReason: string | null }[];
}

export interface TaskDetail {
  task: TaskView;
  application: ApplicationReview | null;
  addressConflict: AddressConflictReview | null;
  eligibilityReview: EligibilityReview | null;
}

export interface DecisionResult {
  taskId: string;
  outcome: 'approved' | 'rejected';
}

export type MemberStatus = 'active' | 'starting' | 'ended' | 'none';

/** One hit of the member search; the identity code comes masked for roles that may not see it whole. */
export interface MemberSearchHit {
  id: string;
  memberNumber: number;
  /** "Last First", as registers list people. */
  name: string;
  identityCode: string;
  birthDate: string;
  deceased: boolean;
  status: MemberStatus;
}

export interface MemberSearchResult {
  kind: 'identity-code' | 'identity-code-prefix' | 'number' | 'name';
  items: MemberSearchHit[];
}

export type DeliveryChannel = 'letter' | 'email' | 'sms' | 'e-invoice';

export interface MemberMessage {
  id: string;
  kind: string;
  subject: string;
  body: string;
  status: string;
  channel: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface MemberPeriod {
  startDate: string;
  endDate: string | null;
  endReason: string | null;
}

export interface MemberResignation {
  id: string;
  kind: string;
  receivedOn: string;
  requestedEndDate: string | null;
  endDate: string;
  feeOwedUntil: string;
  status: 'pending' | 'effective' | 'withdrawn' | 'cancelled';
  newFund: string | null;
}

export type MemberAddress =
  | null
  | { hidden: true; reason: 'non-disclosure' }
  | { hidden: false; street: string; postalCode: string | null; city: string | null; country: string | null; source: string | null };

/** The member's overall situation, as `GET /api/v1/members/:id/overview` serves it. */
export interface MemberOverview {
  id: string;
  memberNumber: number;
  status: MemberStatus | 'deceased';
  channel: string;
  unionCode: string | null;
  eligibilityBasis: string | null;
  person: {
    id: string;
    identityCode: string;
    earlierIdentityCodes: string[];
    firstNames: string;
    lastName: string;
    birthDate: string;
    language: string;
    nonDisclosure: boolean;
    dateOfDeath: string | null;
    deathDatePrecision: string | null;
    municipality: string | null;
  };
  contact: {
    email: string | null;
    phone: string | null;
    deliveryChannel: DeliveryChannel | string | null;
    eInvoice: { address: string | null; operator: string | null; consent: boolean | null };
    smsConsent: boolean | null;
  };
  address: MemberAddress;
  nameHistory: { firstNames: string; lastName: string; validFrom: string; source: string | null }[];
  addressHistory: {
    kind: string;
    street: string;
    postalCode: string | null;
    city: string | null;
    country: string | null;
    source: string | null;
    validFrom: string;
    validTo: string | null;
  }[];
  periods: MemberPeriod[];
  transferredPeriods: { fundName: string; fundBusinessId: string | null; startDate: string; endDate: string; paidThrough: string | null }[];
  /** `days` now; more figures (fullMonths, metOn12, …) may follow and are shown as they come. */
  membershipCondition: { days: number } & Record<string, unknown>;
  /** `status`: 'not-billed-yet', 'in-order', 'open' or 'overdue'; the figures come with the ledger. */
  fees: { status: string; note: string | null; balanceCents?: number; paidThrough?: string | null; openInvoices?: number; openCents?: number };
  openTasks: { id: string; kind: string; title: string; priority: number; dueAt: string; claimedBy: string | null }[];
  processes: { kind: string; id: string; workflowId: string; status: string; startedAt: string; link: string | null }[];
  resignations: MemberResignation[];
  messages: MemberMessage[];
  changes: { field: string; effectiveFrom: string; changedAt: string; changedBy: string; reason: string | null; recent: boolean }[];
  /** Fields changed within the fund's window: 'name', 'address', 'contact', 'non-disclosure', 'death', 'identity-code'. */
  recentlyChanged: string[];
  /** Only supervisors and administrators get it. */
  auditTrail: { at: string; actor: string; actorKind: string; action: string; details: unknown }[] | null;
}

export interface ContactChange {
  reason: string;
  effectiveFrom?: string;
  email?: string | null;
  phone?: string | null;
  language?: Lang;
  deliveryChannel?: DeliveryChannel;
  eInvoiceAddress?: string | null;
  eInvoiceOperator?: string | null;
  eInvoiceConsent?: boolean;
  smsConsent?: boolean;
  address?: { street: string; postalCode: string; city: string; country?: string };
}

export interface ResignationResult extends MemberResignation {
  memberId: string;
  workflowId: string;
}

export interface PublicResignationResult {
  status: 'received';
  endDate: string;
  feeOwedUntil: string;
}

export interface InvalidParam {
  name: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Billing, payments, the member ledger and the fee reports

export type BillingRunStatus = 'previewing' | 'awaiting-approval' | 'committing' | 'committed' | 'rejected' | 'failed';

/** Totals of a billing run's preview (what it would issue) or commit (what it issued). */
export interface BillingTotals {
  members: number;
  invoices: number;
  amountCents: number;
  /** Per staging category: 'invoice', 'union', 'zero', 'already-invoiced', 'exception', … */
  byCategory: Record<string, { count: number; amountCents: number }>;
  /** Invoices per delivery channel: 'letter', 'email', 'e-invoice', … */
  byDelivery: Record<string, number>;
  exceptions: number;
}

/** GET /api/v1/fee-years item (services/feeYears.ts FeeYearView). */
export interface FeeYearView {
  year: number;
  model: 'per-month' | 'per-year-by-month';
  monthlyCents: number | null;
  yearlyCents: number | null;
  fullYearCents: number;
  confirmed: boolean;
  source: 'register' | 'profile';
  note: string | null;
  setBy: string | null;
  setAt: string | null;
  lockedBy: string[];
}

/** PUT /api/v1/fee-years/{year} body. */
export interface SetFeeYear {
  model: string;
  monthlyCents?: number;
  yearlyCents?: number;
  confirmed: boolean;
  note: string;
}

export interface BillingRunSummary {
  id: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  feeYear: number;
  dueDate: string;
  status: BillingRunStatus | string;
  startedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  progress: { phase: string; done: number; total: number } | null;
  previewTotals: BillingTotals | null;
  commitTotals: BillingTotals | null;
  deliveryTotals: { sent: number; failed: number; suppressed: number; eInvoices: number; eInvoiceFiles: number } | null;
  workflowId: string;
  /** The uuid standing for the run (the approval task's subject); the desk's run pages use it. */
  subjectId: string;
  createdAt: string;
  updatedAt: string;
}

export interface BillingRunView extends BillingRunSummary {
  approvalTaskId: string | null;
  rejection: { reason: string; by: string; at: string } | null;
  exceptions: { memberId: string; memberNumber: number; text: string }[];
  samples: { memberId: string; memberNumber: number; amountCents: number; lines: { month: string; cents: number }[]; delivery: string | null }[];
  failedDeliveries: { memberId: string; memberNumber: number; invoiceNumber: number; delivery: string; reason: string }[];
}

export interface PaymentFileView {
  id: string;
  sha256: string;
  format: 'camt054' | 'ktl' | string;
  filename: string;
  /** 'received' while its process books it, then 'processed' (or 'failed'). */
  status: string;
  entryCount: number | null;
  totalCents: number | null;
  receivedBy: string;
  workflowId: string;
  createdAt: string;
}

export interface PaymentFileDetail extends PaymentFileView {
  /** Entries this file brought in, per entry status ('allocated', 'unmatched', …). */
  entries: Record<string, { count: number; cents: number }>;
}

export interface BankEntryView {
  id: string;
  archiveId: string;
  fileId: string;
  bookingDate: string;
  valueDate: string | null;
  amountCents: number;
  reversal: boolean;
  reference: string | null;
  unstructured: string | null;
  debtorName: string | null;
  memberId: string | null;
  status: string;
  unallocatedCents: number;
  allocations: { invoiceId: string; amountCents: number; kind: string; allocatedBy: string; createdAt: string }[];
  task: { id: string; status: string; claimedBy: string | null } | null;
}

export interface AllocationResult {
  taskId: string;
  [key: string]: unknown;
}

export interface MemberLedger {
  memberId: string;
  memberNumber: number;
  /** What the member owes (+) or has in credit (−). */
  balanceCents: number;
  creditCents: number;
  paidThrough: string | null;
  openInvoices: number;
  openCents: number;
  invoices: {
    id: string;
    invoiceNumber: number;
    periodStart: string;
    periodEnd: string;
    feeYear: number;
    issuedOn: string;
    dueDate: string;
    amountCents: number;
    openCents: number;
    status: string;
    reference: string;
    rfReference: string;
    virtualBarcode: string;
    virtualBarcodeV5: string | null;
  }[];
  payments: {
    id: string;
    archiveId: string;
    bookingDate: string;
    amountCents: number;
    reversal: boolean;
    reference: string | null;
    status: string;
    unallocatedCents: number;
  }[];
  entries: {
    id: string;
    occurredOn: string;
    kind: string;
    amountCents: number;
    runningBalanceCents: number;
    invoiceId: string | null;
    bankEntryId: string | null;
    description: string | null;
    createdBy: string;
  }[];
}

export interface FeeIncomeReport {
  from: string;
  to: string;
  granularity: 'month';
  periods: { period: string; invoicedCents: number; creditedCents: number; paidCents: number; writtenOffCents: number; refundedCents: number }[];
}

export interface ReceivablesAging {
  on: string;
  buckets: { bucket: string; count: number; cents: number }[];
  total: { count: number; cents: number };
}
