import { recordAudit } from '../db/repositories/audit';
import { findMemberView } from '../db/repositories/members';
import type { ServiceContext } from './context';
import { forbidden, notFound } from './errors';
import { actorOf, hasRole, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';

/** Roles that may open a member's data at all. */
const memberReaders = ['caseworker', 'supervisor', 'billing', 'admin'] as const;

/** The member's data, periods and message history; every read is audited. */
export async function getMember(ctx: ServiceContext, p: Principal, memberId: string) {
  if (!hasRole(p, ...memberReaders)) throw forbidden('Your role may not read member data.');
  const view = await findMemberView(ctx.db, memberId);
  if (!view) throw notFound(`Member ${memberId}`);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.read', entityType: 'member', entityId: memberId });
  const { person, member } = view;
  const today = ctx.today();
  const current = view.periods.find((period) => period.startDate <= today && (period.endDate === null || period.endDate >= today));
  const upcoming = view.periods.find((period) => period.startDate > today);
  return {
    id: member.id,
    memberNumber: member.memberNumber,
    status: current ? 'active' : upcoming ? 'starting' : 'ended',
    channel: member.channel,
    unionCode: member.unionCode,
    eligibilityBasis: member.eligibilityBasis,
    person: {
      identityCode: seesFullIdentityCode(p) ? person.identityCode : maskIdentityCode(person.identityCode),
      firstNames: person.firstNames,
      lastName: person.lastName,
      birthDate: person.birthDate,
      language: person.language,
      email: person.email,
      phone: person.phone,
      address: person.streetAddress
        ? { street: person.streetAddress, postalCode: person.postalCode, city: person.city, country: person.country }
        : null,
    },
    periods: view.periods.map((period) => ({ startDate: period.startDate, endDate: period.endDate, endReason: period.endReason })),
    messages: view.messages.map((m) => ({
      id: m.id,
      kind: m.kind,
      subject: m.subject,
      body: m.body,
      status: m.status,
      channel: m.channel,
      createdAt: m.createdAt.toISOString(),
      sentAt: m.sentAt?.toISOString() ?? null,
    })),
  };
}
