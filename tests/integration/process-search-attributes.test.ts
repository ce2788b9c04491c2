import { randomUUID } from 'node:crypto';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankFileFetch } from '../../workflows/bankFileFetch';
import { bankFileFetchQueue } from '../../workflows/definitions/bankFileFetch';
import { memberDeathQueue } from '../../workflows/definitions/memberDeath';
import { reconcileQueue } from '../../workflows/definitions/reconcile';
import { memberIdKey, processKeyKey, processKindKey, processStatusKey } from '../../workflows/definitions/searchAttributes';
import { memberDeath } from '../../workflows/memberDeath';
import { reconcile } from '../../workflows/reconcile';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { waitFor } from '../support/payments';
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

/** Every process a visibility query finds (the dev server's visibility lags its history a little). */
async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const found: WorkflowExecutionInfo[] = [];
  for await (const execution of stack.ctx.temporal.workflow.list({ query })) found.push(execution);
  return found;
}
const listUntil = (query: string, ok: (found: WorkflowExecutionInfo[]) => boolean) => waitFor(() => list(query), ok, 20_000);

describe('process search attributes (decision 027)', () => {
  it('finds each kind of process by kind, key, status and member, with no personal data in any attribute', async () => {
    const data = applicationData();
    const submitted = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
    expect(submitted.status).toBe(201);
    const applicationId = submitted.body.id as string;
    const approved = await client.waitForStatus(applicationId, ['approved'], { as: { token } });
    const memberId = approved.memberId as string;

    const started = await Promise.all([
      stack.ctx.temporal.workflow.start(reconcile, { taskQueue: stack.ctx.taskQueues[reconcileQueue], workflowId: `test-reconcile-${randomUUID()}`, args: [{}] }),
      stack.ctx.temporal.workflow.start(bankFileFetch, { taskQueue: stack.ctx.taskQueues[bankFileFetchQueue], workflowId: `test-bank-files-${randomUUID()}` }),
      stack.ctx.temporal.workflow.start(memberDeath, {
        taskQueue: stack.ctx.taskQueues[memberDeathQueue],
        workflowId: `test-death-${randomUUID()}`,
        args: [{ memberId, dateOfDeath: stack.ctx.today(), precision: 'day', by: 'caseworker-test', source: 'caseworker' }],
      }),
    ]);
    await Promise.all(started.map((handle) => handle.result()));
    const [reconcileRun, bankFetch, death] = started;

    // The intake and the death are both found by the member's internal id.
    const ofMember = await listUntil(`MemberId = '${memberId}'`, (found) => found.length === 2);
    expect(ofMember.map((w) => w.typedSearchAttributes.get(processKindKey)).sort()).toEqual(['application-intake', 'member-death']);

    const intake = await listUntil(`ProcessKind = 'application-intake' AND ProcessKey = '${applicationId}'`, (found) => found.length === 1);
    expect(intake[0]!.typedSearchAttributes.get(processStatusKey)).toBe('approved');
    expect(intake[0]!.typedSearchAttributes.get(memberIdKey)).toBe(memberId);

    const today = stack.ctx.today();
    const reconciled = await listUntil(`ProcessKind = 'reconcile' AND ProcessKey = '${today}' AND WorkflowId = '${reconcileRun!.workflowId}'`, (found) => found.length === 1);
    expect(['changed', 'nothing-to-do']).toContain(reconciled[0]!.typedSearchAttributes.get(processStatusKey));
    const fetched = await listUntil(`ProcessKind = 'bank-file-fetch' AND ProcessStatus = 'fetched' AND WorkflowId = '${bankFetch!.workflowId}'`, (found) => found.length === 1);
    expect(fetched[0]!.typedSearchAttributes.get(processKeyKey)).toBe(today);
    const died = await listUntil(`ProcessKind = 'member-death' AND ProcessStatus = 'recorded' AND WorkflowId = '${death!.workflowId}'`, (found) => found.length === 1);
    expect(died[0]!.typedSearchAttributes.get(processKeyKey)).toBe(memberId);

    // Nothing personal in any attribute of these processes: not the name, the identity code, the address or the contacts.
    const personal = [data.identityCode, data.firstNames, data.lastName, data.email!, data.phone!, data.address!.street, data.address!.postalCode, ...data.firstNames.split(' ')];
    for (const execution of [...ofMember, ...reconciled, ...fetched]) {
      const values = execution.typedSearchAttributes.getAll().map((pair) => String(pair.value));
      expect(values.length).toBeGreaterThanOrEqual(3);
      for (const value of values) {
        for (const word of personal) expect(value.toLowerCase()).not.toContain(word.toLowerCase());
        // No identity code of any person either (ddmmyy, century sign, individual number, check
        // character), standing alone: inside a UUID such as f3054931-3380-… the same shape is chance.
        expect(value).not.toMatch(/(?<![0-9A-Za-z])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![0-9A-Za-z])/);
      }
    }
  });
});
