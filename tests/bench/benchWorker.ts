// A bench worker in a process of its own (startBenchStack's `workerProcesses`), as `npm run worker`
// runs one in production: the bench's wiring, against the bench's PostgreSQL and Temporal, on a
// prebuilt workflow bundle. Tells its parent over IPC when it polls; SIGTERM stops it.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorker } from '../../temporal/worker';
import { wireBenchServices } from './benchStack';

const need = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
Runtime.install({ logger: new DefaultLogger('WARN') });
const wired = await wireBenchServices(need('DATABASE_URL'), need('TEMPORAL_ADDRESS'));
const { worker, connection } = await createWorker({ address: need('TEMPORAL_ADDRESS'), namespace: 'default', taskQueues: wired.ctx.taskQueues, deps: wired.activityDeps, workflowBundle: { codePath: need('WORKFLOW_BUNDLE') } });
const running = worker.run();
process.once('SIGTERM', () => worker.shutdown());
process.send?.('ready');
await running;
await connection.close();
await wired.close();
process.exit(0);
