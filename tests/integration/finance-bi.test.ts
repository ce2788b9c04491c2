/**
 * Finance and BI (issue 13, decision 025): the finance client pulls the journal, the day's file is
 * pushed exactly once, the reconciliation catches a ledger row booked after the push, and the BI
 * extract and views carry no identity code in clear.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { biPseudonym } from '../../activities/biExtract';
import { auditLog, ledgerEntries, persons, members, tasks } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { financeJournalWorkflowId, type BiExtractResult, type FinanceJournalResult } from '../../workflows/definitions/financeJournal';
import { apiClient, type ApiClient } from '../support/api';
import { newMember, waitFor } from '../support/payments';
import { startStack, type Stack } from '../support/stack';
import { recordingHistories, saveHistory } from '../support/recordHistory';

let stack: Stack;
let client: ApiClient;
let finance: string;
let ekj: string;
let reporting: string;
let eservices: string;
let billing: string;

beforeAll(async () => {
  stack = await startStack();
  [finance, ekj, reporting, eservices] = await Promise.all([stack.token('finance'), stack.token('ekj'), stack.token('readonly-reporting'), stack.token('eservices')]);
  billing = await stack.login('billing');
  client = apiClient(stack, { as: { token: finance } });
});
afterAll(async () => stack?.close());

/** A day no other test books on: the journal of the day is this test's rows only. */
function ownDay(): string {
  return addDays('2090-01-01', Math.floor(Math.random() * 9000));
}

/** Unidentified payments (no member) on `day`: they post to the bank and to unidentified payments. */
async function bookUnidentified(day: string, ...amounts: number[]) {
  await stack.db.insert(ledgerEntries).values(amounts.map((cents) => ({ memberId: null, occurredOn: day, kind: 'payment' as const, amountCents: -cents, sourceKey: `finance-test:${randomUUID()}`, createdBy: 'finance-test', description: 'finance test' })));
}

/** The ledger's net of `day` per kind of account, with plain SQL. */
async function ledgerNetOf(day: string): Promise<number> {
  const [row] = await stack.db.execute<{ cents: string }>(sql`SELECT coalesce(sum(amount_cents), 0)::bigint AS cents FROM ledger_entries WHERE occurred_on = ${day}::date AND member_id IS NULL`);
  return Number(row!.cents);
}

/** The SQLSTATE a statement failed with (42501: insufficient privilege), or null when it ran; in a savepoint of `tx`. */
async function sqlState(tx: Pick<typeof stack.db, 'transaction'>, query: ReturnType<typeof sql>): Promise<string | null> {
  try {
    await tx.transaction(async (sp) => {
      await sp.execute(query);
    });
    return null;
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string } };
    return err.cause?.code ?? err.code ?? 'unknown';
  }
}

const runPush = (day: string, workflowId = financeJournalWorkflowId(day)) =>
  stack.ctx.temporal.workflow.execute<(i: { day: string }) => Promise<FinanceJournalResult>>('financeJournalPush', { taskQueue: stack.ctx.taskQueues.payments, workflowId, args: [{ day }] });

describe('the finance client', () => {
  it('pulls a day of the journal as JSON and CSV with bookkeeping:read, audited with the client as the actor; others get 403', async () => {
    const day = ownDay();
    await bookUnidentified(day, 1234);
    const json = await client.api(`/api/v1/bookkeeping/journal/days/${day}`, { token: finance });
    expect(json.status, json.text).toBe(200);
    expect(json.body).toMatchObject({ format: 'jasenrekisteri.journal-day/1', date: day, currency: 'EUR', debitCents: 1234, creditCents: 1234 });
    expect(json.body.lines.map((l: { account: string; debitCents: number; creditCents: number }) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ['1910', 1234, 0],
      ['2890', 0, 1234],
    ]);
    const csv = await client.api(`/api/v1/bookkeeping/journal/days/${day}?format=csv`, { token: finance });
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(`date,account,account_name,source,debit,credit\r\n${day},1910,Pankkitili / Bank,payment,12.34,\r\n${day},2890,Selvittämättömät suoritukset / Unidentified payments,payment,,12.34\r\n`);
    // The range form and the reconciliations are the finance client's too.
    expect((await client.api(`/api/v1/bookkeeping/journal?from=${day}&to=${day}`, { token: finance })).body.totals).toEqual({ debitCents: 1234, creditCents: 1234 });
    expect((await client.api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}`, { token: finance })).status).toBe(200);

    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'bookkeeping.exported'), eq(auditLog.entityId, day)));
    // The JSON and the CSV read: each audited with the finance client as the actor.
    expect(audits.map((a) => [a.actor, a.actorKind])).toEqual([
      ['finance', 'client'],
      ['finance', 'client'],
    ]);

    for (const token of [ekj, reporting, eservices]) {
      const refused = await client.api(`/api/v1/bookkeeping/journal/days/${day}`, { token });
      expect(refused.status).toBe(403);
      expect((await client.api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}`, { token })).status).toBe(403);
    }
    expect((await client.api(`/api/v1/bookkeeping/journal/days/2090-02-30`, { token: finance })).status).toBe(400);
  });
});

describe('the daily push and the reconciliation', () => {
  it('sends the day once across a failure and a re-run, and a row booked later into the day becomes a mismatch task', async () => {
    const day = ownDay();
    await bookUnidentified(day, 5000, 700);
    const callsBefore = stack.finance.calls;
    stack.finance.failures = 1; // the finance system is down once: the activity's retry sends the same file key
    const first = await runPush(day);
    expect(first).toMatchObject({ day, sent: true, lines: 2, mismatchDays: [] });
    expect(stack.finance.calls - callsBefore).toBe(2);
    const received = stack.finance.received.get(`journal-${day}`)!;
    expect(received.meta).toMatchObject({ date: day, lines: 2, debitCents: 5700, creditCents: 5700 });
    expect(received.files.csv.name).toBe(`journal-${day}.csv`);
    expect(JSON.parse(received.files.json.content)).toMatchObject({ format: 'jasenrekisteri.journal-day/1', date: day, debitCents: 5700 });
    await saveHistory(stack.ctx.temporal, financeJournalWorkflowId(day), 'finance-journal-push-sent');

    // A re-run of the day (same id, or another) sends nothing: the adapter is not even called.
    const again = await runPush(day);
    expect(again).toMatchObject({ sent: false, deliveryId: first.deliveryId });
    expect(stack.finance.calls - callsBefore).toBe(2);
    const sentAudits = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'bookkeeping.journal-sent'), eq(auditLog.entityId, day)));
    expect(sentAudits).toHaveLength(1);

    let view = await client.api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}`, { token: finance });
    expect(view.body.days).toEqual([expect.objectContaining({ date: day, sent: expect.objectContaining({ deliveryId: first.deliveryId, lines: 2 }), check: expect.objectContaining({ against: 'pushed', status: 'balanced', differences: [] }) })]);

    // A payment booked afterwards with the day's date: what finance was sent no longer equals the ledger.
    await bookUnidentified(day, 300);
    const recheck = await runPush(day, `${financeJournalWorkflowId(day)}-recheck`);
    expect(recheck).toMatchObject({ sent: false, mismatchDays: [day] });
    await saveHistory(stack.ctx.temporal, `${financeJournalWorkflowId(day)}-recheck`, 'finance-journal-push-mismatch');
    const ledgerNet = await ledgerNetOf(day);
    expect(ledgerNet).toBe(-6000);
    view = await client.api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}`, { token: finance });
    const check = view.body.days[0].check;
    expect(check).toMatchObject({ status: 'mismatch', against: 'pushed', journalBalanced: true, resolution: 'open' });
    // Unidentified payments: the ledger's row sum; the bank: its negation. The file had 5,700.
    expect(check.differences).toEqual([
      { account: '1910', journalCents: 5700, ledgerCents: -ledgerNet },
      { account: '2890', journalCents: -5700, ledgerCents: ledgerNet },
    ]);

    // The mismatch is a billing user's task in its own process; the same mismatch again opens no second one.
    const reconciliationId = check.mismatchWorkflowId.split('/')[1];
    const task = (await waitFor(
      async () => (await stack.db.select().from(tasks).where(eq(tasks.subjectId, reconciliationId)))[0],
      (t) => t !== undefined,
    ))!;
    expect(task).toMatchObject({ kind: 'journal-mismatch', requiredRole: 'billing', status: 'open', workflowId: check.mismatchWorkflowId });
    await runPush(day, `${financeJournalWorkflowId(day)}-recheck-2`);
    view = await client.api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}`, { token: finance });
    expect(view.body.days[0].check.mismatchWorkflowId).toBe(check.mismatchWorkflowId);

    // Explained by a billing user: the task closes, the check says so.
    await client.api(`/api/v1/tasks/${task.id}/claim`, { method: 'POST', cookie: billing });
    const noReason = await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify({ decision: 'reject' }) });
    expect(noReason.status).toBe(409);
    expect(noReason.body.code).toBe('journal_mismatch_reason_required');
    const decided = await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify({ decision: 'reject', reason: 'Late bank file; correction posted in finance by hand.' }) });
    expect(decided.status, decided.text).toBe(200);
    expect((await stack.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]).toMatchObject({ status: 'closed', outcome: 'explained' });
    await saveHistory(stack.ctx.temporal, check.mismatchWorkflowId, 'journal-mismatch-explained');

    // Both processes are found in the Temporal UI by kind, day or reconciliation, and status (decision 027).
    const found = (query: string) =>
      waitFor(
        async () => {
          const ids: string[] = [];
          for await (const w of stack.ctx.temporal.workflow.list({ query })) ids.push(w.workflowId);
          return ids;
        },
        (ids) => ids.length === 1,
        20_000,
      );
    const recheckId = `${financeJournalWorkflowId(day)}-recheck`;
    expect(await found(`ProcessKind = 'finance-journal' AND ProcessKey = '${day}' AND ProcessStatus = 'sent-with-mismatches' AND WorkflowId = '${recheckId}'`)).toEqual([recheckId]);
    expect(await found(`ProcessKind = 'journal-mismatch' AND ProcessKey = '${reconciliationId}' AND ProcessStatus = 'explained'`)).toEqual([check.mismatchWorkflowId]);
  });

  it.runIf(recordingHistories)('records the schedules\' entry workflows for the replay test', async () => {
    const suffix = randomUUID();
    await stack.ctx.temporal.workflow.execute('scheduledFinanceJournalPush', { taskQueue: stack.ctx.taskQueues.payments, workflowId: `finance-journal-scheduled-${suffix}`, args: [] });
    await saveHistory(stack.ctx.temporal, `finance-journal-scheduled-${suffix}`, 'finance-journal-scheduled');
    await stack.ctx.temporal.workflow.execute('scheduledBiExtract', { taskQueue: stack.ctx.taskQueues.register, workflowId: `bi-extract-scheduled-${suffix}`, args: [] });
    await saveHistory(stack.ctx.temporal, `bi-extract-scheduled-${suffix}`, 'bi-extract-scheduled');
  });
});

const parquetRows = (bytes: Uint8Array) => parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, utf8: true });

describe('the BI extract and views', () => {
  it('writes the five files per BI client with pseudonyms only: the same member alike per client, different across clients', async () => {
    const m = await newMember(stack, apiClient(stack, { as: { token: eservices } }), eservices);
    const [person] = await stack.db.select({ code: persons.identityCode }).from(persons).innerJoin(members, eq(members.personId, persons.id)).where(eq(members.id, m.memberId));
    const code = person!.code;
    const day = stack.ctx.today();
    const run = (workflowId: string) => stack.ctx.temporal.workflow.execute<(i: { day: string }) => Promise<BiExtractResult>>('biExtract', { taskQueue: stack.ctx.taskQueues.register, workflowId, args: [{ day }] });
    const result = await run(`bi-extract/${day}-${m.memberNumber}`);
    await saveHistory(stack.ctx.temporal, `bi-extract/${day}-${m.memberNumber}`, 'bi-extract');
    expect(result.clients.map((c) => c.clientId)).toEqual(['bi-a', 'bi-b']);
    expect(result.clients[0]!.files.map((f) => f.file)).toEqual(['members', 'periods', 'invoices', 'payments', 'events']);

    const file = (clientId: string, name: string) => stack.biSink.files.get(`bi-${clientId}-${day}-${name}`)!.content as string;
    const [a, b] = stack.biClients.map((c) => biPseudonym(c, code));
    expect(a).not.toBe(b);
    expect(file('bi-a', 'members').split('\r\n')[0]).toBe('person_pseudonym,birth_year,language,municipality,union_code,channel,created_on,status,deceased');
    const ourLine = file('bi-a', 'members').split('\r\n').find((l) => l.startsWith(`${a},`));
    expect(ourLine).toMatch(new RegExp(`^${a},\\d{4},fi,`));
    expect(ourLine).toContain(',member,false');
    expect(file('bi-a', 'periods')).toContain(`${a},`);
    expect(file('bi-a', 'events')).toContain(`,${a},`);
    expect(file('bi-b', 'members')).toContain(`${b},`);
    expect(file('bi-b', 'members')).not.toContain(a);
    // No identity code in clear in any file: not ours, and nothing shaped like one.
    const allCodes = (await stack.db.select({ code: persons.identityCode }).from(persons)).map((p) => p.code);
    const codeSet = new Set(allCodes);
    for (const [, stored] of stack.biSink.files) {
      // A Parquet file is compressed: its cells are read back and checked as the CSV's are.
      const cells = typeof stored.content === 'string' ? stored.content.split(/[,\r\n]/) : (await parquetRows(stored.content)).flatMap((r) => Object.values(r).map(String));
      for (const cell of cells) {
        expect(codeSet.has(cell)).toBe(false);
        expect(cell).not.toMatch(/\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b/);
      }
    }
    // The same files as Parquet (BI_EXTRACT_FORMATS=csv,parquet here), typed: our member's row as the CSV has it.
    const parquetMembers = stack.biSink.files.get(`bi-bi-a-${day}-members.parquet`)!;
    expect(parquetMembers.name).toBe(`${day}/members.parquet`);
    const ourRow = (await parquetRows(parquetMembers.content as Uint8Array)).find((r) => r.person_pseudonym === a);
    expect(ourRow).toMatchObject({ language: 'fi', status: 'member', deceased: false });
    expect(ourRow!.birth_year).toBe(Number(ourLine!.split(',')[1]));
    expect((ourRow!.created_on as Date).toISOString().slice(0, 10)).toBe(ourLine!.split(',')[6]);
    expect((await parquetRows(stack.biSink.files.get(`bi-bi-b-${day}-members.parquet`)!.content as Uint8Array)).some((r) => r.person_pseudonym === b)).toBe(true);
    // The same day again stores nothing new.
    const stored = stack.biSink.files.size;
    await run(`bi-extract/${day}-${m.memberNumber}-again`);
    expect(stack.biSink.files.size).toBe(stored);
    expect(await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'bi.extract-sent'), eq(auditLog.entityId, `bi-a/${day}/members`)))).not.toHaveLength(0);
  });

  it('the bi schema is readable by bi_reader, carries no identity code, and bi_reader reads nothing else', async () => {
    const m = await newMember(stack, apiClient(stack, { as: { token: eservices } }), eservices);
    const columns = await stack.db.execute<{ table_name: string; column_name: string }>(sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'bi'`);
    expect(new Set(columns.map((c) => c.table_name))).toEqual(new Set(['members', 'membership_periods', 'invoices', 'ledger_entries', 'events', 'journal_reconciliations']));
    expect(columns.filter((c) => /identity|name|address|street|postal|email|phone/.test(c.column_name))).toEqual([]);

    await stack.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL ROLE bi_reader`);
      const rows = await tx.execute<{ member_number: number }>(sql`SELECT member_number FROM bi.members WHERE member_id = ${m.memberId}::uuid`);
      expect(rows.map((r) => Number(r.member_number))).toEqual([m.memberNumber]);
      const periods = await tx.execute(sql`SELECT start_date FROM bi.membership_periods WHERE member_id = ${m.memberId}::uuid`);
      expect(periods).toHaveLength(1);
      // Every view answers, and nothing of them is in clear.
      for (const view of ['invoices', 'ledger_entries', 'events', 'journal_reconciliations']) await tx.execute(sql.raw(`SELECT * FROM bi.${view} LIMIT 1`));
      expect(await sqlState(tx, sql`SELECT identity_code FROM persons LIMIT 1`)).toBe('42501');
      expect(await sqlState(tx, sql`INSERT INTO bi.membership_periods (member_id, start_date) VALUES (${m.memberId}::uuid, '2090-01-01')`)).toBe('42501');
    });
  });
});
