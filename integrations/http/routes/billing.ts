import { getBillingRun, listBillingRuns, startBillingRun } from '../../../services/billing';
import type { ServiceContext } from '../../../services/context';
import { listFeeYears, setFeeYear } from '../../../services/feeYears';
import { billingRoutes as contract } from '../contract/billing';
import { implement } from '../routing';

/** Billing runs (start one for a period, list them, follow one) and the fee years they bill with. */
export function billingRoutes(ctx: ServiceContext) {
  return [
    implement(contract.startBillingRun, async (c, { body }) => {
      const { created, started, run } = await startBillingRun(ctx, c.get('principal'), body);
      // Stored, but Temporal did not answer in time: accepted; the run starts when it is back.
      return { status: !started ? 202 : created ? 201 : 200, json: run, headers: { Location: `/api/v1/billing-runs/${run.id}` } };
    }),
    implement(contract.listBillingRuns, async (c) => ({ status: 200, json: await listBillingRuns(ctx, c.get('principal')) })),
    implement(contract.getBillingRun, async (c, { params }) => ({ status: 200, json: await getBillingRun(ctx, c.get('principal'), params.id) })),
    implement(contract.listFeeYears, async (c) => ({ status: 200, json: await listFeeYears(ctx, c.get('principal')) })),
    implement(contract.setFeeYear, async (c, { params, body }) => ({ status: 200, json: await setFeeYear(ctx, c.get('principal'), params.year, body) })),
  ];
}
