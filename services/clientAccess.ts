/**
 * Which members a caller may read: the row filter of each system, enforced here in the service
 * (never left to the client). The scope (checked at the edge and again here) says which
 * operations a client may call; the row filter says whose data they answer with.
 * docs/decisions/016-member-read-api.md.
 */
import { findPersonByAnyIdentityCode } from '../db/repositories/persons';
import * as membersRepo from '../db/repositories/members';
import type { ServiceContext } from './context';
import { failure } from './errors';
import type { Principal } from './principal';

/**
 * The systems that read members, by the `channel` claim of their token (set per client at the
 * fund's IdP; the dev IdP's clients are in integrations/dev-idp/fixtures.ts):
 * - `benefits` (EKJ): every member; it decides allowances for anyone who applies.
 * - `union`: only members whose union is the token's `union_code`; others look like non-members.
 * - `e-services`: only the member logged in to the e-service, named in `subjectIdentityCode`.
 * Any other system reads no member, whatever scopes it holds.
 */
export const clientRowFilters: Readonly<Record<string, 'all' | 'own-union' | 'subject'>> = {
  benefits: 'all',
  union: 'own-union',
  'e-services': 'subject',
};

export type RowFilter =
  | { kind: 'all' }
  | { kind: 'own-union'; unionCode: string }
  /** The member the e-service's logged-in person is; null when that person is no member. */
  | { kind: 'subject'; memberId: string | null };

export const subjectRequired = () =>
  failure(400, 'subject_required', 'subjectIdentityCode: e-services must name the authenticated member (their identity code) in the request.', {
    invalidParams: [{ name: 'subjectIdentityCode', reason: 'required: the identity code of the member who is logged in to the e-service', code: 'subject_required' }],
  });

/** The member id of a person named by any of their identity codes, or null. */
export async function memberIdOfIdentityCode(ctx: ServiceContext, identityCode: string): Promise<string | null> {
  const person = await findPersonByAnyIdentityCode(ctx.db, identityCode.trim().toUpperCase());
  return (person ? await membersRepo.findMemberIdOfPerson(ctx.db, person.id) : undefined) ?? null;
}

/** The caller's row filter; a desk user (whose role the edge checked) sees every member. */
export async function rowFilterFor(ctx: ServiceContext, p: Principal, subjectIdentityCode: string | undefined): Promise<RowFilter> {
  if (p.kind === 'user') return { kind: 'all' };
  if (p.kind !== 'client') throw failure(403, 'forbidden', 'Sign in, or send a bearer token.');
  switch (clientRowFilters[p.channel]) {
    case 'all':
      return { kind: 'all' };
    case 'own-union':
      if (!p.unionCode) throw failure(403, 'union_code_missing', "This union client's token carries no union_code claim; ask the fund to configure the client's union.");
      return { kind: 'own-union', unionCode: p.unionCode };
    case 'subject':
      if (!subjectIdentityCode) throw subjectRequired();
      return { kind: 'subject', memberId: await memberIdOfIdentityCode(ctx, subjectIdentityCode) };
    default:
      throw failure(403, 'client_may_not_read_members', `The client ${p.id} (system ${p.channel}) is not configured to read members.`, { params: { channel: p.channel } });
  }
}

/** Whether the filter lets the caller see this member. */
export function rowVisible(filter: RowFilter, member: { memberId: string; unionCode: string | null }): boolean {
  switch (filter.kind) {
    case 'all':
      return true;
    case 'own-union':
      return member.unionCode === filter.unionCode;
    case 'subject':
      return filter.memberId !== null && member.memberId === filter.memberId;
  }
}
