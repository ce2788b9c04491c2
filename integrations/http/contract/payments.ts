/** Payment files, unmatched payments, the member ledger, refunds, the bookkeeping export and fee reports. */
import * as v from 'valibot';
import { MAX_PAYMENT_FILE_MIB } from '../../../domain/billing/paymentFiles';
import { isIsoDate } from '../../../domain/dates';
import { cents, count, date, dateTime, ex, id, idParams, uuidParam } from './common';
import { defineRoute, file, json, jsonBody, jsonOrText } from './define';
import { idempotencyKeyField, idempotencyKeyHeader, multilineText, str } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

const isoDate = v.pipe(str('must be a date YYYY-MM-DD'), v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'), v.metadata({ format: 'date' }));
const reason = multilineText(500);
const amount = v.pipe(v.number('must be a whole number of cents'), v.integer('must be a whole number of cents'), v.minValue(1, 'must be at least 1 cent'), v.maxValue(100_000_000, 'is implausibly large'));
const idempotencyKey = idempotencyKeyField;

export const allocationSchema = v.strictObject({
  taskId: v.optional(v.pipe(str(), v.uuid('must be a task id'))),
  memberId: v.pipe(str('is required'), v.uuid('must be a member id')),
  invoiceIds: v.optional(v.pipe(v.array(v.pipe(str(), v.uuid('must be invoice ids'))), v.maxLength(50))),
  note: reason,
});

export const returnToPayerSchema = v.strictObject({
  taskId: v.optional(v.pipe(str(), v.uuid('must be a task id'))),
  reason,
});

export const creditNoteSchema = v.strictObject({ amountCents: amount, reason, idempotencyKey: v.optional(idempotencyKey) });
export const writeOffSchema = v.strictObject({ reason });
export const refundSchema = v.strictObject({
  amountCents: amount,
  iban: v.pipe(str('is required'), v.maxLength(42, 'must be at most 42 characters')),
  reason: v.pipe(str(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(140, 'must be at most 140 characters (it is the message to the member’s bank)')),
  idempotencyKey: v.optional(idempotencyKey),
});

export const journalQuerySchema = v.strictObject({ from: isoDate, to: isoDate, format: v.optional(v.picklist(['csv', 'json'], 'must be csv or json')) });
export const journalDayParams = v.strictObject({ date: isoDate });
export const journalDayQuerySchema = v.strictObject({ format: v.optional(v.picklist(['csv', 'json'], 'must be csv or json')) });
export const reconciliationsQuerySchema = v.strictObject({
  from: isoDate,
  to: isoDate,
  /** Only days whose latest check is balanced or a mismatch, an unresolved mismatch (open), or days sent and not yet checked. */
  status: v.optional(v.picklist(['balanced', 'mismatch', 'open', 'unchecked'], 'must be balanced, mismatch, open or unchecked')),
});
export const feeIncomeQuerySchema = v.strictObject({ from: isoDate, to: isoDate, granularity: v.optional(v.picklist(['month'], 'must be month')) });
export const agingQuerySchema = v.strictObject({ on: isoDate });
const refundListQuery = v.strictObject({ status: v.optional(v.picklist(['pending', 'in-file', 'sent'])) });
const fileQuery = v.strictObject({ filename: v.optional(v.pipe(str(), v.maxLength(200, 'must be at most 200 characters'))) });

// ---------------------------------------------------------------------------------------------
// Responses

export const paymentFileViewSchema = v.object({
  id,
  sha256: v.string(),
  format: v.picklist(['camt054', 'ktl']),
  filename: v.string(),
  /** 'received' while its process books it, then 'processed' (or 'failed'). */
  status: v.string(),
  entryCount: v.nullable(count),
  totalCents: v.nullable(cents),
  receivedBy: v.string(),
  workflowId: v.string(),
  createdAt: dateTime,
});

export const paymentFileDetailSchema = v.object({
  ...paymentFileViewSchema.entries,
  /** Entries this file brought in, per entry status ('allocated', 'unmatched', …). */
  entries: v.record(v.string(), v.object({ count, cents })),
});

/** allocated, partially-allocated, unmatched, reversed, overpaid or refund-needed. */
const entryStatus = v.picklist(['allocated', 'partially-allocated', 'unmatched', 'reversed', 'overpaid', 'refund-needed']);

export const bankEntryViewSchema = v.object({
  id,
  archiveId: v.string(),
  fileId: id,
  bookingDate: date,
  valueDate: v.nullable(date),
  /** Signed: money out is negative. */
  amountCents: cents,
  reversal: v.boolean(),
  reference: v.nullable(v.string()),
  unstructured: v.nullable(v.string()),
  debtorName: v.nullable(v.string()),
  memberId: v.nullable(id),
  status: entryStatus,
  unallocatedCents: cents,
  allocations: v.array(v.object({ invoiceId: id, amountCents: cents, kind: v.picklist(['automatic', 'manual']), allocatedBy: v.string(), createdAt: dateTime })),
  task: v.nullable(v.object({ id, status: v.string(), claimedBy: v.nullable(v.string()) })),
});

export const allocationResultSchema = v.object({
  taskId: id,
  entryId: id,
  memberId: id,
  status: v.string(),
  allocatedCents: cents,
  unallocatedCents: cents,
  allocations: v.array(v.object({ invoiceId: id, amountCents: cents })),
});

export const returnToPayerResultSchema = v.object({ taskId: id, entryId: id, status: v.literal('refund-needed') });

const ledgerEntryId = v.pipe(v.number(), v.integer());

export const refundViewSchema = v.object({ id, memberId: id, amountCents: cents, iban: v.string(), reason: v.string(), status: v.picklist(['pending', 'in-file', 'sent']), requestedBy: v.string(), createdAt: dateTime });

const ledgerAdjustment = v.object({ id: ledgerEntryId, occurredOn: date, amountCents: cents, invoiceId: v.nullable(id), description: v.nullable(v.string()), createdBy: v.string() });

/** The member ledger (reskontra); positive amounts raise what the member owes, a negative balance is a credit. */
export const memberLedgerSchema = v.object({
  memberId: id,
  memberNumber: count,
  /** What the member owes (+) or has in credit (−). */
  balanceCents: cents,
  creditCents: cents,
  paidThrough: v.nullable(date),
  openInvoices: count,
  openCents: cents,
  invoices: v.array(
    v.object({
      id,
      invoiceNumber: count,
      periodStart: date,
      periodEnd: date,
      /** The months the invoice bills ('YYYY-MM'), which may be fewer than its period (a member who joined late). */
      billedMonths: v.array(v.pipe(v.string(), v.regex(/^\d{4}-\d{2}$/))),
      feeYear: count,
      issuedOn: date,
      dueDate: date,
      amountCents: cents,
      openCents: cents,
      status: v.picklist(['open', 'partially-paid', 'paid', 'credited', 'written-off']),
      reference: v.string(),
      rfReference: v.string(),
      virtualBarcode: v.string(),
      /** The version-5 barcode (RF reference); null on invoices issued before it was added. */
      virtualBarcodeV5: v.nullable(v.string()),
    }),
  ),
  payments: v.array(v.object({ id, archiveId: v.string(), bookingDate: date, amountCents: cents, reversal: v.boolean(), reference: v.nullable(v.string()), status: entryStatus, unallocatedCents: cents })),
  allocations: v.array(v.object({ id, bankEntryId: id, archiveId: v.string(), invoiceId: id, amountCents: cents, kind: v.picklist(['automatic', 'manual']), allocatedBy: v.string(), createdAt: dateTime })),
  creditNotes: v.array(ledgerAdjustment),
  writeOffs: v.array(ledgerAdjustment),
  refunds: v.array(refundViewSchema),
  /** Every ledger row with the running balance. */
  entries: v.array(
    v.object({
      id: ledgerEntryId,
      occurredOn: date,
      kind: v.picklist(['invoice', 'payment', 'credit-note', 'refund', 'write-off', 'reversal', 'reminder-fee']),
      amountCents: cents,
      runningBalanceCents: cents,
      invoiceId: v.nullable(id),
      bankEntryId: v.nullable(id),
      /** English, or a billing user's reason as written; `descriptionCode` (with params) names a line the system wrote, for translation. */
      description: v.nullable(v.string()),
      descriptionCode: v.nullable(v.string()),
      descriptionParams: v.record(v.string(), v.union([v.string(), v.number()])),
      createdBy: v.string(),
    }),
  ),
});

export const creditNoteResultSchema = v.object({
  created: v.boolean(),
  creditNote: v.object({ id: ledgerEntryId, invoiceId: id, amountCents: cents, occurredOn: date }),
  invoice: v.object({ id, openCents: cents, status: v.picklist(['open', 'partially-paid', 'paid', 'credited', 'written-off']) }),
});

export const writeOffResultSchema = v.object({ invoiceId: id, amountCents: cents, occurredOn: date, status: v.literal('written-off') });
export const refundResultSchema = refundViewSchema;
export const refundListSchema = v.object({ items: v.array(refundViewSchema) });

const ledgerKind = v.picklist(['invoice', 'payment', 'credit-note', 'refund', 'write-off', 'reversal', 'reminder-fee']);

export const journalSchema = v.object({
  from: date,
  to: date,
  currency: v.string(),
  /** The finance system's accounts, by role (feesReceivable, feeIncome, bank, …). */
  accounts: v.record(v.string(), v.object({ number: v.string(), name: v.string() })),
  days: v.array(
    v.object({
      date,
      lines: v.array(v.object({ date, account: v.string(), accountName: v.string(), source: ledgerKind, debitCents: cents, creditCents: cents })),
      debitCents: cents,
      creditCents: cents,
    }),
  ),
  totals: v.object({ debitCents: cents, creditCents: cents }),
});

const journalLine = v.object({ date, account: v.string(), accountName: v.string(), source: ledgerKind, debitCents: cents, creditCents: cents });

/** One day of the journal as the finance system receives it (docs/finance-journal-format.md). */
export const journalDaySchema = v.object({
  format: v.literal('jasenrekisteri.journal-day/1'),
  date,
  currency: v.literal('EUR'),
  lines: v.array(journalLine),
  debitCents: cents,
  creditCents: cents,
});

const accountDifference = v.object({ account: v.string(), journalCents: v.number(), ledgerCents: v.number() });

export const journalReconciliationsSchema = v.object({
  from: date,
  to: date,
  days: v.array(
    v.object({
      date,
      /** The file the finance system was sent, or null when the day has not been sent. */
      sent: v.nullable(v.object({ deliveryId: v.string(), sentAt: dateTime, lines: count, debitCents: cents, creditCents: cents, sha256: v.string() })),
      /** The latest check of the day's journal against the ledger. */
      check: v.nullable(
        v.object({
          checkedAt: dateTime,
          against: v.picklist(['pushed', 'journal']),
          status: v.picklist(['balanced', 'mismatch']),
          journalBalanced: v.boolean(),
          differences: v.array(accountDifference),
          mismatchWorkflowId: v.nullable(v.string()),
          resolution: v.nullable(v.string()),
        }),
      ),
    }),
  ),
});

export const journalReconciliationDaySchema = v.object({
  date,
  sent: v.nullable(
    v.object({ deliveryId: v.string(), fileKey: v.string(), sentAt: dateTime, lines: count, debitCents: cents, creditCents: cents, sha256: v.string(), accountNets: v.record(v.string(), cents), workflowId: v.string() }),
  ),
  /** Every check of the day against the ledger, newest first. */
  checks: v.array(
    v.object({
      id,
      checkedAt: dateTime,
      against: v.picklist(['pushed', 'journal']),
      status: v.picklist(['balanced', 'mismatch']),
      journalBalanced: v.boolean(),
      journalDebitCents: cents,
      journalCreditCents: cents,
      /** Per account: the journal's net, the ledger's, and the journal's minus the ledger's. */
      differences: v.array(v.object({ ...accountDifference.entries, differenceCents: v.number() })),
      mismatchWorkflowId: v.nullable(v.string()),
      resolution: v.nullable(v.string()),
      taskId: v.nullable(id),
      taskStatus: v.nullable(v.string()),
    }),
  ),
});

export const feeIncomeReportSchema = v.object({
  from: date,
  to: date,
  granularity: v.literal('month'),
  periods: v.array(v.object({ period: v.string(), invoicedCents: cents, creditedCents: cents, paidCents: cents, writtenOffCents: cents, refundedCents: cents })),
});

export const receivablesAgingSchema = v.object({
  on: date,
  buckets: v.array(v.object({ bucket: v.picklist(['not-due', '1-30', '31-90', '91-180', 'over-180']), count, cents })),
  total: v.object({ count, cents }),
});

const paymentFileExample: v.InferOutput<typeof paymentFileViewSchema> = {
  id: ex.fileId,
  sha256: '9f2b5c0e4a1d7e3f6b8c0a2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f',
  format: 'camt054',
  filename: 'camt054-2025-03-31.xml',
  status: 'received',
  entryCount: 1520,
  totalCents: 2_432_000,
  receivedBy: 'billing',
  workflowId: 'payment-file/9f2b5c0e4a1d7e3f6b8c0a2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f',
  createdAt: '2025-03-31T06:00:00.000Z',
};
const refundExample: v.InferOutput<typeof refundViewSchema> = {
  id: ex.refundId,
  memberId: ex.memberId,
  amountCents: 1600,
  iban: 'FI2112345600000785',
  reason: 'Jäsenmaksun palautus / paid twice',
  status: 'pending',
  requestedBy: 'billing',
  createdAt: '2025-04-02T09:00:00.000Z',
};

// ---------------------------------------------------------------------------------------------
// Operations

const entryParams = v.object({ entryId: uuidParam });
const billingOnly = { kind: 'restricted', roles: ['billing'] } as const;
const fileSenders = { kind: 'restricted', roles: ['billing', 'admin'], scopes: ['payments:write'] } as const;

export const paymentRoutes = {
  importPaymentFile: defineRoute({
    operationId: 'importPaymentFile',
    method: 'post',
    path: '/v1/payment-files',
    tag: 'Payments',
    summary: 'Import a bank file: camt.054 or the KTL reference-payment file',
    description: `The raw file is the body: application/xml (or text/xml) for camt.054, text/plain for the KTL file (Latin-1 unless charset=utf-8), at most ${MAX_PAYMENT_FILE_MIB} MiB; ?filename= names it. Parsed first: a malformed file is a 400 naming line and element, nothing stored. The same bytes again return the stored file (200). Booking runs in the process payment-file/<sha256>.`,
    access: fileSenders,
    query: fileQuery,
    body: {
      kind: 'raw',
      mediaTypes: ['application/xml', 'text/xml', 'text/plain'],
      description: 'The bank file as it came from the bank',
      unsupported: 'Send a camt.054 file as application/xml or a KTL reference-payment file as text/plain, with the file itself as the body.',
    },
    responses: {
      202: json(paymentFileViewSchema, 'Stored; booking started', { example: paymentFileExample, headers: { Location: 'The file: /api/v1/payment-files/{id}' } }),
      200: json(paymentFileViewSchema, 'The same file again: the stored one', { headers: { Location: 'The file: /api/v1/payment-files/{id}' } }),
    },
    problems: [400, 401, 403, 413, 415],
  }),
  getPaymentFile: defineRoute({
    operationId: 'getPaymentFile',
    method: 'get',
    path: '/v1/payment-files/{id}',
    tag: 'Payments',
    summary: 'A payment file: processing status and its entries per status',
    access: fileSenders,
    params: idParams,
    responses: {
      200: json(paymentFileDetailSchema, 'The file', { example: { ...paymentFileExample, status: 'processed', entries: { allocated: { count: 1500, cents: 2_400_000 }, unmatched: { count: 20, cents: 32_000 } } } }),
    },
    problems: [400, 401, 403, 404],
  }),
  getBankEntry: defineRoute({
    operationId: 'getBankEntry',
    method: 'get',
    path: '/v1/payments/{entryId}',
    tag: 'Payments',
    summary: 'A bank entry with its allocations and open task (audited)',
    access: { kind: 'restricted', roles: ['billing', 'admin'] },
    params: entryParams,
    responses: {
      200: json(bankEntryViewSchema, 'The entry', {
        example: {
          id: ex.entryId,
          archiveId: '20250331ABCD1234',
          fileId: ex.fileId,
          bookingDate: '2025-03-31',
          valueDate: '2025-03-31',
          amountCents: 1600,
          reversal: false,
          reference: null,
          unstructured: 'jäsenmaksu Virtanen',
          debtorName: 'VIRTANEN MAIJA',
          memberId: null,
          status: 'unmatched',
          unallocatedCents: 1600,
          allocations: [],
          task: { id: ex.taskId, status: 'open', claimedBy: null },
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  allocatePayment: defineRoute({
    operationId: 'allocatePayment',
    method: 'post',
    path: '/v1/payments/{entryId}/allocation',
    tag: 'Payments',
    summary: 'Allocate an unmatched payment by hand',
    description:
      "To a member, and to the given invoices or else their oldest open ones; the rest is the member's credit. A Temporal Update: stale or repeated allocations are refused with 409.",
    access: billingOnly,
    params: entryParams,
    body: jsonBody(allocationSchema, { taskId: ex.taskId, memberId: ex.memberId, note: 'Name and amount match the March invoice' }),
    responses: {
      200: json(allocationResultSchema, 'Allocated', {
        example: { taskId: ex.taskId, entryId: ex.entryId, memberId: ex.memberId, status: 'allocated', allocatedCents: 1600, unallocatedCents: 0, allocations: [{ invoiceId: ex.invoiceId, amountCents: 1600 }] },
      }),
    },
    problems: [400, 401, 403, 404, 409, 422],
  }),
  returnPaymentToPayer: defineRoute({
    operationId: 'returnPaymentToPayer',
    method: 'post',
    path: '/v1/payments/{entryId}/return-to-payer',
    tag: 'Payments',
    summary: 'Return an unmatched payment to the payer (the task\'s "reject")',
    description: 'The entry becomes refund-needed; the transfer back is made outside the member ledger.',
    access: billingOnly,
    params: entryParams,
    body: jsonBody(returnToPayerSchema, { taskId: ex.taskId, reason: 'Not a member of this fund' }),
    responses: { 200: json(returnToPayerResultSchema, 'Marked', { example: { taskId: ex.taskId, entryId: ex.entryId, status: 'refund-needed' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  getMemberLedger: defineRoute({
    operationId: 'getMemberLedger',
    method: 'get',
    path: '/v1/members/{id}/ledger',
    tag: 'Ledger',
    summary: "The member's ledger: invoices, payments, allocations, credit notes, write-offs, refunds, every row with the running balance, balance and paid-through date (audited)",
    access: { kind: 'restricted', roles: ['billing', 'caseworker', 'supervisor', 'admin'] },
    params: idParams,
    responses: {
      200: json(memberLedgerSchema, 'The ledger', {
        example: {
          memberId: ex.memberId,
          memberNumber: 100123,
          balanceCents: 0,
          creditCents: 0,
          paidThrough: '2025-03-31',
          openInvoices: 0,
          openCents: 0,
          invoices: [
            {
              id: ex.invoiceId,
              invoiceNumber: 2025000123,
              periodStart: '2025-01-01',
              periodEnd: '2025-03-31',
              billedMonths: ['2025-01', '2025-02', '2025-03'],
              feeYear: 2025,
              issuedOn: '2025-01-02',
              dueDate: '2025-01-31',
              amountCents: 4800,
              openCents: 0,
              status: 'paid',
              reference: '1001232',
              rfReference: 'RF481001232',
              virtualBarcode: '421123456000007850000480000000000000000010012322501310',
              virtualBarcodeV5: null,
            },
          ],
          payments: [{ id: ex.entryId, archiveId: '20250120ABCD0001', bookingDate: '2025-01-20', amountCents: 4800, reversal: false, reference: '1001232', status: 'allocated', unallocatedCents: 0 }],
          allocations: [{ id: 'aa11bb22-cc33-4d44-8e55-ff6677889900', bankEntryId: ex.entryId, archiveId: '20250120ABCD0001', invoiceId: ex.invoiceId, amountCents: 4800, kind: 'automatic', allocatedBy: 'system', createdAt: '2025-01-20T06:10:00.000Z' }],
          creditNotes: [],
          writeOffs: [],
          refunds: [],
          entries: [
            { id: 1, occurredOn: '2025-01-02', kind: 'invoice', amountCents: 4800, runningBalanceCents: 4800, invoiceId: ex.invoiceId, bankEntryId: null, description: 'membership fee 2025-Q1', descriptionCode: 'invoice', descriptionParams: { period: '2025-Q1' }, createdBy: 'billing-run/a-kassa/2025-Q1' },
            { id: 2, occurredOn: '2025-01-20', kind: 'payment', amountCents: -4800, runningBalanceCents: 0, invoiceId: ex.invoiceId, bankEntryId: ex.entryId, description: 'Reference payment 1001232', descriptionCode: 'reference_payment', descriptionParams: { references: '1001232' }, createdBy: 'system' },
          ],
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  requestRefund: defineRoute({
    operationId: 'requestRefund',
    method: 'post',
    path: '/v1/members/{id}/refunds',
    tag: 'Ledger',
    summary: "Refund a member's credit to their IBAN (at most the credit)",
    access: billingOnly,
    params: idParams,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(refundSchema, { amountCents: 1600, iban: 'FI2112345600000785', reason: 'Jäsenmaksun palautus / paid twice', idempotencyKey: 'refund-2025-04-02-100123' }),
    responses: { 201: json(refundResultSchema, 'Refund pending', { example: refundExample }), 200: json(refundResultSchema, 'The same refund again') },
    problems: [400, 401, 403, 404, 409, 422],
  }),
  issueCreditNote: defineRoute({
    operationId: 'issueCreditNote',
    method: 'post',
    path: '/v1/invoices/{id}/credit-note',
    tag: 'Ledger',
    summary: 'Credit an invoice, at most its open amount (optional idempotency key)',
    access: billingOnly,
    params: idParams,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(creditNoteSchema, { amountCents: 1600, reason: 'Membership ended 28.2.; March not owed' }),
    responses: {
      201: json(creditNoteResultSchema, 'Credited', {
        example: { created: true, creditNote: { id: 3, invoiceId: ex.invoiceId, amountCents: 1600, occurredOn: '2025-03-05' }, invoice: { id: ex.invoiceId, openCents: 3200, status: 'open' } },
      }),
      200: json(creditNoteResultSchema, 'The same credit note again'),
    },
    problems: [400, 401, 403, 404, 409, 422],
  }),
  getInvoicePdf: defineRoute({
    operationId: 'getInvoicePdf',
    method: 'get',
    path: '/v1/invoices/{id}/pdf',
    tag: 'Ledger',
    summary: 'The invoice as the printed letter (A4 PDF with the bank transfer form and bank barcode), for a reprint (audited)',
    description: 'A protected address is left out unless the caller is a supervisor.',
    access: { kind: 'restricted', roles: ['billing', 'caseworker'] },
    params: idParams,
    responses: { 200: file('The PDF', ['application/pdf'], { binary: true, headers: { 'Content-Disposition': 'inline; filename="…"', 'Cache-Control': 'private, no-store' } }) },
    problems: [400, 401, 403, 404, 422],
  }),
  writeOffInvoice: defineRoute({
    operationId: 'writeOffInvoice',
    method: 'post',
    path: '/v1/invoices/{id}/write-off',
    tag: 'Ledger',
    summary: 'Write off what is open on an invoice (once per invoice)',
    access: billingOnly,
    params: idParams,
    body: jsonBody(writeOffSchema, { reason: 'Estate without funds' }),
    responses: { 201: json(writeOffResultSchema, 'Written off', { example: { invoiceId: ex.invoiceId, amountCents: 3200, occurredOn: '2025-09-01', status: 'written-off' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  listRefunds: defineRoute({
    operationId: 'listRefunds',
    method: 'get',
    path: '/v1/refunds',
    tag: 'Ledger',
    summary: 'Refunds by status (default pending)',
    access: billingOnly,
    query: refundListQuery,
    responses: { 200: json(refundListSchema, 'Refunds, oldest first (at most 500)', { example: { items: [refundExample] } }) },
    problems: [400, 401, 403],
  }),
  createRefundPaymentFile: defineRoute({
    operationId: 'createRefundPaymentFile',
    method: 'post',
    path: '/v1/refunds/payment-file',
    tag: 'Ledger',
    summary: 'The SEPA credit-transfer file (pain.001.001.03) for all pending refunds, which become in-file',
    description: 'The message id derives from the set of refunds; with nothing pending the latest file is returned again (200), and with none ever made, 404.',
    access: billingOnly,
    responses: {
      201: file('A new file', ['application/xml'], {
        example: '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">…</Document>',
        headers: { 'X-Message-Id': 'The message id (REFUNDS-…)', 'X-Refund-Count': 'Refunds in the file', 'X-Total-Cents': 'Their sum in cents' },
      }),
      200: file('The latest file again', ['application/xml'], { headers: { 'X-Message-Id': 'The message id (REFUNDS-…)', 'X-Refund-Count': 'Refunds in the file', 'X-Total-Cents': 'Their sum in cents' } }),
    },
    problems: [401, 403, 404, 422],
  }),
  getJournal: defineRoute({
    operationId: 'getJournal',
    method: 'get',
    path: '/v1/bookkeeping/journal',
    tag: 'Reports',
    summary: 'Journal entries per day and account from the ledger, double-entry, for the finance system (at most 366 days)',
    description: 'format=csv answers RFC 4180 CSV (date,account,account_name,source,debit,credit; euros with a point) as a download.',
    access: { kind: 'restricted', roles: ['billing', 'admin'], scopes: ['bookkeeping:read'] },
    query: journalQuerySchema,
    responses: {
      200: jsonOrText(journalSchema, 'The journal', ['text/csv'], {
        example: {
          from: '2025-01-01',
          to: '2025-01-31',
          currency: 'EUR',
          accounts: { feesReceivable: { number: '1700', name: 'Jäsenmaksusaamiset / Fees receivable' }, feeIncome: { number: '3000', name: 'Jäsenmaksutuotot / Fee income' } },
          days: [
            {
              date: '2025-01-02',
              lines: [
                { date: '2025-01-02', account: '1700', accountName: 'Jäsenmaksusaamiset / Fees receivable', source: 'invoice', debitCents: 4800, creditCents: 0 },
                { date: '2025-01-02', account: '3000', accountName: 'Jäsenmaksutuotot / Fee income', source: 'invoice', debitCents: 0, creditCents: 4800 },
              ],
              debitCents: 4800,
              creditCents: 4800,
            },
          ],
          totals: { debitCents: 4800, creditCents: 4800 },
        },
      }),
    },
    problems: [400, 401, 403],
  }),
  getJournalDay: defineRoute({
    operationId: 'getJournalDay',
    method: 'get',
    path: '/v1/bookkeeping/journal/days/{date}',
    tag: 'Reports',
    summary: 'One day of the journal in the layout the finance system is sent every night',
    description: 'docs/finance-journal-format.md. format=csv answers the same lines as RFC 4180 CSV (date,account,account_name,source,debit,credit).',
    access: { kind: 'restricted', roles: ['billing', 'admin'], scopes: ['bookkeeping:read'] },
    params: journalDayParams,
    query: journalDayQuerySchema,
    responses: {
      200: jsonOrText(journalDaySchema, 'The day', ['text/csv'], {
        example: {
          format: 'jasenrekisteri.journal-day/1',
          date: '2025-01-02',
          currency: 'EUR',
          lines: [
            { date: '2025-01-02', account: '1700', accountName: 'Jäsenmaksusaamiset / Fees receivable', source: 'invoice', debitCents: 4800, creditCents: 0 },
            { date: '2025-01-02', account: '3000', accountName: 'Jäsenmaksutuotot / Fee income', source: 'invoice', debitCents: 0, creditCents: 4800 },
          ],
          debitCents: 4800,
          creditCents: 4800,
        },
      }),
    },
    problems: [400, 401, 403],
  }),
  listJournalReconciliations: defineRoute({
    operationId: 'listJournalReconciliations',
    method: 'get',
    path: '/v1/bookkeeping/reconciliations',
    tag: 'Reports',
    summary: 'Per day: the journal file sent to the finance system and the latest check that the journal equals the ledger (at most 366 days)',
    access: { kind: 'restricted', roles: ['billing', 'admin'], scopes: ['bookkeeping:read'] },
    query: reconciliationsQuerySchema,
    responses: {
      200: json(journalReconciliationsSchema, 'Days sent or checked', {
        example: {
          from: '2025-01-01',
          to: '2025-01-31',
          days: [
            {
              date: '2025-01-02',
              sent: { deliveryId: 'finance-file-1', sentAt: '2025-01-03T01:30:02.000Z', lines: 2, debitCents: 4800, creditCents: 4800, sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
              check: { checkedAt: '2025-01-04T01:30:05.000Z', against: 'pushed', status: 'mismatch', journalBalanced: true, differences: [{ account: '1910', journalCents: -4800, ledgerCents: -9600 }], mismatchWorkflowId: 'journal-mismatch/3f0c…', resolution: 'open' },
            },
          ],
        },
      }),
    },
    problems: [400, 401, 403],
  }),
  getJournalReconciliation: defineRoute({
    operationId: 'getJournalReconciliation',
    method: 'get',
    path: '/v1/bookkeeping/reconciliations/{date}',
    tag: 'Reports',
    summary: "One day's reconciliation: the file sent to the finance system and every check of the journal against the ledger, with the differences per account and the task a mismatch became",
    access: { kind: 'restricted', roles: ['billing', 'admin'], scopes: ['bookkeeping:read'] },
    params: journalDayParams,
    responses: {
      200: json(journalReconciliationDaySchema, 'The day', {
        example: {
          date: '2025-01-02',
          sent: { deliveryId: 'finance-file-1', fileKey: 'journal-2025-01-02.csv', sentAt: '2025-01-03T01:30:02.000Z', lines: 2, debitCents: 4800, creditCents: 4800, sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', accountNets: { '1910': -4800, '1700': 4800 }, workflowId: 'finance-journal/2025-01-02' },
          checks: [
            { id: ex.runSubjectId, checkedAt: '2025-01-04T01:30:05.000Z', against: 'pushed', status: 'mismatch', journalBalanced: true, journalDebitCents: 4800, journalCreditCents: 4800, differences: [{ account: '1910', journalCents: -4800, ledgerCents: -9600, differenceCents: 4800 }], mismatchWorkflowId: 'journal-mismatch/0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', resolution: 'open', taskId: ex.taskId, taskStatus: 'open' },
          ],
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  getFeeIncomeReport: defineRoute({
    operationId: 'getFeeIncomeReport',
    method: 'get',
    path: '/v1/reports/fee-income',
    tag: 'Reports',
    summary: 'Invoiced against paid per month',
    access: { kind: 'restricted', roles: ['billing', 'supervisor', 'admin'], scopes: ['reports:read'] },
    query: feeIncomeQuerySchema,
    responses: {
      200: json(feeIncomeReportSchema, 'Every month of the range', {
        example: { from: '2025-01-01', to: '2025-02-28', granularity: 'month', periods: [{ period: '2025-01', invoicedCents: 1_888_000, creditedCents: 3200, paidCents: 1_700_000, writtenOffCents: 0, refundedCents: 1600 }, { period: '2025-02', invoicedCents: 0, creditedCents: 0, paidCents: 150_000, writtenOffCents: 0, refundedCents: 0 }] },
      }),
    },
    problems: [400, 401, 403],
  }),
  getReceivablesAging: defineRoute({
    operationId: 'getReceivablesAging',
    method: 'get',
    path: '/v1/reports/receivables-aging',
    tag: 'Reports',
    summary: 'Open invoices by days overdue: not due, 1–30, 31–90, 91–180, over 180',
    access: { kind: 'restricted', roles: ['billing', 'supervisor', 'admin'], scopes: ['reports:read'] },
    query: agingQuerySchema,
    responses: {
      200: json(receivablesAgingSchema, 'Buckets', {
        example: {
          on: '2025-04-30',
          buckets: [
            { bucket: 'not-due', count: 40, cents: 64_000 },
            { bucket: '1-30', count: 12, cents: 19_200 },
            { bucket: '31-90', count: 3, cents: 4800 },
            { bucket: '91-180', count: 0, cents: 0 },
            { bucket: 'over-180', count: 1, cents: 1600 },
          ],
          total: { count: 56, cents: 89_600 },
        },
      }),
    },
    problems: [400, 401, 403],
  }),
};
