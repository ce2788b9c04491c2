import { bodyLimit } from 'hono/body-limit';
import type { ServiceContext } from '../../../services/context';
import {
  acceptMigrationDifference,
  approveMigrationBatch,
  getMigrationBatch,
  listMigrationBatches,
  rejectedMigrationRecords,
  startMigrationReal,
  startMigrationTest,
  uploadMigrationBatch,
} from '../../../services/migration';
import { MAX_MIGRATION_UPLOAD_MIB, migrationRoutes as contract } from '../contract/migration';
import { problem } from '../problem';
import { implement } from '../routing';

const uploadLimit = bodyLimit({
  maxSize: MAX_MIGRATION_UPLOAD_MIB * 1024 * 1024,
  onError: (c) =>
    problem(c, 413, 'Too large', `A migration upload may be at most ${MAX_MIGRATION_UPLOAD_MIB} MiB; split the export into phased batches.`, {
      code: 'migration_upload_too_large',
      params: { maxMiB: MAX_MIGRATION_UPLOAD_MIB },
    }),
});

/** The run's full id from its batch and its name under the batch (workflows/definitions/migration.ts). */
const runIdOf = (batchId: string, run: string) => `migration/${batchId}/${run}`;
const runNameOf = (runId: string) => runId.slice(runId.lastIndexOf('/') + 1);

type BatchView = Awaited<ReturnType<typeof getMigrationBatch>>;
const batchView = (b: BatchView) => ({ ...b, runs: b.runs.map((r) => ({ ...r, run: runNameOf(r.id), validatedIn: r.validatedIn === null ? null : runNameOf(r.validatedIn) })) });

/** Migration batches for administrators: upload, test, approve, real, accept differences, rejected records. */
export function migrationRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listMigrationBatches, async (c) => ({ status: 200, json: await listMigrationBatches(ctx, c.get('principal')), headers: { 'Cache-Control': 'no-store' } })),
    implement(
      contract.uploadMigrationBatch,
      async (c, { params, body }) => {
        const files = body.files.map((f) => ({ entity: f.entity, filename: f.filename, format: f.format, encoding: f.encoding, bytes: new Uint8Array(Buffer.from(f.content, 'base64')) }));
        return { status: 200, json: batchView(await uploadMigrationBatch(ctx, c.get('principal'), params.batchId, files)) };
      },
      { middleware: [uploadLimit] },
    ),
    implement(contract.getMigrationBatch, async (c, { params }) => ({ status: 200, json: batchView(await getMigrationBatch(ctx, c.get('principal'), params.batchId)), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.startMigrationTest, async (c, { params }) => {
      const { runId } = await startMigrationTest(ctx, c.get('principal'), params.batchId);
      return { status: 202, json: { runId, run: runNameOf(runId) } };
    }),
    implement(contract.approveMigrationBatch, async (c, { params }) => ({ status: 200, json: batchView(await approveMigrationBatch(ctx, c.get('principal'), params.batchId)) })),
    implement(contract.startMigrationReal, async (c, { params }) => {
      const { runId } = await startMigrationReal(ctx, c.get('principal'), params.batchId);
      return { status: 202, json: { runId, run: runNameOf(runId) } };
    }),
    implement(contract.acceptMigrationDifference, async (c, { params, body }) => {
      const result = await acceptMigrationDifference(ctx, c.get('principal'), runIdOf(params.batchId, params.run), params.key, body.reason);
      return { status: 200, json: { ...result, status: result.status === 'done' ? ('done' as const) : ('differences' as const) } };
    }),
    implement(contract.getMigrationRejectedRecords, async (c, { params }) => {
      const { filename, csv } = await rejectedMigrationRecords(ctx, c.get('principal'), runIdOf(params.batchId, params.run), params.entity);
      // It holds members' personal data: no shared caches.
      return { status: 200, body: csv, contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
  ];
}
