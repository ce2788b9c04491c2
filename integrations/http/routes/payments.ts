import { bodyLimit } from 'hono/body-limit';
import type { BankFileFormat } from '../../../domain/payments';
import { feeIncomeReport, journal, journalCsv, journalDay, journalDayCsv, journalReconciliationDay, journalReconciliations, receivablesAging } from '../../../services/bookkeeping';
import type { ServiceContext } from '../../../services/context';
import { getInvoicePdf } from '../../../services/invoiceDocuments';
import { createRefundPaymentFile, getMemberLedger, issueCreditNote, listRefunds, requestRefund, writeOffInvoice } from '../../../services/ledger';
import { allocatePayment, getBankEntry, getPaymentFile, importPaymentFile, MAX_PAYMENT_FILE_BYTES, MAX_PAYMENT_FILE_MIB, returnPaymentToPayer } from '../../../services/payments';
import { paymentRoutes as contract } from '../contract/payments';
import { problem } from '../problem';
import { implement } from '../routing';
import { idempotencyKeyOf } from './applications';

/**
 * The upload contract: the raw file is the body. `application/xml` (or `text/xml`) is a camt.054,
 * `text/plain` the legacy KTL reference-payment file (Latin-1 unless `charset=utf-8` is given);
 * `?filename=` names it. JSON wrappers are not accepted: a 100 MB file would grow by a third in
 * base64 and need escaping for nothing. The contract has refused other media types already.
 */
function formatOf(contentType: string | undefined): { format: BankFileFormat; charset?: string } {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((x) => x.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return { format: mediaType === 'text/plain' ? 'ktl' : 'camt054', ...(charset ? { charset } : {}) };
}

const fileLimit = bodyLimit({
  maxSize: MAX_PAYMENT_FILE_BYTES,
  onError: (c) => problem(c, 413, 'Too large', `A payment file may be at most ${MAX_PAYMENT_FILE_MIB} MiB; ask the bank to split the day into smaller files.`, { code: 'payment_file_too_large', params: { maxMiB: MAX_PAYMENT_FILE_MIB } }),
});

/** Payment files, unmatched payments, the member ledger, refunds, the bookkeeping export and fee reports. */
export function paymentRoutes(ctx: ServiceContext) {
  return [
    implement(
      contract.importPaymentFile,
      async (c, { query }) => {
        const { format, charset } = formatOf(c.req.header('content-type'));
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const { created, file } = await importPaymentFile(ctx, c.get('principal'), { bytes, format, ...(charset ? { charset } : {}), ...(query.filename ? { filename: query.filename } : {}) });
        return { status: created ? 202 : 200, json: file, headers: { Location: `/api/v1/payment-files/${file.id}` } };
      },
      { middleware: [fileLimit] },
    ),
    implement(contract.getPaymentFile, async (c, { params }) => ({ status: 200, json: await getPaymentFile(ctx, c.get('principal'), params.id) })),
    implement(contract.getBankEntry, async (c, { params }) => ({ status: 200, json: await getBankEntry(ctx, c.get('principal'), params.entryId) })),
    implement(contract.allocatePayment, async (c, { params, body }) => ({ status: 200, json: await allocatePayment(ctx, c.get('principal'), params.entryId, body) })),
    implement(contract.returnPaymentToPayer, async (c, { params, body }) => ({ status: 200, json: await returnPaymentToPayer(ctx, c.get('principal'), params.entryId, body) })),
    implement(contract.getMemberLedger, async (c, { params }) => ({ status: 200, json: await getMemberLedger(ctx, c.get('principal'), params.id) })),
    implement(contract.issueCreditNote, async (c, { params, body }) => {
      const key = c.req.header('idempotency-key') ?? body.idempotencyKey;
      const result = await issueCreditNote(ctx, c.get('principal'), params.id, { amountCents: body.amountCents, reason: body.reason, ...(key ? { idempotencyKey: idempotencyKeyOf(c, key) } : {}) });
      return { status: result.created ? 201 : 200, json: result };
    }),
    implement(contract.getInvoicePdf, async (c, { params }) => {
      const { filename, bytes } = await getInvoicePdf(ctx, c.get('principal'), params.id);
      // It carries a member's name and address: no shared caches.
      return { status: 200, body: bytes, contentType: 'application/pdf', headers: { 'Content-Disposition': `inline; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
    implement(contract.writeOffInvoice, async (c, { params, body }) => ({ status: 201, json: await writeOffInvoice(ctx, c.get('principal'), params.id, body) })),
    implement(contract.requestRefund, async (c, { params, body }) => {
      const { created, refund } = await requestRefund(ctx, c.get('principal'), params.id, {
        amountCents: body.amountCents,
        iban: body.iban,
        reason: body.reason,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
      });
      return { status: created ? 201 : 200, json: refund };
    }),
    implement(contract.listRefunds, async (c, { query }) => ({ status: 200, json: await listRefunds(ctx, c.get('principal'), query.status) })),
    implement(contract.createRefundPaymentFile, async (c) => {
      const file = await createRefundPaymentFile(ctx, c.get('principal'));
      return {
        status: file.created ? 201 : 200,
        body: file.xml,
        contentType: 'application/xml; charset=utf-8',
        headers: {
          'X-Message-Id': file.messageId,
          'X-Refund-Count': String(file.count),
          'X-Total-Cents': String(file.totalCents),
          'Content-Disposition': `attachment; filename="${file.messageId}.xml"`,
        },
      };
    }),
    implement(contract.getJournal, async (c, { query }) => {
      const j = await journal(ctx, c.get('principal'), query.from, query.to);
      if (query.format === 'csv') {
        return { status: 200, body: journalCsv(j), contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="journal-${query.from}-${query.to}.csv"` } };
      }
      return { status: 200, json: j };
    }),
    implement(contract.getJournalDay, async (c, { params, query }) => {
      const day = await journalDay(ctx, c.get('principal'), params.date);
      if (query.format === 'csv') {
        return { status: 200, body: journalDayCsv(day), contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="journal-${params.date}.csv"` } };
      }
      return { status: 200, json: day };
    }),
    implement(contract.listJournalReconciliations, async (c, { query }) => ({ status: 200, json: await journalReconciliations(ctx, c.get('principal'), query.from, query.to, query.status) })),
    implement(contract.getJournalReconciliation, async (c, { params }) => ({ status: 200, json: await journalReconciliationDay(ctx, c.get('principal'), params.date), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.getFeeIncomeReport, async (c, { query }) => ({ status: 200, json: await feeIncomeReport(ctx, c.get('principal'), query.from, query.to, query.granularity ?? 'month') })),
    implement(contract.getReceivablesAging, async (c, { query }) => ({ status: 200, json: await receivablesAging(ctx, c.get('principal'), query.on) })),
  ];
}
