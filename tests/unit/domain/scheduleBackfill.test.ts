import { describe, expect, it } from 'vitest';
import { helsinkiDate } from '../../../domain/dates';
import { backfillRangeProblem, backfillWindow } from '../../../domain/scheduleBackfill';

describe('backfill range', () => {
  it('accepts whole days up to today within the maximum', () => {
    expect(backfillRangeProblem('2026-11-01', '2026-12-04', '2026-12-04', 62)).toBeNull();
    expect(backfillRangeProblem('2026-12-04', '2026-12-04', '2026-12-04', 1)).toBeNull();
  });

  it('refuses a reversed or malformed range, a day after today and a range longer than the maximum', () => {
    expect(backfillRangeProblem('2026-12-03', '2026-12-02', '2026-12-04', 62)?.code).toBe('schedule_backfill_range_invalid');
    expect(backfillRangeProblem('2026-02-30', '2026-03-02', '2026-12-04', 62)?.code).toBe('schedule_backfill_range_invalid');
    expect(backfillRangeProblem('2026-12-01', '2026-12-05', '2026-12-04', 62)).toEqual({ code: 'schedule_backfill_in_future', params: { today: '2026-12-04' } });
    // 62 days is the most: 3 October .. 3 December is 62, from 2 October 63.
    expect(backfillRangeProblem('2026-10-03', '2026-12-03', '2026-12-04', 62)).toBeNull();
    expect(backfillRangeProblem('2026-10-02', '2026-12-03', '2026-12-04', 62)).toEqual({ code: 'schedule_backfill_range_too_long', params: { maxDays: 62 } });
  });
});

describe('backfill window', () => {
  it('runs from the first moment of the first day to the end of the last (Helsinki), start exclusive', () => {
    const { start, end } = backfillWindow('2026-11-30', '2026-12-02', new Date('2026-12-04T10:00:00Z'));
    expect(start.toISOString()).toBe('2026-11-29T21:59:59.999Z');
    expect(end.toISOString()).toBe('2026-12-02T21:59:59.999Z');
    expect(helsinkiDate(end)).toBe('2026-12-02');
  });

  it('stops at now when the last day is today, and follows summer time', () => {
    const now = new Date('2026-07-04T10:00:00Z');
    const { start, end } = backfillWindow('2026-07-01', '2026-07-04', now);
    expect(start.toISOString()).toBe('2026-06-30T20:59:59.999Z');
    expect(end).toEqual(now);
  });
});
