import { describe, expect, it } from 'vitest';
import { canWithdrawResignation, resignationEndDate } from '../../../domain/membership/resignation';

describe('resignationEndDate', () => {
  it('ends on the day the notice is received when no date is asked for', () => {
    expect(resignationEndDate({ receivedOn: '2025-03-14', periodStart: '2020-01-01' })).toEqual({
      endDate: '2025-03-14',
      feeOwedUntil: '2025-03-31',
      adjusted: false,
    });
  });

  it('honours a later requested date, and the fee runs to the end of that month', () => {
    expect(resignationEndDate({ receivedOn: '2025-03-14', requestedEndDate: '2025-06-30', periodStart: '2020-01-01' })).toEqual({
      endDate: '2025-06-30',
      feeOwedUntil: '2025-06-30',
      adjusted: false,
    });
    expect(resignationEndDate({ receivedOn: '2025-03-14', requestedEndDate: '2025-03-14', periodStart: '2020-01-01' }).adjusted).toBe(false);
  });

  it('moves an earlier requested date to the day of receipt (no retroactive resignation)', () => {
    expect(resignationEndDate({ receivedOn: '2025-03-14', requestedEndDate: '2025-02-28', periodStart: '2020-01-01' })).toEqual({
      endDate: '2025-03-14',
      feeOwedUntil: '2025-03-31',
      adjusted: true,
      reason: 'before-receipt',
    });
    expect(resignationEndDate({ receivedOn: '2025-03-14', requestedEndDate: '2025-03-13', periodStart: '2020-01-01' }).reason).toBe('before-receipt');
  });

  it('treats a null requested date like none (the database column)', () => {
    expect(resignationEndDate({ receivedOn: '2025-03-14', requestedEndDate: null, periodStart: '2020-01-01' }).endDate).toBe('2025-03-14');
  });

  it('ends on the start date when the notice comes before the membership began', () => {
    expect(resignationEndDate({ receivedOn: '2025-04-20', periodStart: '2025-05-01' })).toEqual({
      endDate: '2025-05-01',
      feeOwedUntil: '2025-05-31',
      adjusted: true,
      reason: 'before-start',
    });
    // Asked-for date between receipt and start: still the start.
    expect(resignationEndDate({ receivedOn: '2025-04-20', requestedEndDate: '2025-04-25', periodStart: '2025-05-01' }).reason).toBe('before-start');
    // On the start day itself nothing is adjusted.
    expect(resignationEndDate({ receivedOn: '2025-05-01', periodStart: '2025-05-01' }).adjusted).toBe(false);
  });

  it('puts the fee end at the last day of short and leap months', () => {
    expect(resignationEndDate({ receivedOn: '2024-02-01', periodStart: '2020-01-01' }).feeOwedUntil).toBe('2024-02-29');
    expect(resignationEndDate({ receivedOn: '2025-02-01', periodStart: '2020-01-01' }).feeOwedUntil).toBe('2025-02-28');
    expect(resignationEndDate({ receivedOn: '2025-12-31', periodStart: '2020-01-01' }).feeOwedUntil).toBe('2025-12-31');
    expect(resignationEndDate({ receivedOn: '2025-04-30', periodStart: '2020-01-01' }).feeOwedUntil).toBe('2025-04-30');
  });

  it('names a malformed argument', () => {
    expect(() => resignationEndDate({ receivedOn: '2025-02-29', periodStart: '2020-01-01' })).toThrow('receivedOn');
    expect(() => resignationEndDate({ receivedOn: '2025-03-01', requestedEndDate: '31.3.2025', periodStart: '2020-01-01' })).toThrow('requestedEndDate');
    expect(() => resignationEndDate({ receivedOn: '2025-03-01', periodStart: '' })).toThrow('periodStart');
  });
});

describe('canWithdrawResignation', () => {
  it('allows a withdrawal through the last day of a 30-day window, counting dates', () => {
    expect(canWithdrawResignation({ resignedAt: '2025-03-01', today: '2025-03-01', window: '30d' })).toBe(true);
    expect(canWithdrawResignation({ resignedAt: '2025-03-01', today: '2025-03-31', window: '30d' })).toBe(true);
    expect(canWithdrawResignation({ resignedAt: '2025-03-01', today: '2025-04-01', window: '30d' })).toBe(false);
  });

  it('crosses a leap day like any other day', () => {
    expect(canWithdrawResignation({ resignedAt: '2024-02-01', today: '2024-03-02', window: '30d' })).toBe(true);
    expect(canWithdrawResignation({ resignedAt: '2024-02-01', today: '2024-03-03', window: '30d' })).toBe(false);
  });

  it('counts timestamps exactly, so tests can use windows of seconds', () => {
    const at = '2025-03-01T12:00:00Z';
    expect(canWithdrawResignation({ resignedAt: at, today: '2025-03-01T12:01:30Z', window: '90s' })).toBe(true);
    expect(canWithdrawResignation({ resignedAt: at, today: '2025-03-01T12:01:30.001Z', window: '90s' })).toBe(false);
    expect(canWithdrawResignation({ resignedAt: '2025-03-01T14:00:00+02:00', today: '2025-03-01T12:01:30Z', window: '90s' })).toBe(true);
  });

  it('treats a today before the notice (clock skew) as inside the window', () => {
    expect(canWithdrawResignation({ resignedAt: '2025-03-02', today: '2025-03-01', window: '30d' })).toBe(true);
  });

  it('refuses mixing a date with a timestamp, and a bad window', () => {
    expect(() => canWithdrawResignation({ resignedAt: '2025-03-01', today: '2025-03-01T12:00:00Z', window: '30d' })).toThrow(/both be dates or both be timestamps/);
    expect(() => canWithdrawResignation({ resignedAt: '2025-03-01T12:00:00', today: '2025-03-01T12:00:00', window: '30d' })).toThrow(/offset/);
    expect(() => canWithdrawResignation({ resignedAt: '2025-03-01', today: '2025-03-01', window: '1 month' })).toThrow(/whole number and a unit/);
  });
});
