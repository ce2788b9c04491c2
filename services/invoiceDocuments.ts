/** Invoice reprints: GET /api/v1/invoices/{id}/pdf (the letter's PDF, as the billing run sent it). */
import { recordAudit } from '../db/repositories/audit';
import { findInvoiceWithPerson } from '../db/repositories/billing';
import { TransformError } from '../integrations/transforms/errors';
import { buildInvoiceDocument, invoiceLanguage, invoicePdfFilename } from '../integrations/transforms/invoiceDocument';
import { renderInvoicePdf } from '../integrations/transforms/invoicePdf';
import type { ServiceContext } from './context';
import { failure, notFound } from './errors';
import { seesProtectedAddress } from './members';
import { actorOf, hasRole, type Principal } from './principal';

/** Roles that may reprint an invoice; every reprint is audited (it shows the member's name and address). */
const invoicePdfReaders = ['billing', 'caseworker'] as const;

/**
 * An issued invoice as the PDF letter, for a reprint. The address is left out when it is protected
 * and the caller may not see it (seesProtectedAddress). Audited as `invoice.pdf-read`.
 */
export async function getInvoicePdf(ctx: ServiceContext, p: Principal, invoiceId: string): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  if (!hasRole(p, ...invoicePdfReaders)) throw failure(403, 'invoice_pdf_role_required', 'Invoice PDFs are for billing users and caseworkers.');
  const row = await findInvoiceWithPerson(ctx.db, invoiceId);
  if (!row) throw notFound(`Invoice ${invoiceId}`, 'invoice_not_found');
  const { invoice, person } = row;
  const withAddress = !person.nonDisclosure || seesProtectedAddress(p);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = renderInvoicePdf(buildInvoiceDocument(invoice, person, ctx.profile, { withAddress }));
  } catch (error) {
    if (error instanceof TransformError) throw failure(422, 'invoice_not_printable', `Invoice ${invoice.invoiceNumber} cannot be printed: ${error.message}`, { params: { invoiceNumber: invoice.invoiceNumber } });
    throw error;
  }
  await recordAudit(ctx.db, { ...actorOf(p), action: 'invoice.pdf-read', entityType: 'invoice', entityId: invoice.id, details: { memberId: invoice.memberId, withAddress } });
  return { filename: invoicePdfFilename(invoice, invoiceLanguage(person)), bytes };
}
