/**
 * The shape of a fund's fee configuration (FundProfile.fees). Kept in its own file so that
 * fundProfile.ts can refer to it without importing the fee calculations.
 *
 * Fees are set by each fund's board and confirmed yearly by Finanssivalvonta (domain.md §2), so
 * every year is an explicit entry: a year that is missing is an error, never a guess.
 */

/**
 * 'per-month': a fixed monthlyCents for every month of membership (A-kassa).
 * 'per-year-by-month': a yearlyCents spread over the 12 calendar months and charged for the
 * months of membership (KOKO: €63/year = €5.25 per month of membership).
 */
export type FeeModel = 'per-month' | 'per-year-by-month';

export type InvoiceRhythm = 'yearly' | 'quarterly' | 'monthly';

export interface FeeYear {
  model: FeeModel;
  /** Required for 'per-month'. */
  monthlyCents?: number;
  /** Required for 'per-year-by-month'. */
  yearlyCents?: number;
  /** false for values not yet confirmed from the fund ([U] in domain.md): show them as provisional. */
  confirmed: boolean;
}

export interface FeeRules {
  /** Keyed by the four-digit year, e.g. '2025'. */
  years: Record<string, FeeYear>;
  invoicing: {
    /** Rhythms a direct member may choose. */
    rhythms: InvoiceRhythm[];
    defaultRhythm: InvoiceRhythm;
    /** Day of the month invoices fall due, when the fund has a fixed one. */
    dueDayOfMonth?: number;
    /** Months (1–12) in which the yearly invoice run goes out. */
    invoiceMonths?: number[];
  };
  /** Union-channel members' fund fees are collected and remitted by the union (domain.md §2.1). */
  unionMembersBilledByFund: false;
}
