import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyPopulationBatch } from '../../activities/populationRegisterSync';
import { auditLog, memberChanges, membershipPeriods, persons, populationSyncState, tasks } from '../../db/schema';
import { createDvvChangesClient } from '../../integrations/adapters/dvv';
import { FakeDvv } from '../../integrations/adapters/dvv/fakeDvv';
import { getAddressConflictReview } from '../../services/memberReviews';
import { populationRegisterSyncQueue } from '../../workflows/definitions/populationRegisterSync';
import { populationRegisterSync } from '../../workflows/populationRegisterSync';
import { apiClient } from '../support/api';
import { applicationData, newKey, uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

const fake = new FakeDvv({ batchSize: 2 });
const source = createDvvChangesClient({ baseUrl: 'http://fake-dvv.test', username: 'dvv-user', password: 'dvv-password', xRoadClient: 'FI/TEST/0000000-0/jr', fetch: fake.fetch });
let stack: Stack;
let token: string;
let caseworker: string;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack({ populationRegister: source });
  token = await stack.token('eservices');
  caseworker = await stack.login('caseworker');
  client = apiClient(stack, { as: { token } });
});
afterAll(async () => stack?.close());

async function member(overrides = {}) {
  const data = applicationData(overrides);
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  const done = await client.waitForStatus(res.body.id, ['approved']);
  return { memberId: done.memberId as string, data };
}

const at = '2026-11-20T10:00:00.000Z';
const sync = () => stack.ctx.temporal.workflow.execute(populationRegisterSync, { taskQueue: stack.ctx.taskQueues[populationRegisterSyncQueue], workflowId: `test-population-sync-${newKey()}` });

describe('population-register sync', () => {
  it('applies names, addresses, non-disclosure, corrections and deaths in batches, persisting the token', async () => {
    const a = await member();
    const b = await member();
    const corrected = uniqueIdentityCode();
    fake.add({ henkilotunnus: a.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'HENKILON_NIMI', muutosattribuutti: 'MUUTETTU', etunimi: 'Uusi Etunimi', sukunimi: 'Uusisukunimi' }] });
    fake.add({
      henkilotunnus: a.data.identityCode,
      muutospv: at,
      tietoryhmat: [{ tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', muutosattribuutti: 'LISATTY', alkupv: { arvo: '2026-11-01', tarkkuus: 'PAIVA' }, katunumero: '5', postinumero: '33100', katunimi: { fi: 'Hämeenkatu' }, postitoimipaikka: { fi: 'TAMPERE' } }],
    });
    fake.add({ henkilotunnus: a.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'TURVAKIELTO', turvakieltoAktiivinen: true }] });
    fake.add({ henkilotunnus: b.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '2026-11-18', tarkkuus: 'PAIVA' } }] });
    fake.add({
      henkilotunnus: a.data.identityCode,
      muutospv: at,
      tietoryhmat: [{ tietoryhma: 'HENKILOTUNNUS_KORJAUS', voimassaolo: 'AKTIIVI', muutosattribuutti: 'LISATTY', muutettuHenkilotunnus: corrected, aktiivinenHenkilotunnus: corrected, edellisetHenkilotunnukset: [a.data.identityCode] }],
    });
    await stack.db.delete(populationSyncState);
    await stack.db.insert(populationSyncState).values({ id: 'dvv', token: await source.firstToken('2026-11-20') });

    const result = await sync();
    expect(result.batches).toBeGreaterThanOrEqual(3);
    expect(result.deaths).toBe(1);
    const [state] = await stack.db.select().from(populationSyncState);
    expect(state?.upToDate).toBe(true);

    const [pa] = await stack.db.select().from(persons).where(eq(persons.identityCode, corrected));
    expect(pa).toMatchObject({ firstNames: 'Uusi Etunimi', lastName: 'Uusisukunimi', streetAddress: 'Hämeenkatu 5', city: 'TAMPERE', addressSource: 'population-register', nonDisclosure: true });
    const byOldCode = await client.api('/api/v1/members/search', { method: 'POST', cookie: caseworker, body: JSON.stringify({ q: a.data.identityCode }) });
    expect(byOldCode.body.items[0]?.id).toBe(a.memberId);

    // The death process is started by the sync and runs on its own.
    await expect
      .poll(async () => (await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, b.memberId)))[0], { timeout: 15_000, interval: 100 })
      .toMatchObject({ endDate: '2026-11-18', endReason: 'death' });
  });

  it('is idempotent when the same batch is sent again', async () => {
    const c = await member();
    const from = fake.add({ henkilotunnus: c.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'HENKILON_NIMI', muutosattribuutti: 'MUUTETTU', etunimi: 'Kerran', sukunimi: 'Vain' }] });
    const batch = await source.changesSince(from, [c.data.identityCode]);
    const first = await applyPopulationBatch(stack.db, from, batch);
    const again = await applyPopulationBatch(stack.db, from, batch);
    expect(first.applied).toBe(1);
    expect(again.applied).toBe(0);
    const [p] = await stack.db.select().from(persons).where(eq(persons.identityCode, c.data.identityCode));
    const changes = await stack.db.select().from(memberChanges).where(eq(memberChanges.personId, p!.id));
    expect(changes.filter((ch) => ch.field === 'name' && ch.changedBy === 'population-register')).toHaveLength(1);
    const [state] = await stack.db.select().from(populationSyncState);
    expect(state?.token).toBe(batch.nextToken);
  });

  it('turns a conflict with a member-given address into a caseworker task', async () => {
    const d = await member();
    await client.api(`/api/v1/members/${d.memberId}/contact`, { method: 'PATCH', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsenen ilmoitus', address: { street: 'Omakatu 1', postalCode: '00100', city: 'Helsinki' } }) });
    const [state] = await stack.db.select().from(populationSyncState);
    fake.add({
      henkilotunnus: d.data.identityCode,
      muutospv: at,
      tietoryhmat: [{ tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', muutosattribuutti: 'LISATTY', alkupv: { arvo: '2026-11-15', tarkkuus: 'PAIVA' }, katunumero: '9', postinumero: '20100', katunimi: { fi: 'Aurakatu' }, postitoimipaikka: { fi: 'TURKU' } }],
    });
    expect(state).toBeDefined();
    const result = await sync();
    expect(result.conflicts).toBe(1);
    const [p] = await stack.db.select().from(persons).where(eq(persons.identityCode, d.data.identityCode));
    expect(p?.streetAddress).toBe('Omakatu 1');
    const task = await vi.waitFor(
      async () => {
        const rows = await stack.db.select().from(tasks).where(eq(tasks.subjectId, d.memberId));
        if (rows.length === 0) throw new Error('no address-conflict task yet');
        return rows;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(task[0]?.kind).toBe('address-conflict');
    const taskId = task[0]!.id;

    // What the desk's task page loads: the member's own address beside the register's, audited as a member read.
    const detail = await client.api(`/api/v1/tasks/${taskId}?lang=fi`, { cookie: caseworker });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body.application).toBeNull();
    expect(detail.body.eligibilityReview).toBeNull();
    expect(detail.body.addressConflict).toMatchObject({
      member: { id: d.memberId, firstNames: d.data.firstNames, lastName: d.data.lastName, identityCode: d.data.identityCode, status: 'active' },
      current: { hidden: false, street: 'Omakatu 1', postalCode: '00100', city: 'Helsinki', source: 'member' },
      register: { hidden: false, street: 'Aurakatu 9', postalCode: '20100', city: 'TURKU', source: 'population-register', validFrom: '2026-11-15' },
    });
    expect(detail.body.addressConflict.member.memberNumber).toBeGreaterThan(0);
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'member'), eq(auditLog.entityId, d.memberId), eq(auditLog.action, 'member.read')));
    expect(reads.map((r) => r.details)).toContainEqual({ view: 'task', kind: 'address-conflict', taskId });

    // Billing users neither open the task nor read the review, through the API or the service.
    const billing = await stack.login('billing');
    expect((await client.api(`/api/v1/tasks/${taskId}`, { cookie: billing })).status).toBe(403);
    await expect(getAddressConflictReview(stack.ctx, { kind: 'user', id: 'billing-user', name: 'Billing', roles: ['billing'] }, taskId)).rejects.toMatchObject({ status: 403 });

    // Keeping the member's address needs a reason; the refusal is a 409 with the process's words.
    const keptWithout = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'reject' }) });
    expect(keptWithout.status).toBe(409);
    expect(keptWithout.body.detail).toContain('needs a reason');

    const decided = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'approve' }) });
    expect(decided.status).toBe(200);
    const [after] = await stack.db.select().from(persons).where(eq(persons.id, p!.id));
    expect(after).toMatchObject({ streetAddress: 'Aurakatu 9', addressSource: 'population-register' });
    const again = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'reject', reason: 'Myöhässä' }) });
    expect(again.status).toBe(409);
    const closed = await client.api(`/api/v1/tasks/${taskId}`, { cookie: caseworker });
    expect(closed.body.task).toMatchObject({ status: 'closed', outcome: 'population-address-adopted' });
    expect(closed.body.addressConflict.current).toMatchObject({ street: 'Aurakatu 9', source: 'population-register' });
  });
});

