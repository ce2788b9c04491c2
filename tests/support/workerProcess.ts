// A worker in a process of its own, for a test that SIGKILLs it: the real workflows and activities
// (development adapters) on the task queues of TASK_QUEUE_PREFIX, against the test run's
// PostgreSQL and Temporal. No schedules, no web server. Tells its parent over IPC when it polls.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { getFundProfile } from '../../domain/fundProfile';
import { chooseAdapters } from '../../temporal/adapters';
import { wireServices } from '../../temporal/services';
import { createWorker } from '../../temporal/worker';
import { testPayloadKeys } from './payloadKeys';

const need = (name: string) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
Runtime.install({ logger: new DefaultLogger('WARN') });
const [address, namespace, taskQueuePrefix] = [need('TEMPORAL_ADDRESS'), need('TEMPORAL_NAMESPACE'), need('TASK_QUEUE_PREFIX')];
const wired = await wireServices({
  databaseUrl: need('DATABASE_URL'),
  temporalAddress: address,
  namespace,
  taskQueuePrefix,
  profile: getFundProfile('a-kassa'),
  publicBaseUrl: 'http://127.0.0.1',
  supplementLinkSecret: 'test-supplement-secret',
  adapters: chooseAdapters({}, 'development').adapters,
  payloadKeys: testPayloadKeys,
});
const { worker } = await createWorker({ address, namespace, taskQueues: wired.ctx.taskQueues, deps: wired.activityDeps, workflowBundle: { codePath: need('WORKFLOW_BUNDLE') }, payloadKeys: testPayloadKeys });
const running = worker.run();
process.send?.('ready');
await running;
