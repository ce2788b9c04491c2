import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { clientTracingInterceptors, startTracing, workerTracing, type Tracing } from '../../temporal/tracing';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack | undefined;
let tracing: Tracing | undefined;
afterAll(async () => {
  await stack?.close();
  await tracing?.shutdown();
});

/** Whether the global tracer provider is still the API's no-op (nobody registered one). */
const nothingRegistered = () => {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider && provider.getDelegate().constructor.name === 'NoopTracerProvider';
};

describe('OpenTelemetry tracing (decision 027)', () => {
  it('registers nothing when off: no provider, no client or worker interceptor, no sink, no workflow module', async () => {
    expect(clientTracingInterceptors(null)).toEqual([]);
    expect(workerTracing(null)).toEqual({ activity: [], sinks: {}, workflowModules: [] });
    const off = await startStack();
    try {
      const interceptors = off.ctx.temporal.workflow.options.interceptors;
      expect((Array.isArray(interceptors) ? interceptors : []).some((i) => i instanceof OpenTelemetryWorkflowClientInterceptor)).toBe(false);
      const client = apiClient(off);
      const res = await client.api('/api/v1/me', { token: await off.token('eservices') });
      expect(res.status).toBe(200);
      expect(nothingRegistered()).toBe(true);
    } finally {
      await off.close();
    }
  });

  it('links the HTTP request, the workflow start, the workflow run and its activities in one trace, through encrypted payloads', async () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ endpoint: 'http://unused.invalid/v1/traces', serviceName: 'jasenrekisteri-test' }, new SimpleSpanProcessor(exporter));
    expect(nothingRegistered()).toBe(false);
    stack = await startStack({ tracing });
    const interceptors = stack.ctx.temporal.workflow.options.interceptors;
    expect(Array.isArray(interceptors) && interceptors.some((i) => i instanceof OpenTelemetryWorkflowClientInterceptor)).toBe(true);
    const token = await stack.token('eservices');
    const client = apiClient(stack, { as: { token } });
    const data = applicationData();
    const submitted = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
    expect(submitted.status).toBe(201);
    await client.waitForStatus(submitted.body.id, ['approved']);

    const spans = await vi.waitFor(
      () => {
        const all = exporter.getFinishedSpans();
        const http = all.find((s) => s.name === 'POST /api/v1/applications');
        if (!http) throw new Error('no HTTP span yet');
        const inTrace = all.filter((s) => s.spanContext().traceId === http.spanContext().traceId);
        if (!inTrace.some((s) => s.name === 'RunWorkflow:applicationIntake') || !inTrace.some((s) => s.name.startsWith('RunActivity:'))) throw new Error(`trace incomplete: ${inTrace.map((s) => s.name).join(', ')}`);
        return { http, inTrace };
      },
      { timeout: 20_000, interval: 200 },
    );
    const byName = (name: string) => spans.inTrace.find((s) => s.name === name);
    const parentOf = (s: ReadableSpan) => s.parentSpanId;
    const start = byName('StartWorkflow:applicationIntake');
    const run = byName('RunWorkflow:applicationIntake');
    const activity = spans.inTrace.find((s) => s.name === 'RunActivity:validateApplication') ?? spans.inTrace.find((s) => s.name.startsWith('RunActivity:'));
    expect(start, 'the workflow start').toBeDefined();
    expect(run, 'the workflow run').toBeDefined();
    expect(activity, 'an activity').toBeDefined();
    // The start is the request's child, the run the start's, the activity's start the run's.
    expect(parentOf(start!)).toBe(spans.http.spanContext().spanId);
    expect(parentOf(run!)).toBe(start!.spanContext().spanId);
    const activityStart = spans.inTrace.find((s) => s.spanContext().spanId === parentOf(activity!));
    expect(activityStart?.name).toMatch(/^StartActivity:/);
    expect(parentOf(activityStart!)).toBe(run!.spanContext().spanId);
    // The HTTP span names the route, not the query or the body; no span carries the applicant's data.
    expect(spans.http.attributes['http.response.status_code']).toBe(201);
    const text = JSON.stringify(spans.inTrace.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })));
    for (const personal of [data.identityCode, data.lastName, data.email!]) expect(text).not.toContain(personal);
  });
});
