import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBillingActivities } from '../../activities/billingRun';
import { invoiceKey } from '../../db/repositories/billing';
import * as tasksRepo from '../../db/repositories/tasks';
import { billingRunItems, billingRuns, invoices, ledgerEntries, members, membershipPeriods, messages, persons, tasks } from '../../db/schema';
import type { DeliveryPreference } from '../../domain/vocabulary';
import { createReferenceNumber, isValidReferenceNumber, memberReferenceBase } from '../../domain/billing/referenceNumber';
import { isValidRfReference, toRfReference } from '../../domain/billing/rfReference';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../../domain/billing/virtualBarcode';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { apiClient } from '../support/api';
import { applicationData, newKey, uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

// Members join through intake "today"; a fixed day keeps their months in the configured fee year 2026.
const TODAY = '2026-11-25';
// The workflow refuses an approval after the due date by the real clock, so the due date follows it.
const dueDate = addDays(todayInHelsinki() > TODAY ? todayInHelsinki() : TODAY, 30);

let stack: Stack;
let billing: string;
/** Four eyes: the runs are started by `billing` and approved by this second billing user. */
let approver: string;
let caseworker: string;
let client: ReturnType<typeof apiClient>;

interface MemberSpec {
  channel?: 'direct' | 'union';
  periods: [string, string | null][];
  delivery?: DeliveryPreference;
  email?: string | null;
  address?: boolean;
  eInvoice?: { address: string; operator: string; consent: boolean };
  dateOfDeath?: string;
  firstNames?: string;
}

/** A member written straight into the register, with exactly the periods a case needs. */
async function insertMember(spec: MemberSpec): Promise<{ memberId: string; memberNumber: number }> {
  const [person] = await stack.db
    .insert(persons)
    .values({
      identityCode: uniqueIdentityCode(),
      firstNames: spec.firstNames ?? 'Laura Maria',
      lastName: 'Laskutettava',
      birthDate: '1980-05-05',
      language: 'fi',
      email: spec.email === undefined ? 'laura@example.fi' : spec.email,
      ...(spec.address === false ? {} : { streetAddress: 'Laskukatu 2 A 3', postalCode: '00100', city: 'Helsinki' }),
      deliveryChannel: spec.delivery ?? 'letter',
      ...(spec.eInvoice ? { eInvoiceAddress: spec.eInvoice.address, eInvoiceOperator: spec.eInvoice.operator, eInvoiceConsent: spec.eInvoice.consent } : {}),
      ...(spec.dateOfDeath ? { dateOfDeath: spec.dateOfDeath } : {}),
    })
    .returning();
  const [member] = await stack.db
    .insert(members)
    .values({ personId: person!.id, channel: spec.channel ?? 'direct', unionCode: spec.channel === 'union' ? '016' : null })
    .returning();
  for (const [startDate, endDate] of spec.periods) {
    await stack.db.insert(membershipPeriods).values({ memberId: member!.id, startDate, endDate });
  }
  return { memberId: member!.id, memberNumber: member!.memberNumber };
}

async function viaIntake(clientId: 'eservices' | 'union-015', overrides = {}): Promise<string> {
  const token = await stack.token(clientId);
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData(overrides) }) });
  expect(res.status).toBe(201);
  const done = await client.waitForStatus(res.body.id, ['approved'], { as: { token } });
  return done.memberId as string;
}

const runPath = (id: string) => `/api/v1/billing-runs/${id}`;

async function startRun(body: Record<string, unknown>, cookie = billing) {
  return client.api('/api/v1/billing-runs', { method: 'POST', cookie, body: JSON.stringify({ dueDate, ...body }) });
}

/** The run once `ready` holds for it; a failed run ends the wait at once. */
async function waitForRunUntil(id: string, ready: (run: any) => boolean, what: string, timeout: number) {
  let failed: unknown = null;
  const run = await vi.waitFor(
    async () => {
      const res = await client.api(runPath(id), { cookie: billing });
      if (res.body?.status === 'failed') failed = res.body;
      if (failed || ready(res.body)) return res.body;
      throw new Error(`billing run ${id} is ${res.body?.status ?? res.status} (${JSON.stringify(res.body?.progress)}), wanted ${what}`);
    },
    { timeout, interval: 150 },
  );
  if (failed) throw new Error(`billing run ${id} failed, wanted ${what}`);
  return run;
}

const waitForRun = (id: string, wanted: string[], timeout = 60_000) => waitForRunUntil(id, (run) => wanted.includes(run?.status), wanted.join('|'), timeout);

/** A committed run whose delivery phase has finished too. */
const waitForDelivery = (id: string) => waitForRunUntil(id, (run) => run?.status === 'committed' && run.progress?.phase === 'done', 'committed and delivered', 60_000);

async function decide(taskId: string, body: Record<string, unknown>, cookie = billing) {
  return client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie, body: JSON.stringify(body) });
}

/** The fee of 2026 is provisional in the A-kassa profile: the approver acknowledges it. */
const approval = { decision: 'approve', acknowledgeProvisionalFeeYear: true };

async function stagingOf(runId: string, memberIds: string[]) {
  const rows = await stack.db
    .select()
    .from(billingRunItems)
    .where(and(eq(billingRunItems.runId, runId), inArray(billingRunItems.memberId, memberIds)));
  return new Map(rows.map((r) => [r.memberId, r]));
}

async function countsOf(runId: string) {
  const issued = await stack.db.select().from(invoices).where(eq(invoices.runId, runId));
  const ids = issued.map((i) => i.id);
  const ledger = ids.length ? await stack.db.select().from(ledgerEntries).where(inArray(ledgerEntries.invoiceId, ids)) : [];
  // This run's invoice messages only: the same members also get invoices from the file's other runs.
  const keys = issued.map((i) => invoiceKey(i.memberId, i.periodStart, i.periodEnd));
  const sent = keys.length ? await stack.db.select().from(messages).where(and(eq(messages.kind, 'invoice'), inArray(messages.messageKey, keys))) : [];
  return { invoices: issued.length, ledger: ledger.length, messages: sent.length, issued };
}

const m: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({ today: () => TODAY });
  [billing, approver, caseworker] = await Promise.all([stack.login('billing'), stack.login('billing2'), stack.login('caseworker')]);
  client = apiClient(stack);
  // 800 cents a month in 2026 (A-kassa); each member's expected fee is in the test below.
  m.fullYear = (await insertMember({ periods: [['2025-03-10', null]] })).memberId;
  m.joinedJune = (await insertMember({ periods: [['2026-06-15', null]], delivery: 'email' })).memberId;
  m.leftApril = (await insertMember({ periods: [['2025-01-01', '2026-04-10']], delivery: 'email' })).memberId;
  m.acrossYears = (await insertMember({ periods: [['2025-11-01', '2026-02-14'], ['2026-10-20', null]], delivery: 'e-invoice', eInvoice: { address: 'FI7981000012345678', operator: 'NDEAFIHH', consent: true } })).memberId;
  m.noConsent = (await insertMember({ periods: [['2025-12-20', '2026-01-05']], delivery: 'e-invoice', eInvoice: { address: 'FI7981000012345678', operator: 'NDEAFIHH', consent: false } })).memberId;
  m.noAddress = (await insertMember({ periods: [['2024-01-01', null]], email: null, address: false })).memberId;
  m.deceased = (await insertMember({ periods: [['2020-01-01', null]], dateOfDeath: '2026-03-15' })).memberId;
  m.unionSql = (await insertMember({ channel: 'union', periods: [['2022-01-01', null]] })).memberId;
  m.leftLastYear = (await insertMember({ periods: [['2020-01-01', '2025-06-30']] })).memberId;
  // A name the letter cannot print (Windows-1252 has no such characters): the invoice is issued, its letter fails.
  m.unprintable = (await insertMember({ periods: [['2024-01-01', null]], firstNames: '李 Laura' })).memberId;
  m.intakeDirect = await viaIntake('eservices');
  m.intakeUnion = await viaIntake('union-015', { unionCode: '015' });
});
afterAll(async () => stack?.close());

describe('billing run', () => {
  const firstId = 'billing-run/a-kassa/2026';
  const secondId = 'billing-run/a-kassa/2026-r2';

  it('is for the billing role: a caseworker can neither start nor read runs', async () => {
    expect((await startRun({ period: '2026' }, caseworker)).status).toBe(403);
    expect((await client.api('/api/v1/billing-runs', { cookie: caseworker })).status).toBe(403);
    const unknownYear = await startRun({ period: '2031' });
    expect(unknownYear.status).toBe(422);
    expect(unknownYear.body.detail).toContain('no membership fee for 2031');
    expect((await startRun({ period: '2026-13' })).status).toBe(400);
  });

  it('a rejected run issues nothing; the caseworker cannot decide its task, the billing user can', async () => {
    const started = await startRun({ period: '2026' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ id: firstId, period: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', feeYear: 2026, dueDate });
    const again = await startRun({ period: '2026' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(firstId);

    const run = await waitForRun(firstId, ['awaiting-approval']);
    expect(run.approvalTaskId).toEqual(expect.any(String));
    expect(run.progress).toMatchObject({ phase: 'preview' });
    expect(run.progress.done).toBe(run.progress.total);
    const [task] = await stack.db.select().from(tasks).where(eq(tasks.id, run.approvalTaskId));
    expect(task).toMatchObject({ kind: 'billing-approval', queue: 'billing', requiredRole: 'billing', subjectType: 'billing-run', subjectId: run.subjectId });
    // The task's subject leads back to the run.
    expect((await client.api(runPath(task!.subjectId), { cookie: billing })).body.id).toBe(firstId);
    expect((await client.api(runPath(encodeURIComponent(firstId)), { cookie: billing })).body.id).toBe(firstId);

    // Caseworkers never see or decide billing tasks; billing users see only theirs.
    const caseworkerQueue = await client.api('/api/v1/tasks?limit=200', { cookie: caseworker });
    expect(caseworkerQueue.body.items.map((t: { id: string }) => t.id)).not.toContain(task!.id);
    expect((await decide(task!.id, { decision: 'approve' }, caseworker)).status).toBe(403);
    const billingQueue = await client.api('/api/v1/tasks?queue=billing', { cookie: billing });
    expect(billingQueue.status).toBe(200);
    expect(billingQueue.body.items.map((t: { id: string }) => t.id)).toContain(task!.id);

    // The desk's work queue asks for all queues at once (or one kind): the role filter is the server's.
    const review = await tasksRepo.upsertTask(stack.db, {
      workflowId: `test-review-${randomUUID()}`,
      taskKey: 'review',
      kind: 'address-conflict',
      queue: 'members',
      requiredRole: 'caseworker',
      subjectType: 'member',
      subjectId: m.fullYear!,
      title: 'population-address-conflict',
      priority: 1,
      dueAt: new Date(Date.now() + 86_400_000),
    });
    try {
      const idsOf = async (path: string, cookie: string) => {
        const res = await client.api(path, { cookie });
        expect(res.status, res.text).toBe(200);
        return res.body.items.map((t: { id: string }) => t.id) as string[];
      };
      const supervisor = await stack.login('supervisor');
      for (const path of ['/api/v1/tasks?limit=200', '/api/v1/tasks?limit=200&kind=billing-approval']) {
        expect(await idsOf(path, billing), path).toContain(task!.id);
        expect(await idsOf(path, caseworker), path).not.toContain(task!.id);
        expect(await idsOf(path, supervisor), path).not.toContain(task!.id);
      }
      for (const path of ['/api/v1/tasks?limit=200', '/api/v1/tasks?limit=200&kind=address-conflict']) {
        expect(await idsOf(path, caseworker), path).toContain(review.id);
        expect(await idsOf(path, supervisor), path).toContain(review.id);
        expect(await idsOf(path, billing), path).not.toContain(review.id);
      }
      const billingAll = await client.api('/api/v1/tasks?limit=200', { cookie: billing });
      // Only the billing queue's kinds (other files' tasks of those kinds may be open in the shared database).
      const billingKinds = ['billing-approval', 'unmatched-payment', 'union-remittance-mismatch', 'journal-mismatch', 'tax-report-approval', 'tax-record-rejected'];
      expect(billingAll.body.items.filter((t: { kind: string }) => !billingKinds.includes(t.kind))).toEqual([]);
      expect(await idsOf('/api/v1/tasks?limit=200&kind=unmatched-payment', billing)).not.toContain(task!.id);
      expect((await client.api('/api/v1/tasks?kind=billing-approval', { cookie: caseworker })).body).toEqual({ items: [], total: 0 });
      // A billing user may claim and release the approval; a caseworker may not touch it.
      expect((await client.api(`/api/v1/tasks/${task!.id}/claim`, { method: 'POST', cookie: caseworker })).status).toBe(403);
      expect((await client.api(`/api/v1/tasks/${task!.id}/claim`, { method: 'POST', cookie: billing })).body.claimedBy).toMatchObject({ name: 'Laura Laskuttaja' });
      expect((await client.api(`/api/v1/tasks/${task!.id}/unclaim`, { method: 'POST', cookie: billing })).body.claimedBy).toBeNull();
    } finally {
      await tasksRepo.closeTask(stack.db, review.id, 'test-done');
    }

    expect((await decide(task!.id, { decision: 'reject' })).status).toBe(409);
    const rejected = await decide(task!.id, { decision: 'reject', reason: 'Due date too early' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.outcome).toBe('rejected');
    expect((await decide(task!.id, { decision: 'approve' })).status).toBe(409);

    const after = await waitForRun(firstId, ['rejected']);
    expect(after.rejection).toMatchObject({ reason: 'Due date too early' });
    expect(after.approvalTaskId).toBeNull();
    expect((await countsOf(firstId)).invoices).toBe(0);
    // Even called directly, the commit refuses a rejected run.
    const acts = createBillingActivities(stack.activityDeps);
    await expect(
      acts.commitBillingChunk({ runId: firstId, period: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', feeYear: 2026, range: { from: null, to: null }, dueDate, issuedOn: TODAY }),
    ).rejects.toThrow(/rejected: only an approved run issues invoices/);
    expect((await countsOf(firstId)).invoices).toBe(0);
  });

  it('after a rejection the period starts a new attempt; preview stages exact fees per member', async () => {
    const started = await startRun({ period: '2026' });
    expect(started.status).toBe(201);
    expect(started.body.id).toBe(secondId);
    const run = await waitForRun(secondId, ['awaiting-approval']);

    const staged = await stagingOf(secondId, Object.values(m));
    const fee = (key: string) => ({ category: staged.get(m[key]!)?.category, amount: staged.get(m[key]!)?.amountCents, delivery: staged.get(m[key]!)?.delivery });
    expect(fee('fullYear')).toEqual({ category: 'invoice', amount: 9600, delivery: 'letter' });
    expect(fee('joinedJune')).toEqual({ category: 'invoice', amount: 5600, delivery: 'email' });
    expect(staged.get(m.joinedJune!)?.lines.map((l) => l.month)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(fee('leftApril')).toEqual({ category: 'invoice', amount: 3200, delivery: 'email' });
    expect(fee('acrossYears')).toEqual({ category: 'invoice', amount: 4000, delivery: 'e-invoice' });
    expect(staged.get(m.acrossYears!)?.lines.map((l) => l.month)).toEqual(['2026-01', '2026-02', '2026-10', '2026-11', '2026-12']);
    expect(fee('noConsent')).toEqual({ category: 'invoice', amount: 800, delivery: 'email' });
    expect(fee('deceased')).toEqual({ category: 'invoice', amount: 2400, delivery: 'letter' });
    expect(fee('intakeDirect')).toEqual({ category: 'invoice', amount: 1600, delivery: 'email' });
    expect(fee('noAddress').category).toBe('exception');
    expect(staged.get(m.noAddress!)?.exception).toMatch(/No postal address/);
    expect(fee('unionSql')).toEqual({ category: 'union', amount: 0, delivery: null });
    expect(fee('intakeUnion')).toEqual({ category: 'union', amount: 0, delivery: null });
    expect(staged.has(m.leftLastYear!)).toBe(false);

    expect(run.exceptions).toEqual(
      expect.arrayContaining([expect.objectContaining({ memberId: m.noAddress, text: expect.stringMatching(/No postal address/), code: 'no_postal_address', params: {} })]),
    );
    expect(run.samples.length).toBeGreaterThan(0);
    expect(run.samples.length).toBeLessThanOrEqual(10);
    expect(run.previewTotals.byCategory.invoice.count).toBe(run.previewTotals.invoices);
    expect(run.previewTotals.members).toBe(
      Object.values(run.previewTotals.byCategory as Record<string, { count: number }>).reduce((s, c) => s + c.count, 0),
    );

    // A retried preview chunk converges to the same staging rows and does not move the bar.
    const acts = createBillingActivities(stack.activityDeps);
    await acts.previewBillingChunk({ runId: secondId, period: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', feeYear: 2026, range: { from: null, to: null } });
    const [row] = await stack.db.select().from(billingRuns).where(eq(billingRuns.id, secondId));
    expect(row!.progress).toEqual(run.progress);
    expect(await stagingOf(secondId, Object.values(m))).toEqual(staged);
  });

  it('the billing user approves; commit issues exactly the preview, with references, barcodes, ledger and delivery', async () => {
    const run = await waitForRun(secondId, ['awaiting-approval']);
    expect((await client.api(`/api/v1/tasks/${run.approvalTaskId}/claim`, { method: 'POST', cookie: approver })).status).toBe(200);
    const approved = await decide(run.approvalTaskId, approval, approver);
    expect(approved.status).toBe(200);
    expect(approved.body.outcome).toBe('approved');

    // Committed once every invoice is issued; the delivery phase sends the messages and files after.
    await waitForRun(secondId, ['committed']);
    const done = await waitForDelivery(secondId);
    expect(done.commitTotals).toEqual(done.previewTotals);
    expect(done.progress).toEqual({ phase: 'done', done: done.commitTotals.invoices, total: done.commitTotals.invoices });

    const { issued, ledger, messages: sentCount } = await countsOf(secondId);
    expect(issued.length).toBe(done.previewTotals.invoices);
    expect(ledger).toBe(issued.length);
    const byMember = new Map(issued.map((i) => [i.memberId, i]));
    expect(byMember.get(m.joinedJune!)?.amountCents).toBe(5600);
    expect(byMember.get(m.acrossYears!)).toMatchObject({ amountCents: 4000, delivery: 'e-invoice', openCents: 4000, status: 'open' });
    for (const key of ['unionSql', 'intakeUnion', 'noAddress', 'leftLastYear']) expect(byMember.has(m[key]!)).toBe(false);

    const [{ memberNumber }] = (await stack.db.select({ memberNumber: members.memberNumber }).from(members).where(eq(members.id, m.fullYear!))) as [{ memberNumber: number }];
    const fullYear = byMember.get(m.fullYear!)!;
    expect(fullYear.reference).toBe(createReferenceNumber(memberReferenceBase(memberNumber, 2026)));
    for (const invoice of issued) {
      expect(isValidReferenceNumber(invoice.reference)).toBe(true);
      expect(isValidRfReference(invoice.rfReference)).toBe(true);
      expect(invoice.rfReference).toBe(toRfReference(invoice.reference));
      expect(invoice.virtualBarcode).toMatch(/^\d{54}$/);
      expect(invoice.virtualBarcode).toBe(virtualBarcodeV4({ iban: stack.profile.iban, amountCents: invoice.amountCents, reference: invoice.reference, dueDate }));
      expect(invoice.virtualBarcodeV5).toBe(virtualBarcodeV5({ iban: stack.profile.iban, amountCents: invoice.amountCents, rfReference: invoice.rfReference, dueDate }));
      expect(invoice).toMatchObject({ iban: stack.profile.iban, dueDate, issuedOn: todayInHelsinki(), feeYear: 2026, periodStart: '2026-01-01', periodEnd: '2026-12-31' });
    }

    const entries = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.invoiceId, fullYear.id));
    expect(entries).toEqual([expect.objectContaining({ kind: 'invoice', amountCents: 9600, memberId: m.fullYear, sourceKey: `invoice/${m.fullYear}/2026-01-01/2026-12-31` })]);

    // E-mail and letter invoices go through the messaging service; the deceased member's is held back.
    const letters = await stack.db.select().from(messages).where(and(eq(messages.kind, 'invoice'), inArray(messages.memberId, [m.fullYear!, m.leftApril!, m.deceased!])));
    const status = new Map(letters.map((l) => [l.memberId, l]));
    expect(status.get(m.fullYear!)).toMatchObject({ status: 'sent', channel: 'letter' });
    expect(status.get(m.leftApril!)).toMatchObject({ status: 'sent', channel: 'email' });
    expect(status.get(m.deceased!)?.status).toBe('suppressed');
    // The amount as domain/money formats it for people (no-break spaces).
    expect(status.get(m.fullYear!)?.body).toContain('96,00\u00a0€');
    expect(status.get(m.fullYear!)?.body).toContain(fullYear.virtualBarcode);
    // The subject and text name the months billed, not the run's whole period.
    expect(status.get(m.fullYear!)?.subject).toContain('Jäsenmaksulasku 1–12/2026');
    expect(status.get(m.leftApril!)?.subject).toContain('1–4/2026');
    expect(status.get(m.leftApril!)?.body).toContain('ajalta 1–4/2026');
    expect(status.get(m.leftApril!)?.subject).not.toContain('31.12.2026');
    expect(stack.messaging.delivered.get(`invoice/${m.leftApril}/2026-01-01/2026-12-31`)?.recipient.email).toBe('laura@example.fi');
    // A letter carries the printed invoice; an e-mail the text only.
    expect(stack.messaging.delivered.get(`invoice/${m.fullYear}/2026-01-01/2026-12-31`)?.attachments).toEqual([
      expect.objectContaining({ contentType: 'application/pdf', filename: `lasku-${fullYear.invoiceNumber}.pdf`, size: expect.any(Number) }),
    ]);
    expect(stack.messaging.delivered.get(`invoice/${m.leftApril}/2026-01-01/2026-12-31`)?.attachments).toEqual([]);
    expect(sentCount).toBe(issued.filter((i) => i.delivery !== 'e-invoice').length);
    // The run says how delivery went, and which letter failed and why.
    const failed = await stack.db.select().from(messages).where(and(eq(messages.kind, 'invoice'), eq(messages.memberId, m.unprintable!)));
    expect(failed[0]).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('cannot be printed'), failureCode: 'letter-unprintable' });
    // Letters to the dead are held back: this file's deceased member, and any other file's member
    // who died in 2026 (all test files share one database, so the run bills them too).
    const heldBack = await stack.db
      .select()
      .from(messages)
      .where(and(eq(messages.kind, 'invoice'), eq(messages.status, 'suppressed'), inArray(messages.memberId, issued.map((i) => i.memberId))));
    const suppressed = heldBack.filter((msg) => msg.messageKey.endsWith('/2026-01-01/2026-12-31')).length;
    expect(suppressed).toBeGreaterThanOrEqual(1);
    expect(done.deliveryTotals).toEqual({
      sent: issued.filter((i) => i.delivery !== 'e-invoice').length - 1 - suppressed,
      failed: 1,
      suppressed,
      eInvoices: issued.filter((i) => i.delivery === 'e-invoice').length,
      eInvoiceFiles: 1,
    });
    expect(done.failedDeliveries).toEqual([expect.objectContaining({ memberId: m.unprintable, delivery: 'letter', code: 'letter-unprintable', reason: expect.stringContaining('cannot be printed') })]);

    // E-invoices leave as one Finvoice file for the bank.
    const batch = stack.bank.batches.get(`${secondId}/finvoice/1`);
    expect(batch?.messageIds).toContain(`inv-${byMember.get(m.acrossYears!)!.id}`);
    expect(batch?.meta.invoiceCount).toBe(issued.filter((i) => i.delivery === 'e-invoice').length);
    expect(batch?.xml).toContain(byMember.get(m.acrossYears!)!.reference);
  });

  it('re-running the period returns the same run, and a retried commit issues nothing twice', async () => {
    const before = await countsOf(secondId);
    const again = await startRun({ period: '2026' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: secondId, status: 'committed' });

    // As if a worker died after its chunk was written but before Temporal heard of it: the
    // activity runs again, twice, over every member.
    const acts = createBillingActivities(stack.activityDeps);
    const chunk = { runId: secondId, period: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', feeYear: 2026, range: { from: null, to: null }, dueDate, issuedOn: todayInHelsinki() };
    const first = await acts.commitBillingChunk(chunk);
    const second = await acts.commitBillingChunk({ ...chunk, deliver: false });
    expect(first).toMatchObject({ invoices: 0, ledgerEntries: 0, sent: 0 });
    expect(second).toEqual({ invoices: 0, ledgerEntries: 0, heldBack: 0 });
    // The delivery chunk again: every message is recorded, so nothing is sent (or rendered) twice.
    const sentBefore = stack.messaging.delivered.size;
    expect(await acts.deliverBillingChunk(chunk)).toEqual({ sent: 0, failed: 0, suppressed: 0 });
    expect(stack.messaging.delivered.size).toBe(sentBefore);
    const batchId = stack.bank.batches.get(`${secondId}/finvoice/1`)!.batchId;
    expect((await acts.sendBillingEInvoices({ runId: secondId })).batches[0]?.batchId).toBe(batchId);
    const after = await countsOf(secondId);
    expect({ invoices: after.invoices, ledger: after.ledger, messages: after.messages }).toEqual({ invoices: before.invoices, ledger: before.ledger, messages: before.messages });
    expect(await acts.finishBillingCommit({ runId: secondId })).toEqual((await waitForRun(secondId, ['committed'])).previewTotals);
  });

  it('a member who joined since the last run is billed for their part only', async () => {
    const joiner = (await insertMember({ periods: [['2026-12-03', null]], delivery: 'email' })).memberId;
    // A December run: everyone on the yearly invoice has December already; the joiner has not.
    const december = await startRun({ period: '2026-12' });
    expect(december.status).toBe(201);
    const decRun = await waitForRun(december.body.id, ['awaiting-approval']);
    const staged = await stagingOf(decRun.id, [joiner, m.fullYear!, m.leftApril!]);
    expect(staged.get(joiner)).toMatchObject({ category: 'invoice', amountCents: 800, lines: [{ month: '2026-12', cents: 800 }] });
    expect(staged.get(m.fullYear!)?.category).toBe('already-invoiced');
    expect(staged.has(m.leftApril!)).toBe(false);
    expect((await decide(decRun.approvalTaskId, approval, approver)).status).toBe(200);
    const decDone = await waitForRun(decRun.id, ['committed']);
    expect(decDone.commitTotals).toEqual(decDone.previewTotals);
    const [decInvoice] = await stack.db.select().from(invoices).where(eq(invoices.memberId, joiner));
    expect(decInvoice).toMatchObject({ amountCents: 800, periodStart: '2026-12-01', periodEnd: '2026-12-31' });
    // The invoice message is queued by the delivery phase, which may still run after the commit.
    const decMessageSubject = async () => (await stack.db.select().from(messages).where(and(eq(messages.kind, 'invoice'), eq(messages.memberId, joiner))))[0]?.subject ?? '';
    await expect.poll(decMessageSubject, { timeout: 30_000 }).toContain('Jäsenmaksulasku 12/2026');
    expect(isValidReferenceNumber(decInvoice!.reference)).toBe(true);

    // A supplementary yearly run bills only members without any invoice for their months.
    const late = (await insertMember({ periods: [['2026-07-01', '2026-09-30']] })).memberId;
    const supplementary = await startRun({ period: '2026', supplementary: true });
    expect(supplementary.status).toBe(201);
    expect(supplementary.body.id).toBe('billing-run/a-kassa/2026-r3');
    const sup = await waitForRun(supplementary.body.id, ['awaiting-approval']);
    const supStaged = await stagingOf(sup.id, [late, joiner, m.fullYear!]);
    expect(supStaged.get(late)).toMatchObject({ category: 'invoice', amountCents: 2400 });
    expect(supStaged.get(joiner)?.category).toBe('already-invoiced');
    expect(supStaged.get(m.fullYear!)?.category).toBe('already-invoiced');
    expect((await decide(sup.approvalTaskId, approval, approver)).status).toBe(200);
    const supDone = await waitForRun(sup.id, ['committed']);
    expect(supDone.commitTotals).toEqual(supDone.previewTotals);
    expect((await stack.db.select().from(invoices).where(eq(invoices.memberId, m.fullYear!))).length).toBe(1);
    expect((await stack.db.select().from(invoices).where(eq(invoices.memberId, late)))[0]?.amountCents).toBe(2400);

    const list = await client.api('/api/v1/billing-runs', { cookie: billing });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([firstId, secondId, december.body.id, sup.id]));
  });

  // RECORD_HISTORIES=1 keeps a rejected and a committed run for tests/replay/replay.test.ts.
  it.runIf(process.env.RECORD_HISTORIES === '1')('records billing-run histories for the replay test', async () => {
    for (const [name, id] of [['billing-run-rejected', firstId], ['billing-run-committed', secondId]] as const) {
      const handle = stack.ctx.temporal.workflow.getHandle(id);
      await handle.result();
      writeFileSync(path.resolve('tests/replay/histories', `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
    }
  });
});
