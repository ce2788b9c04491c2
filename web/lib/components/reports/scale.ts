/**
 * Axis helpers for the hand-drawn report charts: a "nice" domain with round tick values, so the
 * gridlines read as 0, 500, 1 000 … rather than 0, 437, 874 ….
 */
export interface LinearScale {
  min: number;
  max: number;
  ticks: number[];
  /** The position of `value` between `from` (at min) and `to` (at max). */
  at(value: number, from: number, to: number): number;
}

function niceStep(rough: number): number {
  if (rough <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * A scale over `values` that always includes zero, with about `count` ticks. `minStep` keeps the
 * ticks apart in the unit they are labelled in (cents drawn as whole euros: 100), so no two ticks
 * read alike; the ticks are distinct even when every value is zero.
 */
export function linearScale(values: readonly number[], count = 4, minStep = 1): LinearScale {
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const step = Math.max(minStep, niceStep((hi - lo || minStep) / count));
  const min = Math.floor(lo / step) * step;
  const max = Math.max(Math.ceil(hi / step) * step, min + step);
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) {
    const tick = Math.round(v);
    if (ticks[ticks.length - 1] !== tick) ticks.push(tick);
  }
  return {
    min,
    max,
    ticks,
    at: (value, from, to) => from + ((value - min) / (max - min)) * (to - from),
  };
}
