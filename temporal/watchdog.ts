// The supervisor's watchdog (`npm start`, issue 16, decision 017): a small process of its own that
// the supervisor starts with an IPC channel. When the supervisor dies without its ordered stop
// (SIGKILL, the OOM killer), the channel closes and this process stops what the supervisor started
// and recorded in DATA_DIR/run: the web and worker processes if still there, the Temporal dev
// server, PostgreSQL (SIGINT: a fast shutdown). After an ordered stop the supervisor has removed its
// own record, and this process just exits. It runs in a process group of its own, so a Ctrl-C in
// the terminal reaches the supervisor (which stops everything in order) and not this process.
import { readPidFile, recoverLeftovers, removePidFile } from './supervision';

const [runDir, supervisorPid] = [process.argv[2], Number(process.argv[3])];
const log = (line: string) => console.log(`[watchdog] ${line}`);

if (!runDir || !Number.isInteger(supervisorPid) || typeof process.send !== 'function') {
  console.error('[watchdog] started without its supervisor: usage from temporal/supervise.ts only');
  process.exit(2);
}

process.on('disconnect', () => {
  void (async () => {
    if (readPidFile(runDir, 'supervisor')?.pid === supervisorPid) {
      log(`the supervisor (pid ${supervisorPid}) is gone without stopping: stopping what it started…`);
      for (const left of await recoverLeftovers(runDir, ['web', 'worker', 'temporal', 'postgresql'], { postgresql: 'SIGINT' })) {
        log(`stopped the ${left.name} (pid ${left.pid})`);
      }
      removePidFile(runDir, 'supervisor');
    }
    if (readPidFile(runDir, 'watchdog')?.pid === process.pid) removePidFile(runDir, 'watchdog');
    process.exit(0);
  })();
});
