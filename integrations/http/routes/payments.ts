import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import type { BankFileFormat } from '../../../domain/payments';
import { feeIncomeReport, journal, journalCsv, receivablesAging } from '../../../services/bookkeeping';
import type { ServiceContext } from '../../../services/context';
import { getInvoicePdf } from '../../../services/invoiceDocuments';
import { createRefundPaymentFile, getMemberLedger, issueCreditNote, listRefunds, requestRefund, writeOffInvoice } from '../../../services/ledger';
import { allocatePayment, getBankEntry, getPaymentFile, importPaymentFile, MAX_PAYMENT_FILE_BYTES, MAX_PAYMENT_FILE_MIB, returnPaymentToPayer } from '../../../services/payments';
import { isIsoDate } from '../../../domain/dates';
import type { AppEnv } from '../auth';
import { problem } from '../problem';
import { uuidParam } from '../schemas';
import { jsonBody, parseOrThrow } from '../validate';
import { idempotencyKeyOf } from './applications';

const isoDate = v.pipe(v.string('must be a date YYYY-MM-DD'), v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'));
const reason = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(500, 'must be at most 500 characters'));
const cents = v.pipe(v.number('must be a whole number of cents'), v.integer('must be a whole number of cents'), v.minValue(1, 'must be at least 1 cent'), v.maxValue(100_000_000, 'is implausibly large'));
const idempotencyKey = v.pipe(v.string(), v.minLength(8, 'must be at least 8 characters'), v.maxLength(100, 'must be at most 100 characters'));

export const allocationSchema = v.strictObject({
  taskId: v.optional(v.pipe(v.string(), v.uuid('must be a task id'))),
  memberId: v.pipe(v.string('is required'), v.uuid('must be a member id')),
  invoiceIds: v.optional(v.pipe(v.array(v.pipe(v.string(), v.uuid('must be invoice ids'))), v.maxLength(50))),
  note: reason,
});

export const returnToPayerSchema = v.strictObject({
  taskId: v.optional(v.pipe(v.string(), v.uuid('must be a task id'))),
  reason,
});

export const creditNoteSchema = v.strictObject({ amountCents: cents, reason, idempotencyKey: v.optional(idempotencyKey) });
export const writeOffSchema = v.strictObject({ reason });
export const refundSchema = v.strictObject({
  amountCents: cents,
  iban: v.pipe(v.string('is required'), v.maxLength(42)),
  reason: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(140, 'must be at most 140 characters (it is the message to the member’s bank)')),
  idempotencyKey: v.optional(idempotencyKey),
});

export const journalQuerySchema = v.strictObject({ from: isoDate, to: isoDate, format: v.optional(v.picklist(['csv', 'json'], 'must be csv or json')) });
export const feeIncomeQuerySchema = v.strictObject({ from: isoDate, to: isoDate, granularity: v.optional(v.picklist(['month'], 'must be month')) });
export const agingQuerySchema = v.strictObject({ on: isoDate });
const refundListQuery = v.strictObject({ status: v.optional(v.picklist(['pending', 'in-file', 'sent'])) });
const fileQuery = v.strictObject({ filename: v.optional(v.pipe(v.string(), v.maxLength(200))) });

/**
 * The upload contract: the raw file is the body. `application/xml` (or `text/xml`) is a camt.054,
 * `text/plain` the legacy KTL reference-payment file (Latin-1 unless `charset=utf-8` is given);
 * `?filename=` names it. JSON wrappers are not accepted: a 100 MB file would grow by a third in
 * base64 and need escaping for nothing.
 */
function formatOf(contentType: string | undefined): { format: BankFileFormat; charset?: string } | null {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((x) => x.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (mediaType === 'application/xml' || mediaType === 'text/xml') return { format: 'camt054', ...(charset ? { charset } : {}) };
  if (mediaType === 'text/plain') return { format: 'ktl', ...(charset ? { charset } : {}) };
  return null;
}

/** Payment files, unmatched payments, the member ledger, refunds, the bookkeeping export and fee reports. */
export function paymentRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>()
    .post(
      '/payment-files',
      bodyLimit({ maxSize: MAX_PAYMENT_FILE_BYTES, onError: (c) => problem(c, 413, 'Too large', `A payment file may be at most ${MAX_PAYMENT_FILE_MIB} MiB; ask the bank to split the day into smaller files.`) }),
      async (c) => {
        const media = formatOf(c.req.header('content-type'));
        if (!media) {
          return problem(c, 415, 'Unsupported media type', 'Send a camt.054 file as application/xml or a KTL reference-payment file as text/plain, with the file itself as the body.');
        }
        const { format, charset } = media;
        const { filename } = parseOrThrow(fileQuery, c.req.query());
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        const { created, file } = await importPaymentFile(ctx, c.get('principal'), { bytes, format, ...(charset ? { charset } : {}), ...(filename ? { filename } : {}) });
        c.header('Location', `/api/v1/payment-files/${file.id}`);
        return c.json(file, created ? 202 : 200);
      },
    )
    .get('/payment-files/:id', async (c) => c.json(await getPaymentFile(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .get('/payments/:entryId', async (c) => c.json(await getBankEntry(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('entryId')))))
    .post('/payments/:entryId/allocation', async (c) => {
      const entryId = parseOrThrow(uuidParam, c.req.param('entryId'));
      return c.json(await allocatePayment(ctx, c.get('principal'), entryId, await jsonBody(c, allocationSchema)));
    })
    .post('/payments/:entryId/return-to-payer', async (c) => {
      const entryId = parseOrThrow(uuidParam, c.req.param('entryId'));
      return c.json(await returnPaymentToPayer(ctx, c.get('principal'), entryId, await jsonBody(c, returnToPayerSchema)));
    })
    .get('/members/:id/ledger', async (c) => c.json(await getMemberLedger(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .post('/invoices/:id/credit-note', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, creditNoteSchema);
      const key = c.req.header('idempotency-key') ?? body.idempotencyKey;
      const result = await issueCreditNote(ctx, c.get('principal'), id, { amountCents: body.amountCents, reason: body.reason, ...(key ? { idempotencyKey: idempotencyKeyOf(c, key) } : {}) });
      return c.json(result, result.created ? 201 : 200);
    })
    .get('/invoices/:id/pdf', async (c) => {
      const { filename, bytes } = await getInvoicePdf(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')));
      c.header('Content-Disposition', `inline; filename="${filename}"`);
      // It carries a member's name and address: no shared caches.
      c.header('Cache-Control', 'private, no-store');
      return c.body(bytes, 200, { 'content-type': 'application/pdf' });
    })
    .post('/invoices/:id/write-off', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      return c.json(await writeOffInvoice(ctx, c.get('principal'), id, await jsonBody(c, writeOffSchema)), 201);
    })
    .post('/members/:id/refunds', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, refundSchema);
      const { created, refund } = await requestRefund(ctx, c.get('principal'), id, {
        amountCents: body.amountCents,
        iban: body.iban,
        reason: body.reason,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
      });
      return c.json(refund, created ? 201 : 200);
    })
    .get('/refunds', async (c) => c.json(await listRefunds(ctx, c.get('principal'), parseOrThrow(refundListQuery, c.req.query()).status)))
    .post('/refunds/payment-file', async (c) => {
      const file = await createRefundPaymentFile(ctx, c.get('principal'));
      c.header('X-Message-Id', file.messageId);
      c.header('X-Refund-Count', String(file.count));
      c.header('X-Total-Cents', String(file.totalCents));
      c.header('Content-Disposition', `attachment; filename="${file.messageId}.xml"`);
      return c.body(file.xml, file.created ? 201 : 200, { 'content-type': 'application/xml; charset=utf-8' });
    })
    .get('/bookkeeping/journal', async (c) => {
      const q = parseOrThrow(journalQuerySchema, c.req.query());
      const j = await journal(ctx, c.get('principal'), q.from, q.to);
      if (q.format === 'csv') {
        c.header('Content-Disposition', `attachment; filename="journal-${q.from}-${q.to}.csv"`);
        return c.body(journalCsv(j), 200, { 'content-type': 'text/csv; charset=utf-8' });
      }
      return c.json(j);
    })
    .get('/reports/fee-income', async (c) => {
      const q = parseOrThrow(feeIncomeQuerySchema, c.req.query());
      return c.json(await feeIncomeReport(ctx, c.get('principal'), q.from, q.to, q.granularity ?? 'month'));
    })
    .get('/reports/receivables-aging', async (c) => {
      const q = parseOrThrow(agingQuerySchema, c.req.query());
      return c.json(await receivablesAging(ctx, c.get('principal'), q.on));
    });
}
