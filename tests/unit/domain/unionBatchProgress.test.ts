import { describe, expect, it } from 'vitest';
import { outcomeCounts, outcomeGroup, outcomeReason, UNION_BATCH_STALL_MS, unionBatchStatus } from '../../../domain/unions/batchProgress';

describe('a union batch line in its group', () => {
  it('groups the outcomes a line can have', () => {
    expect(outcomeGroup('application-started')).toBe('started');
    expect(outcomeGroup('resignation-started')).toBe('started');
    expect(outcomeGroup('recorded')).toBe('recorded');
    expect(outcomeGroup('booked')).toBe('booked');
    expect(outcomeGroup('already-booked')).toBe('already-booked');
    expect(outcomeGroup('mismatch:amount_differs')).toBe('mismatch');
    expect(outcomeGroup('not_found')).toBe('refused');
    expect(outcomeGroup('received_on_out_of_range')).toBe('refused');
  });

  it('names the reason of a mismatch or a refusal, none of the others', () => {
    expect(outcomeReason('mismatch:unknown_member')).toBe('unknown_member');
    expect(outcomeReason('membership_already_ended')).toBe('membership_already_ended');
    expect(outcomeReason('booked')).toBeNull();
  });

  it('counts per group, every group present', () => {
    expect(outcomeCounts({ booked: 3, 'mismatch:amount_differs': 1, 'mismatch:unknown_member': 2, not_found: 1, 'application-started': 4 })).toEqual({
      started: 4,
      recorded: 0,
      booked: 3,
      'already-booked': 0,
      mismatch: 3,
      refused: 1,
    });
  });
});

describe('a union batch status', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it('is done when every event has its line', () => {
    expect(unionBatchStatus({ events: 3, processed: 3, lastActivityAt: ago(10 * UNION_BATCH_STALL_MS) }, now)).toBe('done');
  });
  it('is processing while lines keep coming, interrupted when they stopped', () => {
    expect(unionBatchStatus({ events: 3, processed: 1, lastActivityAt: ago(1000) }, now)).toBe('processing');
    expect(unionBatchStatus({ events: 3, processed: 1, lastActivityAt: ago(UNION_BATCH_STALL_MS) }, now)).toBe('processing');
    expect(unionBatchStatus({ events: 3, processed: 1, lastActivityAt: ago(UNION_BATCH_STALL_MS + 1) }, now)).toBe('interrupted');
  });
});
