import type { ServiceContext } from '../../../services/context';
import { exportFundConfig, importFundConfig, previewFundConfigImport, listFundConfig, previewFundConfig, setFundConfig } from '../../../services/fundConfig';
import { fundConfigRoutes as contract } from '../contract/fundConfig';
import { implement } from '../routing';

/** The fund's settings over the shipped profile (administrators). */
export function fundConfigRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listFundConfig, async (c) => ({ status: 200, json: await listFundConfig(ctx, c.get('principal')) })),
    implement(contract.exportFundConfig, async (c) => ({ status: 200, json: await exportFundConfig(ctx, c.get('principal')) })),
    implement(contract.importFundConfig, async (c, { body, query }) => ({ status: 200, json: await importFundConfig(ctx, c.get('principal'), body, query.plan) })),
    implement(contract.previewFundConfigImport, async (c, { body }) => ({ status: 200, json: await previewFundConfigImport(ctx, c.get('principal'), body) })),
    implement(contract.setFundConfig, async (c, { params, body }) => ({ status: 200, json: await setFundConfig(ctx, c.get('principal'), params.key, body) })),
    implement(contract.previewFundConfig, async (c, { params, body }) => ({ status: 200, json: await previewFundConfig(ctx, c.get('principal'), params.key, body) })),
  ];
}
