import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, billingRunItems, feeYears, members, membershipPeriods, persons } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { todayInHelsinki } from '../../domain/dates';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

// A year no other test bills, so the run below touches nobody else's figures.
const YEAR = 2029;

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
let billing: string;
let caseworker: string;

const put = (year: number | string, body: unknown, cookie = admin) => client.api(`/api/v1/fee-years/${year}`, { method: 'PUT', cookie, body: JSON.stringify(body) });
const list = (cookie = admin) => client.api('/api/v1/fee-years', { cookie });
const fee = (monthlyCents: number, confirmed = false) => ({ model: 'per-month', monthlyCents, confirmed, note: 'Board decision 2028-10-01, §12' });

async function waitForStatus(id: string, status: string) {
  return vi.waitFor(
    async () => {
      const res = await client.api(`/api/v1/billing-runs/${id}`, { cookie: billing });
      if (res.body?.status !== status) throw new Error(`billing run ${id} stayed ${res.body?.status ?? res.status}`);
      return res.body;
    },
    { timeout: 30_000, interval: 150 },
  );
}

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  [admin, billing, caseworker] = await Promise.all([stack.login('admin'), stack.login('billing'), stack.login('caseworker')]);
});

afterAll(async () => {
  await stack?.close();
});

describe('fee years set in the register', () => {
  it('lists the shipped years for billing users and administrators only', async () => {
    const res = await list(billing);
    expect(res.status).toBe(200);
    const shipped = Object.keys(stack.profile.fees.years).map(Number);
    expect(res.body.items.map((i: { year: number }) => i.year)).toEqual(expect.arrayContaining(shipped));
    expect(res.body.items.find((i: { year: number }) => i.year === 2026)).toMatchObject({ model: 'per-month', monthlyCents: 800, fullYearCents: 9600, source: 'profile', confirmed: false });
    expect((await list(caseworker)).status).toBe(403);
  });

  it('refuses what billing would refuse, naming the field, and stores nothing', async () => {
    const cases: [number | string, unknown, string][] = [
      [YEAR, { model: 'per-month', yearlyCents: 9600, confirmed: true, note: 'wrong field' }, 'monthlyCents'],
      [YEAR, { model: 'per-month', monthlyCents: 850, yearlyCents: 9600, confirmed: true, note: 'both' }, 'yearlyCents'],
      [YEAR, { model: 'per-month', monthlyCents: -1, confirmed: true, note: 'negative' }, 'monthlyCents'],
      [YEAR, { model: 'per-month', monthlyCents: 8.5, confirmed: true, note: 'half cents' }, 'monthlyCents'],
      [YEAR, { model: 'per-quarter', monthlyCents: 850, confirmed: true, note: 'model' }, 'model'],
      [YEAR, { ...fee(850), extra: 1 }, 'extra'],
      [YEAR, { ...fee(850), note: '' }, 'note'],
      [1999, fee(850), 'year'],
      ['20x9', fee(850), 'year'],
    ];
    for (const [year, body, field] of cases) {
      const res = await put(year, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect(await stack.db.select().from(feeYears).where(eq(feeYears.year, YEAR))).toEqual([]);
  });

  it('only an administrator sets a fee', async () => {
    expect((await put(YEAR, fee(850), billing)).status).toBe(403);
    expect((await put(YEAR, fee(850), caseworker)).status).toBe(403);
  });

  it('an administrator sets a new year; it is audited, listed and billed with', async () => {
    const first = await put(YEAR, fee(850));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ year: YEAR, model: 'per-month', monthlyCents: 850, fullYearCents: 10_200, source: 'register', confirmed: false, setBy: 'admin' });
    // Setting it again replaces it (PUT), and the trail keeps both.
    const second = await put(YEAR, fee(875, true));
    expect(second.body).toMatchObject({ monthlyCents: 875, confirmed: true });
    const trail = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'fee-year.set'), eq(auditLog.entityId, `${stack.profile.id}/${YEAR}`)));
    expect(trail.map((a) => a.details.after)).toEqual([
      { model: 'per-month', monthlyCents: 850, confirmed: false },
      { model: 'per-month', monthlyCents: 875, confirmed: true },
    ]);
    expect(trail[1]!.details.before).toEqual({ model: 'per-month', monthlyCents: 850, confirmed: false });
    expect((await list()).body.items.find((i: { year: number }) => i.year === YEAR)).toMatchObject({ monthlyCents: 875, source: 'register', lockedBy: [] });

    // A member through the whole year: the preview stages 12 × 875.
    const [person] = await stack.db
      .insert(persons)
      .values({ identityCode: uniqueIdentityCode(), firstNames: 'Maksu', lastName: 'Vuosi', birthDate: '1980-01-01', language: 'fi', email: 'maksu@example.fi', streetAddress: 'Katu 1', postalCode: '00100', city: 'Helsinki', deliveryChannel: 'email' })
      .returning();
    const [member] = await stack.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
    await stack.db.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2024-01-01', endDate: null });

    const started = await client.api('/api/v1/billing-runs', { method: 'POST', cookie: billing, body: JSON.stringify({ period: String(YEAR), dueDate: addDays(todayInHelsinki(), 30) }) });
    expect(started.status).toBe(201);
    const run = await waitForStatus(started.body.id, 'awaiting-approval');
    const [staged] = await stack.db.select().from(billingRunItems).where(and(eq(billingRunItems.runId, run.id), eq(billingRunItems.memberId, member!.id)));
    expect(staged).toMatchObject({ category: 'invoice', amountCents: 12 * 875 });

    // While a run of the year exists its fee is fixed; once the run is rejected it may change again.
    const locked = await put(YEAR, fee(900));
    expect(locked.status).toBe(409);
    expect(locked.body.detail).toContain(run.id);
    expect((await list()).body.items.find((i: { year: number }) => i.year === YEAR).lockedBy).toEqual([run.id]);
    const rejected = await client.api(`/api/v1/tasks/${run.approvalTaskId}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify({ decision: 'reject', reason: 'fee to be corrected' }) });
    expect(rejected.status).toBe(200);
    await waitForStatus(run.id, 'rejected');
    expect((await put(YEAR, fee(900))).status).toBe(200);
  });
});
