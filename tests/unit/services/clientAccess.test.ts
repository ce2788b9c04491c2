import { describe, expect, it } from 'vitest';
import { clientRowFilters, rowVisible } from '../../../services/clientAccess';

const member = (memberId: string, unionCode: string | null) => ({ memberId, unionCode });

describe('row filters', () => {
  it('EKJ sees every member, a union only its own, an e-service only its subject', () => {
    expect(rowVisible({ kind: 'all' }, member('a', null))).toBe(true);
    expect(rowVisible({ kind: 'own-union', unionCode: '015' }, member('a', '015'))).toBe(true);
    expect(rowVisible({ kind: 'own-union', unionCode: '015' }, member('a', '022'))).toBe(false);
    expect(rowVisible({ kind: 'own-union', unionCode: '015' }, member('a', null))).toBe(false);
    expect(rowVisible({ kind: 'subject', memberId: 'a' }, member('a', null))).toBe(true);
    expect(rowVisible({ kind: 'subject', memberId: 'a' }, member('b', null))).toBe(false);
    // A subject who is no member sees no one.
    expect(rowVisible({ kind: 'subject', memberId: null }, member('b', null))).toBe(false);
  });

  it('configures exactly the systems that read members; any other reads no one', () => {
    expect(clientRowFilters).toEqual({ benefits: 'all', union: 'own-union', 'e-services': 'subject' });
    expect(clientRowFilters['reporting']).toBeUndefined();
    expect(clientRowFilters['bank']).toBeUndefined();
  });
});
