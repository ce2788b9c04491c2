/**
 * The batched intake decider's set-based approval (decision 066: approveMany, one statement for the
 * batch's applicants new to the register) writes the same rows as the per-application approval
 * (approveLocked) for the same applications: person with its identity-code, name and address
 * history, member, period, the `membership.joined` outbox event, the decision on the application,
 * its messages linked to the member, the decision message, the `application.approved` audit row,
 * and nothing else (every table the approval can touch counted). Each path runs on the same
 * applications in a transaction of its own that is rolled back, so both see the same register; the
 * generated ids (person, member, period, row ids) are named by their application before comparing.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApplicationDecisions } from '../../activities/applicationIntake';
import { connectDatabase, type DbHandle, type DbOrTx } from '../../db/client';
import * as applicationsRepo from '../../db/repositories/applications';
import * as personsRepo from '../../db/repositories/persons';
import * as messagesRepo from '../../db/repositories/messages';
import { applications, auditLog, members, membershipPeriods, messages, outboxEvents, personAddresses, personIdentityCodes, personNames, persons } from '../../db/schema';
import type { ApplicationData } from '../../domain/application';
import { getFundProfile } from '../../domain/fundProfile';
import { applicationData, newKey } from '../support/applications';

let handle: DbHandle;
const profile = getFundProfile('a-kassa');
const today = '2026-12-05';
const decisions = () => createApplicationDecisions({ db: handle.db, profile, today: () => today });
/** The test's own decider: no running decider claims its applications. */
const deciderId = `intake-decider/test/set-based/${randomUUID()}`;

beforeAll(() => {
  handle = connectDatabase(inject('databaseUrl'), 4);
});
afterAll(async () => handle?.close());

/** An application stored for the test's decider as the API stores it; `union` as a union sends it. */
async function insertApplication(data: ApplicationData, union = false): Promise<string> {
  const id = randomUUID();
  await applicationsRepo.insertApplicationOnce(handle.db, {
    id,
    idempotencyKey: newKey(),
    channel: union ? 'union' : 'e-services',
    submittedBy: union ? 'union-test' : 'eservices',
    receivedOn: today,
    receivedBy: union ? 'union' : 'fund',
    unionCode: union ? (data.unionCode ?? null) : null,
    identityCode: data.identityCode,
    data,
    workflowId: deciderId,
  });
  return id;
}

/** Tables an approval can write, counted before and after (every row it adds, wherever it goes). */
const counted = ['persons', 'person_identity_codes', 'person_names', 'person_addresses', 'member_changes', 'members', 'membership_periods', 'outbox_events', 'messages', 'audit_log', 'tasks', 'applications'];

async function counts(tx: DbOrTx) {
  const rows = (await tx.execute(sql.raw(counted.map((t) => `select '${t}' as t, count(*)::int as n from ${t}`).join(' union all ')))) as unknown as { t: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** What the register holds of the applications' approvals, generated ids and times named by their application. */
async function registerRows(tx: DbOrTx, ids: string[]) {
  const apps = await tx.select().from(applications).where(inArray(applications.id, ids));
  const memberIds = apps.map((a) => a.memberId!);
  const memberRows = await tx.select().from(members).where(inArray(members.id, memberIds));
  const personIds = memberRows.map((m) => m.personId);
  const periods = await tx.select().from(membershipPeriods).where(inArray(membershipPeriods.sourceApplicationId, ids));
  const names = new Map<string, string>();
  for (const a of apps) names.set(a.memberId!, `member of ${a.id}`);
  for (const m of memberRows) names.set(m.personId, `person of ${apps.find((a) => a.memberId === m.id)!.id}`);
  for (const p of periods) names.set(p.id, `period of ${p.sourceApplicationId}`);
  const named = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  const [personRows, codes, nameRows, addresses, events, messageRows, audits] = await Promise.all([
    tx.select().from(persons).where(inArray(persons.id, personIds)),
    tx.select().from(personIdentityCodes).where(inArray(personIdentityCodes.personId, personIds)),
    tx.select().from(personNames).where(inArray(personNames.personId, personIds)),
    tx.select().from(personAddresses).where(inArray(personAddresses.personId, personIds)),
    tx.select().from(outboxEvents).where(inArray(outboxEvents.memberId, memberIds)),
    tx.select().from(messages).where(inArray(messages.applicationId, ids)),
    tx.select().from(auditLog).where(and(inArray(auditLog.entityId, ids), eq(auditLog.entityType, 'application'))),
  ]);
  const byKey = <T>(rows: T[], key: (r: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    applications: byKey(apps, (a) => a.id).map(({ updatedAt: _u, decision, memberId, ...a }) => ({ ...a, memberId: named(memberId), decision: { ...decision!, decidedAt: typeof decision!.decidedAt } })),
    persons: byKey(personRows, (p) => named(p.id)!).map(({ id, createdAt: _c, updatedAt: _u, ...p }) => ({ ...p, id: named(id) })),
    identityCodes: byKey(codes, (c) => named(c.personId)!).map(({ id: _i, recordedAt: _r, personId, ...c }) => ({ ...c, personId: named(personId) })),
    names: byKey(nameRows, (n) => named(n.personId)!).map(({ id: _i, recordedAt: _r, personId, ...n }) => ({ ...n, personId: named(personId) })),
    addresses: byKey(addresses, (a) => named(a.personId)!).map(({ id: _i, recordedAt: _r, personId, ...a }) => ({ ...a, personId: named(personId) })),
    members: byKey(memberRows, (m) => named(m.id)!).map(({ id, personId, memberNumber: _n, createdAt: _c, ...m }) => ({ ...m, id: named(id), personId: named(personId) })),
    periods: byKey(periods, (p) => p.sourceApplicationId!).map(({ id, memberId, createdAt: _c, ...p }) => ({ ...p, id: named(id), memberId: named(memberId) })),
    events: byKey(events, (e) => `${named(e.memberId)}/${e.memberSeq}`).map(({ position: _p, id: _i, occurredAt: _o, memberId, payload, ...e }) => ({
      ...e,
      memberId: named(memberId),
      payload: { ...payload, ...('periodId' in payload ? { periodId: named(payload.periodId as string) } : {}) },
    })),
    messages: byKey(messageRows, (m) => m.messageKey).map(({ id: _i, createdAt: _c, memberId, ...m }) => ({ ...m, memberId: named(memberId) })),
    audit: byKey(audits, (a) => `${a.entityId}/${a.action}`).map(({ id: _i, at: _a, details, ...a }) => ({
      ...a,
      details: { ...details, ...('memberId' in details ? { memberId: named(details.memberId as string) } : {}) },
    })),
  };
}

const rolledBack = new Error('rolled back: each path sees the same register');

/** Runs `approve` on the locked applications in a transaction that is rolled back; returns what it wrote. */
async function writtenBy(ids: string[], approve: (tx: DbOrTx, apps: applicationsRepo.ApplicationRow[]) => Promise<string[]>) {
  let written: { keys: string[]; added: Record<string, number>; rows: Awaited<ReturnType<typeof registerRows>> } | undefined;
  await expect(
    handle.db.transaction(
      async (tx) => {
        const before = await counts(tx);
        const locked = await tx.select().from(applications).where(inArray(applications.id, ids)).for('update');
        const apps = ids.map((id) => locked.find((a) => a.id === id)!);
        const keys = await approve(tx, apps);
        const after = await counts(tx);
        written = { keys, added: Object.fromEntries(counted.map((t) => [t, after[t]! - before[t]!])), rows: await registerRows(tx, ids) };
        throw rolledBack;
      },
      // Its own snapshot: the counts see this transaction's rows only, not other test files' at the same time.
      { isolationLevel: 'repeatable read' },
    ),
  ).rejects.toBe(rolledBack);
  return written!;
}

describe('the set-based approval of the batched intake decider (decision 066)', () => {
  it('writes the same register rows, outbox events and audit rows as the per-application approval', async () => {
    // A person already in the register (no member): approveMany takes approveLocked's path for them.
    const returning = applicationData({ firstNames: 'Palaava', lastName: 'Henkilö', address: { street: 'Uusi katu 2', postalCode: '00200', city: 'Espoo' } });
    await personsRepo.createPerson(
      handle.db,
      { identityCode: returning.identityCode, firstNames: 'Vanha', lastName: 'Nimi', birthDate: '1980-01-01', language: 'fi', address: { street: 'Vanha katu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'population-register' },
    );
    const ids = [
      await insertApplication(applicationData()),
      // No address, no phone, Swedish: no address history, the recipient without them.
      await insertApplication(applicationData({ language: 'sv', address: undefined, phone: undefined })),
      // No e-mail: a letter by the fund's delivery rules; an address abroad.
      await insertApplication(applicationData({ email: undefined, language: 'en', address: { street: 'Storgatan 3', postalCode: '111 22', city: 'Stockholm', country: 'SE' } })),
      // From a union: the member's channel and union code, no eligibility basis.
      await insertApplication(applicationData({ unionCode: 'TEST-UNION', eligibility: undefined }), true),
      await insertApplication(returning),
    ];
    // A message of the application before its decision: both link it to the new member.
    await messagesRepo.queueMessageOnce(handle.db, {
      messageKey: `application/${ids[0]}/test-before`, kind: 'completion-request', applicationId: ids[0], memberId: null, language: 'fi', recipient: { name: 'Testi Hakija' }, subject: 's', body: 'b',
    });
    const input = { decidedBy: 'system', reason: null, automatic: true, decider: deciderId };
    const validatedOf = async (tx: DbOrTx, app: applicationsRepo.ApplicationRow) => {
      const v = await decisions().validated(tx, app);
      return { findings: v.findings, outcome: v.outcome, startDate: v.startDate };
    };

    const perApplication = await writtenBy(ids, async (tx, apps) => {
      const keys: string[] = [];
      for (const app of apps) keys.push((await decisions().approveLocked(tx, app, input, await validatedOf(tx, app))).messageKey);
      return keys;
    });
    const setBased = await writtenBy(ids, async (tx, apps) => {
      const approvals = [];
      for (const app of apps) approvals.push({ app, input, validated: await validatedOf(tx, app) });
      return decisions().approveMany(tx, approvals);
    });

    expect(perApplication.rows.applications.map((a) => a.status)).toEqual(['approved', 'approved', 'approved', 'approved', 'approved']);
    expect(perApplication.added).toMatchObject({ persons: 4, members: 5, membership_periods: 5, outbox_events: 5, messages: 5, audit_log: 5, person_addresses: 4, member_changes: 3 });
    expect(setBased.keys).toEqual(perApplication.keys);
    expect(setBased.added).toEqual(perApplication.added);
    expect(setBased.rows).toEqual(perApplication.rows);
  });
});
