/**
 * Fee exemptions the fund grants to direct members (decision 038): granted and ended at the desk
 * with a reason, audited, never overlapping one another (two desks at once: one exemption), refused
 * for a union's member and for a union's exemption, and read by the billing run's preview like a
 * union's (a wholly exempt quarter is exempt). Real PostgreSQL.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewCandidates } from '../../db/repositories/billing';
import { createPerson } from '../../db/repositories/persons';
import { auditLog, feeExemptions, members, membershipPeriods } from '../../db/schema';
import { exemptForPeriod, exemptMonths } from '../../domain/billing/exemptions';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let caseworker: string;
let billing: string;
let admin: string;
let auditor: string;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  caseworker = await stack.login('caseworker');
  billing = await stack.login('billing');
  admin = await stack.login('admin');
  auditor = await stack.login('auditor');
}, 120_000);
afterAll(async () => stack?.close());

async function seedMember(unionCode: string | null): Promise<string> {
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode: uniqueIdentityCode(), firstNames: 'Vapaa', lastName: 'Kassasta', birthDate: '1980-01-01', language: 'fi', email: null, phone: null, address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [m] = await tx.insert(members).values({ personId, channel: unionCode ? 'union' : 'direct', unionCode }).returning();
    await tx.insert(membershipPeriods).values({ memberId: m!.id, startDate: '2024-01-01', endDate: null });
    return m!.id;
  });
}

const grant = (memberId: string, body: unknown, cookie = caseworker) => api(`/api/v1/members/${memberId}/exemptions`, { method: 'POST', cookie, body: JSON.stringify(body) });
const end = (memberId: string, id: string, body: unknown, cookie = caseworker) => api(`/api/v1/members/${memberId}/exemptions/${id}/end`, { method: 'POST', cookie, body: JSON.stringify(body) });
/** The uuid right after `id`: a billing range holding that member only (ranges end before `to`). */
const after = (id: string) => {
  const h = (BigInt(`0x${id.replace(/-/g, '')}`) + 1n).toString(16).padStart(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

describe("the fund's exemptions of a direct member", () => {
  it('grants and ends with a reason, audited; no overlap, even from two desks at once; the billing preview reads them', async () => {
    const memberId = await seedMember(null);
    const first = await grant(memberId, { startDate: '2031-04-10', endDate: '2031-05-31', reason: 'Pitkä sairausloma' });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ source: 'fund', unionCode: null, startDate: '2031-04-10', endDate: '2031-05-31', reason: 'Pitkä sairausloma', grantedBy: 'caseworker', endReason: null });

    const overlap = await grant(memberId, { startDate: '2031-05-15', reason: 'Toinen' });
    expect(overlap.status).toBe(409);
    expect(overlap.body).toMatchObject({ code: 'exemption_overlaps', params: { startDate: '2031-04-10', endDate: '2031-05-31' } });
    const reversed = await grant(memberId, { startDate: '2031-09-01', endDate: '2031-08-31', reason: 'Väärin päin' });
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('exemption_end_before_start');
    expect((await grant(memberId, { startDate: '2031-07-01' })).status).toBe(400);

    // Two desks grant the same open exemption at once: one is granted, the other told it overlaps.
    const [a, b] = await Promise.all([grant(memberId, { startDate: '2031-07-01', reason: 'Opinnot' }), grant(memberId, { startDate: '2031-07-01', reason: 'Opinnot' }, billing)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const open = (a.status === 201 ? a : b).body;
    const rows = await stack.db.select().from(feeExemptions).where(eq(feeExemptions.memberId, memberId));
    expect(rows.map((r) => [r.source, r.startDate, r.endDate]).sort()).toEqual([
      ['fund', '2031-04-10', '2031-05-31'],
      ['fund', '2031-07-01', null],
    ]);

    // The billing run's preview selects them like a union's: Q3 wholly exempt, May of Q2 too.
    const [candidate] = (await previewCandidates(stack.db, { from: memberId, to: after(memberId) }, '2031-04-01', '2031-09-30')).filter((c) => c.memberId === memberId);
    const exemptions = candidate!.exemptions.map(([startDate, endDate]) => ({ startDate, endDate }));
    const periods = candidate!.periods.map(([startDate, endDate]) => ({ startDate, endDate }));
    expect(exemptForPeriod(periods, exemptions, '2031-07-01', '2031-09-30')).toBe(true);
    expect(exemptForPeriod(periods, exemptions, '2031-04-01', '2031-06-30')).toBe(false);
    expect(exemptMonths(periods, exemptions, '2031-04-01', '2031-06-30')).toEqual([5]);

    // Ended early with a reason; not again, not after the day it was granted to, not before its start.
    expect((await end(memberId, first.body.id, { endDate: '2031-06-30', reason: 'Myöhemmin' })).body.code).toBe('exemption_end_after_granted');
    expect((await end(memberId, open.id, { endDate: '2031-06-30', reason: 'Ennen alkua' })).body.code).toBe('exemption_end_before_start');
    const ended = await end(memberId, open.id, { endDate: '2031-09-30', reason: 'Työhön lokakuussa' }, billing);
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body).toMatchObject({ endDate: '2031-09-30', endReason: 'Työhön lokakuussa', endedBy: 'billing' });
    const again = await end(memberId, open.id, { endDate: '2031-08-31', reason: 'Uudelleen' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('exemption_already_ended');
    // Ending it made room: October on is free to grant again.
    expect((await grant(memberId, { startDate: '2031-10-01', reason: 'Uusi jakso' })).status).toBe(201);

    const audits = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, memberId));
    const winner = a.status === 201 ? 'caseworker' : 'billing';
    expect(audits.filter((x) => x.action === 'member.exemption-granted').map((x) => x.actor).sort()).toEqual(['caseworker', 'caseworker', winner].sort());
    expect(audits.filter((x) => x.action === 'member.exemption-ended').map((x) => [x.actor, (x.details as { endDate: string }).endDate])).toEqual([['billing', '2031-09-30']]);

    // Read by the roles that work fees, audited as a read of the member.
    const list = await api(`/api/v1/members/${memberId}/exemptions`, { cookie: admin });
    expect(list.status, list.text).toBe(200);
    expect(list.body.items.map((e: { startDate: string }) => e.startDate)).toEqual(['2031-04-10', '2031-07-01', '2031-10-01']);
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.read')));
    expect(reads.map((r) => [r.actor, (r.details as { view: string }).view])).toEqual([['admin', 'exemptions']]);
  });

  it("refuses a union's member, a union's exemption, and roles that may not (403)", async () => {
    const unionMember = await seedMember('015');
    const refused = await grant(unionMember, { startDate: '2031-01-01', reason: 'Ei kassan' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'exemption_union_member', params: { unionCode: '015' } });
    const [reported] = await stack.db.insert(feeExemptions).values({ memberId: unionMember, unionCode: '015', startDate: '2031-01-01' }).returning();
    const endUnion = await end(unionMember, reported!.id, { endDate: '2031-02-28', reason: 'Ei kassan' });
    expect(endUnion.status).toBe(409);
    expect(endUnion.body).toMatchObject({ code: 'exemption_from_union', params: { unionCode: '015' } });
    expect((await api(`/api/v1/members/${unionMember}/exemptions`, { cookie: caseworker })).body.items).toMatchObject([{ source: 'union', unionCode: '015', startDate: '2031-01-01' }]);

    const direct = await seedMember(null);
    for (const [cookie, status] of [
      [admin, 403],
      [auditor, 403],
    ] as const) {
      const res = await grant(direct, { startDate: '2031-01-01', reason: 'Ei oikeutta' }, cookie);
      expect(res.status).toBe(status);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await api(`/api/v1/members/${direct}/exemptions`, { cookie: auditor })).status).toBe(403);
    expect((await api(`/api/v1/members/${direct}/exemptions`, { token: await stack.token('ekj') })).status).toBe(403);
    expect((await grant('00000000-0000-4000-8000-000000000000', { startDate: '2031-01-01', reason: 'Ei ketään' })).body.code).toBe('member_not_found');
    expect((await end(direct, '00000000-0000-4000-8000-000000000000', { endDate: '2031-01-01', reason: 'Ei mitään' })).body.code).toBe('exemption_not_found');
    expect(await stack.db.select().from(feeExemptions).where(eq(feeExemptions.memberId, direct))).toHaveLength(0);
  });
});
