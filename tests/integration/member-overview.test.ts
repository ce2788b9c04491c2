/**
 * The member's overall view read in one prepared statement with its audit row (decision 049):
 * the statement gives the same data as the separate reads it replaced (the repositories those
 * reads still serve), for members with varied histories, and every read writes exactly one
 * audit row, before the answer, with nothing personal in it.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as applicationsRepo from '../../db/repositories/applications';
import { auditTrailOf, recordAudit } from '../../db/repositories/audit';
import { readMemberOverviewAudited } from '../../db/repositories/memberOverview';
import * as membersRepo from '../../db/repositories/members';
import * as messagesRepo from '../../db/repositories/messages';
import * as personsRepo from '../../db/repositories/persons';
import * as resignationsRepo from '../../db/repositories/resignations';
import * as tasksRepo from '../../db/repositories/tasks';
import {
  applications,
  auditLog,
  invoices,
  memberChanges,
  members,
  membershipPeriods,
  messages,
  personIdentityCodes,
  persons,
  resignations,
  tasks,
  transferredPeriods,
  unionBatches,
  unionRemittances,
} from '../../db/schema';
import { feeSummaryOf, memberFeeSummary } from '../../services/ledger';
import { getMemberOverview } from '../../services/members';
import type { Principal } from '../../services/principal';
import { applicationData, uniqueIdentityCode } from '../support/applications';
import { newInvoice } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => stack?.close());

const user = (id: string, roles: string[]): Principal => ({ kind: 'user', id, name: id, roles });
const caseworker = user('caseworker', ['caseworker']);
const supervisor = user('supervisor', ['supervisor']);

const pick = <T extends object, K extends keyof T>(keys: readonly K[]) => (row: T) => Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;
const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

interface Seeded {
  memberId: string;
  memberNumber: number;
  personId: string;
}

async function seedPerson(o: { nonDisclosure?: boolean; dateOfDeath?: string; unionCode?: string } = {}): Promise<Seeded> {
  const identityCode = uniqueIdentityCode();
  const personId = await personsRepo.createPerson(
    stack.db,
    { identityCode, firstNames: 'Testi', lastName: 'Yleisnäkymä', birthDate: '1980-01-01', language: 'fi', email: 'yleis@example.fi', phone: '+358401234567', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
    { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
  );
  if (o.nonDisclosure || o.dateOfDeath) await stack.db.update(persons).set({ nonDisclosure: o.nonDisclosure ?? false, dateOfDeath: o.dateOfDeath ?? null, deathDatePrecision: o.dateOfDeath ? 'day' : null }).where(eq(persons.id, personId));
  const [member] = await stack.db.insert(members).values({ personId, channel: o.unionCode ? 'union' : 'direct', unionCode: o.unionCode ?? null, eligibilityBasis: 'employee' }).returning();
  return { memberId: member!.id, memberNumber: member!.memberNumber, personId };
}

/** Periods, a transfer, name/address/code histories, messages, tasks, applications, resignations, invoices, union remittances, audit rows. */
async function seedRichMember(): Promise<Seeded> {
  const m = await seedPerson({ unionCode: '015' });
  const db = stack.db;
  await db.insert(membershipPeriods).values([
    { memberId: m.memberId, startDate: '2021-03-01', endDate: '2022-06-30', endReason: 'resignation', endedBy: 'test' },
    { memberId: m.memberId, startDate: '2023-01-01', endDate: null },
  ]);
  await db.insert(transferredPeriods).values([
    { memberId: m.memberId, fundName: 'Esimerkkikassa', fundBusinessId: '1234567-8', startDate: '2019-01-01', endDate: '2021-02-28', paidThrough: '2021-02-28', recordedBy: 'test' },
    { memberId: m.memberId, fundName: 'Vanha kassa', startDate: '2016-05-01', endDate: '2018-12-31', recordedBy: 'test' },
  ]);
  const person = (await personsRepo.findPerson(db, m.personId))!;
  const ctx = { by: 'caseworker', reason: 'Jäsen ilmoitti', effectiveFrom: '2024-05-01' };
  await personsRepo.changeName(db, person, { firstNames: 'Testi', lastName: 'Uusinimi' }, { ...ctx, source: 'caseworker' });
  await personsRepo.changeAddress(db, (await personsRepo.findPerson(db, m.personId))!, { street: 'Uusikatu 2', postalCode: '00200', city: 'Espoo' }, { ...ctx, source: 'member' });
  await db.insert(memberChanges).values({ personId: m.personId, memberId: m.memberId, field: 'membership', effectiveFrom: '2022-06-30', changedBy: 'system', reason: 'Fund switch', reasonCode: 'fund_switch', reasonParams: { newFund: 'Esimerkkikassa' }, changedAt: new Date('2022-06-01T10:00:00.123Z') });
  await db.insert(personIdentityCodes).values({ personId: m.personId, identityCode: uniqueIdentityCode(), active: false, source: 'dvv', recordedBy: 'test' });
  const base = Date.parse('2025-01-01T08:00:00Z');
  await db.insert(messages).values(
    Array.from({ length: 4 }, (_, i) => ({
      messageKey: `overview-test/${randomUUID()}`,
      kind: i === 0 ? 'resignation-confirmation-request' : 'invoice',
      memberId: m.memberId,
      language: 'fi',
      recipient: { name: 'Testi' } as never,
      subject: `Viesti ${i}`,
      body: i === 0 ? 'Vahvista: https://kassa.example/resign/confirm?token=abc123' : `Runko ${i}`,
      status: i % 2 ? 'sent' : 'pending',
      channel: i % 2 ? 'email' : null,
      createdAt: new Date(base + i * 60_000),
      sentAt: i % 2 ? new Date(base + i * 60_000 + 1_500) : null,
    })),
  );
  const person2 = (await personsRepo.findPerson(db, m.personId))!;
  const appIds = [randomUUID(), randomUUID()];
  for (const [i, id] of appIds.entries()) {
    await db.insert(applications).values({
      id,
      idempotencyKey: `overview-${id}`,
      channel: 'desk',
      submittedBy: 'caseworker',
      receivedOn: '2022-12-15',
      receivedBy: 'caseworker',
      identityCode: person2.identityCode,
      data: applicationData({ identityCode: person2.identityCode }),
      status: i ? 'in-review' : 'approved',
      memberId: i ? null : m.memberId,
      workflowId: `application-${id}`,
    });
  }
  const task = (subjectId: string, status: 'open' | 'closed', n: number) => ({
    workflowId: `overview-test-${randomUUID()}`,
    taskKey: 'review',
    kind: 'application-review',
    queue: 'membership',
    requiredRole: 'caseworker',
    subjectType: 'application',
    subjectId,
    title: `Tehtävä ${n}`,
    priority: 50 + n,
    dueAt: new Date(base + n * 3_600_000),
    status,
    claimedByName: n === 1 ? 'Kaisa Käsittelijä' : null,
  });
  await db.insert(tasks).values([task(m.memberId, 'open', 1), task(appIds[0]!, 'open', 2), task(appIds[0]!, 'closed', 3)]);
  await db.insert(resignations).values([
    { id: randomUUID(), memberId: m.memberId, kind: 'resignation', idempotencyKey: randomUUID(), submittedBy: 'public', channel: 'resignation-form', receivedOn: '2022-05-20', endDate: '2022-06-30', feeOwedUntil: '2022-06-30', status: 'effective', workflowId: `resignation-${randomUUID()}`, createdAt: new Date('2022-05-20T09:00:00Z'), decidedBy: 'public' },
    { id: randomUUID(), memberId: m.memberId, kind: 'fund-switch', idempotencyKey: randomUUID(), submittedBy: 'public', channel: 'resignation-form', receivedOn: '2025-02-01', requestedEndDate: '2025-03-31', endDate: '2025-03-31', feeOwedUntil: '2025-03-31', newFund: 'Toinen kassa', status: 'requested', workflowId: `resignation-${randomUUID()}`, confirmationExpiresAt: new Date('2025-02-15T21:59:59.999Z') },
  ]);
  const paid = await newInvoice(stack, m, 2023, 4800);
  await db.update(invoices).set({ status: 'paid', openCents: 0 }).where(eq(invoices.id, paid.id));
  await newInvoice(stack, m, 2024, 5200);
  const [batch] = await db.insert(unionBatches).values({ unionCode: '015', batchKey: randomUUID(), sha256: 'x', format: 'json', receivedBy: 'test', eventCount: 2 }).returning();
  await db.insert(unionRemittances).values([
    { unionCode: '015', memberId: m.memberId, period: '2025-02', amountCents: 400, batchId: batch!.id, lineNo: 1, bookedBy: 'test' },
    { unionCode: '015', memberId: m.memberId, period: '2025-01', amountCents: 400, batchId: batch!.id, lineNo: 2, bookedBy: 'test' },
  ]);
  await recordAudit(db, { actor: 'billing', actorKind: 'user', action: 'member.ledger-read', entityType: 'member', entityId: m.memberId });
  return m;
}

/** The view as the separate reads gave it before decision 049 (each repository as the old service called it). */
async function separateReads(memberId: string, withAuditTrail: boolean, today: string) {
  const db = stack.db;
  const { member, person } = (await membersRepo.findMemberWithPerson(db, memberId))!;
  const histories = await personsRepo.historiesOfPerson(db, person.id);
  return {
    member: pick<typeof member, 'id' | 'memberNumber' | 'channel' | 'unionCode' | 'eligibilityBasis'>(['id', 'memberNumber', 'channel', 'unionCode', 'eligibilityBasis'])(member),
    person,
    periods: (await membersRepo.periodsOfMember(db, memberId)).map(pick(['startDate', 'endDate', 'endReason'])),
    transferred: (await membersRepo.transferredPeriodsOfMember(db, memberId)).map(pick(['fundName', 'fundBusinessId', 'startDate', 'endDate', 'paidThrough'])),
    messages: (await messagesRepo.messagesOfMember(db, memberId, 100)).map(pick(['id', 'kind', 'subject', 'body', 'status', 'channel', 'createdAt', 'sentAt'])),
    openTasks: byId((await tasksRepo.openTasksAboutMember(db, memberId)).map(pick(['id', 'kind', 'title', 'priority', 'dueAt', 'claimedByName']))),
    applications: byId((await applicationsRepo.applicationsOfIdentityCode(db, person.identityCode)).map(pick(['id', 'workflowId', 'status', 'createdAt']))),
    resignations: (await resignationsRepo.resignationsOfMember(db, memberId)).map(
      pick(['id', 'kind', 'receivedOn', 'requestedEndDate', 'endDate', 'feeOwedUntil', 'status', 'newFund', 'channel', 'workflowId', 'createdAt', 'confirmationExpiresAt', 'decidedBy', 'decisionReason', 'withdrawalReason']),
    ),
    changes: (await personsRepo.changesOfPerson(db, person.id, 50)).map(pick(['field', 'effectiveFrom', 'changedAt', 'changedBy', 'reason', 'reasonCode', 'reasonParams'])),
    auditTrail: withAuditTrail ? (await auditTrailOf(db, 'member', memberId, 50)).map(pick(['at', 'actor', 'actorKind', 'action', 'details'])) : null,
    names: histories.names.map(pick(['firstNames', 'lastName', 'validFrom', 'source'])),
    addresses: histories.addresses.map(pick(['kind', 'street', 'postalCode', 'city', 'country', 'source', 'validFrom', 'validTo'])),
    identityCodes: histories.identityCodes.map(pick(['identityCode', 'active'])).sort((a, b) => a.identityCode.localeCompare(b.identityCode)),
    fees: await memberFeeSummary(db, memberId, today),
  };
}

const readsOf = (memberId: string) =>
  stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'member'), eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.read')));

describe('the member overview in one statement', () => {
  it('gives what the separate reads gave, for members with varied histories, with and without the audit trail', async () => {
    const today = stack.ctx.today();
    const seeded = [await seedRichMember(), await seedPerson(), await seedPerson({ nonDisclosure: true, dateOfDeath: '2025-03-02' })];
    for (const m of seeded) {
      for (const withAuditTrail of [false, true]) {
        const expected = await separateReads(m.memberId, withAuditTrail, today);
        const read = (await readMemberOverviewAudited(stack.db, m.memberId, { actor: 'test-reader', actorKind: 'user' }, withAuditTrail))!;
        expect({ ...read, fees: feeSummaryOf(read.fees, today), openTasks: byId(read.openTasks), applications: byId(read.applications), identityCodes: [...read.identityCodes].sort((a, b) => a.identityCode.localeCompare(b.identityCode)) }).toEqual({
          ...expected,
          person: expect.objectContaining(read.person),
        });
        // Every field the view keeps of the person is the stored one.
        for (const [k, v] of Object.entries(read.person)) expect(expected.person[k as keyof typeof expected.person], k).toEqual(v);
      }
    }
    const rich = await separateReads(seeded[0]!.memberId, true, today);
    // The rich member really has every part, so the comparison above compared something.
    for (const part of ['periods', 'transferred', 'messages', 'openTasks', 'applications', 'resignations', 'changes', 'names', 'addresses'] as const) expect(rich[part].length, part).toBeGreaterThan(1);
    expect(rich.identityCodes).toHaveLength(2);
    expect(rich.auditTrail!.length).toBeGreaterThan(2);
    expect(rich.fees).toMatchObject({ status: 'overdue', balanceCents: 10000, openInvoices: 1 });
  });

  it('writes one audit row per read (actor, member, the view; nothing personal), not seen in its own audit trail; none for an unknown member', async () => {
    const m = await seedRichMember();
    const before = (await readsOf(m.memberId)).length;
    const seen = await getMemberOverview(stack.ctx, supervisor, m.memberId);
    const rows = await readsOf(m.memberId);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ actor: 'supervisor', actorKind: 'user', entityType: 'member', entityId: m.memberId, details: { view: 'overview' } });
    expect(seen.auditTrail!.filter((a) => a.action === 'member.read')).toHaveLength(before);
    const again = await getMemberOverview(stack.ctx, supervisor, m.memberId);
    expect(again.auditTrail!.filter((a) => a.action === 'member.read')).toHaveLength(before + 1);
    expect(await readsOf(m.memberId)).toHaveLength(before + 2);

    const asCaseworker = await getMemberOverview(stack.ctx, caseworker, m.memberId);
    expect(asCaseworker.auditTrail).toBeNull();
    expect(asCaseworker.messages.find((x) => x.kind === 'resignation-confirmation-request')?.body).toContain('/resign/confirm?token=…');
    expect(await readsOf(m.memberId)).toHaveLength(before + 3);

    const unknown = randomUUID();
    await expect(getMemberOverview(stack.ctx, caseworker, unknown)).rejects.toMatchObject({ status: 404 });
    expect(await readsOf(unknown)).toHaveLength(0);
  });
});
