/**
 * Who may approve a billing run, and when the approver must say more. The run's starter may not
 * approve it alone while the fund asks for four eyes (`billingApproval.fourEyes`, on by default);
 * a run started by the schedule has no starter to tell apart. A run on a fee year the fund has not
 * confirmed goes ahead only once the approver acknowledges that the fee is provisional.
 */

export interface BillingRunApprovalFacts {
  /** The run's `startedBy`: a user id, or 'schedule'. */
  startedBy: string;
  approverId: string;
  fourEyes: boolean;
  feeYear: number;
  feeYearConfirmed: boolean;
  acknowledgeProvisionalFeeYear: boolean;
}

export type BillingRunApprovalRefusal =
  | { code: 'four_eyes_required'; startedBy: string }
  | { code: 'provisional_fee_year_not_acknowledged'; year: number };

/** The fund's setting, with its default (four eyes on) for a profile that does not say. */
export function fourEyesRequired(settings: { billingApproval?: { fourEyes?: boolean } }): boolean {
  return settings.billingApproval?.fourEyes ?? true;
}

/** Why this approval may not go ahead, or null when it may. Four eyes is checked first. */
export function checkBillingRunApproval(facts: BillingRunApprovalFacts): BillingRunApprovalRefusal | null {
  if (facts.fourEyes && facts.startedBy !== 'schedule' && facts.startedBy === facts.approverId) {
    return { code: 'four_eyes_required', startedBy: facts.startedBy };
  }
  if (!facts.feeYearConfirmed && !facts.acknowledgeProvisionalFeeYear) {
    return { code: 'provisional_fee_year_not_acknowledged', year: facts.feeYear };
  }
  return null;
}
