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

export interface TaskDetail {
  task: TaskView;
  application: ApplicationReview | null;
}

export interface DecisionResult {
  taskId: string;
  outcome: 'approved' | 'rejected';
}

export interface MemberView {
  id: string;
  memberNumber: number;
  status: 'active' | 'starting' | 'ended';
  channel: string;
  unionCode: string | null;
  eligibilityBasis: string | null;
  person: {
    identityCode: string;
    firstNames: string;
    lastName: string;
    birthDate: string;
    language: string;
    email: string | null;
    phone: string | null;
    address: { street: string; postalCode: string | null; city: string | null; country: string | null } | null;
  };
  periods: { startDate: string; endDate: string | null; endReason: string | null }[];
  messages: {
    id: string;
    kind: string;
    subject: string;
    body: string;
    status: string;
    channel: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
}

export interface InvalidParam {
  name: string;
  reason: string;
}
