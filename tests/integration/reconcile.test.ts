import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../workflows/definitions/applicationIntake';
import { paymentFileWorkflowId } from '../../workflows/definitions/paymentFile';
import * as applicationsRepo from '../../db/repositories/applications';
import * as paymentsRepo from '../../db/repositories/payments';
import { applications, auditLog, bankEntries, bankFiles, invoices, tasks } from '../../db/schema';
import { reconcileQueue, type ReconcileInput } from '../../workflows/definitions/reconcile';
import { reconcile } from '../../workflows/reconcile';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { archiveId, camt054, newInvoice, newMember } from '../support/payments';
import { processExists } from '../support/processes';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
let client: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('eservices');
  client = apiClient(stack, { as: { token } });
});
afterAll(async () => stack?.close());

/** The reconcile process, started directly as its schedule would start it. */
async function runReconcile(input: ReconcileInput = {}) {
  const handle = await stack.ctx.temporal.workflow.start(reconcile, { taskQueue: stack.ctx.taskQueues[reconcileQueue], workflowId: `test-reconcile-${randomUUID()}`, args: [input] });
  return { runId: handle.firstExecutionRunId, result: await handle.result() };
}

/** What submitApplication stores before it starts the process: here the API "crashed" right after. */
async function storeApplicationWithoutProcess() {
  const id = randomUUID();
  const data = applicationData();
  await applicationsRepo.insertApplicationOnce(stack.db, {
    id,
    idempotencyKey: newKey(),
    channel: 'e-services',
    submittedBy: 'eservices',
    receivedOn: stack.ctx.today(),
    receivedBy: 'fund',
    unionCode: null,
    identityCode: data.identityCode,
    data,
    workflowId: applicationWorkflowId(id),
  });
  return id;
}

/** What importPaymentFile stores before it starts the file's process. */
async function storePaymentFileWithoutProcess(content: string) {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const { row } = await paymentsRepo.insertBankFileOnce(stack.db, {
    format: 'camt054',
    sha256,
    filename: `reconcile-${sha256.slice(0, 12)}.xml`,
    content,
    receivedBy: 'bank-gateway',
    entryCount: 1,
    totalCents: 9600,
    workflowId: paymentFileWorkflowId(sha256),
  });
  return row;
}

describe('reconcile', () => {
  let strandedApplication: string;
  let strandedFile: Awaited<ReturnType<typeof storePaymentFileWithoutProcess>>;
  let invoiceId: string;
  let orphanTask: typeof tasks.$inferSelect;
  let liveTask: typeof tasks.$inferSelect;

  beforeAll(async () => {
    // A member with an open invoice, for the payment file to pay.
    const member = await newMember(stack, client, token);
    const invoice = await newInvoice(stack, member, 2019, 9600);
    invoiceId = invoice.id;

    // Two applications in caseworker review; one process is then terminated by hand, leaving its task open.
    const submit = async () => {
      const res = await client.api('/api/v1/applications', {
        method: 'POST',
        token,
        headers: { 'idempotency-key': newKey() },
        body: JSON.stringify({ data: applicationData({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }) }),
      });
      expect(res.status).toBe(201);
      return client.openTaskFor(res.body.id);
    };
    [orphanTask, liveTask] = await Promise.all([submit(), submit()]);
    await stack.ctx.temporal.workflow.getHandle(orphanTask.workflowId).terminate('stopped by hand in the Temporal UI');

    strandedApplication = await storeApplicationWithoutProcess();
    strandedFile = await storePaymentFileWithoutProcess(camt054([{ archiveId: archiveId('R'), amountCents: 9600, ref: invoice.reference }], { iban: stack.profile.iban }));
  });

  it('leaves fresh rows and just-ended processes alone (a request may still be starting them)', async () => {
    const { result } = await runReconcile();
    expect(result.applications.ids).not.toContain(strandedApplication);
    expect(result.paymentFiles.ids).not.toContain(strandedFile.id);
    expect(result.tasks.ids).not.toContain(orphanTask.id);
    expect(await processExists(stack, applicationWorkflowId(strandedApplication))).toBe(false);
    expect(await processExists(stack, strandedFile.workflowId)).toBe(false);
    const [task] = await stack.db.select().from(tasks).where(eq(tasks.id, orphanTask.id));
    expect(task?.status).toBe('open');
  });

  describe('once they are older than olderThanMs', () => {
    let first: Awaited<ReturnType<typeof runReconcile>>;
    beforeAll(async () => {
      first = await runReconcile({ olderThanMs: 0 });
    });

    it('starts an application stored without its process, which then runs to its decision', async () => {
      expect(first.result.applications.ids).toContain(strandedApplication);
      const app = async () => (await stack.db.select().from(applications).where(eq(applications.id, strandedApplication)))[0];
      await expect.poll(async () => (await app())?.status, { timeout: 20_000, interval: 100 }).toBe('approved');
      expect((await app())?.memberId).not.toBeNull();
      // The same process the API would have started: same id, same type.
      const described = await stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(strandedApplication)).describe();
      expect(described.type).toBe('applicationIntake');
    });

    it('starts a payment file stored without its process, which books it', async () => {
      expect(first.result.paymentFiles.ids).toContain(strandedFile.id);
      await expect.poll(async () => (await paymentsRepo.findBankFileMeta(stack.db, strandedFile.id))?.status, { timeout: 20_000, interval: 100 }).toBe('processed');
      const entries = await stack.db.select().from(bankEntries).where(eq(bankEntries.fileId, strandedFile.id));
      expect(entries.map((e) => e.status)).toEqual(['allocated']);
      const [invoice] = await stack.db.select().from(invoices).where(eq(invoices.id, invoiceId));
      expect(invoice?.status).toBe('paid');
    });

    it('closes the open task of a terminated process as orphaned, with an audit row, and leaves live tasks open', async () => {
      expect(first.result.tasks.ids).toContain(orphanTask.id);
      expect(first.result.tasks.ids).not.toContain(liveTask.id);
      const [orphan] = await stack.db.select().from(tasks).where(eq(tasks.id, orphanTask.id));
      expect(orphan).toMatchObject({ status: 'closed', outcome: 'orphaned' });
      expect(orphan?.closedAt).not.toBeNull();
      const [live] = await stack.db.select().from(tasks).where(eq(tasks.id, liveTask.id));
      expect(live?.status).toBe('open');
      const audit = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'task'), eq(auditLog.entityId, orphanTask.id), eq(auditLog.action, 'task.orphaned')));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: 'system', actorKind: 'system', details: { workflowId: orphanTask.workflowId, workflowStatus: 'TERMINATED' } });
    });

    it('writes one audit row for the run, naming what it repaired', async () => {
      const rows = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'reconcile-run'), eq(auditLog.entityId, first.runId)));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'system', action: 'reconcile.repaired' });
      const details = rows[0]!.details as { applications: { ids: string[] }; paymentFiles: { ids: string[] }; tasks: { ids: string[] } };
      expect(details.applications.ids).toContain(strandedApplication);
      expect(details.paymentFiles.ids).toContain(strandedFile.id);
      expect(details.tasks.ids).toContain(orphanTask.id);
    });

    it('changes nothing when run again', async () => {
      // Other test files share the database and may leave fresh rows of their own that reconcile
      // (olderThanMs 0) picks up under load; what this run repaired must not be repaired again.
      const again = await runReconcile({ olderThanMs: 0 });
      const rows = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'reconcile-run'), eq(auditLog.entityId, again.runId)));
      const repairedAgain = JSON.stringify(rows.map((r) => r.details));
      for (const id of [strandedApplication, strandedFile.id, orphanTask.id]) expect(repairedAgain).not.toContain(id);
      // The repaired rows were not touched twice: one process per row, the file booked once.
      const [file] = await stack.db.select({ status: bankFiles.status }).from(bankFiles).where(eq(bankFiles.id, strandedFile.id));
      expect(file?.status).toBe('processed');
      expect(await stack.db.select().from(bankEntries).where(eq(bankEntries.fileId, strandedFile.id))).toHaveLength(1);
    });
  });
});
