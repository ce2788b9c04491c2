import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../db/embeddedPostgres';
import { migrateDatabase } from '../../db/migrate';
import { getFundProfile } from '../../domain/fundProfile';
import { FakeMessaging } from '../../integrations/adapters/messaging/fakeMessaging';
import { chooseAdapters } from '../../temporal/adapters';
import { API_AUDIENCE, startDevIdp } from '../../integrations/dev-idp';
import { createApp } from '../../integrations/http/app';
import { jwtBearerVerifier } from '../../integrations/http/auth';
import { startTemporalDevServer } from '../../temporal/devServer';
import { wireServices } from '../../temporal/services';
import { createWorker } from '../../temporal/worker';
import { freePort } from '../support/globalSetup';

/** A fresh, throw-away system for a benchmark: embedded PostgreSQL (or BENCH_DATABASE_URL), Temporal, IdP. */
export async function startBenchStack() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = path.resolve('.data/bench');
  rmSync(dir, { recursive: true, force: true });
  const pg = process.env.BENCH_DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? pg!.url;
  await migrateDatabase(databaseUrl);
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default' });
  const idp = await startDevIdp({ port: 0, webRedirectUris: ['http://localhost:1/auth/callback'] });
  const wired = await wireServices({
    databaseUrl,
    temporalAddress: temporal.address,
    namespace: 'default',
    profile: getFundProfile('a-kassa'),
    publicBaseUrl: 'http://localhost:1',
    supplementLinkSecret: 'bench',
    // The benchmarks send hundreds of thousands of messages; the fake keeps only their receipts.
    adapters: { ...chooseAdapters({}, 'development').adapters, messaging: new FakeMessaging({ keepMessages: false }) },
    dbPoolSize: 30,
  });
  const app = createApp({
    ctx: wired.ctx,
    publicBaseUrl: 'http://localhost:1',
    auth: {
      oidc: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: 'jasenrekisteri-desk',
        OIDC_CLIENT_SECRET: 'dev-desk-secret-change-me',
        OIDC_AUTH_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
        OIDC_REDIRECT_URI: 'http://localhost:1/auth/callback',
      },
      verifyBearer: jwtBearerVerifier({ issuer: idp.issuer, audience: API_AUDIENCE }),
    },
  });
  const { worker, connection } = await createWorker({ address: temporal.address, namespace: 'default', taskQueues: wired.ctx.taskQueues, deps: wired.activityDeps });
  const running = worker.run();
  return {
    app,
    ctx: wired.ctx,
    issuer: idp.issuer,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await wired.close();
      await idp.close();
      await temporal.stop();
      await pg?.stop();
    },
  };
}
