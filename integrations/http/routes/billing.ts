import { Hono } from 'hono';
import * as v from 'valibot';
import { isIsoDate } from '../../../domain/dates';
import { getBillingRun, listBillingRuns, startBillingRun } from '../../../services/billing';
import { listFeeYears, setFeeYear } from '../../../services/feeYears';
import type { ServiceContext } from '../../../services/context';
import type { AppEnv } from '../auth';
import { jsonBody, parseOrThrow } from '../validate';

export const startBillingRunSchema = v.strictObject({
  period: v.pipe(v.string(), v.regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be a year (2027), a quarter (2027-Q1) or a month (2027-03)')),
  dueDate: v.pipe(
    v.string(),
    v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'),
  ),
  supplementary: v.optional(v.boolean('must be true or false')),
});

/** Cents: a whole, non-negative number (a €1,000 monthly fee is far beyond any fund's). */
const cents = v.pipe(v.number('must be a number of cents'), v.integer('must be whole cents'), v.minValue(0, 'must not be negative'), v.maxValue(100_000, 'must be at most 100000 (€1,000)'));

export const setFeeYearSchema = v.strictObject({
  model: v.picklist(['per-month', 'per-year-by-month'], 'must be per-month or per-year-by-month'),
  monthlyCents: v.optional(cents),
  yearlyCents: v.optional(cents),
  confirmed: v.boolean('must be true (confirmed by Finanssivalvonta) or false (provisional)'),
  note: v.pipe(v.string(), v.trim(), v.minLength(3, 'must say where the figure comes from (the board decision, its date)'), v.maxLength(500)),
});

const feeYearParam = v.pipe(v.string(), v.regex(/^\d{4}$/, 'must be a four-digit year'), v.transform(Number), v.minValue(2001, 'must be 2001–2099'), v.maxValue(2099, 'must be 2001–2099'));

/** A run id (`billing-run/a-kassa/2027`, slashes raw or encoded) or the uuid its approval task names. */
const runIdParam = v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[A-Za-z0-9/_-]+$/, 'must be a billing run id such as billing-run/a-kassa/2027'));

/** Billing runs (start one for a period, list them, follow one) and the fee years they bill with. */
export function billingRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>()
    .post('/billing-runs', async (c) => {
      const body = await jsonBody(c, startBillingRunSchema);
      const { created, run } = await startBillingRun(ctx, c.get('principal'), body);
      c.header('Location', `/api/v1/billing-runs/${run.id}`);
      return c.json(run, created ? 201 : 200);
    })
    .get('/billing-runs', async (c) => c.json(await listBillingRuns(ctx, c.get('principal'))))
    .get('/billing-runs/:id{.+}', async (c) => {
      const id = parseOrThrow(runIdParam, c.req.param('id'));
      return c.json(await getBillingRun(ctx, c.get('principal'), id));
    })
    .get('/fee-years', async (c) => c.json(await listFeeYears(ctx, c.get('principal'))))
    .put('/fee-years/:year', async (c) => {
      const year = parseOrThrow(feeYearParam, c.req.param('year'));
      return c.json(await setFeeYear(ctx, c.get('principal'), year, await jsonBody(c, setFeeYearSchema)));
    });
}
