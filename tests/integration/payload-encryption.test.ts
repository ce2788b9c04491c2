// Temporal payloads encrypted (issue 16): what processes carry is ciphertext in Temporal's history;
// the Temporal UI's codec endpoint decodes it for administrators only, audited, from the UI's origin.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Payload } from '@temporalio/common';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../temporal/payloadCodec';
import { createWorker } from '../../temporal/worker';
import { applicationWorkflowId } from '../../workflows/definitions/applicationIntake';
import { memberDeathQueue, type MemberDeathInput } from '../../workflows/definitions/memberDeath';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, testPayloadKeys, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
let caseworker: string;
beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  admin = await stack.login('admin');
  caseworker = await stack.login('caseworker');
}, 120_000);
afterAll(async () => stack?.close());

const codec = new AesGcmPayloadCodec(testPayloadKeys);
const encodingOf = (p: Payload) => new TextDecoder().decode(p.metadata?.encoding ?? new Uint8Array());

/** Every payload of a history, except search attributes and headers (not what the process carries). */
function payloadsOf(node: unknown, found: Payload[] = []): Payload[] {
  if (Array.isArray(node)) for (const item of node) payloadsOf(item, found);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'data' in o) found.push(o as Payload);
    for (const [key, value] of Object.entries(o)) if (key !== 'searchAttributes' && key !== 'header' && key !== 'metadata') payloadsOf(value, found);
  }
  return found;
}

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

describe('Temporal payloads', () => {
  it('a process from the API to its activities carries only ciphertext; decrypted, it is the application', async () => {
    const data = applicationData();
    const res = await client.api('/api/v1/applications', { method: 'POST', token: await stack.token('eservices'), headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
    expect(res.status, res.text).toBeLessThan(300);
    // A complete application is decided by the process itself: its whole history, start to end.
    const handle = stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(res.body.id));
    await handle.result();
    const history = await handle.fetchHistory();
    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThan(3);
    // The exceptions: the SDK core's own markers bypass codecs. A local activity's (its `meta`:
    // sequence, attempt, activity type, times) and a patch's (the patch's name). Neither names a person.
    const clear = payloads.filter((p) => encodingOf(p) !== ENCRYPTED_ENCODING);
    let localActivities = 0;
    for (const p of clear) {
      const fields = JSON.parse(Buffer.from(p.data!).toString('utf8')) as Record<string, unknown>;
      const keys = Object.keys(fields).sort();
      if (keys.join() === 'deprecated,id') expect(fields.id).toMatch(/^[a-z0-9-]+$/);
      else {
        expect(keys).toEqual(['activity_id', 'activity_type', 'attempt', 'backoff', 'complete_time', 'original_schedule_time', 'seq']);
        localActivities += 1;
      }
    }
    // Sealed: the process's input and result, and each local activity's result beside its clear marker
    // (patch markers add clear payloads of their own, so no fixed share of the total is promised).
    expect(localActivities).toBeGreaterThan(0);
    expect(payloads.length - clear.length).toBeGreaterThanOrEqual(localActivities + 2);
    const plain = (await codec.decode(payloads)).map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
    expect(plain).toContain(res.body.id);
  });

  it('a payload started by the client is unreadable in the stored history', async () => {
    const marker = `Meikäläinen-${randomUUID()}`;
    const handle = await stack.ctx.temporal.workflow.start('noSuchWorkflowType', { taskQueue: `nowhere-${randomUUID()}`, workflowId: `codec-test/${randomUUID()}`, args: [{ lastName: marker }] });
    try {
      const [input] = payloadsOf(await handle.fetchHistory());
      expect(encodingOf(input!)).toBe(ENCRYPTED_ENCODING);
      expect(Buffer.from(input!.data!).toString('latin1')).not.toContain('Meik');
      expect(Buffer.from((await codec.decode([input!]))[0]!.data!).toString('utf8')).toContain(marker);
    } finally {
      await handle.terminate('test done');
    }
  });
});

/** Every failure of a history: objects with a message and a failure's own fields. */
function failuresOf(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) for (const item of node) failuresOf(item, found);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('message' in o && ('stackTrace' in o || 'encodedAttributes' in o || 'applicationFailureInfo' in o || 'activityFailureInfo' in o)) found.push(o);
    for (const value of Object.values(o)) failuresOf(value, found);
  }
  return found;
}

describe('Temporal failures', () => {
  it('a failure’s message and stack are sealed in the stored history; the client still reads them', async () => {
    // A death process for a member who does not exist: its local activity fails with a message naming
    // the member id (a stand-in for anything a failure may name), and so does the workflow.
    const memberId = randomUUID();
    const input: MemberDeathInput = { memberId, dateOfDeath: '2026-01-02', precision: 'day', by: 'test', source: 'caseworker' };
    const handle = await stack.ctx.temporal.workflow.start('memberDeath', { taskQueue: stack.ctx.taskQueues[memberDeathQueue], workflowId: `codec-failure/${randomUUID()}`, args: [input] });
    const failed = await handle.result().then(
      () => null,
      (error: unknown) => error as Error & { cause?: Error & { cause?: Error } },
    );
    // The client decodes: whoever may use it sees what failed, as before.
    expect(failed?.cause?.cause?.message ?? failed?.cause?.message).toContain(memberId);

    const history = await handle.fetchHistory();
    const failures = failuresOf(history);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(String(f.message)).not.toContain(memberId);
      expect(String(f.stackTrace ?? '')).not.toContain(memberId);
    }
    const sealed = failures.map((f) => f.encodedAttributes as Payload | undefined).filter((p): p is Payload => Boolean(p));
    expect(sealed.length).toBeGreaterThan(0);
    for (const p of sealed) expect(encodingOf(p)).toBe(ENCRYPTED_ENCODING);
    const opened = (await codec.decode(sealed)).map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
    expect(opened).toContain(memberId);
  });
});

describe('a prebuilt workflow bundle with payload keys', () => {
  it('is refused, naming WORKFLOW_BUNDLE, unless it was built to seal failures; the tests’ own bundle was', async () => {
    const given = { address: '127.0.0.1:1', namespace: 'default', taskQueues: stack.ctx.taskQueues, deps: stack.activityDeps, payloadKeys: testPayloadKeys };
    const bundle = readFileSync(inject('workflowBundlePath'), 'utf8');
    const unsealed = bundle.replaceAll('jasenrekisteri/sealed-failures/v1', 'something-else');
    await expect(createWorker({ ...given, workflowBundle: { code: unsealed } })).rejects.toMatchObject({ name: 'ConfigError', variable: 'WORKFLOW_BUNDLE' });
    // What the check looks for is in the bundle the tests' workers run (bundleWorkflows({ sealFailures: true })).
    expect(bundle).toContain('jasenrekisteri/sealed-failures/v1');
  });
});

describe('the codec endpoint of the Temporal UI', () => {
  it('decodes for an administrator, audited without content; refuses everyone else', async () => {
    const marker = `secret-${randomUUID()}`;
    const sealed = await codec.encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify({ marker })) }]);
    const body = JSON.stringify({ payloads: sealed.map(toJson) });
    const ok = await client.api('/api/v1/temporal-codec/decode', { method: 'POST', cookie: admin, headers: { 'x-namespace': 'a-kassa' }, body });
    expect(ok.status, ok.text).toBe(200);
    expect(Buffer.from(ok.body.payloads[0].data, 'base64').toString('utf8')).toBe(JSON.stringify({ marker }));
    expect(Buffer.from(ok.body.payloads[0].metadata.encoding, 'base64').toString('utf8')).toBe('json/plain');
    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'temporal.payloads-decoded'), eq(auditLog.entityId, 'a-kassa')));
    expect(audits.at(-1)).toMatchObject({ actorKind: 'user', details: { payloads: 1 } });
    expect(JSON.stringify(audits)).not.toContain(marker);

    expect((await client.api('/api/v1/temporal-codec/decode', { method: 'POST', cookie: caseworker, body })).status).toBe(403);
    expect((await client.api('/api/v1/temporal-codec/decode', { method: 'POST', token: await stack.token('ekj'), body })).status).toBe(403);
    // An altered payload is a 422 with a code, never a 500.
    const altered = { payloads: [{ ...toJson(sealed[0]!), data: Buffer.from('x'.repeat(40)).toString('base64') }] };
    const bad = await client.api('/api/v1/temporal-codec/decode', { method: 'POST', cookie: admin, body: JSON.stringify(altered) });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('payload_not_decodable');
  });

  it('answers the Temporal UI’s origin with CORS and credentials; another origin is refused', async () => {
    const ui = 'http://localhost:8233';
    const app = stack.appFor({ ...stack.ctx, temporalUi: { url: ui, namespace: 'a-kassa' } });
    const viaUi = apiClient({ app, db: stack.db });
    const preflight = await app.request('http://localhost/api/v1/temporal-codec/decode', { method: 'OPTIONS', headers: { origin: ui, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ui);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const body = JSON.stringify({ payloads: (await codec.encode([{ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode('1') }])).map(toJson) });
    const fromUi = await viaUi.api('/api/v1/temporal-codec/decode', { method: 'POST', cookie: admin, headers: { origin: ui }, body });
    expect(fromUi.status, fromUi.text).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe(ui);
    const elsewhere = await viaUi.api('/api/v1/temporal-codec/decode', { method: 'POST', cookie: admin, headers: { origin: 'http://evil.example' }, body });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('cross_site_request');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    // The UI's origin is let through on the codec path only.
    const other = await viaUi.api('/api/v1/members/search', { method: 'POST', cookie: admin, headers: { origin: ui }, body: '{}' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('cross_site_request');
  });
});
