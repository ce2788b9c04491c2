import type { ServiceContext } from '../../../services/context';
import { getCaseDocumentPdf, getMemberHearings, recordAppeal, recordExplanation, recordSamuRuling } from '../../../services/hearings';
import { hearingRoutes as contract } from '../contract/hearings';
import { implement } from '../routing';

/** Hearings, expulsion decisions and appeals of a member. */
export function hearingRoutes(ctx: ServiceContext) {
  return [
    implement(contract.getMemberHearings, async (c, { params }) => ({ status: 200, json: await getMemberHearings(ctx, c.get('principal'), params.id) })),
    implement(contract.recordHearingExplanation, async (c, { params, body }) => ({ status: 201, json: await recordExplanation(ctx, c.get('principal'), params.id, params.hid, body) })),
    implement(contract.recordExpulsionAppeal, async (c, { params, body }) => {
      const { created, started, appeal } = await recordAppeal(ctx, c.get('principal'), params.id, params.did, body);
      // Stored, but Temporal did not answer in time: accepted; the reconsideration starts when it is back.
      return { status: !started ? 202 : created ? 201 : 200, json: appeal };
    }),
    implement(contract.recordSamuRuling, async (c, { params, body }) => ({ status: 200, json: await recordSamuRuling(ctx, c.get('principal'), params.id, params.aid, body) })),
    implement(contract.getCaseDocumentPdf, async (c, { params }) => {
      const { filename, bytes } = await getCaseDocumentPdf(ctx, c.get('principal'), params.id, params.documentId);
      // It carries a member's name and address: no shared caches.
      return { status: 200, body: bytes, contentType: 'application/pdf', headers: { 'Content-Disposition': `inline; filename="${filename}"`, 'Cache-Control': 'private, no-store' } };
    }),
  ];
}
