import * as applicationsRepo from '../db/repositories/applications';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as personsRepo from '../db/repositories/persons';
import * as tasksRepo from '../db/repositories/tasks';
import { entrepreneurLimitDate } from '../domain/membership/entrepreneur';
import { memberStatus, type MemberStatus } from '../domain/membership/periods';
import type { ServiceContext } from './context';
import { failure, notFound } from './errors';
import { seesProtectedAddress } from './members';
import { actorOf, hasRole, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';

/*
 * The caseworker tasks about a member rather than an application: an address conflict with the
 * population register and an eligibility review. Each read is the member's data and is audited as
 * a member read, like the overview.
 */

export interface ReviewMember {
  id: string;
  memberNumber: number;
  firstNames: string;
  lastName: string;
  identityCode: string;
  birthDate: string;
  status: MemberStatus;
  nonDisclosure: boolean;
}

export type ReviewAddress =
  | { hidden: false; kind: string | null; street: string; postalCode: string | null; city: string | null; country: string | null; source: string | null; validFrom: string | null }
  | { hidden: true; reason: 'non-disclosure' };

export interface AddressConflictReview {
  member: ReviewMember;
  /** The address on record now: while the conflict is open, the one the member gave. */
  current: ReviewAddress | null;
  /** The population register's newest address: what "adopt" makes current. */
  register: (ReviewAddress & { recordedAt?: string }) | null;
}

export interface EligibilityReview {
  member: ReviewMember;
  /** Why the review was opened (the task's title), e.g. `entrepreneur-over-limit`. */
  reason: string;
  /** The ground in doubt: `entrepreneur` for the 18-month rule. */
  basis: string;
  /** The basis recorded on the membership itself (degree, occupation, …), if any. */
  eligibilityBasis: string | null;
  entrepreneurSince: string | null;
  limitMonths: number;
  /** The last day within the limit (entrepreneurLimitDate); the review is due after it. */
  limitDate: string | null;
  periods: { startDate: string; endDate: string | null; endReason: string | null }[];
}

function requireReviewer(p: Principal) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw failure(403, 'member_review_role_required', 'Only caseworkers and supervisors may review tasks about members.');
}

/** The task of this kind, or a 404 that does not tell other kinds apart from missing tasks. */
async function loadMemberTask(ctx: ServiceContext, taskId: string, kind: 'address-conflict' | 'eligibility-review') {
  const task = await tasksRepo.findTask(ctx.db, taskId);
  if (!task || task.kind !== kind || task.subjectType !== 'member') throw notFound(`Task ${taskId}`, 'task_not_found');
  return task;
}

async function loadMember(ctx: ServiceContext, memberId: string) {
  const row = await membersRepo.findMemberWithPerson(ctx.db, memberId);
  if (!row) throw notFound(`Member ${memberId}`, 'member_not_found');
  const periods = await membersRepo.periodsOfMember(ctx.db, memberId);
  return { ...row, periods };
}

function reviewMember(ctx: ServiceContext, p: Principal, row: Awaited<ReturnType<typeof loadMember>>): ReviewMember {
  const { member, person, periods } = row;
  return {
    id: member.id,
    memberNumber: member.memberNumber,
    firstNames: person.firstNames,
    lastName: person.lastName,
    identityCode: seesFullIdentityCode(p) ? person.identityCode : maskIdentityCode(person.identityCode),
    birthDate: person.birthDate,
    status: memberStatus({ periods, dateOfDeath: person.dateOfDeath }, ctx.today()),
    nonDisclosure: person.nonDisclosure,
  };
}

async function auditRead(ctx: ServiceContext, p: Principal, memberId: string, task: tasksRepo.TaskRow) {
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.read', entityType: 'member', entityId: memberId, details: { view: 'task', kind: task.kind, taskId: task.id } });
}

/** The member's own address beside the population register's, for the caseworker who decides between them. */
export async function getAddressConflictReview(ctx: ServiceContext, p: Principal, taskId: string): Promise<AddressConflictReview> {
  requireReviewer(p);
  const task = await loadMemberTask(ctx, taskId, 'address-conflict');
  const row = await loadMember(ctx, task.subjectId);
  const { person } = row;
  const registered = await personsRepo.latestRegisterAddress(ctx.db, person.id);
  await auditRead(ctx, p, row.member.id, task);
  // A non-disclosed address stays with the supervisors, here as on the overview.
  const hidden = person.nonDisclosure && !seesProtectedAddress(p);
  const protectedAddress = { hidden: true as const, reason: 'non-disclosure' as const };
  return {
    member: reviewMember(ctx, p, row),
    current: !person.streetAddress
      ? null
      : hidden
        ? protectedAddress
        : { hidden: false, kind: null, street: person.streetAddress, postalCode: person.postalCode, city: person.city, country: person.country, source: person.addressSource, validFrom: null },
    register: !registered
      ? null
      : hidden
        ? protectedAddress
        : {
            hidden: false,
            kind: registered.kind,
            street: registered.street,
            postalCode: registered.postalCode,
            city: registered.city,
            country: registered.country,
            source: registered.source,
            validFrom: registered.validFrom,
            recordedAt: registered.recordedAt.toISOString(),
          },
  };
}

/** The reviewed member's periods and the ground in doubt: for an entrepreneur, since when and where the limit fell. */
export async function getEligibilityReview(ctx: ServiceContext, p: Principal, taskId: string): Promise<EligibilityReview> {
  requireReviewer(p);
  const task = await loadMemberTask(ctx, taskId, 'eligibility-review');
  const row = await loadMember(ctx, task.subjectId);
  // The sweep reads the same thing: the entrepreneur's start in the approved application.
  const app = await applicationsRepo.latestApprovedApplicationOfMember(ctx.db, row.member.id);
  await auditRead(ctx, p, row.member.id, task);
  const employment = app?.data.employment;
  const since = employment?.status === 'entrepreneur' ? (employment.entrepreneurSince ?? null) : null;
  const limitMonths = ctx.profile.membership.entrepreneurMaxMonths;
  return {
    member: reviewMember(ctx, p, row),
    reason: task.title,
    basis: task.title.startsWith('entrepreneur') ? 'entrepreneur' : task.title,
    eligibilityBasis: row.member.eligibilityBasis,
    entrepreneurSince: since,
    limitMonths,
    limitDate: since ? entrepreneurLimitDate(since, limitMonths) : null,
    periods: row.periods.map((x) => ({ startDate: x.startDate, endDate: x.endDate, endReason: x.endReason })),
  };
}
