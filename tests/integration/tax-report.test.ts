/**
 * The annual tax report end to end on the real stack: cash-basis totals at the year's edges,
 * union-collected fees left out, zero nets omitted, exceptions listed, four eyes on the approval,
 * the file through the fake filing channel, rejected records as tasks, the fee statement, and a
 * correction run that sends only the changed members (zeroing a corrected identity code).
 * Year 2041 is this file's own: no other test books payments in it.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertLedgerRows } from '../../db/repositories/ledger';
import { auditLog, bankEntries, bankFiles, members, persons, tasks, taxReportedRecords } from '../../db/schema';
import type { CollectedBy } from '../../domain/vocabulary';
import { parseTaxReportFile } from '../../integrations/transforms/taxReport';
import { defaultTaxReportSettings } from '../../domain/tax';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { saveHistory } from '../support/recordHistory';
import { startStack, type Stack } from '../support/stack';
import { scheduledTaxReport, taxReport } from '../../workflows/taxReport';
import { taxReportQueue } from '../../workflows/definitions/taxReport';

/** RECORD_HISTORIES=1 also writes this file's workflow histories for tests/replay (the fixed point replay checks). */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

const YEAR = 2041;
let stack: Stack;
let client: ReturnType<typeof apiClient>;
let billing: string;
let billing2: string;
let fileId: string;

async function member(name: string, opts: { identityCode?: string; dateOfDeath?: string } = {}) {
  const identityCode = opts.identityCode ?? uniqueIdentityCode();
  const [person] = await stack.db
    .insert(persons)
    .values({ identityCode, firstNames: name, lastName: 'Verotettu', birthDate: '1980-01-01', language: 'fi', dateOfDeath: opts.dateOfDeath ?? null })
    .returning();
  const [m] = await stack.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
  return { memberId: m!.id, memberNumber: m!.memberNumber, personId: person!.id, identityCode };
}

let bankFileId: string;
/** A payment as the bank booked it (`bookingDate`), booked to the member's ledger on `ledgerDate`. */
async function pay(memberId: string, cents: number, bookingDate: string, o: { ledgerDate?: string; collectedBy?: CollectedBy } = {}) {
  const archiveId = `TAX-${randomUUID()}`;
  const [entry] = await stack.db
    .insert(bankEntries)
    .values({ archiveId, fileId: bankFileId, bookingDate, amountCents: cents, memberId, status: 'allocated', unallocatedCents: 0 })
    .returning();
  await insertLedgerRows(stack.db, [{ memberId, occurredOn: o.ledgerDate ?? bookingDate, kind: 'payment', amountCents: -cents, bankEntryId: entry!.id, sourceKey: `payment/${archiveId}`, createdBy: 'test', ...(o.collectedBy ? { collectedBy: o.collectedBy } : {}) }]);
}
async function refund(memberId: string, cents: number, on: string) {
  await insertLedgerRows(stack.db, [{ memberId, occurredOn: on, kind: 'refund', amountCents: cents, sourceKey: `refund/${randomUUID()}`, createdBy: 'test' }]);
}

async function runUntil(id: string, statuses: string[]) {
  return vi.waitFor(
    async () => {
      const res = await client.api(`/api/v1/tax-reports/${id}`, { cookie: billing });
      if (res.body?.status === 'failed') throw new Error(`tax run ${id} failed: ${res.body.error}`);
      if (!statuses.includes(res.body?.status)) throw new Error(`tax run ${id} is ${res.body?.status ?? res.status}`);
      return res.body;
    },
    { timeout: 60_000, interval: 250 },
  );
}
const decide = (taskId: string, body: Record<string, unknown>, cookie: string) => client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie, body: JSON.stringify(body) });

const people: Record<string, Awaited<ReturnType<typeof member>>> = {};

beforeAll(async () => {
  stack = await startStack({ today: () => `${YEAR + 1}-01-15`, taxReport: { acknowledgementPoll: '1 second' } });
  client = apiClient(stack);
  [billing, billing2] = await Promise.all([stack.login('billing'), stack.login('billing2')]);
  const [file] = await stack.db.insert(bankFiles).values({ format: 'camt054', sha256: randomUUID(), filename: 'tax-test.xml', content: '', receivedBy: 'test', workflowId: 'test' }).returning();
  bankFileId = file!.id;

  people.yearEnd = await member('Joulukuu'); // booked 31 Dec: in the year
  await pay(people.yearEnd.memberId, 12000, `${YEAR}-12-31`);
  people.newYear = await member('Tammikuu'); // booked 1 Jan next year: not; June: yes
  await pay(people.newYear.memberId, 12000, `${YEAR + 1}-01-01`);
  await pay(people.newYear.memberId, 9000, `${YEAR}-06-01`);
  people.refundNextYear = await member('Palautus'); // the refund is next year's
  await pay(people.refundNextYear.memberId, 10000, `${YEAR}-03-01`);
  await refund(people.refundNextYear.memberId, 4000, `${YEAR + 1}-01-05`);
  people.union = await member('Liitto'); // collected by the union: the union reports it
  await pay(people.union.memberId, 15000, `${YEAR}-05-01`, { collectedBy: 'union' });
  people.zero = await member('Nolla'); // paid and refunded in the year: nets to zero, omitted
  await pay(people.zero.memberId, 5000, `${YEAR}-02-01`);
  await refund(people.zero.memberId, 5000, `${YEAR}-09-01`);
  people.invalid = await member('Virhe', { identityCode: `${uniqueIdentityCode().slice(0, 10)}Z` });
  await pay(people.invalid.memberId, 7000, `${YEAR}-04-01`);
  people.rejected = await member('Hylätty');
  await pay(people.rejected.memberId, 8000, `${YEAR}-04-01`);
  stack.tax.rejectIdentityCode(people.rejected.identityCode, 'Unknown identity code.');
  people.deceased = await member('Vainaja', { dateOfDeath: `${YEAR}-10-01` });
  await pay(people.deceased.memberId, 6000, `${YEAR}-01-15`);
  people.byHand = await member('Käsin'); // booked by the bank 30 Dec, placed by hand 3 Jan
  await pay(people.byHand.memberId, 3000, `${YEAR}-12-30`, { ledgerDate: `${YEAR + 1}-01-03` });
}, 120_000);

afterAll(async () => stack?.close());

describe('the annual report', () => {
  let runId: string;

  it('previews cash-basis totals with the exceptions, and the starter may not approve it (four eyes)', async () => {
    const started = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing, body: JSON.stringify({ year: YEAR, kind: 'annual' }) });
    expect(started.status).toBe(201);
    runId = started.body.id;
    expect(runId).toBe(`tax-report/${YEAR}`);
    const again = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing, body: JSON.stringify({ year: YEAR, kind: 'annual' }) });
    expect(again.status).toBe(409);
    expect(['tax_report_run_open', 'tax_report_exists']).toContain(again.body.code);

    const run = await runUntil(runId, ['awaiting-approval']);
    // yearEnd 120 + newYear 90 + refundNextYear 100 + rejected 80 + deceased 60 + byHand 30.
    expect(run.summary).toMatchObject({ records: 6, totalCents: 48000, outgoing: 6, outgoingCents: 48000, blocked: 1 });
    expect(run.summary.exceptions).toEqual({ 'invalid-identity-code': 1, deceased: 1 });
    // Union-collected money is not even a member of the year's report.
    expect(run.summary.members).toBe(8);
    const listed = Object.fromEntries(run.exceptions.map((e: { memberId: string; exceptions: string[] }) => [e.memberId, e.exceptions]));
    expect(listed[people.invalid!.memberId]).toEqual(['invalid-identity-code']);
    expect(listed[people.deceased!.memberId]).toEqual(['deceased']);
    // Billing users see masked codes.
    expect(run.samples[0].identityCode).toMatch(/\*{4}$/);

    const own = await decide(run.approvalTaskId, { decision: 'approve' }, billing);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes_required');
    const years = await client.api('/api/v1/tax-reports', { cookie: billing });
    const y = years.body.items.find((i: { year: number }) => i.year === YEAR);
    // 15 January, deadline 31 January 2042 (a Friday): not yet within the week's warning.
    expect(y).toMatchObject({ deadline: `${YEAR + 1}-01-31`, filed: false, warning: false });
  });

  it('a second billing user approves; the file goes to the channel and a rejected record becomes a task', async () => {
    const run = (await client.api(`/api/v1/tax-reports/${runId}`, { cookie: billing2 })).body;
    const ok = await decide(run.approvalTaskId, { decision: 'approve' }, billing2);
    expect(ok.status).toBe(200);
    const done = await runUntil(runId, ['partially-rejected']);
    expect(done.file).toMatchObject({ recordCount: 6, totalCents: 48000, status: 'records-rejected' });
    fileId = done.file.id;

    const download = await client.api(`/api/v1/tax-report-files/${fileId}`, { cookie: billing });
    expect(download.status).toBe(200);
    const submitted = [...stack.tax.submissions.values()].find((s) => s.meta.submissionKey === runId)!;
    const records = parseTaxReportFile(submitted.bytes, defaultTaxReportSettings);
    expect(records.map((r) => r.fields.get('310')).sort()).toEqual(['100,00', '120,00', '30,00', '60,00', '80,00', '90,00']);
    expect(records.every((r) => r.fields.get('058') === String(YEAR) && r.fields.get('010') === stack.profile.businessId)).toBe(true);
    expect(new TextDecoder('latin1').decode(submitted.bytes)).toContain('084:Verotettu Hylätty\r\n');

    const [task] = await stack.db.select().from(tasks).where(and(eq(tasks.workflowId, runId), eq(tasks.kind, 'tax-record-rejected')));
    expect(task).toMatchObject({ subjectId: people.rejected!.memberId, status: 'open', requiredRole: 'billing' });
    expect(task!.title).toContain('Unknown identity code.');
    const rejected = await stack.db.select().from(taxReportedRecords).where(and(eq(taxReportedRecords.fileId, fileId), eq(taxReportedRecords.status, 'rejected')));
    expect(rejected.map((r) => r.memberId)).toEqual([people.rejected!.memberId]);

    // Fixing it: the task closes through the work queue and the run ends.
    stack.tax.acceptIdentityCode(people.rejected!.identityCode);
    expect((await decide(task!.id, { decision: 'approve' }, billing)).status).toBe(200);
    await vi.waitFor(async () => expect((await stack.ctx.temporal.workflow.getHandle(runId).describe()).status.name).toBe('COMPLETED'), { timeout: 20_000 });
  });

  it("the member's fee statement: paid per year and what was reported, audited", async () => {
    const res = await client.api(`/api/v1/members/${people.refundNextYear!.memberId}/fee-statement`, { cookie: billing });
    expect(res.status).toBe(200);
    const byYear = Object.fromEntries(res.body.years.map((y: { year: number }) => [y.year, y]));
    expect(byYear[YEAR]).toMatchObject({ paidCents: 10000, netCents: 10000, reported: { amountCents: 10000, status: 'accepted' } });
    expect(byYear[YEAR + 1]).toMatchObject({ paidCents: 0, refundedCents: 4000, netCents: -4000, reported: null });
    const audit = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, people.refundNextYear!.memberId), eq(auditLog.action, 'member.fee-statement-read')));
    expect(audit.length).toBeGreaterThan(0);

    const pdf = await client.api(`/api/v1/members/${people.refundNextYear!.memberId}/fee-certificate?year=${YEAR}`, { cookie: billing });
    expect(pdf.status).toBe(200);
    expect(pdf.text.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    // E-services: only the logged-in member, named in the header.
    const token = await stack.token('eservices');
    expect((await client.api(`/api/v1/members/${people.yearEnd!.memberId}/fee-statement`, { token })).body.code).toBe('subject_required');
    expect((await client.api(`/api/v1/members/${people.yearEnd!.memberId}/fee-statement`, { token, headers: { 'subject-identity-code': people.newYear!.identityCode } })).status).toBe(403);
    const own = await client.api(`/api/v1/members/${people.yearEnd!.memberId}/fee-statement?year=${YEAR}`, { token, headers: { 'subject-identity-code': people.yearEnd!.identityCode } });
    expect(own.status).toBe(200);
    expect(own.body.years).toEqual([expect.objectContaining({ year: YEAR, netCents: 12000, reported: expect.objectContaining({ amountCents: 12000 }) })]);
  });

  it('a correction run sends only the changed members: a later payment, a corrected code (zeroed), a resent rejection', async () => {
    await pay(people.yearEnd!.memberId, 2500, `${YEAR}-11-01`); // booked later for the reported year
    const oldCode = people.deceased!.identityCode;
    const newCode = uniqueIdentityCode();
    await stack.db.update(persons).set({ identityCode: newCode }).where(eq(persons.id, people.deceased!.personId));

    const started = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing2, body: JSON.stringify({ year: YEAR, kind: 'correction' }) });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(id).toBe(`tax-report/${YEAR}/correction-1`);
    const run = await runUntil(id, ['awaiting-approval']);
    expect(run.summary).toMatchObject({ outgoing: 4 });
    expect((await decide(run.approvalTaskId, { decision: 'approve' }, billing)).status).toBe(200);
    const done = await runUntil(id, ['acknowledged']);
    const sent = await stack.db.select().from(taxReportedRecords).where(eq(taxReportedRecords.fileId, done.file.id));
    const view = sent.map((r) => [r.memberId, r.kind, r.identityCode, r.amountCents]).sort();
    expect(view).toEqual(
      [
        [people.yearEnd!.memberId, 'replace', people.yearEnd!.identityCode, 14500],
        [people.deceased!.memberId, 'zero', oldCode, 0],
        [people.deceased!.memberId, 'new', newCode, 6000],
        [people.rejected!.memberId, 'new', people.rejected!.identityCode, 8000],
      ].sort(),
    );
    // The zeroing comes before the new record in the file.
    const deceased = sent.filter((r) => r.memberId === people.deceased!.memberId).sort((a, b) => a.recordNumber - b.recordNumber);
    expect(deceased.map((r) => r.kind)).toEqual(['zero', 'new']);
  });

  it('a correction run with nothing changed sends nothing', async () => {
    const started = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing, body: JSON.stringify({ year: YEAR, kind: 'correction' }) });
    expect(started.status).toBe(201);
    const done = await runUntil(started.body.id, ['nothing-to-send']);
    expect(done.file).toBeNull();
    expect(done.approvalTaskId).toBeNull();
  });

  it('the monthly schedule starts a correction run for the filed year, which ends when nothing changed', async () => {
    const handle = await stack.ctx.temporal.workflow.start(scheduledTaxReport, { taskQueue: stack.ctx.taskQueues.billing, workflowId: `tax-report-corrections-test-${Date.now()}`, args: [{ mode: 'corrections' }] });
    const result = await handle.result();
    expect(result.runIds).toEqual([`tax-report/${YEAR}/correction-3`]);
    await runUntil(result.runIds[0]!, ['nothing-to-send']);
    // The annual schedule leaves a year alone that a billing user already started.
    const annual = await stack.ctx.temporal.workflow.execute(scheduledTaxReport, { taskQueue: stack.ctx.taskQueues.billing, workflowId: `tax-report-yearly-test-${Date.now()}`, args: [{ mode: 'annual' }] });
    expect(annual.runIds).toEqual([]);
    if (recording) {
      await vi.waitFor(async () => expect((await stack.ctx.temporal.workflow.getHandle(`tax-report/${YEAR}/correction-3`).describe()).status.name).toBe('COMPLETED'));
      const save = async (workflowId: string, name: string) => writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await stack.ctx.temporal.workflow.getHandle(workflowId).fetchHistory())}\n`);
      await save(`tax-report/${YEAR}`, 'tax-report-annual-rejected-record');
      await save(`tax-report/${YEAR}/correction-1`, 'tax-report-correction');
      await save(`tax-report/${YEAR}/correction-2`, 'tax-report-nothing-to-send');
      await save(handle.workflowId, 'scheduled-tax-report');
    }
  });

  it('refuses a year that has not ended and a correction of a year never filed', async () => {
    const open = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing, body: JSON.stringify({ year: YEAR + 1, kind: 'annual' }) });
    expect(open.body.code).toBe('tax_year_not_ended');
    const never = await client.api('/api/v1/tax-reports', { method: 'POST', cookie: billing, body: JSON.stringify({ year: 2039, kind: 'correction' }) });
    expect(never.body.code).toBe('tax_report_not_filed');
  });
});

describe('a failed run (decision 071)', () => {
  it('stores the failure as a code beside its words, and the API answers both', async () => {
    // 2040 is this test's own year: no payments, nothing reported. One poll allowed, and the fake answers the first one 'pending'.
    const runId = 'tax-report/2040';
    await stack.ctx.temporal.workflow.start(taxReport, {
      taskQueue: stack.ctx.taskQueues[taxReportQueue],
      workflowId: runId,
      args: [{ runId, year: 2040, kind: 'annual', startedBy: 'failure-test', pollInterval: '1 second', maxPolls: 1 }],
    });
    const waiting = await runUntil(runId, ['awaiting-approval']);
    expect(waiting).toMatchObject({ errorCode: null, error: null });
    expect((await decide(waiting.approvalTaskId, { decision: 'approve' }, billing2)).status).toBe(200);

    const failed = await vi.waitFor(
      async () => {
        const res = await client.api(`/api/v1/tax-reports/${runId}`, { cookie: billing });
        if (res.body?.status !== 'failed') throw new Error(`tax run ${runId} is ${res.body?.status ?? res.status}`);
        return res.body;
      },
      { timeout: 30_000, interval: 250 },
    );
    await saveHistory(stack.ctx.temporal, runId, 'tax-report-failed');
    expect(failed).toMatchObject({ errorCode: 'tax-acknowledgement-missing', error: 'No acknowledgement after 1 polls.' });
    const listed = (await client.api('/api/v1/tax-reports', { cookie: billing })).body.items.find((i: { year: number }) => i.year === 2040);
    expect(listed.runs).toEqual([expect.objectContaining({ id: runId, status: 'failed', errorCode: 'tax-acknowledgement-missing' })]);
  });
});
