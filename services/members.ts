import { recordAudit } from '../db/repositories/audit';
import { readMemberOverviewAudited } from '../db/repositories/memberOverview';
import * as membersRepo from '../db/repositories/members';
import * as search from '../db/repositories/memberSearch';
import * as personsRepo from '../db/repositories/persons';
import { parseMemberQuery, prefixRange } from '../domain/membership/memberQuery';
import { periodsCountingAfterExpulsion } from '../domain/expulsion/consequences';
import { membershipConditionMonths } from '../domain/membership/membershipCondition';
import { holdsDays } from '../domain/membership/membershipRead';
import { memberStatus, storedMembershipStatus } from '../domain/membership/periods';
import { isRecent } from '../domain/membership/recentChanges';
import type { ServiceContext } from './context';
import { feeSummaryOf } from './ledger';
import { failure, notFound, queryTooShort } from './errors';
import { actorOf, hasRole, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';
import { temporalProcessLink, temporalProcessesLink } from './temporalUi';

/** Roles that may open a member's data at all. */
const memberReaders = ['caseworker', 'supervisor', 'billing', 'admin'] as const;

export function requireMemberReader(p: Principal) {
  if (!hasRole(p, ...memberReaders)) throw failure(403, 'member_read_role_required', 'Your role may not read member data.');
}

/** A non-disclosed address is shown only to supervisors, who handle such cases. */
export function seesProtectedAddress(p: Principal): boolean {
  return hasRole(p, 'supervisor');
}

/** A confirmation link speaks for the member: the desk sees that one was sent, not its token. */
export function withoutLinkTokens(body: string): string {
  return body.replace(/(\/resign\/confirm\?token=)[^\s]+/g, '$1…');
}

/** Search by name, identity code (also earlier codes), member number or reference number. */
/** A person's ways of contact and delivery preferences, as the desk and e-services show them. */
export function contactView(person: Pick<personsRepo.PersonRow, 'email' | 'phone' | 'deliveryChannel' | 'eInvoiceAddress' | 'eInvoiceOperator' | 'eInvoiceConsent' | 'smsConsent'>) {
  return {
    email: person.email,
    phone: person.phone,
    deliveryChannel: person.deliveryChannel,
    eInvoice: { address: person.eInvoiceAddress, operator: person.eInvoiceOperator, consent: person.eInvoiceConsent },
    smsConsent: person.smsConsent,
  };
}

export async function searchMembers(ctx: ServiceContext, p: Principal, rawQuery: string, limit = 20) {
  requireMemberReader(p);
  const query = parseMemberQuery(rawQuery);
  if (!query) throw queryTooShort();
  const { kind } = query;
  // Each kind one statement that also writes the search's audit row (decision 054); the query
  // itself may be an identity code, so only its kind is audited.
  const audit: search.SearchAudit = { ...actorOf(p), kind };
  let hits: search.SearchHit[];
  if (query.kind === 'identity-code') {
    hits = await search.searchByIdentityCodeAudited(ctx.db, query.identityCode, limit, audit);
  } else if (query.kind === 'identity-code-prefix') {
    // Six digits are a birth date (DDMMYY) or a member number: show both, the numbers first.
    hits = await search.searchByIdentityCodePrefixAudited(ctx.db, prefixRange(query.prefix), query.memberNumbers, limit, audit);
  } else if (query.kind === 'number') {
    hits = await search.searchByMemberNumbersAudited(ctx.db, query.memberNumbers, limit, audit);
  } else {
    hits = await search.searchByNameAudited(ctx.db, prefixRange(query.words[0] ?? ''), query.words, limit, audit);
  }
  const today = ctx.today();
  const full = seesFullIdentityCode(p);
  return {
    kind,
    items: hits.map((h) => ({
      id: h.memberId,
      memberNumber: h.memberNumber,
      name: `${h.lastName} ${h.firstNames}`,
      identityCode: full ? h.identityCode : maskIdentityCode(h.identityCode),
      birthDate: h.birthDate,
      deceased: h.dateOfDeath !== null,
      status: storedMembershipStatus(h.periods, today),
    })),
  };
}

async function loadMember(ctx: ServiceContext, memberId: string) {
  const row = await membersRepo.findMemberWithPerson(ctx.db, memberId);
  if (!row) throw notFound(`Member ${memberId}`, 'member_not_found');
  return row;
}

function addressView(p: Principal, person: Pick<personsRepo.PersonRow, 'streetAddress' | 'nonDisclosure' | 'postalCode' | 'city' | 'country' | 'addressSource'>) {
  if (!person.streetAddress) return null;
  if (person.nonDisclosure && !seesProtectedAddress(p)) return { hidden: true as const, reason: 'non-disclosure' as const };
  return { hidden: false as const, street: person.streetAddress, postalCode: person.postalCode, city: person.city, country: person.country, source: person.addressSource };
}


/**
 * The member's overall situation on one page; every read is audited. One prepared statement
 * reads it all and writes the read's audit row (decision 049).
 */
export async function getMemberOverview(ctx: ServiceContext, p: Principal, memberId: string) {
  requireMemberReader(p);
  const now = new Date().toISOString();
  const recent = (changedAt: Date) => isRecent(changedAt.toISOString(), now, ctx.profile.membership.recentChangeWindow);
  const read = await readMemberOverviewAudited(ctx.db, memberId, actorOf(p), hasRole(p, 'supervisor', 'admin'));
  if (!read) throw notFound(`Member ${memberId}`, 'member_not_found');
  const { member, person, periods, transferred, messages: history, openTasks, applications: apps, resignations: resigns, changes, auditTrail: audit } = read;
  const { names: nameHistory, addresses: addressHistory, identityCodes: codeHistory } = read;
  const today = ctx.today();
  const fees = feeSummaryOf(read.fees, today);
  const full = seesFullIdentityCode(p);
  const protectedAddress = person.nonDisclosure && !seesProtectedAddress(p);
  const recentFields = [...new Set(changes.filter((c) => recent(c.changedAt)).map((c) => c.field))];
  return {
    id: member.id,
    memberNumber: member.memberNumber,
    status: memberStatus({ periods, dateOfDeath: person.dateOfDeath }, today),
    channel: member.channel,
    unionCode: member.unionCode,
    eligibilityBasis: member.eligibilityBasis,
    person: {
      id: person.id,
      identityCode: full ? person.identityCode : maskIdentityCode(person.identityCode),
      earlierIdentityCodes: codeHistory.filter((c) => !c.active).map((c) => (full ? c.identityCode : maskIdentityCode(c.identityCode))),
      firstNames: person.firstNames,
      lastName: person.lastName,
      birthDate: person.birthDate,
      language: person.language,
      nonDisclosure: person.nonDisclosure,
      dateOfDeath: person.dateOfDeath,
      deathDatePrecision: person.deathDatePrecision,
      municipality: person.municipality,
    },
    contact: contactView(person),
    address: addressView(p, person),
    nameHistory: nameHistory.map((n) => ({ firstNames: n.firstNames, lastName: n.lastName, validFrom: n.validFrom, source: n.source })),
    addressHistory: protectedAddress
      ? []
      : addressHistory.map((a) => ({ kind: a.kind, street: a.street, postalCode: a.postalCode, city: a.city, country: a.country, source: a.source, validFrom: a.validFrom, validTo: a.validTo })),
    periods: periods.map((x) => ({ startDate: x.startDate, endDate: x.endDate, endReason: x.endReason })),
    transferredPeriods: transferred.map((x) => ({ fundName: x.fundName, fundBusinessId: x.fundBusinessId, startDate: x.startDate, endDate: x.endDate, paidThrough: x.paidThrough })),
    // A period cut to nothing (an ending recorded before its start) holds no day; the rule refuses it. An
    // expulsion takes the accrued membership with it (domain.md §1.4).
    membershipCondition: membershipConditionMonths(periodsCountingAfterExpulsion(periods.filter(holdsDays), transferred), today),
    fees,
    openTasks: openTasks.map((t) => ({ id: t.id, kind: t.kind, title: t.title, priority: t.priority, dueAt: t.dueAt.toISOString(), claimedBy: t.claimedByName })),
    processes: [
      ...apps.map((a) => ({ kind: 'application-intake', id: a.id, workflowId: a.workflowId, status: a.status, startedAt: a.createdAt.toISOString(), link: temporalProcessLink(ctx, a.workflowId) })),
      ...resigns.map((r) => ({ kind: r.kind, id: r.id, workflowId: r.workflowId, status: r.status, startedAt: r.createdAt.toISOString(), link: temporalProcessLink(ctx, r.workflowId) })),
    ],
    /** Every process about the member (payments, hearings, reviews too) in the Temporal UI, by the MemberId search attribute. */
    processesLink: temporalProcessesLink(ctx, { memberId }),
    resignations: resigns.map((r) => ({
      id: r.id,
      kind: r.kind,
      receivedOn: r.receivedOn,
      requestedEndDate: r.requestedEndDate,
      endDate: r.endDate,
      feeOwedUntil: r.feeOwedUntil,
      status: r.status,
      newFund: r.newFund,
      channel: r.channel,
      confirmationExpiresAt: r.confirmationExpiresAt?.toISOString() ?? null,
      decidedBy: r.decidedBy,
      decisionReason: r.decisionReason,
      withdrawalReason: r.withdrawalReason,
    })),
    messages: history.map((m) => ({ id: m.id, kind: m.kind, subject: m.subject, body: withoutLinkTokens(m.body), status: m.status, channel: m.channel, createdAt: m.createdAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null })),
    changes: changes.map((c) => ({
      field: c.field,
      effectiveFrom: c.effectiveFrom,
      changedAt: c.changedAt.toISOString(),
      changedBy: c.changedBy,
      reason: c.reason,
      reasonCode: c.reasonCode,
      reasonParams: c.reasonParams,
      recent: recent(c.changedAt),
    })),
    recentlyChanged: recentFields,
    auditTrail: audit?.map((a) => ({ at: a.at.toISOString(), actor: a.actor, actorKind: a.actorKind, action: a.action, details: a.details })) ?? null,
  };
}

/** The member page of the first slice, kept for integrations that read it. */
export async function getMember(ctx: ServiceContext, p: Principal, memberId: string) {
  const o = await getMemberOverview(ctx, p, memberId);
  return {
    id: o.id,
    memberNumber: o.memberNumber,
    status: o.status,
    channel: o.channel,
    unionCode: o.unionCode,
    eligibilityBasis: o.eligibilityBasis,
    person: { ...o.person, email: o.contact.email, phone: o.contact.phone, address: o.address },
    periods: o.periods,
    messages: o.messages,
  };
}

export interface ContactChangeInput {
  reason: string;
  effectiveFrom?: string;
  email?: string | null;
  phone?: string | null;
  language?: 'fi' | 'sv' | 'en';
  deliveryChannel?: 'letter' | 'email' | 'sms' | 'e-invoice';
  eInvoiceAddress?: string | null;
  eInvoiceOperator?: string | null;
  eInvoiceConsent?: boolean;
  smsConsent?: boolean;
  address?: { street: string; postalCode: string; city: string; country?: string };
}

/** A caseworker records contact data the member gave; effective-dated, with who and why. */
export async function changeMemberContact(ctx: ServiceContext, p: Principal, memberId: string, input: ContactChangeInput) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw failure(403, 'member_change_role_required', 'Only caseworkers may change member data.');
  const { person } = await loadMember(ctx, memberId);
  return applyContactChange(ctx, p, person, memberId, input);
}

/**
 * Records a contact change with the rules every channel shares (the desk, e-services): delivery
 * needs its address, the change log says who, why and from when, and the audit names the actor.
 */
export async function applyContactChange(ctx: ServiceContext, p: Principal, person: personsRepo.PersonRow, memberId: string, input: ContactChangeInput) {
  const { reason, effectiveFrom, address, ...contact } = input;
  if (contact.deliveryChannel === 'e-invoice' && !(contact.eInvoiceAddress ?? person.eInvoiceAddress)) {
    throw failure(400, 'einvoice_address_required', 'E-invoice delivery needs an e-invoice address and operator.', { extra: { invalidParams: [{ name: 'eInvoiceAddress', reason: 'is required for e-invoice delivery' }] } });
  }
  if (contact.deliveryChannel === 'sms' && !(contact.phone ?? person.phone)) {
    throw failure(400, 'sms_phone_required', 'SMS delivery needs a phone number.', { extra: { invalidParams: [{ name: 'phone', reason: 'is required for SMS delivery' }] } });
  }
  const actor = actorOf(p);
  const change = { by: actor.actor, reason, effectiveFrom: effectiveFrom ?? ctx.today(), memberId };
  const changed = await ctx.db.transaction(async (tx) => {
    const fields = await personsRepo.changeContact(tx, person, contact, change);
    if (address) {
      await personsRepo.changeAddress(tx, person, address, { ...change, source: 'member' });
      fields.push('address');
    }
    if (fields.length) {
      await recordAudit(tx, { ...actor, action: 'member.changed', entityType: 'member', entityId: memberId, details: { fields, reason } });
    }
    return fields;
  });
  return { changed };
}

