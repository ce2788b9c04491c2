import { toJsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import {
  contactChangeSchema,
  deathSchema,
  decisionSchema,
  fundSwitchSchema,
  publicResignationSchema,
  resignationSchema,
  submitApplicationSchema,
  supplementSchema,
  transferredPeriodSchema,
} from './schemas';
import { setFeeYearSchema, startBillingRunSchema } from './routes/billing';
import { allocationSchema, creditNoteSchema, refundSchema, returnToPayerSchema, writeOffSchema } from './routes/payments';

const json = (schema: GenericSchema) => toJsonSchema(schema, { errorMode: 'ignore' });
const problemRef = { $ref: '#/components/schemas/Problem' };
const problems = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: problemRef } } }]));
const body = (schema: GenericSchema) => ({ required: true, content: { 'application/json': { schema: json(schema) } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** The OpenAPI 3.1 document, built from the same valibot schemas that validate requests. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jäsenrekisteri API',
      version: '1.0.0',
      description:
        'Membership register of an unemployment fund. Integrations authenticate with OAuth2 client-credentials bearer tokens; the desk with its session. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        session: { type: 'apiKey', in: 'cookie', name: 'oidc-auth' },
      },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            invalidParams: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
          },
        },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths: {
      '/v1/applications': {
        post: {
          summary: 'Submit a membership application (scope applications:write)',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string', minLength: 8, maxLength: 100 } }],
          requestBody: body(submitApplicationSchema),
          responses: { '201': ok('Received; the intake process started'), '200': ok('The same submission again: the existing application'), ...problems(400, 401, 403, 409) },
        },
      },
      '/v1/applications/{id}': {
        get: { summary: 'Status of an application', parameters: [idParam], responses: { '200': ok('The application'), ...problems(400, 401, 404) } },
      },
      '/v1/applications/{id}/supplement': {
        post: {
          summary: 'Answer a completion request',
          parameters: [idParam],
          requestBody: body(supplementSchema),
          responses: { '200': ok('Stored; the application is validated again'), ...problems(400, 401, 403, 404, 409) },
        },
      },
      '/v1/tasks': { get: { summary: 'The work queue (desk users)', responses: { '200': ok('Tasks'), ...problems(400, 401, 403) } } },
      '/v1/tasks/{id}': { get: { summary: 'A task with what it is decided on: an application and its findings, a member\'s address conflict (own vs population register) or eligibility review (audited member read)', parameters: [idParam], responses: { '200': ok('Task'), ...problems(401, 403, 404) } } },
      '/v1/tasks/{id}/claim': { post: { summary: 'Claim a task', parameters: [idParam], responses: { '200': ok('Claimed'), ...problems(401, 403, 404, 409) } } },
      '/v1/tasks/{id}/unclaim': { post: { summary: 'Release a task', parameters: [idParam], responses: { '200': ok('Released'), ...problems(401, 403, 404, 409) } } },
      '/v1/tasks/{id}/decision': {
        post: {
          summary: 'Approve or reject (a Temporal Update; stale or repeated decisions are refused with 409)',
          parameters: [idParam],
          requestBody: body(decisionSchema),
          responses: { '200': ok('Decided'), ...problems(400, 401, 403, 404, 409) },
        },
      },
      '/v1/members': {
        get: {
          summary: 'Search members by name, identity code (also earlier codes), member number or reference number (audited)',
          parameters: [
            { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 2, maxLength: 100 } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 50 } },
          ],
          responses: { '200': ok('Matches'), ...problems(400, 401, 403) },
        },
      },
      '/v1/members/{id}': { get: { summary: 'A member (audited read)', parameters: [idParam], responses: { '200': ok('Member'), ...problems(401, 403, 404) } } },
      '/v1/members/{id}/overview': {
        get: { summary: "The member's overall situation: person, contact, periods, condition, tasks, processes, messages, changes (audited)", parameters: [idParam], responses: { '200': ok('Overview'), ...problems(401, 403, 404) } },
      },
      '/v1/members/{id}/contact': {
        patch: { summary: 'Record contact data and delivery preferences the member gave (effective-dated, with a reason)', parameters: [idParam], requestBody: body(contactChangeSchema), responses: { '200': ok('Changed fields'), ...problems(400, 401, 403, 404) } },
      },
      '/v1/members/{id}/resignations': {
        post: { summary: 'A resignation notice (scope members:write or caseworker)', parameters: [idParam], requestBody: body(resignationSchema), responses: { '201': ok('Registered'), '200': ok('The same notice again'), ...problems(400, 401, 403, 404, 409) } },
      },
      '/v1/members/{id}/resignations/{rid}/withdraw': {
        post: { summary: "Withdraw a resignation inside the fund's window", parameters: [idParam, { ...idParam, name: 'rid' }], responses: { '200': ok('Withdrawn'), ...problems(401, 403, 404, 409) } },
      },
      '/v1/members/{id}/fund-switch': {
        post: { summary: "A new fund's resignation authorisation: membership ends the day before the new one starts", parameters: [idParam], requestBody: body(fundSwitchSchema), responses: { '201': ok('Registered'), ...problems(400, 401, 403, 404, 409) } },
      },
      '/v1/members/{id}/transferred-periods': {
        post: { summary: 'Record periods from a previous fund (gap at most one month)', parameters: [idParam], requestBody: body(transferredPeriodSchema), responses: { '201': ok('Recorded'), ...problems(400, 401, 403, 404, 422) } },
      },
      '/v1/members/{id}/death': {
        post: { summary: 'Record a death: membership ends, other processes stop, no letters', parameters: [idParam], requestBody: body(deathSchema), responses: { '200': ok('Recorded'), ...problems(400, 401, 403, 404) } },
      },
      '/v1/billing-runs': {
        post: {
          summary: 'Start the billing run of a period (billing, admin): preview, then an approval task, then commit. The same period again returns the same run (200); after a rejected or failed run a new attempt starts; after a committed one only with supplementary: true',
          requestBody: body(startBillingRunSchema),
          responses: { '201': ok('Started'), '200': ok('The existing run of the period'), ...problems(400, 401, 403, 409, 422) },
        },
        get: { summary: 'Billing runs, newest first (billing, admin)', responses: { '200': ok('Runs'), ...problems(401, 403) } },
      },
      '/v1/billing-runs/{id}': {
        get: {
          summary: 'A billing run: status, progress, preview and commit totals, the first 50 exceptions, 10 sample invoices, the open approval task (audited)',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'The run id (billing-run/<fund>/<period>, slashes allowed) or the uuid its approval task names', schema: { type: 'string' } }],
          responses: { '200': ok('The run'), ...problems(400, 401, 403, 404) },
        },
      },
      '/v1/fee-years': {
        get: { summary: 'Membership fee per year (billing, admin): shipped with the fund profile or set in the register, confirmed or provisional, and the billing runs that fixed it', responses: { '200': ok('Fee years, newest first'), ...problems(401, 403) } },
      },
      '/v1/fee-years/{year}': {
        put: {
          summary: "Set the fund's fee for a year (admin; audited). It overrides the profile's shipped value and survives upgrades. 409 while a billing run of the year exists: issued invoices never change",
          parameters: [{ name: 'year', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}$' } }],
          requestBody: body(setFeeYearSchema),
          responses: { '200': ok('The fee year as stored'), ...problems(400, 401, 403, 409) },
        },
      },
      '/v1/payment-files': {
        post: {
          summary:
            'Import a bank file (billing, admin, or scope payments:write): the raw file is the body, application/xml for camt.054, text/plain for the KTL reference-payment file (Latin-1 unless charset=utf-8), at most 128 MiB; ?filename= names it. Parsed first: a malformed file is a 400 naming line and element, nothing stored. The same bytes again return the stored file (200). Booking runs in the process payment-file/<sha256>',
          parameters: [{ name: 'filename', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: {
            required: true,
            content: { 'application/xml': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } } },
          },
          responses: { '202': ok('Stored; booking started'), '200': ok('The same file again: the stored one'), ...problems(400, 401, 403, 413, 415) },
        },
      },
      '/v1/payment-files/{id}': {
        get: { summary: 'A payment file: processing status and its entries per status', parameters: [idParam], responses: { '200': ok('The file'), ...problems(401, 403, 404) } },
      },
      '/v1/payments/{entryId}': {
        get: { summary: 'A bank entry with its allocations and open task (billing, admin; audited)', parameters: [{ ...idParam, name: 'entryId' }], responses: { '200': ok('The entry'), ...problems(401, 403, 404) } },
      },
      '/v1/payments/{entryId}/allocation': {
        post: {
          summary: 'Allocate an unmatched payment by hand (billing): to a member, and to the given invoices or else their oldest open ones; the rest is the member\'s credit. A Temporal Update: stale or repeated allocations are refused with 409',
          parameters: [{ ...idParam, name: 'entryId' }],
          requestBody: body(allocationSchema),
          responses: { '200': ok('Allocated'), ...problems(400, 401, 403, 404, 409, 422) },
        },
      },
      '/v1/payments/{entryId}/return-to-payer': {
        post: {
          summary: 'Return an unmatched payment to the payer (billing; the task\'s "reject"): the entry becomes refund-needed, the transfer back is made outside the member ledger',
          parameters: [{ ...idParam, name: 'entryId' }],
          requestBody: body(returnToPayerSchema),
          responses: { '200': ok('Marked'), ...problems(400, 401, 403, 404, 409) },
        },
      },
      '/v1/members/{id}/ledger': {
        get: { summary: 'The member\'s ledger: invoices, payments, allocations, credit notes, write-offs, refunds, every row with the running balance, balance and paid-through date (billing, caseworker, supervisor, admin; audited)', parameters: [idParam], responses: { '200': ok('Ledger'), ...problems(401, 403, 404) } },
      },
      '/v1/members/{id}/refunds': {
        post: { summary: 'Refund a member\'s credit to their IBAN (billing; at most the credit; Idempotency-Key header or idempotencyKey)', parameters: [idParam], requestBody: body(refundSchema), responses: { '201': ok('Refund pending'), '200': ok('The same refund again'), ...problems(400, 401, 403, 404, 409, 422) } },
      },
      '/v1/invoices/{id}/credit-note': {
        post: { summary: 'Credit an invoice, at most its open amount (billing; optional idempotency key)', parameters: [idParam], requestBody: body(creditNoteSchema), responses: { '201': ok('Credited'), '200': ok('The same credit note again'), ...problems(400, 401, 403, 404, 409, 422) } },
      },
      '/v1/invoices/{id}/pdf': {
        get: {
          summary: 'The invoice as the printed letter (A4 PDF with the bank transfer form and bank barcode), for a reprint (billing, caseworker; audited). A protected address is left out unless the caller is a supervisor',
          parameters: [idParam],
          responses: { '200': { description: 'The PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, ...problems(400, 401, 403, 404, 422) },
        },
      },
      '/v1/invoices/{id}/write-off': {
        post: { summary: 'Write off what is open on an invoice (billing; once per invoice)', parameters: [idParam], requestBody: body(writeOffSchema), responses: { '201': ok('Written off'), ...problems(400, 401, 403, 404, 409) } },
      },
      '/v1/refunds': {
        get: { summary: 'Refunds by status (billing)', parameters: [{ name: 'status', in: 'query', required: false, schema: { enum: ['pending', 'in-file', 'sent'] } }], responses: { '200': ok('Refunds'), ...problems(401, 403) } },
      },
      '/v1/refunds/payment-file': {
        post: {
          summary: 'The SEPA credit-transfer file (pain.001.001.03) for all pending refunds, which become in-file (billing). The message id derives from the set of refunds; with nothing pending the latest file is returned again (200)',
          responses: {
            '201': { description: 'A new file', content: { 'application/xml': { schema: { type: 'string' } } } },
            '200': { description: 'The latest file again', content: { 'application/xml': { schema: { type: 'string' } } } },
            ...problems(401, 403, 404, 422),
          },
        },
      },
      '/v1/bookkeeping/journal': {
        get: {
          summary: 'Journal entries per day and account from the ledger, double-entry, for the finance system (billing, admin; at most 366 days)',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'format', in: 'query', required: false, schema: { enum: ['json', 'csv'] } },
          ],
          responses: { '200': { description: 'The journal', content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } }, ...problems(400, 401, 403) },
        },
      },
      '/v1/reports/fee-income': {
        get: {
          summary: 'Invoiced against paid per month (billing, supervisor, admin)',
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'granularity', in: 'query', required: false, schema: { enum: ['month'] } },
          ],
          responses: { '200': ok('Periods'), ...problems(400, 401, 403) },
        },
      },
      '/v1/reports/receivables-aging': {
        get: {
          summary: 'Open invoices by days overdue: not due, 1–30, 31–90, 91–180, over 180 (billing, supervisor, admin)',
          parameters: [{ name: 'on', in: 'query', required: true, schema: { type: 'string', format: 'date' } }],
          responses: { '200': ok('Buckets'), ...problems(400, 401, 403) },
        },
      },
      '/v1/me': { get: { summary: 'The caller', responses: { '200': ok('Principal'), ...problems(401) } } },
      '/public/resignations': {
        post: { summary: 'The public resignation form (identity code and surname; rate-limited)', security: [], requestBody: body(publicResignationSchema), responses: { '202': ok('Received'), ...problems(400, 413, 422, 429) } },
      },
      '/public/applications': {
        post: { summary: 'The public join form (no login; rate-limited)', security: [], requestBody: body(submitApplicationSchema), responses: { '201': ok('Received'), ...problems(400, 413, 429) } },
      },
    },
  };
}

export const docsPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jäsenrekisteri API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code,pre{background:#f4f4f5;padding:.1rem .3rem;border-radius:4px}pre{padding:1rem;overflow:auto}h2{margin-top:2rem}</style></head>
<body><main><h1>Jäsenrekisteri API</h1>
<p>The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a>. Errors are <code>application/problem+json</code> (RFC 9457) with a <code>detail</code> a person can act on and <code>invalidParams</code> naming each field.</p>
<h2>Authentication</h2><p>Get a token with the OAuth2 client-credentials grant at the fund's IdP and send <code>Authorization: Bearer …</code>. Submissions need an <code>Idempotency-Key</code> header: the same key twice gives the same application.</p>
<pre>curl -s -u eservices:eservices-secret -d grant_type=client_credentials -d scope="applications:write applications:read" http://localhost:3001/token</pre>
<h2>Operations</h2><ul id="ops"></ul></main>
<script>fetch('/api/openapi.json').then(r=>r.json()).then(d=>{const ul=document.getElementById('ops');for(const [p,ops] of Object.entries(d.paths))for(const [m,o] of Object.entries(ops)){const li=document.createElement('li');li.innerHTML='<code>'+m.toUpperCase()+' /api'+p+'</code> – ';li.append(o.summary);ul.append(li)}})</script>
</body></html>`;
