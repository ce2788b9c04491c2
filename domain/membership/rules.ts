/**
 * The membership section of a fund profile. The law sets most of these (68, 18 months, the
 * one-month transfer rule), but funds word and apply them differently, so they stay
 * configuration (domain.md: "keep all of these as per-fund configuration, never as constants").
 */
export interface MembershipRules {
  /**
   * How long after a resignation notice the member may still withdraw it, e.g. '30d' (see
   * parseDuration). [U] Only Yrittäjäkassa's "within 1 month" is confirmed (domain.md §1.3).
   */
  resignationWithdrawalWindow: string;
  /**
   * How long the confirmation link of a resignation made on the public form works, e.g. '14d'.
   * Unconfirmed by then, the request expires and the membership continues. [U] Our assumption.
   */
  resignationConfirmationValidity: string;
  /** Membership ends at the end of the calendar month in which the member turns this age (68). */
  ageLimit: number;
  /** How long before the age-limit end date the member is sent a notice, e.g. '30d'. */
  ageLimitNoticeBefore: string;
  /** The longest gap between two funds' memberships over which periods still transfer (1 month). */
  transferGapMax: { months: number };
  /** How long a full-time entrepreneur may stay in a wage-earner fund, in months (18). */
  entrepreneurMaxMonths: number;
  /** The desk highlights member data changed more recently than this, e.g. '14d'. */
  recentChangeWindow: string;
}
