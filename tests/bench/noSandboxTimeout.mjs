// EXPERIMENT, bench only (BENCH_NO_SANDBOX_TIMEOUT=1; decision 037): loaded with `--import` into a
// bench worker process, and by Node into each of its threads, it drops the `timeout` from Node vm
// calls, so the Temporal SDK enters the workflow sandbox without starting vm's watchdog thread on
// every call (the SDK does not expose its 5 s isolateExecutionTimeout). The price is the SDK's
// deadlock detection: a workflow stuck in a synchronous loop would hold its workflow thread for
// good instead of failing its task after 5 s. Never loaded by `npm start`, `web` or `worker`.
// Plain JavaScript: Node loads it into the workflow threads before tsx is registered there.
import vm from 'node:vm';

const withoutTimeout = (options) => {
  if (options === undefined || options === null || typeof options !== 'object' || options.timeout === undefined) return options;
  const { timeout: _timeout, ...rest } = options;
  return rest;
};
const runScript = vm.Script.prototype.runInContext;
vm.Script.prototype.runInContext = function (context, options) {
  return runScript.call(this, context, withoutTimeout(options));
};
const runCode = vm.runInContext;
vm.runInContext = (code, context, options) => runCode(code, context, withoutTimeout(options));
