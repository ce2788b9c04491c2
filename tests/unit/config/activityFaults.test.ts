import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../integrations/transforms/errors';
import { unmendable } from '../../../temporal/activityFaults';

describe('which activity failures retrying cannot mend', () => {
  it('a malformed input, a PostgreSQL data exception, also as the cause of another error', () => {
    const malformed = new TransformError('bad file', { format: 'camt054', line: 1, element: 'Ntry' });
    expect(unmendable(malformed)).toBe('malformed-input');
    expect(unmendable(new Error('booking failed', { cause: malformed }))).toBe('malformed-input');
    expect(unmendable(Object.assign(new Error('value too long for type character varying(35)'), { code: '22001' }))).toBe('database-data-exception');
  });

  it('leaves what may pass to the retry policy, and what the activity classified itself', () => {
    expect(unmendable(Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(unmendable(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBeNull();
    expect(unmendable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBeNull();
    expect(unmendable(ApplicationFailure.retryable('try again'))).toBeNull();
  });
});
