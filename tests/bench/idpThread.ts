// The dev IdP in a thread of its own (benchStack.ts): oidc-provider answers every request inside an
// AsyncLocalStorage, and the first one turns on Node's promise hooks for the whole thread it runs
// in, which every promise of the API's requests would then pay for (about 4 % of the server
// thread in a CPU profile of the ekj bench at 2,000 lookups/s). A fund's IdP is another system.
import { parentPort, workerData } from 'node:worker_threads';
import { startDevIdp, type DevIdpOptions } from '../../integrations/dev-idp';

const idp = await startDevIdp(workerData as DevIdpOptions);
parentPort!.postMessage(idp.issuer);
parentPort!.once('message', () => void idp.close().then(() => parentPort!.close()));
