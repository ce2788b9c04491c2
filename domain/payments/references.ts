/**
 * The references on an incoming payment, read against the register: which member and which
 * invoice each points to (domain.md §3.6).
 */
import { parseMemberReference } from '../billing/referenceNumber';
import { isCanonicalNationalReference } from '../billing/nationalReference';

/**
 * The national form of a reference as stored on a bank entry (digits, or an RF reference in upper
 * case without spaces): an RF built from a national one carries it after 'RFkk'. Null for an RF
 * reference that does not wrap a valid national one.
 */
export function nationalReferenceOf(reference: string): string | null {
  if (reference.startsWith('RF')) {
    const body = reference.slice(4).replace(/^0+/, '');
    return isCanonicalNationalReference(body) ? body : null;
  }
  return reference;
}

/** What the register knows about the references of a batch of payments. */
export interface ReferenceLookup {
  /** The member whose invoice carries this national reference (any status). */
  memberOfInvoiceReference(national: string): string | undefined;
  /** The member with this member number. */
  memberOfNumber(memberNumber: number): string | undefined;
}

/** A reference on a payment, as the register resolved it. */
export interface ResolvedReference {
  /** The member the reference points to. */
  memberId: string;
  /**
   * The national reference when one of the member's invoices carries it; null when it names only
   * the member (the permanent reference, or a period reference no invoice carries).
   */
  invoiceReference: string | null;
}

/**
 * Whom a reference points to: the member of the invoice that carries it, else the member its
 * digits name (parseMemberReference). Null when neither is known.
 */
export function resolveReference(reference: string, lookup: ReferenceLookup): ResolvedReference | null {
  const national = nationalReferenceOf(reference);
  const byInvoice = national === null ? undefined : lookup.memberOfInvoiceReference(national);
  if (byInvoice !== undefined) return { memberId: byInvoice, invoiceReference: national };
  const parsed = parseMemberReference(reference);
  const byNumber = parsed ? lookup.memberOfNumber(parsed.memberNumber) : undefined;
  return byNumber === undefined ? null : { memberId: byNumber, invoiceReference: null };
}

/** The national references and member numbers to look up for these references (resolveReference's inputs). */
export function referenceKeys(references: Iterable<string>): { nationals: string[]; memberNumbers: number[] } {
  const nationals = new Set<string>();
  const memberNumbers = new Set<number>();
  for (const reference of references) {
    const national = nationalReferenceOf(reference);
    if (national !== null) nationals.add(national);
    const parsed = parseMemberReference(reference);
    if (parsed) memberNumbers.add(parsed.memberNumber);
  }
  return { nationals: [...nationals], memberNumbers: [...memberNumbers] };
}
