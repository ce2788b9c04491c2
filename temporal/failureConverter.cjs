// Failures encrypted like payloads (issue 16, decision 017): by default Temporal stores a failure's
// message and stack trace in clear beside the encrypted payloads, and a message can name what it
// failed on. With payload keys configured, the worker, its workflow bundle and the client move both
// into the failure's encoded attributes, which the payload codec then seals. Decoding needs no
// setting: every converter reads encoded attributes, so histories from before still replay.
// Plain CommonJS because the SDK `require`s it by path in the worker (where no TypeScript loader
// may be registered) and bundles it into the workflow sandbox: it imports nothing but
// @temporalio/common.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS on purpose (above)
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

// Found in a workflow bundle built with this converter: a worker given a prebuilt bundle
// (WORKFLOW_BUNDLE) with payload keys refuses one without it (temporal/worker.ts).
exports.sealedFailuresMarker = 'jasenrekisteri/sealed-failures/v1';
