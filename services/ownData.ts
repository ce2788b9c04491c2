/**
 * The member's own data for e-services, and the changes the member makes there. The e-service
 * names the member logged in to it (`subjectIdentityCode`, as for resignations: decision 007);
 * that member is the only row it can read or change. docs/decisions/016-member-read-api.md.
 */
import { recordAudit } from '../db/repositories/audit';
import * as ledgerRepo from '../db/repositories/ledger';
import * as readRepo from '../db/repositories/membershipRead';
import * as messagesRepo from '../db/repositories/messages';
import { findPersonByAnyIdentityCode, type PersonRow } from '../db/repositories/persons';
import { clientRowFilters } from './clientAccess';
import type { ServiceContext } from './context';
import { failure, forbidden, notFound } from './errors';
import { applyContactChange, contactView, withoutLinkTokens, type ContactChangeInput } from './members';
import { membershipView } from './membershipRead';
import { actorOf, hasScope, type Principal } from './principal';

/** The change log's reason for what the member changed themself. */
export const OWN_CHANGE_REASON = 'Changed by the member in e-services';

function requireOwnDataClient(p: Principal, scope: 'own-data:read' | 'own-data:write') {
  if (!hasScope(p, scope)) throw forbidden(`This needs the scope ${scope}.`);
  // Only a system whose row filter is the logged-in member may speak for one.
  if (p.kind !== 'client' || clientRowFilters[p.channel] !== 'subject') {
    throw failure(403, 'client_may_not_read_members', `The client ${p.kind === 'client' ? p.id : ''} is not an e-service acting for its logged-in member.`, {
      params: { channel: p.kind === 'client' ? p.channel : '' },
    });
  }
}

async function subjectMember(ctx: ServiceContext, subjectIdentityCode: string): Promise<{ person: PersonRow; record: readRepo.MembershipRecord }> {
  const person = await findPersonByAnyIdentityCode(ctx.db, subjectIdentityCode.trim().toUpperCase());
  const record = person ? await readRepo.membershipOfPerson(ctx.db, person.id) : null;
  if (!person || !record) throw notFound('The member');
  return { person, record };
}

/** Contact, delivery preferences, membership, invoices with barcodes, payments and letters sent: audited as a read of the member. */
export async function readOwnData(ctx: ServiceContext, p: Principal, input: { subjectIdentityCode: string; on?: string }) {
  requireOwnDataClient(p, 'own-data:read');
  const { person, record } = await subjectMember(ctx, input.subjectIdentityCode);
  const memberId = record.memberId;
  const [invoiceRows, payments, letters] = await Promise.all([ledgerRepo.memberInvoices(ctx.db, memberId), ledgerRepo.memberBankEntries(ctx.db, memberId), messagesRepo.messagesOfMember(ctx.db, memberId, 200)]);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.read', entityType: 'member', entityId: memberId, details: { view: 'own-data' } });
  const today = ctx.today();
  return {
    memberId,
    memberNumber: record.memberNumber,
    person: { firstNames: person.firstNames, lastName: person.lastName, language: person.language },
    contact: {
      ...contactView(person),
      address: person.streetAddress ? { street: person.streetAddress, postalCode: person.postalCode, city: person.city, country: person.country } : null,
      nonDisclosure: person.nonDisclosure,
    },
    membership: membershipView(record, input.on ?? today, today, null),
    invoices: invoiceRows.map((i) => ({
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      issuedOn: i.issuedOn,
      dueDate: i.dueDate,
      amountCents: i.amountCents,
      openCents: i.openCents,
      status: i.status,
      reference: i.reference,
      rfReference: i.rfReference,
      virtualBarcode: i.virtualBarcode,
      virtualBarcodeV5: i.virtualBarcodeV5,
    })),
    payments: payments.map((e) => ({ bookingDate: e.bookingDate, amountCents: e.amountCents, reversal: e.reversal, reference: e.reference })),
    letters: letters
      .filter((m) => m.status === 'sent')
      .map((m) => ({ id: m.id, kind: m.kind, subject: m.subject, body: withoutLinkTokens(m.body), channel: m.channel, sentAt: m.sentAt?.toISOString() ?? null })),
  };
}

/** The member's own contact change: the desk's service and rules, effective today, the client as the actor. */
export async function changeOwnContact(ctx: ServiceContext, p: Principal, input: Omit<ContactChangeInput, 'reason' | 'effectiveFrom'> & { subjectIdentityCode: string }) {
  requireOwnDataClient(p, 'own-data:write');
  const { subjectIdentityCode, ...change } = input;
  const { person, record } = await subjectMember(ctx, subjectIdentityCode);
  return applyContactChange(ctx, p, person, record.memberId, { ...change, reason: OWN_CHANGE_REASON });
}
