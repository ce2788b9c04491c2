import type { FeeIncomeReport, ReceivablesAging } from '$contract';
import { dateParam, todayInHelsinki } from '$lib/dates';
import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import type { ProblemCode } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/** One report's answer: the figures, or the API's explanation of why not (a range it refuses). */
type Outcome<T> = { data: T; problem: null } | { data: null; problem: ProblemCode };

async function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  try {
    return { data: await work, problem: null };
  } catch (e) {
    if (isApiError(e) && e.status !== 401 && e.status !== 403) return { data: null, problem: problemOf(e) };
    throw e;
  }
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const today = todayInHelsinki();
  // The range is the query string's, so a report can be bookmarked; by default this calendar year.
  const range = {
    from: dateParam(url.searchParams.get('from')) ?? `${today.slice(0, 4)}-01-01`,
    to: dateParam(url.searchParams.get('to')) ?? `${today.slice(0, 4)}-12-31`,
    on: dateParam(url.searchParams.get('on')) ?? today,
  };
  const api = apiClient(fetch);
  try {
    const [feeIncome, aging] = await Promise.all([
      outcome<FeeIncomeReport>(api.feeIncome(range.from, range.to)),
      outcome<ReceivablesAging>(api.receivablesAging(range.on)),
    ]);
    return { range, feeIncome, aging, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { range, feeIncome: null, aging: null, forbidden: true };
    failLoad(e, url);
  }
};
