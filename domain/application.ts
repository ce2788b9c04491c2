import * as text from './applicationFindings';
import { isEmailAddress, isPhoneNumber } from './contact';
import { isPlainName } from './text';
import { addMonths, ageOn, compareDates, isIsoDate, maxDate } from './dates';
import type { FundProfile } from './fundProfile';
import { parseIdentityCode } from './identityCode';
import type { Language, Localized } from './localized';

/** A membership application as the applicant (or their union) filled it in. */
export interface ApplicationData {
  identityCode: string;
  firstNames: string;
  lastName: string;
  language: Language;
  email?: string;
  phone?: string;
  address?: { street: string; postalCode: string; city: string; country?: string };
  employment: {
    status: 'employed' | 'unemployed' | 'laid-off' | 'unpaid-leave' | 'entrepreneur';
    employer?: string;
    startedOn?: string;
    entrepreneurSince?: string;
  };
  eligibility?: { basis: 'degree' | 'occupation' | 'student'; degree?: string; occupation?: string };
  requestedStartDate?: string;
  previousFund?: { name: string; endedOn?: string; resignationAuthorisation: boolean };
  unionCode?: string;
}

/**
 * 'missing': the applicant can fix it (goes into a completion request);
 * 'doubt': a caseworker must look; 'blocker': the application cannot be approved as it stands.
 */
export type FindingSeverity = 'missing' | 'doubt' | 'blocker';

export interface Finding {
  code: string;
  severity: FindingSeverity;
  field?: string;
  message: Localized;
}

export interface ExistingMembership {
  memberId: string;
  startDate: string;
  endDate: string | null;
}

export interface ValidationContext {
  profile: FundProfile;
  /** The day the application reached the fund or the union, whichever was first. */
  receivedOn: string;
  /** The processing day; passed in because domain code never reads the clock. */
  today: string;
  /** This person's memberships in this fund. */
  memberships: ExistingMembership[];
  /** Other undecided applications with the same identity code. */
  otherOpenApplications: number;
}

export interface ValidationResult {
  outcome: 'clean' | 'incomplete' | 'needs-review';
  startDate: string;
  findings: Finding[];
}

/**
 * Membership begins on the requested day, but by law (3 §) never before the application was
 * received, so an earlier request is moved to the day of receipt. No retroactive joining.
 */
export function membershipStartDate(receivedOn: string, requestedStartDate?: string): string {
  requireDate(receivedOn, 'receivedOn');
  if (requestedStartDate === undefined) return receivedOn;
  requireDate(requestedStartDate, 'requestedStartDate');
  return maxDate(receivedOn, requestedStartDate);
}

/**
 * Checks an application against the law and the fund's profile. Never throws on what the
 * applicant wrote (that becomes a finding); throws only on a malformed context, which is a bug.
 */
export function validateApplication(data: ApplicationData, ctx: ValidationContext): ValidationResult {
  requireDate(ctx.receivedOn, 'receivedOn');
  requireDate(ctx.today, 'today');

  const findings: Finding[] = [];
  const add = (code: string, severity: FindingSeverity, message: Localized, field?: string): void => {
    findings.push(field === undefined ? { code, severity, message } : { code, severity, field, message });
  };

  const requested = present(data.requestedStartDate);
  const requestedValid = requested !== undefined && isIsoDate(requested);
  if (requested !== undefined && !requestedValid) {
    add('start-date-invalid', 'missing', text.startDateInvalid(requested), 'requestedStartDate');
  }
  const startDate = membershipStartDate(ctx.receivedOn, requestedValid ? requested : undefined);
  if (requestedValid && compareDates(requested, addMonths(ctx.receivedOn, 12)) > 0) {
    add('start-date-far', 'doubt', text.startDateFar(requested, ctx.receivedOn), 'requestedStartDate');
  }

  checkPerson(data, ctx, startDate, add);
  checkEmployment(data, add);
  if (ctx.profile.scope === 'higher-education') checkEligibility(data, add);
  checkContact(data, add);
  checkHistory(data, ctx, startDate, add);

  return { outcome: outcomeOf(findings), startDate, findings };
}

/** The 'missing' findings as a bullet list in `lang`, for the {{missing}} of a completion request. */
export function missingFieldsSummary(findings: Finding[], lang: Language): string {
  const lines = findings.filter((f) => f.severity === 'missing').map((f) => `- ${f.message[lang]}`);
  return [...new Set(lines)].join('\n');
}

/**
 * The priority of the caseworker's review task (1 is the most urgent): the fund's own, one step
 * more urgent when a finding blocks approval outright, never above 1.
 */
export function reviewTaskPriority(findings: readonly Finding[], basePriority: number): number {
  return Math.max(1, basePriority - (findings.some((f) => f.severity === 'blocker') ? 1 : 0));
}

type Add = (code: string, severity: FindingSeverity, message: Localized, field?: string) => void;

function checkPerson(data: ApplicationData, ctx: ValidationContext, startDate: string, add: Add): void {
  if (present(data.firstNames) === undefined) add('first-names-missing', 'missing', text.firstNamesMissing, 'firstNames');
  if (present(data.lastName) === undefined) add('last-name-missing', 'missing', text.lastNameMissing, 'lastName');
  // Markup or unusual characters in a name render safely, but a person looks before it is a member's name.
  for (const field of ['firstNames', 'lastName'] as const) {
    const name = present(data[field]);
    if (name !== undefined && !isPlainName(name)) add('name-characters', 'doubt', text.nameCharacters, field);
  }

  // Temporary codes (900–999) are deliberately accepted: all demo and DVV test data uses them.
  const parsed = parseIdentityCode(data.identityCode);
  if (!parsed.ok) {
    add('identity-code-invalid', 'blocker', text.identityCodeInvalid(data.identityCode, parsed.issue), 'identityCode');
    return;
  }
  const age = ageOn(parsed.value.birthDate, startDate);
  if (age >= ctx.profile.maxJoinAge) {
    add('age-limit', 'blocker', text.ageLimit(age, ctx.profile.maxJoinAge, startDate), 'identityCode');
  }
}

function checkEmployment(data: ApplicationData, add: Add): void {
  const { status, employer, entrepreneurSince } = data.employment;
  switch (status) {
    case 'employed':
      if (present(employer) === undefined) add('employer-missing', 'missing', text.employerMissing, 'employment.employer');
      return;
    case 'entrepreneur': {
      const since = present(entrepreneurSince);
      add('entrepreneur', 'doubt', text.entrepreneur(since !== undefined && isIsoDate(since) ? since : undefined), 'employment.status');
      return;
    }
    default:
      add('not-employed', 'blocker', text.notEmployed(status), 'employment.status');
  }
}

function checkEligibility(data: ApplicationData, add: Add): void {
  const eligibility = data.eligibility;
  if (eligibility === undefined) {
    add('eligibility-missing', 'missing', text.eligibilityMissing, 'eligibility');
    return;
  }
  switch (eligibility.basis) {
    case 'degree':
      if (present(eligibility.degree) === undefined) add('degree-missing', 'missing', text.degreeMissing, 'eligibility.degree');
      return;
    case 'occupation':
      if (present(eligibility.occupation) === undefined) {
        add('occupation-missing', 'missing', text.occupationMissing, 'eligibility.occupation');
      }
      return;
    case 'student':
      add('student-eligibility', 'doubt', text.studentEligibility, 'eligibility.basis');
  }
}

function checkContact(data: ApplicationData, add: Add): void {
  const email = present(data.email);
  const phone = present(data.phone);
  if (email === undefined && phone === undefined && data.address === undefined) {
    add('contact-missing', 'missing', text.contactMissing);
  }
  if (email !== undefined && !isEmailAddress(email)) add('email-invalid', 'missing', text.emailInvalid(email), 'email');
  if (phone !== undefined && !isPhoneNumber(phone)) add('phone-invalid', 'missing', text.phoneInvalid(phone), 'phone');
}

function checkHistory(data: ApplicationData, ctx: ValidationContext, startDate: string, add: Add): void {
  for (const m of ctx.memberships) {
    if (m.endDate === null || compareDates(m.endDate, startDate) >= 0) {
      add('already-member', 'blocker', text.alreadyMember(m.memberId, m.startDate, m.endDate, startDate));
    }
  }
  if (ctx.otherOpenApplications > 0) {
    add('duplicate-application', 'doubt', text.duplicateApplication(ctx.otherOpenApplications));
  }

  const previous = data.previousFund;
  if (previous !== undefined) {
    if (previous.resignationAuthorisation) {
      add('previous-fund-authorisation', 'doubt', text.previousFundAuthorisation(previous.name, startDate), 'previousFund');
    } else {
      const endedOn = present(previous.endedOn);
      add('previous-fund', 'doubt', text.previousFund(previous.name, endedOn !== undefined && isIsoDate(endedOn) ? endedOn : undefined, startDate), 'previousFund');
    }
  }

  // The form offers only the fund's own unions, so another code is a caseworker question.
  const unionCode = present(data.unionCode);
  if (unionCode !== undefined && !ctx.profile.unions.some((u) => u.code === unionCode)) {
    add('union-unknown', 'doubt', text.unionUnknown(unionCode, ctx.profile.unions.map((u) => u.code)), 'unionCode');
  }
}

function outcomeOf(findings: Finding[]): ValidationResult['outcome'] {
  if (findings.length === 0) return 'clean';
  return findings.every((f) => f.severity === 'missing') ? 'incomplete' : 'needs-review';
}

/** The trimmed value, or undefined for an absent or blank one. */
function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function requireDate(value: string, name: string): void {
  if (!isIsoDate(value)) throw new Error(`${name} must be a date YYYY-MM-DD, got "${value}"`);
}
