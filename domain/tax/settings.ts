/**
 * The fund's settings for the annual report of fees paid (Tax Administration flow 3766). The
 * record identifier and the amount field code are not in any public source we found (domain.md
 * §5 marks them [U]); they are configuration with documented placeholders, to be replaced from
 * the official record description ("tietuekuvaus") before the first real filing.
 */
export interface TaxReportFieldCodes {
  /** Starts a record: `000:<recordIdentifier>`. */
  recordStart: string;
  /** Ends a record: `999:<running number>`. */
  recordEnd: string;
  paymentYear: string;
  reporterBusinessId: string;
  identityCode: string;
  /** The member's name; null sends no name (then it is not an identifying field either). [U] */
  name: string | null;
  /** The fund fees paid in the year. [U] */
  fundFeeAmount: string;
  softwareName: string;
  softwareProducer: string;
  createdAt: string;
  contactName: string;
  contactPhone: string;
}

export interface TaxReportSettings {
  /** [U] The record identifier of form 3766; placeholder 'VSAMMAIL' (unconfirmed, domain.md §5). */
  recordIdentifier: string;
  fields: TaxReportFieldCodes;
  /** A refund paid in the year lowers that year's total (net cash basis, domain.md §5). */
  netRefunds: boolean;
  /** A member whose year nets to zero: 'omit' sends nothing (unless a figure was reported before), 'report' sends 0,00. */
  zeroNet: 'omit' | 'report';
  /** The nominal due day in the year after the payment year (moved to the next business day). */
  deadline: { month: number; day: number };
  /** The desk warns this many days before the deadline when the year is not filed. */
  warnDaysBefore: number;
  /** 048 software name and the suffix of 014 (`<fund Y-tunnus>_<suffix>`). */
  software: { name: string; producerSuffix: string };
  /** 041/042 contact person; null leaves them out. */
  contact: { name: string; phone: string } | null;
  /** How often the filing channel is asked for the acknowledgement (a duration such as '1 hour'). */
  acknowledgementPoll: string;
  /** Line ending of the file: CR LF, as the general description of electronic returns gives for media files. [P] */
  lineEnding: '\r\n' | '\n';
}

export const defaultTaxReportSettings: TaxReportSettings = {
  recordIdentifier: 'VSAMMAIL',
  fields: {
    recordStart: '000',
    recordEnd: '999',
    paymentYear: '058',
    reporterBusinessId: '010',
    identityCode: '083',
    name: '084',
    fundFeeAmount: '310',
    softwareName: '048',
    softwareProducer: '014',
    createdAt: '198',
    contactName: '041',
    contactPhone: '042',
  },
  netRefunds: true,
  zeroNet: 'omit',
  deadline: { month: 1, day: 31 },
  warnDaysBefore: 7,
  software: { name: 'Jasenrekisteri', producerSuffix: 'JR' },
  contact: null,
  acknowledgementPoll: '1 hour',
  lineEnding: '\r\n',
};

/** The fund's settings over the defaults (a profile names only what differs). */
export function taxReportSettings(profile: { taxReport?: Partial<TaxReportSettings> }): TaxReportSettings {
  const own = profile.taxReport ?? {};
  return { ...defaultTaxReportSettings, ...own, fields: { ...defaultTaxReportSettings.fields, ...own.fields } };
}
