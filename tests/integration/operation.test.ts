// Production operation (issue 16): readiness of a process, and a start refused on its configuration.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../db/client';
import { FakeBank } from '../../integrations/adapters/bank/fakeBank';
import { createDvvChangesClient } from '../../integrations/adapters/dvv';
import { FakeMessaging } from '../../integrations/adapters/messaging/fakeMessaging';
import { adapterProbes, chooseAdapters } from '../../temporal/adapters';
import { healthEndpoints, type HealthEndpoints } from '../../temporal/health';
import { EXIT_CONFIG } from '../../temporal/supervision';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** Serves the endpoints on a real port, as the web server and worker do, and asks one path. */
async function ask(endpoints: HealthEndpoints, path: string, init: RequestInit = {}) {
  const server: Server = createServer((req, res) => {
    if (!endpoints.handle(req, res)) res.writeHead(404).end('the desk');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
  } finally {
    server.close();
  }
}

/** A port that accepts connections and never answers: a dependency that hangs. */
async function silentPort() {
  const silent = createTcpServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return { port: (silent.address() as { port: number }).port, close: () => silent.close() };
}

describe('health and readiness', () => {
  it('/healthz and /readyz answer without a login; ready when PostgreSQL and Temporal both answer', async () => {
    const endpoints = healthEndpoints({ db: stack.db, temporal: stack.ctx.temporal });
    const live = await ask(endpoints, '/healthz');
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    const ready = await ask(endpoints, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { postgresql: 'up', temporal: 'up' } });
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect((await ask(endpoints, '/readyz', { method: 'POST' })).status).toBe(405);
    expect((await ask(endpoints, '/elsewhere')).text).toBe('the desk');
  });

  it('answers 503 naming Temporal when Temporal does not answer, and leaks nothing of it', async () => {
    const silent = await silentPort();
    const connection = Connection.lazy({ address: `127.0.0.1:${silent.port}` });
    try {
      const endpoints = healthEndpoints({ db: stack.db, temporal: new Client({ connection, namespace: 'default' }) });
      const began = Date.now();
      const res = await ask(endpoints, '/readyz');
      expect(Date.now() - began).toBeLessThan(3000);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not-ready', checks: { postgresql: 'up', temporal: 'down' } });
      expect(res.text).not.toContain(String(silent.port));
    } finally {
      await connection.close().catch(() => undefined);
      silent.close();
    }
  });

  it('answers 503 naming PostgreSQL when the database does not answer', async () => {
    const silent = await silentPort();
    const database = connectDatabase(`postgres://register:secret@127.0.0.1:${silent.port}/register`, 1);
    try {
      const endpoints = healthEndpoints({ db: database.db, temporal: stack.ctx.temporal });
      const res = await ask(endpoints, '/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'not-ready', checks: { postgresql: 'down', temporal: 'up' } });
      expect(res.text).not.toMatch(/secret|register@/);
    } finally {
      silent.close();
      void database.close().catch(() => undefined);
    }
  });

  it('the worker’s /readyz lists its adapters up or down; an adapter down is shown, not a 503', async () => {
    const silent = await silentPort();
    try {
      const adapters = {
        ...chooseAdapters({}, 'development').adapters,
        bank: new FakeBank({ unavailableRate: 1 }),
        messaging: new FakeMessaging(),
        // A population register that takes the connection and never answers.
        populationRegister: createDvvChangesClient({ baseUrl: `http://127.0.0.1:${silent.port}`, username: 'u', password: 'p', xRoadClient: 'x' }),
      };
      const endpoints = healthEndpoints({ db: stack.db, temporal: stack.ctx.temporal, adapters: adapterProbes(adapters) });
      const began = Date.now();
      const res = await ask(endpoints, '/readyz');
      expect(Date.now() - began).toBeLessThan(3000);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ready',
        checks: { postgresql: 'up', temporal: 'up', adapters: { bank: 'down', messaging: 'up', populationRegister: 'down', caseManagement: 'up', tax: 'up' } },
      });
      expect(res.text).not.toContain(String(silent.port));

      // However often /readyz is asked, an outside system is asked at most every 30 s.
      let asked = 0;
      const counted = healthEndpoints({ db: stack.db, temporal: stack.ctx.temporal, adapters: { bank: async () => void asked++ } });
      for (let i = 0; i < 3; i++) expect((await ask(counted, '/readyz')).body).toMatchObject({ checks: { adapters: { bank: 'up' } } });
      expect(asked).toBe(1);
    } finally {
      silent.close();
    }
  });

  it('answers 503 (draining) once the process is shutting down, while /healthz still answers', async () => {
    const endpoints = healthEndpoints({ db: stack.db, temporal: stack.ctx.temporal });
    endpoints.drain();
    expect(await ask(endpoints, '/readyz')).toMatchObject({ status: 503, body: { status: 'draining' } });
    expect((await ask(endpoints, '/healthz')).status).toBe(200);
  });
});

describe('a start refused on its configuration', () => {
  it.each([
    ['web', {}, 'DATABASE_URL'],
    ['worker', { DATABASE_URL: 'postgres://x@127.0.0.1:1/x', TEMPORAL_ADDRESS: '127.0.0.1:1', SUPPLEMENT_LINK_SECRET: 's'.repeat(40), TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CERT: 'package.json', TEMPORAL_TLS_KEY: 'package.json' }, 'TEMPORAL_API_KEY'],
  ] as const)('npm run %s exits non-zero and names %s', async (role, extra, variable) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: '.data/refused-start', ...extra };
    const child = spawn(process.execPath, ['--import', 'tsx', 'temporal/start.ts', role], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    // EX_CONFIG: npm start's supervisor does not restart a process that refused its settings.
    expect(code).toBe(EXIT_CONFIG);
    expect(output).toContain(variable);
  }, 60_000);
});
