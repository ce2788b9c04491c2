import { has, problemText, t, type Lang, type MessageKey, type ProblemCode } from '$lib/i18n';

/**
 * Why the API refused a field, reduced to what the form needs to say about it: missing, wrong in
 * the field's own way ('invalid'), too long (`max:100`), or one of the API's codes the form has a
 * sentence for (contact_required, start_before_receipt, control_characters).
 */
export type FieldProblem = 'required' | 'invalid' | `max:${number}` | 'contact_required' | 'start_before_receipt' | 'control_characters';

/** The API's invalidParams code (and max) as the form's problem; undefined lets the caller decide. */
export function problemOfCode(code: string | undefined, params: Record<string, string | number> | undefined): FieldProblem | undefined {
  switch (code) {
    case 'required':
      return 'required';
    case 'max_length':
      return typeof params?.max === 'number' ? `max:${params.max}` : 'invalid';
    case 'contact_required':
    case 'start_before_receipt':
    case 'control_characters':
      return code;
    default:
      return undefined;
  }
}
export type FieldErrors = Partial<Record<FieldId, FieldProblem>>;
/** Form values as typed, strings throughout, so a failed submit re-renders exactly what was sent. */
export type FormValues = Record<string, string>;

export interface SummaryItem {
  /** The id of the input to jump to. */
  target: string;
  message: string;
}

interface FieldInfo {
  label: MessageKey;
  /** The specific explanation of a refused value; the generic one is used without it. */
  error?: MessageKey;
  /** For radio groups the summary links to the first option, which has its own id. */
  target?: string;
}

export const fieldInfo = {
  identityCode: { label: 'field.identityCode', error: 'field.identityCode.error' },
  firstNames: { label: 'field.firstNames', error: 'field.firstNames.error' },
  lastName: { label: 'field.lastName', error: 'field.lastName.error' },
  language: { label: 'field.language' },
  email: { label: 'field.email', error: 'field.email.error' },
  phone: { label: 'field.phone', error: 'field.phone.error' },
  street: { label: 'field.street', error: 'field.address.error' },
  postalCode: { label: 'field.postalCode', error: 'field.postalCode.error' },
  city: { label: 'field.city', error: 'field.address.error' },
  employmentStatus: { label: 'field.employmentStatus', error: 'field.employmentStatus.error', target: 'employmentStatus-employed' },
  employer: { label: 'field.employer', error: 'field.employer.error' },
  startedOn: { label: 'field.startedOn', error: 'form.error.date' },
  entrepreneurSince: { label: 'field.entrepreneurSince', error: 'form.error.date' },
  eligibilityBasis: { label: 'field.eligibilityBasis', error: 'field.eligibilityBasis.error', target: 'eligibilityBasis-degree' },
  degree: { label: 'field.degree' },
  occupation: { label: 'field.occupation' },
  unionCode: { label: 'field.union', error: 'field.union.error' },
  requestedStartDate: { label: 'field.requestedStartDate', error: 'form.error.date' },
  previousFundName: { label: 'field.previousFundName', error: 'field.previousFund.error' },
  resignationAuthorisation: { label: 'field.resignationAuthorisation' },
  // The resignation form and the desk's member actions.
  requestedEndDate: { label: 'field.requestedEndDate', error: 'form.error.date' },
  receivedOn: { label: 'field.receivedOn', error: 'form.error.date' },
  newFund: { label: 'field.newFund', error: 'field.newFund.error' },
  newFundStartDate: { label: 'field.newFundStartDate', error: 'form.error.date' },
  dateOfDeath: { label: 'field.dateOfDeath', error: 'form.error.date' },
  deathPrecision: { label: 'field.deathPrecision', target: 'deathPrecision-day' },
  deliveryChannel: { label: 'field.deliveryChannel', target: 'deliveryChannel-letter' },
  eInvoiceAddress: { label: 'field.eInvoiceAddress' },
  eInvoiceOperator: { label: 'field.eInvoiceOperator' },
  eInvoiceConsent: { label: 'field.eInvoiceConsent' },
  smsConsent: { label: 'field.smsConsent' },
  country: { label: 'field.country', error: 'field.country.error' },
  effectiveFrom: { label: 'field.effectiveFrom', error: 'form.error.date' },
  reason: { label: 'field.changeReason' },
} satisfies Record<string, FieldInfo>;

export type FieldId = keyof typeof fieldInfo;

/** The API names fields by their place in the JSON body; the form by its inputs. */
const byApiName: Record<string, FieldId> = {
  identityCode: 'identityCode',
  firstNames: 'firstNames',
  lastName: 'lastName',
  language: 'language',
  email: 'email',
  phone: 'phone',
  address: 'street',
  'address.street': 'street',
  'address.postalCode': 'postalCode',
  'address.city': 'city',
  employment: 'employmentStatus',
  'employment.status': 'employmentStatus',
  'employment.employer': 'employer',
  'employment.startedOn': 'startedOn',
  'employment.entrepreneurSince': 'entrepreneurSince',
  eligibility: 'eligibilityBasis',
  'eligibility.basis': 'eligibilityBasis',
  'eligibility.degree': 'degree',
  'eligibility.occupation': 'occupation',
  unionCode: 'unionCode',
  requestedStartDate: 'requestedStartDate',
  previousFund: 'previousFundName',
  'previousFund.name': 'previousFundName',
  'previousFund.resignationAuthorisation': 'resignationAuthorisation',
  requestedEndDate: 'requestedEndDate',
};

export function fieldOfApiParam(name: string): FieldId | undefined {
  return byApiName[name.replace(/^data\./, '')];
}

export type GeneralProblem = 'general' | 'rateLimited' | 'unexpected';

const generalKeys: Record<GeneralProblem, MessageKey> = {
  general: 'form.error.general',
  rateLimited: 'form.error.rateLimited',
  unexpected: 'form.error.unexpected',
};

/** The message for a refusal that no single field explains. */
/** The form's general message; an unexpected refusal with a code the desk knows also says why, in the reader's language. */
export function generalMessage(lang: Lang, general: GeneralProblem | undefined, problem?: ProblemCode | null): string | undefined {
  if (!general) return undefined;
  const text = t(lang, generalKeys[general] ?? 'form.error.unexpected');
  return general === 'unexpected' && problem?.code && has(`code.${problem.code}`) ? `${text} ${problemText(lang, problem)}` : text;
}

export function fieldMessage(lang: Lang, id: FieldId, problem: FieldProblem | undefined): string | undefined {
  if (!problem) return undefined;
  if (problem === 'required') return t(lang, 'form.error.required');
  if (problem.startsWith('max:')) return t(lang, 'form.error.maxLength', { max: Number(problem.slice(4)) });
  if (problem === 'contact_required') return t(lang, 'form.error.contactRequired');
  if (problem === 'start_before_receipt') return t(lang, 'form.error.startBeforeReceipt');
  if (problem === 'control_characters') return t(lang, 'form.error.controlCharacters');
  const info: FieldInfo = fieldInfo[id];
  return t(lang, info.error && has(info.error) ? info.error : 'form.error.invalid');
}

/** The error summary lists fields in the order the form shows them. */
export function summaryItems(lang: Lang, errors: FieldErrors | undefined, order: readonly FieldId[]): SummaryItem[] {
  if (!errors) return [];
  return order
    .filter((id) => errors[id])
    .map((id) => {
      const info: FieldInfo = fieldInfo[id];
      return { target: info.target ?? id, message: `${t(lang, info.label)}: ${fieldMessage(lang, id, errors[id])}` };
    });
}
