// EXPERIMENT, bench only (BENCH_NO_SANDBOX_TIMEOUT=1; decision 037): loaded with `--import` into a
// bench worker process, and by Node into each of its threads, it drops the `timeout` from Node vm
// calls, so the Temporal SDK enters the workflow sandbox without starting vm's watchdog thread on
// every call (the SDK does not expose its 5 s isolateExecutionTimeout). The price is the SDK's
// deadlock detection: a workflow stuck in a synchronous loop would hold its workflow thread for
// good instead of failing its task after 5 s. Never loaded by `npm start`, `web` or `worker`.
import vm from 'node:vm';

type Options = { timeout?: number } | undefined;
const withoutTimeout = <T extends Options | string>(options: T): T => {
  if (options === undefined || typeof options !== 'object' || options.timeout === undefined) return options;
  const { timeout: _timeout, ...rest } = options;
  return rest as T;
};
const runScript = vm.Script.prototype.runInContext;
vm.Script.prototype.runInContext = function (this: vm.Script, context: vm.Context, options?: vm.RunningScriptOptions) {
  return runScript.call(this, context, withoutTimeout(options));
};
const runCode = vm.runInContext;
vm.runInContext = (code: string, context: vm.Context, options?: vm.RunningCodeOptions | string) => runCode(code, context, withoutTimeout(options));
