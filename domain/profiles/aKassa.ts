import type { FundProfile } from '../fundProfile';
import { defaultExpulsionRules } from '../expulsion/rules';
import { appealInstructions } from './appealInstructions';
import { standardMessages } from './messageTemplates';

/**
 * Avoin työttömyyskassa (A-kassa), open to every wage earner.
 * [U] Business id, IBAN and BIC are made-up demo values (checksum-valid, belonging to no one);
 * the Swedish and English names are our translations. Replace them from the fund before use.
 */
export const aKassaProfile: FundProfile = {
  id: 'a-kassa',
  name: {
    fi: 'Avoin työttömyyskassa',
    sv: 'Öppna arbetslöshetskassan',
    en: 'Open Unemployment Fund (A-kassa)',
  },
  businessId: '2931547-9',
  iban: 'FI3579910000070124',
  bic: 'DEMOFIHH',
  // Fund configuration: [U] a made-up demo address, like the ids above; replace it from the fund.
  postalAddress: { street: 'Kassakatu 1', postCode: '00100', town: 'Helsinki', countryCode: 'FI' },
  scope: 'open',
  maxJoinAge: 68,
  // [U] Intake timings are our assumption; funds set their own.
  intake: { completionDeadline: '14d', maxCompletionRounds: 1, reviewDue: '5d', reviewPriority: 3 },
  joinForm: { askEligibilityBasis: false, askUnion: true },
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
  // [U] A-kassa's rules text was not retrievable (domain.md §1.4): the law's wording (expelled from
  // the day fees are unpaid) is the default. Hearing deadline and four eyes: our assumptions.
  expulsion: { ...defaultExpulsionRules, effectiveDate: 'unpaid_from' },
  // Demo codes, not an official union register.
  unions: [
    { code: '015', name: 'Teollisuusliitto' },
    { code: '016', name: 'Paperiliitto' },
    { code: '017', name: 'Sähköalojen ammattiliitto' },
  ],
  appealInstructions: appealInstructions({
    fi: 'Avoimelle työttömyyskassalle',
    sv: 'till Öppna arbetslöshetskassan',
    en: 'to the Open Unemployment Fund (A-kassa)',
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
    // €8/month = €96/year (domain.md §2). 2023 and 2025 are confirmed by the fund's releases;
    // 2024 follows from 2025's "remains unchanged". [U] 2026 was not found: same value, provisional.
    years: {
      '2023': { model: 'per-month', monthlyCents: 800, confirmed: true },
      '2024': { model: 'per-month', monthlyCents: 800, confirmed: true },
      '2025': { model: 'per-month', monthlyCents: 800, confirmed: true },
      '2026': { model: 'per-month', monthlyCents: 800, confirmed: false },
    },
    // Yearly by default; quarterly or monthly on request (domain.md §2.1). [U] No fixed due day
    // or invoicing month was found, so none is configured.
    invoicing: { rhythms: ['yearly', 'quarterly', 'monthly'], defaultRhythm: 'yearly' },
    unionMembersBilledByFund: false,
  },
};
