import { bodyLimit } from 'hono/body-limit';
import type { ServiceContext } from '../../../services/context';
import { memberListFile, receiveUnionBatchFile, receiveUnionEvent, receiveUnionEvents, unionMemberList } from '../../../services/unions';
import { getUnionBatch, listUnionBatches } from '../../../services/unionBatches';
import { unionRoutes as contract } from '../contract/unions';
import { problem } from '../problem';
import { implement } from '../routing';
import { idempotencyKeyOf } from './applications';

/** A month of a big union's events is a few MiB; larger batches are split. */
const MAX_UNION_FILE_MIB = 16;
const fileLimit = bodyLimit({
  maxSize: MAX_UNION_FILE_MIB * 1024 * 1024,
  onError: (c) => problem(c, 413, 'Too large', `A union batch file may be at most ${MAX_UNION_FILE_MIB} MiB; split it.`, { code: 'union_batch_file_too_large', params: { maxMiB: MAX_UNION_FILE_MIB } }),
});

/** The union ↔ fund exchange: events and remittances in, the member list out. */
export function unionRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listUnionBatches, async (c, { query }) => ({ status: 200, json: await listUnionBatches(ctx, c.get('principal'), query), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.getUnionBatch, async (c, { params, query }) => ({ status: 200, json: await getUnionBatch(ctx, c.get('principal'), params.id, query), headers: { 'Cache-Control': 'no-store' } })),
    implement(
      contract.receiveUnionBatchFile,
      async (c) => {
        const text = new TextDecoder('utf-8').decode(await c.req.arrayBuffer());
        const { created, batch } = await receiveUnionBatchFile(ctx, c.get('principal'), text);
        return { status: created ? 202 : 200, json: batch };
      },
      { middleware: [fileLimit] },
    ),
    implement(contract.receiveUnionEvents, async (c, { body }) => {
      const { created, batch } = await receiveUnionEvents(ctx, c.get('principal'), body);
      return { status: created ? 202 : 200, json: batch };
    }),
    implement(contract.receiveUnionEvent, async (c, { body }) => {
      const { created, line } = await receiveUnionEvent(ctx, c.get('principal'), { idempotencyKey: idempotencyKeyOf(c, undefined), event: body.event });
      return { status: created ? 202 : 200, json: { line } };
    }),
    implement(contract.getUnionMembers, async (c, { params, query }) => {
      const list = await unionMemberList(ctx, c.get('principal'), params.unionCode);
      if (query.format === 'file') {
        return { status: 200, body: memberListFile(list), contentType: 'text/plain; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="members-${list.unionCode}-${list.asOf}.txt"` } };
      }
      return { status: 200, json: list };
    }),
  ];
}
