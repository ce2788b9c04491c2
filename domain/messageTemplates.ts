/**
 * Message templates edited by administrators (issue 15; docs/decisions/023-message-templates.md).
 * The shipped templates (domain/profiles/messageTemplates.ts) are the default; a stored version of
 * a kind in one language replaces it from its effective date. A template may use only the
 * placeholders its kind provides (`messagePlaceholders`): anything else would leave a hole or a
 * literal "{{…}}" in a letter, so it is refused when saved, naming the placeholder.
 */
import type { FundProfile, MessageChannel, MessageKind } from './fundProfile';
import { messageChannels, messagePlaceholders } from './fundProfile';
import { formatIban } from './billing/iban';
import { virtualBarcodeV4 } from './billing/virtualBarcode';
import { addDays } from './dates';
import { expulsionLaw } from './expulsion/letters';
import { formatDate, languages, type Language } from './localized';
import { formatMoney } from './money';
import { renderTemplate, templatePlaceholders } from './template';

export const messageKinds = Object.keys(messagePlaceholders) as MessageKind[];

export function isMessageKind(kind: string): kind is MessageKind {
  return Object.hasOwn(messagePlaceholders, kind);
}

/**
 * Letters of a case (hearing, expulsion, appeal): always rendered as a PDF, filed in case
 * management and sent with the message. Every other kind goes by e-mail, SMS or, for a member with
 * only a postal address, as a printed letter: the messaging service chooses the channel.
 */
export const caseLetterKinds: readonly MessageKind[] = ['hearing-letter', 'expulsion-decision', 'expulsion-not-decided', 'expulsion-corrected', 'appeal-forwarded', 'samu-overturned'];

export const SUBJECT_MAX = 300;
export const BODY_MAX = 10_000;
/**
 * An SMS's own text (decision 039): at most six concatenated GSM 7-bit segments of 153 characters,
 * the most operators deliver as one message. An SMS shows no subject, so its variant may have none.
 */
export const SMS_BODY_MAX = 918;

export interface TemplateText {
  subject: string;
  body: string;
}

export interface TemplateIssue {
  code: 'template_placeholder_unknown' | 'template_placeholder_malformed' | 'template_text_empty' | 'template_text_too_long';
  field: 'subject' | 'body';
  message: string;
  params: Record<string, string | number>;
}

/** Any "{{…}}" at all, valid name or not. */
const BRACES = /\{\{([^{}]*)\}\}/g;
const VALID = /^\s*[A-Za-z][A-Za-z0-9]*\s*$/;

/**
 * What is wrong with a template of `kind`: placeholders the kind does not provide (named), braces
 * that are no placeholder ("{{first name}}", a lone "{{"), an empty or overlong text. Empty when it
 * may be saved. Placeholders the kind provides but the template leaves out are allowed (see
 * `unusedPlaceholders`).
 */
export function checkTemplate(kind: MessageKind, text: TemplateText, channel: MessageChannel | null = null): TemplateIssue[] {
  const provided = new Set(messagePlaceholders[kind]);
  const issues: TemplateIssue[] = [];
  for (const field of ['subject', 'body'] as const) {
    const value = text[field];
    const max = field === 'subject' ? SUBJECT_MAX : channel === 'sms' ? SMS_BODY_MAX : BODY_MAX;
    if (field === 'subject' && channel === 'sms' && !value.trim()) continue;
    if (!value.trim()) {
      issues.push({ code: 'template_text_empty', field, message: `${field} is empty`, params: { field } });
      continue;
    }
    if (value.length > max) issues.push({ code: 'template_text_too_long', field, message: `${field} is longer than ${max} characters`, params: { field, max } });
    for (const m of value.matchAll(BRACES)) {
      if (!VALID.test(m[1] ?? '')) issues.push({ code: 'template_placeholder_malformed', field, message: `${field}: "${m[0]}" is not a placeholder`, params: { field, placeholder: m[0] } });
    }
    // A "{{" or "}}" left over once the pairs are taken out is a placeholder not closed or opened.
    const rest = value.replace(BRACES, '');
    const stray = /\{\{|\}\}/.exec(rest);
    if (stray) issues.push({ code: 'template_placeholder_malformed', field, message: `${field}: "${stray[0]}" without its pair`, params: { field, placeholder: stray[0] } });
    for (const name of templatePlaceholders(value)) {
      if (!provided.has(name)) {
        issues.push({ code: 'template_placeholder_unknown', field, message: `${field}: {{${name}}} is not provided for ${kind}; use ${[...provided].map((p) => `{{${p}}}`).join(', ')}`, params: { field, placeholder: name, kind } });
      }
    }
  }
  return issues;
}

/** The placeholders `kind` provides that the template does not use (worth a second look, not an error). */
export function unusedPlaceholders(kind: MessageKind, text: TemplateText): string[] {
  const used = new Set([...templatePlaceholders(text.subject), ...templatePlaceholders(text.body)]);
  return messagePlaceholders[kind].filter((p) => !used.has(p));
}

/** A stored version; `text` null returns the kind in that language to the shipped template. */
export interface TemplateVersion {
  id: number;
  kind: string;
  language: string;
  /** Null or absent: every channel's text; else that channel's own, over it. */
  channel?: string | null;
  text: TemplateText | null;
  effectiveFrom: string;
}

/**
 * The version of `kind` in `language` (and `channel`: null for every channel's text) in force on
 * `day`: the newest date that has come, the later save on the same day.
 */
export function versionInForce<T extends Pick<TemplateVersion, 'id' | 'kind' | 'language' | 'effectiveFrom'> & { channel?: string | null }>(
  versions: readonly T[],
  kind: string,
  language: string,
  day: string,
  channel: string | null = null,
): T | null {
  let best: T | null = null;
  for (const v of versions) {
    if (v.kind !== kind || v.language !== language || (v.channel ?? null) !== channel || v.effectiveFrom > day) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.id > best.id)) best = v;
  }
  return best;
}

/** What a message records as its template: 'shipped' or the stored version's id. */
export type TemplateVersionRef = string;
export const SHIPPED = 'shipped';

/**
 * The profile with the templates in force on `day` laid over the shipped ones, and which version
 * each kind and language uses (`messageVersions`). A version whose kind the code no longer knows,
 * or whose text no longer passes `checkTemplate` (a placeholder a new release stopped providing),
 * is skipped: the shipped template is used rather than a letter with a hole.
 */
export function withTemplates(profile: FundProfile, versions: readonly TemplateVersion[], day: string): FundProfile {
  if (versions.length === 0) return profile;
  const messages = { ...profile.messages };
  const refs: Partial<Record<MessageKind, Partial<Record<Language, number>>>> = {};
  const variants: NonNullable<FundProfile['messageVariants']> = {};
  for (const kind of messageKinds) {
    for (const lang of languages) {
      const v = versionInForce(versions, kind, lang, day);
      if (v?.text && checkTemplate(kind, v.text).length === 0) {
        const current = messages[kind];
        messages[kind] = { subject: { ...current.subject, [lang]: v.text.subject }, body: { ...current.body, [lang]: v.text.body } };
        refs[kind] = { ...refs[kind], [lang]: v.id };
      }
      // A channel's own text (decision 039); a reset (no text) from its date leaves the channel the common one.
      for (const channel of messageChannels) {
        const cv = versionInForce(versions, kind, lang, day, channel);
        if (!cv?.text || checkTemplate(kind, cv.text, channel).length > 0) continue;
        const byLang = (variants[kind] ??= {});
        byLang[lang] = { ...byLang[lang], [channel]: { subject: cv.text.subject, body: cv.text.body, version: cv.id } };
      }
    }
  }
  return { ...profile, messages, messageVersions: refs, messageVariants: variants };
}

/**
 * The template of `kind` in `lang` as the profile has it, with the version a message records; with
 * a `channel`, that channel's own text where it has one (else the common one). `own` tells which.
 */
export function templateOf(profile: FundProfile, kind: MessageKind, lang: Language, channel?: MessageChannel | null): TemplateText & { version: TemplateVersionRef; own: boolean } {
  const variant = channel ? profile.messageVariants?.[kind]?.[lang]?.[channel] : undefined;
  if (variant) return { subject: variant.subject, body: variant.body, version: String(variant.version), own: true };
  const t = profile.messages[kind];
  const id = profile.messageVersions?.[kind]?.[lang];
  return { subject: t.subject[lang], body: t.body[lang], version: id === undefined ? SHIPPED : String(id), own: false };
}

export type RenderedVariants = Partial<Record<MessageChannel, { subject: string; body: string; templateVersion: TemplateVersionRef }>>;

/**
 * A message of `kind` rendered for a recipient: subject, body and the template version it used, and
 * (only where the kind has channels' own texts in the language) each such channel's rendering, for
 * the messaging service to use on the channel it chooses.
 */
export function renderMessage(profile: FundProfile, kind: MessageKind, lang: Language, values: Record<string, string>): { subject: string; body: string; templateVersion: TemplateVersionRef; variants?: RenderedVariants } {
  const t = templateOf(profile, kind, lang);
  const rendered = { subject: renderTemplate(t.subject, values), body: renderTemplate(t.body, values), templateVersion: t.version };
  const own = profile.messageVariants?.[kind]?.[lang];
  if (!own) return rendered;
  const variants: RenderedVariants = {};
  for (const channel of messageChannels) {
    const v = own[channel];
    if (v) variants[channel] = { subject: renderTemplate(v.subject, values), body: renderTemplate(v.body, values), templateVersion: String(v.version) };
  }
  return { ...rendered, variants };
}

const SAMPLE_TEXT: Record<'reason' | 'explanation' | 'missing' | 'statement' | 'invoices', Record<Language, string>> = {
  reason: { fi: '(esimerkki) Perustelu tulee tähän.', sv: '(exempel) Motiveringen kommer här.', en: '(example) The reason goes here.' },
  explanation: { fi: '(esimerkki) Jäsenen selitys tulee tähän.', sv: '(exempel) Medlemmens förklaring kommer här.', en: "(example) The member's explanation goes here." },
  missing: { fi: '- (esimerkki) puuttuva tieto', sv: '- (exempel) uppgift som saknas', en: '- (example) missing information' },
  statement: { fi: '(esimerkki) Kassan lausunto tulee tähän.', sv: '(exempel) Kassans utlåtande kommer här.', en: "(example) The fund's statement goes here." },
  invoices: { fi: 'laskut 1001, 1002', sv: 'fakturor 1001, 1002', en: 'invoices 1001, 1002' },
};

/**
 * Values for a preview: the member's own first name and the fund's real name, account and appeal
 * instructions; the case's facts (amounts, dates, reasons) are examples in the template's language,
 * since a preview is no case. Covers every placeholder any kind provides.
 */
export function previewValues(lang: Language, facts: { today: string; firstName: string; profile: FundProfile }): Record<string, string> {
  const { today, profile } = facts;
  const date = (iso: string) => formatDate(iso, lang);
  const money = (cents: number) => formatMoney(cents, lang);
  const due = addDays(today, 14);
  return {
    firstName: facts.firstName,
    fundName: profile.name[lang],
    startDate: date(today),
    endDate: date(addDays(today, 30)),
    feeOwedUntil: date(addDays(today, 30)),
    receivedOn: date(today),
    expiresOn: date(due),
    confirmUrl: 'https://example.invalid/resign/confirm',
    supplementUrl: 'https://example.invalid/forms/supplement',
    deadline: date(due),
    dueDate: date(due),
    originalDueDate: date(addDays(today, -30)),
    effectiveDate: date(addDays(today, 30)),
    appealDeadline: date(addDays(today, 44)),
    ruledOn: date(today),
    period: `${date(`${today.slice(0, 4)}-01-01`)} – ${date(`${today.slice(0, 4)}-06-30`)}`,
    amount: money(12_345),
    openAmount: money(11_845),
    fee: money(500),
    invoiceNumber: '1001',
    reference: '1232',
    iban: formatIban(profile.iban),
    barcode: virtualBarcodeV4({ iban: profile.iban, amountCents: 12_345, reference: '1232', dueDate: due }),
    appealInstructions: profile.appealInstructions[lang],
    law: expulsionLaw[lang],
    reason: SAMPLE_TEXT.reason[lang],
    explanation: SAMPLE_TEXT.explanation[lang],
    missing: SAMPLE_TEXT.missing[lang],
    statement: SAMPLE_TEXT.statement[lang],
    invoices: SAMPLE_TEXT.invoices[lang],
  };
}
