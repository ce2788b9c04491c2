import { ActivityFailure, ApplicationFailure, CancelledFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { runFailureCode } from '../../../domain/runFailure';
import { migrationRunFailureCodes, taxRunFailureCodes } from '../../../domain/vocabulary';
import { runFailure } from '../../../workflows/runFailure';

describe('runFailureCode (decision 071)', () => {
  it('keeps a type the run names as its code', () => {
    expect(runFailureCode(taxRunFailureCodes, 'tax-file-refused')).toBe('tax-file-refused');
    expect(runFailureCode(migrationRunFailureCodes, 'migration-files-changed')).toBe('migration-files-changed');
    expect(runFailureCode(migrationRunFailureCodes, 'timeout')).toBe('timeout');
  });

  it('calls anything else unexpected: a plain error\'s type, the other process\'s code, no type at all', () => {
    expect(runFailureCode(taxRunFailureCodes, 'PostgresError')).toBe('unexpected');
    expect(runFailureCode(taxRunFailureCodes, 'migration-files-changed')).toBe('unexpected');
    expect(runFailureCode(migrationRunFailureCodes, 'tax-file-refused')).toBe('unexpected');
    expect(runFailureCode(migrationRunFailureCodes, null)).toBe('unexpected');
    expect(runFailureCode(migrationRunFailureCodes, undefined)).toBe('unexpected');
    expect(runFailureCode(migrationRunFailureCodes, '')).toBe('unexpected');
  });
});

describe('runFailure: what the workflow passes on', () => {
  const activityFailure = (cause: Error) => new ActivityFailure('activity failed', 'prepareMigrationRun', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);

  it('an activity\'s typed failure: its own words and its type', () => {
    expect(runFailure(activityFailure(ApplicationFailure.nonRetryable('The batch is not approved for these files.', 'migration-not-approved')))).toEqual({ error: 'The batch is not approved for these files.', type: 'migration-not-approved' });
  });

  it('a failure the workflow threw itself', () => {
    expect(runFailure(ApplicationFailure.create({ message: 'No acknowledgement after 3 polls.', type: 'tax-acknowledgement-missing', nonRetryable: true }))).toEqual({ error: 'No acknowledgement after 3 polls.', type: 'tax-acknowledgement-missing' });
  });

  it('a timeout, a cancellation, an untyped failure', () => {
    expect(runFailure(activityFailure(new TimeoutFailure('activity timed out', undefined, TimeoutType.START_TO_CLOSE))).type).toBe('timeout');
    expect(runFailure(activityFailure(new CancelledFailure('cancelled'))).type).toBe('cancelled');
    expect(runFailure(activityFailure(ApplicationFailure.create({ message: 'x' }))).type).toBeNull();
  });
});
