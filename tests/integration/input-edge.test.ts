/**
 * The join rules at the API's edge (issue 10.7, 10.8, 9.7): each bad value is refused with a 400
 * naming the field and its code, by the integration API and the public form alike, and nothing is
 * stored; a name with markup is received but goes to a caseworker; a payment file's name is
 * stored only as a plain file name.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, bankFiles } from '../../db/schema';
import { apiClient, type ApiResponse } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { camt054 } from '../support/camt054File';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let eservices: string;

beforeAll(async () => {
  stack = await startStack();
  eservices = await stack.token('eservices');
  client = apiClient(stack, { as: { token: eservices } });
}, 120_000);
afterAll(async () => stack?.close());

async function countApplications(): Promise<number> {
  const [row] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(applications);
  return row!.n;
}

const viaApi = (data: unknown) =>
  client.api('/api/v1/applications', { method: 'POST', token: eservices, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
const viaForm = (data: unknown) => client.api('/api/public/applications', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), data }) });

const { email: _e, phone: _p, address: _a, ...noContact } = applicationData();

const cases: [string, unknown, string, string, Record<string, unknown>?][] = [
  ['an invalid e-mail', applicationData({ email: 'not-an-email' }), 'data.email', 'email_format'],
  ['an invalid phone', applicationData({ phone: 'abc' }), 'data.phone', 'phone_format'],
  ['a seven-digit postcode', applicationData({ address: { street: 'Testikatu 1', postalCode: '0010000', city: 'Helsinki' } }), 'data.address.postalCode', 'postal_code_format'],
  ['a start date years in the past', applicationData({ requestedStartDate: '2019-01-01' }), 'data.requestedStartDate', 'start_before_receipt'],
  ['no contact details at all', { ...noContact, identityCode: applicationData().identityCode }, 'data.email', 'contact_required'],
  ['first names over the limit', applicationData({ firstNames: 'A'.repeat(101) }), 'data.firstNames', 'max_length', { max: 100 }],
  ['NUL in the last name', applicationData({ lastName: 'Hak\u0000ija' }), 'data.lastName', 'control_characters'],
  ['a line break in the employer', applicationData({ employment: { status: 'employed', employer: 'Esimerkki\nOy' } }), 'data.employment.employer', 'control_characters'],
];

function expectRefused(res: ApiResponse, field: string, code: string, params?: Record<string, unknown>) {
  expect(res.status, res.text).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const param = res.body.invalidParams.find((p: { name: string }) => p.name === field);
  expect(param, res.text).toMatchObject({ code, ...(params ? { params } : {}) });
  expect(param.reason.length).toBeGreaterThan(5);
}

describe('the join rules at the edge', () => {
  for (const [what, data, field, code, params] of cases) {
    it(`refuses ${what} (${code}) by the API and the public form, storing nothing`, async () => {
      const before = await countApplications();
      expectRefused(await viaApi(data), field, code, params);
      expectRefused(await viaForm(data), field, code, params);
      expect(await countApplications()).toBe(before);
    });
  }

  it('says "at most 100 characters" for a long name', async () => {
    const res = await viaForm(applicationData({ lastName: 'B'.repeat(150) }));
    expect(res.body.detail).toContain('data.lastName: must be at most 100 characters');
  });

  it('answers control characters with the code control_characters', async () => {
    const res = await viaForm(applicationData({ firstNames: 'Testi\u0007' }));
    expect(res.body.code).toBe('control_characters');
  });

  it('refuses a control character in the Idempotency-Key header', async () => {
    const before = await countApplications();
    const res = await client.api('/api/v1/applications', { method: 'POST', token: eservices, headers: { 'idempotency-key': 'key-\u0001-12345678' }, body: JSON.stringify({ data: applicationData() }) });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ code: 'control_characters', invalidParams: [expect.objectContaining({ name: 'Idempotency-Key', code: 'control_characters' })] });
    expect(await countApplications()).toBe(before);
  });

  it('still takes a start date on the day of receipt and a foreign postal code', async () => {
    const today = stack.ctx.today();
    const res = await viaApi(applicationData({ requestedStartDate: today, address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' } }));
    expect(res.status, res.text).toBe(201);
  });
});

describe('names with markup', () => {
  it('receives <script> as a name but sends it to a caseworker with the finding name-characters', async () => {
    const res = await viaApi(applicationData({ firstNames: '<script>alert(1)</script>' }));
    expect(res.status, res.text).toBe(201);
    const view = await client.waitForStatus(res.body.id, ['in-review', 'approved']);
    expect(view.status).toBe('in-review');
    expect(view.findings).toContainEqual(expect.objectContaining({ code: 'name-characters', field: 'firstNames', severity: 'doubt' }));
    expect(view.memberId).toBeNull();
  });
});

describe('payment file names', () => {
  it('stores the last path segment without characters that mean something in a header', async () => {
    const bank = await stack.token('bank-gateway');
    const xml = camt054([{ archiveId: `EDGE${Date.now()}`, amountCents: 1234 }], { iban: stack.profile.iban });
    const res = await client.api(`/api/v1/payment-files?filename=${encodeURIComponent('../../in/"evil";.xml')}`, {
      method: 'POST',
      token: bank,
      body: xml,
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body.filename).toBe('_evil__.xml');
    const [row] = await stack.db.select().from(bankFiles).where(eq(bankFiles.id, res.body.id));
    expect(row!.filename).toBe('_evil__.xml');
  });
});
