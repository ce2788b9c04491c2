import { describe, expect, it } from 'vitest';
import { checkBillingRunApproval, fourEyesRequired } from '../../../domain/billing/approval';
import { getFundProfile } from '../../../domain/fundProfile';

const facts = { startedBy: 'billing', approverId: 'billing2', fourEyes: true, feeYear: 2026, feeYearConfirmed: true, acknowledgeProvisionalFeeYear: false };

describe('checkBillingRunApproval', () => {
  it('lets a second user approve a run on a confirmed fee year', () => {
    expect(checkBillingRunApproval(facts)).toBeNull();
  });

  it('refuses the starter while the fund asks for four eyes', () => {
    expect(checkBillingRunApproval({ ...facts, approverId: 'billing' })).toEqual({ code: 'four_eyes_required', startedBy: 'billing' });
    expect(checkBillingRunApproval({ ...facts, approverId: 'billing', fourEyes: false })).toBeNull();
  });

  it('a run the schedule started has no starter to tell apart', () => {
    expect(checkBillingRunApproval({ ...facts, startedBy: 'schedule', approverId: 'schedule' })).toBeNull();
  });

  it('a provisional fee year needs the acknowledgement, after four eyes', () => {
    expect(checkBillingRunApproval({ ...facts, feeYearConfirmed: false })).toEqual({ code: 'provisional_fee_year_not_acknowledged', year: 2026 });
    expect(checkBillingRunApproval({ ...facts, feeYearConfirmed: false, acknowledgeProvisionalFeeYear: true })).toBeNull();
    expect(checkBillingRunApproval({ ...facts, approverId: 'billing', feeYearConfirmed: false, acknowledgeProvisionalFeeYear: true })?.code).toBe('four_eyes_required');
  });
});

describe('fourEyesRequired', () => {
  it('is on unless the fund turns it off, and on in the shipped profiles', () => {
    expect(fourEyesRequired({})).toBe(true);
    expect(fourEyesRequired({ billingApproval: { fourEyes: false } })).toBe(false);
    expect(fourEyesRequired(getFundProfile('a-kassa'))).toBe(true);
    expect(fourEyesRequired(getFundProfile('koko'))).toBe(true);
  });
});
