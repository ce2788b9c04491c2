// OpenTelemetry tracing from an HTTP request through the workflow it starts to the workflow's
// activities (docs/decisions/027-process-visibility-and-tracing.md). Off unless
// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set: with it off nothing
// is registered, no interceptor, no sink, no global provider.
import { createRequire } from 'node:module';
import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryWorkflowClientInterceptor, makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';

const require = createRequire(import.meta.url);
/** The workflow side's interceptors (spans for the workflow run and each activity it schedules), bundled into the workflow code. */
export const workflowTracingInterceptorsPath = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export interface TracingSettings {
  /** The OTLP/HTTP traces endpoint (e.g. http://collector:4318/v1/traces). */
  endpoint: string;
  /** service.name of the spans: `jasenrekisteri-web`, `-worker` or the single process's name. */
  serviceName: string;
}

/** What a process traces with: given to the Temporal client, the worker and the HTTP app. */
export interface Tracing {
  readonly tracer: Tracer;
  readonly spanProcessor: SpanProcessor;
  readonly resource: Resource;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider (with the AsyncLocalStorage context manager, so an HTTP
 * request's span is the parent of the workflow start it makes) and exports through `spanProcessor`,
 * by default a batch of OTLP/HTTP requests to `settings.endpoint`.
 */
export function startTracing(settings: TracingSettings, spanProcessor?: SpanProcessor): Tracing {
  const resource = new Resource({ 'service.name': settings.serviceName });
  const processor = spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return {
    tracer: trace.getTracer('jasenrekisteri'),
    spanProcessor: processor,
    resource,
    async shutdown() {
      await provider.shutdown();
    },
  };
}

/** The Temporal client's interceptors: a span per workflow start, signal, update and query, its context in the headers. */
export function clientTracingInterceptors(tracing: Tracing | null | undefined): WorkflowClientInterceptor[] {
  return tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [];
}

/** The worker's part: activity spans (children of the workflow's span through the activity's headers) and the sink that exports workflow spans. */
export function workerTracing(tracing: Tracing | null | undefined): { activity: ActivityInterceptorsFactory[]; sinks: NonNullable<WorkerOptions['sinks']>; workflowModules: string[] } {
  if (!tracing) return { activity: [], sinks: {}, workflowModules: [] };
  return {
    activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    workflowModules: [workflowTracingInterceptorsPath],
  };
}
