import { describe, expect, it } from 'vitest';
import { orderedUuid } from '../../../activities/orderedIds';

describe('orderedUuid (decision 067)', () => {
  it('makes version 7 UUIDs, each greater than the one before, also many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => orderedUuid());
    expect(ids.filter((id) => !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => i > 0 && id <= ids[i - 1]!)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('starts with the time it was made', () => {
    const before = Date.now();
    const ms = parseInt(orderedUuid().replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThan(before + 60_000);
  });
});
