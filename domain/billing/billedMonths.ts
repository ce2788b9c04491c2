/**
 * The months an invoice bills, as short text the same in every language: '12/2026' for one month,
 * '1–3/2026' for a quarter, '11/2026–2/2027' across a year's end, runs joined with ', '
 * ('1–3/2026, 6/2026'). Months are 'YYYY-MM'; order and repeats do not matter.
 * @example billedMonthsText(['2026-12']) // '12/2026'
 */
export function billedMonthsText(months: readonly string[]): string {
  const indexes = [...new Set(months.map(monthIndex))].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const i of indexes) {
    const last = runs.at(-1);
    if (last && i === last[1] + 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs.map(([from, to]) => runText(from, to)).join(', ');
}

function monthIndex(month: string): number {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`billed month "${month}" should be YYYY-MM`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

function runText(from: number, to: number): string {
  const [fy, fm] = [Math.floor(from / 12), (from % 12) + 1];
  const [ty, tm] = [Math.floor(to / 12), (to % 12) + 1];
  if (from === to) return `${fm}/${fy}`;
  if (fy === ty) return `${fm}–${tm}/${fy}`;
  return `${fm}/${fy}–${tm}/${ty}`;
}
