import type { FundProfile } from '../fundProfile';
import { defaultExpulsionRules } from '../expulsion/rules';
import { shippedDeliveryRules } from '../messageDelivery';
import { appealInstructions } from './appealInstructions';
import { standardMessages } from './messageTemplates';

/**
 * Korkeasti koulutettujen työttömyyskassa KOKO: higher-education degrees, upper-level employees
 * and working students in those fields, so the join form asks for the eligibility basis.
 * [U] Business id, IBAN and BIC are made-up demo values (checksum-valid, belonging to no one);
 * the Swedish and English names are our translations. Replace them from the fund before use.
 */
export const kokoProfile: FundProfile = {
  id: 'koko',
  name: {
    fi: 'Korkeasti koulutettujen työttömyyskassa KOKO',
    sv: 'Arbetslöshetskassan för högutbildade KOKO',
    en: 'KOKO Unemployment Fund for the Highly Educated',
  },
  businessId: '0715369-1',
  iban: 'FI1740550010123459',
  bic: 'DEMOFIHH',
  // Fund configuration: [U] a made-up demo address, like the ids above; replace it from the fund.
  postalAddress: { street: 'Opintie 3', postCode: '00520', town: 'Helsinki', countryCode: 'FI' },
  scope: 'higher-education',
  maxJoinAge: 68,
  // [U] Intake timings are our assumption; funds set their own.
  intake: { completionDeadline: '14d', maxCompletionRounds: 1, reviewDue: '5d', reviewPriority: 3 },
  joinForm: { askEligibilityBasis: true, askUnion: true },
  // Four eyes on billing runs: whoever starts a run does not approve it alone.
  // Overdue collection (domain/collection/rules.ts). [U] The number of reminders, their intervals
  // and fees are fund policy not found in public sources: our defaults are two reminders (14 days
  // after the due date, then 30 days after it, each with 14 days to pay), no reminder fee (the
  // issue's default), e-invoice/e-mail/letter as the member prefers, and the hearing 14 days
  // after the last reminder's due date. Holds up to a year (a payment plan's length).
  collection: {
    levels: [
      { waitDays: 14, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 },
      { waitDays: 30, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder-final', newDueDays: 14, feeCents: 0 },
    ],
    hearingAfterDays: 14,
    minimumOpenCents: 1,
    maxHoldDays: 365,
  },
  billingApproval: { fourEyes: true },
  // [C] KOKO: an expulsion takes effect from the beginning of the year whose fees are unpaid
  // (domain.md §1.4). [U] Hearing deadline and four eyes: our assumptions.
  expulsion: { ...defaultExpulsionRules, effectiveDate: 'unpaid_year_start' },
  // Demo codes, not an official union register.
  unions: [
    { code: '050', name: 'Akavan Erityisalat' },
    { code: '051', name: 'Agronomiliitto' },
    { code: '052', name: 'Kulttuurialan asiantuntijat' },
  ],
  appealInstructions: appealInstructions({
    fi: 'KOKO-kassalle',
    sv: 'till KOKO-kassan',
    en: 'to KOKO',
  }),
  messages: standardMessages,
  // [U] The withdrawal window and the notice lead time are our assumptions (only Yrittäjäkassa's
  // "within 1 month" is confirmed); 68, one month and 18 months are the law (domain.md §1).
  membership: {
    resignationWithdrawalWindow: '30d',
    // [U] How long a public resignation's confirmation link works: our assumption.
    resignationConfirmationValidity: '14d',
    ageLimit: 68,
    ageLimitNoticeBefore: '30d',
    transferGapMax: { months: 1 },
    entrepreneurMaxMonths: 18,
    recentChangeWindow: '14d',
  },
  fees: {
    // A yearly fee charged for the months of membership (domain.md §2, §2.1): €66 in 2020–2021,
    // €63 (€5.25/month) in 2022–2024. [U] 2025 and 2026 were not found: same value, provisional.
    years: {
      '2020': { model: 'per-year-by-month', yearlyCents: 6600, confirmed: true },
      '2021': { model: 'per-year-by-month', yearlyCents: 6600, confirmed: true },
      '2022': { model: 'per-year-by-month', yearlyCents: 6300, confirmed: true },
      '2023': { model: 'per-year-by-month', yearlyCents: 6300, confirmed: true },
      '2024': { model: 'per-year-by-month', yearlyCents: 6300, confirmed: true },
      '2025': { model: 'per-year-by-month', yearlyCents: 6300, confirmed: false },
      '2026': { model: 'per-year-by-month', yearlyCents: 6300, confirmed: false },
    },
    // Direct members are invoiced once a year in January–February (domain.md §2.1).
    // [U] The due day was not found, so none is configured.
    invoicing: { rhythms: ['yearly'], defaultRhythm: 'yearly', invoiceMonths: [1, 2] },
    unionMembersBilledByFund: false,
  },
  // "Paper is the default" (domain.md §2.1): a new member gets letters until they choose e-mail.
  deliveryRules: { ...shippedDeliveryRules, newMemberPreference: 'letter' },
};
