/**
 * The expulsion section of a fund profile (domain.md §1.4, §8.1 item 6). The law (4 §, 99/1990)
 * lets a fund expel a member who does not pay "from the day from which fees are unpaid"; funds
 * word the rest differently, so everything here is configuration with a documented default.
 */
export type ExpulsionEffectiveDateRule =
  /** From the first day the unpaid fees cover (the law's wording; YTK). */
  | 'unpaid_from'
  /** From the start of the calendar year whose fees are unpaid (KOKO, Lääkärien kassa). */
  | 'unpaid_year_start';

export interface ExpulsionRules {
  /**
   * How long the member has after the hearing letter (kuulemiskirje) to pay or explain, e.g.
   * '14d' (see parseDuration). [U] Our assumption; the letter names the deadline date.
   */
  hearingDeadline: string;
  /** From which day an expulsion takes effect. [U] per fund (domain.md §1.4). */
  effectiveDate: ExpulsionEffectiveDateRule;
  /**
   * Four eyes on an expulsion: the caseworker who decides to expel does not do it alone; a second
   * desk user confirms in a task of its own. [U] Our assumption, off by default.
   */
  fourEyes: boolean;
  /** Due time of the caseworker's expulsion-decision and reconsideration tasks, e.g. '5d'. */
  decisionDue: string;
  /** Days from notification within which an appeal reaches the fund (30, domain.md §1.4). */
  appealWindowDays: number;
  /** The member is deemed to know of a mailed decision on this day after mailing (7th). */
  notificationDelayDays: number;
}

/** The default for a profile that does not say: the law's wording, no four eyes, 30 days, 7th day. */
export const defaultExpulsionRules: ExpulsionRules = {
  hearingDeadline: '14d',
  effectiveDate: 'unpaid_from',
  fourEyes: false,
  decisionDue: '5d',
  appealWindowDays: 30,
  notificationDelayDays: 7,
};
