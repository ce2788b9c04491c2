/**
 * Liveness and readiness for process supervisors and load balancers (docs/decisions/017).
 * `/healthz`: the process answers (no dependency checked, so a database outage does not get every
 * process restarted). `/readyz`: PostgreSQL and Temporal both answer within a second; 503 names
 * which one does not. The worker's also lists its adapters (bank, messaging, …) up or down, each
 * asked at most every 30 s so that probes never load an outside system: shown, not counted, since
 * an outside system's outage is what activities' retries ride out and taking every worker out of
 * service would stop the register's own work too. Neither needs a login and
 * neither tells more than up/down: no versions, addresses or error texts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

export type DependencyState = 'up' | 'down';
export interface Readiness {
  ready: boolean;
  checks: { postgresql: DependencyState; temporal: DependencyState; adapters?: Record<string, DependencyState> };
}

export interface HealthDeps {
  db: Database;
  temporal: Client;
  /** The worker's adapters' probes (temporal/adapters.ts adapterProbes); none in the web process. */
  adapters?: Record<string, () => Promise<unknown>>;
}

const CHECK_TIMEOUT_MS = 1000;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function state(check: () => Promise<unknown>): Promise<DependencyState> {
  try {
    await within(CHECK_TIMEOUT_MS, check());
    return 'up';
  } catch {
    return 'down';
  }
}

/** Asks PostgreSQL, Temporal and the adapters, at once, whether they answer. */
export async function readiness(deps: HealthDeps): Promise<Readiness> {
  const probes = Object.entries(deps.adapters ?? {});
  const [postgresql, temporal, ...adapters] = await Promise.all([
    state(() => deps.db.execute(sql`select 1`)),
    state(() => deps.temporal.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => deps.temporal.workflowService.getSystemInfo({}))),
    ...probes.map(([, probe]) => state(probe)),
  ]);
  const checks: Readiness['checks'] = { postgresql: postgresql!, temporal: temporal! };
  if (probes.length > 0) checks.adapters = Object.fromEntries(probes.map(([name], i) => [name, adapters[i]!]));
  return { ready: postgresql === 'up' && temporal === 'up', checks };
}

export interface HealthEndpoints {
  /** Answers /healthz and /readyz; false for any other request (the caller serves it). */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on /readyz answers 503 (draining), so load balancers stop sending requests. */
  drain(): void;
}

/** Outside systems are asked at most this often, however often a load balancer asks /readyz. */
export const ADAPTER_PROBE_EVERY_MS = 30_000;

/** The probe's last answer while it is younger than `ms`, else a new one. */
function atMostEvery(ms: number, probe: () => Promise<unknown>): () => Promise<unknown> {
  let last: { at: number; answer: Promise<unknown> } | null = null;
  return () => {
    if (!last || Date.now() - last.at >= ms) last = { at: Date.now(), answer: probe() };
    return last.answer;
  };
}

export function healthEndpoints(given: HealthDeps): HealthEndpoints {
  const deps: HealthDeps = { ...given, ...(given.adapters ? { adapters: Object.fromEntries(Object.entries(given.adapters).map(([name, probe]) => [name, atMostEvery(ADAPTER_PROBE_EVERY_MS, probe)])) } : {}) };
  let draining = false;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return {
    handle(req, res) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/healthz' && path !== '/readyz') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return true;
      }
      if (path === '/healthz') {
        send(res, 200, { status: 'ok' });
        return true;
      }
      if (draining) {
        send(res, 503, { status: 'draining' });
        return true;
      }
      void readiness(deps).then(
        (r) => send(res, r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not-ready', checks: r.checks }),
        () => send(res, 503, { status: 'not-ready' }),
      );
      return true;
    },
    drain() {
      draining = true;
    },
  };
}
