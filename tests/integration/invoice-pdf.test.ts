import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, members, persons } from '../../db/schema';
import { formatIban } from '../../domain/billing/iban';
import { formatReferenceNumber } from '../../domain/billing/referenceNumber';
import { apiClient, type ApiClient } from '../support/api';
import { newInvoice, newMember, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ApiClient;
let eservices: string;
let billing: string;
let caseworker: string;
let supervisor: string;
let auditor: string;

beforeAll(async () => {
  stack = await startStack();
  eservices = await stack.token('eservices');
  [billing, caseworker, supervisor, auditor] = await Promise.all([stack.login('billing'), stack.login('caseworker'), stack.login('supervisor'), stack.login('auditor')]);
  client = apiClient(stack, { as: { token: eservices } });
});
afterAll(async () => stack?.close());

/** The PDF as bytes (the JSON client would decode it as text), with status and headers. */
async function getPdf(invoiceId: string, cookie: string) {
  const res = await stack.app.request(`http://localhost/api/v1/invoices/${invoiceId}/pdf`, { headers: { cookie } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: Buffer.from(bytes).toString('latin1') };
}

async function personOf(m: TestMember) {
  const [row] = await stack.db.select({ personId: members.personId }).from(members).where(eq(members.id, m.memberId));
  return row!.personId;
}

describe('GET /api/v1/invoices/{id}/pdf', () => {
  it('gives billing users and caseworkers the printed invoice, and audits each read', async () => {
    const m = await newMember(stack, client, eservices);
    const invoice = await newInvoice(stack, m, 2025, 9600);

    for (const cookie of [billing, caseworker]) {
      const res = await getPdf(invoice.id, cookie);
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`inline; filename="lasku-${invoice.invoiceNumber}.pdf"`);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(res.text.startsWith('%PDF-1.4')).toBe(true);
      expect(res.text.endsWith('%%EOF\n')).toBe(true);
      expect(res.text).toContain(`(${formatReferenceNumber(invoice.reference)})`);
      expect(res.text).toContain(`(${formatIban(stack.profile.iban)})`);
      expect(res.text).toContain('(96,00)');
      expect(res.text).toContain('(15.2.2025)');
      expect(res.text).toContain(`(${invoice.virtualBarcode})`);
      expect(res.text).toContain('(Testikatu 1)');
    }

    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'invoice.pdf-read'), eq(auditLog.entityId, invoice.id)));
    expect(audits.map((a) => [a.entityType, a.actorKind, a.details])).toEqual([
      ['invoice', 'user', { memberId: m.memberId, withAddress: true }],
      ['invoice', 'user', { memberId: m.memberId, withAddress: true }],
    ]);
  });

  it('leaves a protected address out unless the reader is a supervisor', async () => {
    const m = await newMember(stack, client, eservices);
    const invoice = await newInvoice(stack, m, 2025, 9600);
    await stack.db.update(persons).set({ nonDisclosure: true }).where(eq(persons.id, await personOf(m)));

    const forBilling = await getPdf(invoice.id, billing);
    expect(forBilling.status).toBe(200);
    expect(forBilling.text).not.toContain('Testikatu');
    expect(forBilling.text).not.toContain('00100 Helsinki');
    expect(forBilling.text).toContain('(Testi Henkil\xf6 Hakija)'); // the name stays (ö is one WinAnsi byte)

    const forSupervisor = await getPdf(invoice.id, supervisor);
    expect(forSupervisor.status).toBe(200);
    expect(forSupervisor.text).toContain('(Testikatu 1)');
  });

  it('refuses roles without access (403), and answers 404 for an unknown invoice and 400 for a malformed id', async () => {
    const m = await newMember(stack, client, eservices);
    const invoice = await newInvoice(stack, m, 2025, 9600);

    const forbidden = await client.api(`/api/v1/invoices/${invoice.id}/pdf`, { cookie: auditor });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    const viaToken = await client.api(`/api/v1/invoices/${invoice.id}/pdf`, { token: eservices });
    expect(viaToken.status).toBe(403);

    const unknown = await client.api(`/api/v1/invoices/${randomUUID()}/pdf`, { cookie: billing });
    expect(unknown.status).toBe(404);
    const malformed = await client.api('/api/v1/invoices/not-an-id/pdf', { cookie: billing });
    expect(malformed.status).toBe(400);
    expect(malformed.body.invalidParams).toBeDefined();

    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'invoice.pdf-read'), eq(auditLog.entityId, invoice.id)));
    expect(audits).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await client.api('/api/openapi.json');
    expect(doc.body.paths['/v1/invoices/{id}/pdf'].get.responses['200'].content).toHaveProperty('application/pdf');
  });
});
