import type { KtStatistics, MemberStatistics, MonthlyStatistics } from '$contract';
import { dateParam, todayInHelsinki } from '$lib/dates';
import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import type { ProblemCode } from '$lib/i18n';
import type { PageServerLoad } from './$types';

/** One table's answer: the figures, or the API's explanation of why not (a range it refuses). */
type Outcome<T> = { data: T; problem: null } | { data: null; problem: ProblemCode };

async function outcome<T>(work: Promise<T>): Promise<Outcome<T>> {
  try {
    return { data: await work, problem: null };
  } catch (e) {
    if (isApiError(e) && e.status !== 401 && e.status !== 403) return { data: null, problem: problemOf(e) };
    throw e;
  }
}

const monthParam = (s: string | null) => (s && /^\d{4}-(0[1-9]|1[0-2])$/.test(s) ? s : null);
const previousMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

export const load: PageServerLoad = async ({ fetch, url }) => {
  const today = todayInHelsinki();
  // Bookmarkable: the query string's dates; by default today, this year's months and last month's KT.
  const range = {
    on: dateParam(url.searchParams.get('on')) ?? today,
    from: monthParam(url.searchParams.get('from')) ?? `${today.slice(0, 4)}-01`,
    to: monthParam(url.searchParams.get('to')) ?? today.slice(0, 7),
    kt: monthParam(url.searchParams.get('kt')) ?? previousMonth(today.slice(0, 7)),
  };
  const api = apiClient(fetch);
  try {
    const [members, monthly, kt] = await Promise.all([
      outcome<MemberStatistics>(api.memberStatistics(range.on)),
      outcome<MonthlyStatistics>(api.monthlyStatistics(range.from, range.to)),
      outcome<KtStatistics>(api.ktStatistics(range.kt)),
    ]);
    return { range, members, monthly, kt, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { range, members: null, monthly: null, kt: null, forbidden: true };
    failLoad(e, url);
  }
};
