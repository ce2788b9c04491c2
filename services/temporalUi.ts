import type { ServiceContext } from './context';

/** The Temporal Web UI's page of one process, or null when no UI is configured (TEMPORAL_UI_URL). */
export function temporalProcessLink(ctx: ServiceContext, workflowId: string): string | null {
  if (!ctx.temporalUi) return null;
  return `${ctx.temporalUi.url}/namespaces/${encodeURIComponent(ctx.temporalUi.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** What the Temporal UI's process list is filtered by: the search attributes of decision 027. */
export interface ProcessFilter {
  kind?: string;
  key?: string;
  memberId?: string;
}

/** The Temporal Web UI's process list filtered by the register's search attributes, or null when no UI is configured. */
export function temporalProcessesLink(ctx: ServiceContext, filter: ProcessFilter): string | null {
  if (!ctx.temporalUi) return null;
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;
  const clauses = [
    ...(filter.kind ? [`ProcessKind=${quoted(filter.kind)}`] : []),
    ...(filter.key ? [`ProcessKey=${quoted(filter.key)}`] : []),
    ...(filter.memberId ? [`MemberId=${quoted(filter.memberId)}`] : []),
  ];
  return `${ctx.temporalUi.url}/namespaces/${encodeURIComponent(ctx.temporalUi.namespace)}/workflows?query=${encodeURIComponent(clauses.join(' AND '))}`;
}
