import { describe, expect, it } from 'vitest';
import { dueDatePassed, invoiceIssueDate, startsNewAttempt } from '../../../domain/billing/billingRun';

describe('startsNewAttempt', () => {
  it('follows a rejected or failed run with a new attempt', () => {
    expect(startsNewAttempt('rejected', false)).toBe(true);
    expect(startsNewAttempt('failed', false)).toBe(true);
    expect(startsNewAttempt('failed', true)).toBe(true);
  });

  it('follows a committed run only for a supplementary run', () => {
    expect(startsNewAttempt('committed', false)).toBe(false);
    expect(startsNewAttempt('committed', true)).toBe(true);
  });

  it('never starts a second run beside one still going', () => {
    for (const status of ['previewing', 'awaiting-approval', 'committing'] as const) {
      expect(startsNewAttempt(status, false)).toBe(false);
      expect(startsNewAttempt(status, true)).toBe(false);
    }
  });
});

describe('due date and issue date', () => {
  it('lets the due day itself pass, not the day after', () => {
    expect(dueDatePassed('2027-01-31', '2027-01-30')).toBe(false);
    expect(dueDatePassed('2027-01-31', '2027-01-31')).toBe(false);
    expect(dueDatePassed('2027-01-31', '2027-02-01')).toBe(true);
    expect(dueDatePassed('2028-02-29', '2028-03-01')).toBe(true);
  });

  it('issues on the day of approval, never after the due date', () => {
    expect(invoiceIssueDate('2027-01-10', '2027-01-31')).toBe('2027-01-10');
    expect(invoiceIssueDate('2027-01-31', '2027-01-31')).toBe('2027-01-31');
    expect(invoiceIssueDate('2027-02-01', '2027-01-31')).toBe('2027-01-31');
    expect(invoiceIssueDate('2028-03-01', '2028-02-29')).toBe('2028-02-29');
  });
});
