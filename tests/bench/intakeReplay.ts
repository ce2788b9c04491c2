// The workflow thread's CPU per intake process apart from the machine's load (decisions 037, 044):
// replays recorded intake histories N times each in this process, no PostgreSQL or Temporal server.
// Run: node --import tsx tests/bench/intakeReplay.ts [N] [history …] (default 1000, the auto-approve paths).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { payloadDataConverter } from '../../temporal/payloadCodec';
import { bundleWorkflows } from '../../temporal/worker';
import { testPayloadKeys } from '../support/payloadKeys';

const n = Number(process.argv[2] ?? 1000);
const names = process.argv.slice(3).length ? process.argv.slice(3) : ['auto-approve-one-upsert', 'validate-and-approve'];
Runtime.install({ logger: new DefaultLogger('WARN') });
const bundle = await bundleWorkflows();
const dataConverter = payloadDataConverter(testPayloadKeys)!;

async function replay(name: string, count: number) {
  const history = historyFromJSON(JSON.parse(readFileSync(path.resolve('tests/replay/histories', `${name}.json`), 'utf8')));
  const histories = Array.from({ length: count }, (_, i) => ({ workflowId: `${name}-${i}`, history }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: { code: bundle.code }, dataConverter, replayName: name }, histories)) {
    if (result.error) throw result.error;
  }
}

for (const name of names) await replay(name, 100); // warm-up
for (const round of [1, 2]) {
  for (const name of names) {
    const before = process.cpuUsage();
    const start = performance.now();
    await replay(name, n);
    const cpu = process.cpuUsage(before);
    console.log(`round ${round} ${name}: ${n} replays, CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms per workflow, wall ${((performance.now() - start) / n).toFixed(2)} ms`);
  }
}
