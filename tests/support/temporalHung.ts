// Temporal hung, not just gone: a port that takes connections and never answers, and a copy of a
// stack's context whose client talks to it, with starts of its own that end before its connection
// closes (as a process's shutdown does). For the "202 quickly while Temporal is away" tests.
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { BackgroundStarts } from '../../services/backgroundStarts';
import type { Stack } from './stack';

export async function temporalHung(stack: Pick<Stack, 'ctx'>) {
  const silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const connection = Connection.lazy({ address: `127.0.0.1:${(silent.address() as { port: number }).port}` });
  const starts = new BackgroundStarts();
  const down = { ...stack.ctx, temporal: new Client({ connection, namespace: stack.ctx.temporal.options.namespace }), startWaitMs: 1000, backgroundStarts: starts };
  return {
    down,
    async close() {
      await starts.close();
      await connection.close().catch(() => undefined);
      silent.close();
    },
  };
}
