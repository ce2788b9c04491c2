import type { ServiceContext } from '../../../services/context';
import { decodeTemporalPayloads } from '../../../services/temporalCodec';
import { temporalCodecRoutes as contract } from '../contract/temporalCodec';
import { implement } from '../routing';

/** The Temporal Web UI's codec endpoint (its X-Namespace header names the namespace, for the audit). */
export function temporalCodecRoutes(ctx: ServiceContext) {
  return [
    implement(contract.decodeTemporalPayloads, async (c, { body }) => ({
      status: 200,
      json: await decodeTemporalPayloads(ctx, c.get('principal'), { namespace: c.req.header('x-namespace')?.slice(0, 200) ?? null, payloads: body.payloads }),
    })),
  ];
}
