import { describe, expect, it } from 'vitest';
import { linearScale } from '../../../web/lib/components/reports/scale';

describe('report chart scale', () => {
  it('gives distinct ticks when every figure is zero (a new fund, an empty range)', () => {
    const scale = linearScale([0, 0, 0, 0], 4, 100);
    expect(new Set(scale.ticks).size).toBe(scale.ticks.length);
    expect(scale.ticks[0]).toBe(0);
    expect(scale.max).toBeGreaterThan(scale.min);
  });

  it('keeps ticks at least a euro apart when figures are a few cents', () => {
    const scale = linearScale([3, 1], 4, 100);
    expect(scale.ticks).toEqual([0, 100]);
  });

  it('draws round ticks for real figures', () => {
    expect(linearScale([0, 1_888_000], 4, 100).ticks).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
  });

  it('never repeats a tick without a minimum step', () => {
    for (const values of [[0], [1], [0, 2], [-1, 1]]) {
      const { ticks } = linearScale(values);
      expect(new Set(ticks).size, String(values)).toBe(ticks.length);
    }
  });
});
