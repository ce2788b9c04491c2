/**
 * Message templates edited by administrators (issue 15; docs/decisions/023-message-templates.md).
 * Versions are append-only rows in message_template_versions, each in force from its date; the
 * effective profile (services/fundConfig.ts FundConfigSource) lays the ones in force over the
 * shipped templates, so every sender renders with them and records the version it used.
 */
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as repo from '../db/repositories/messageTemplates';
import { isIsoDate } from '../domain/dates';
import { messageChannels, messagePlaceholders, type MessageChannel, type MessageKind } from '../domain/fundProfile';
import { languages, type Language } from '../domain/localized';
import { caseLetterKinds, checkTemplate, isMessageKind, messageKinds, previewValues, templateOf, unusedPlaceholders, versionInForce, type TemplateIssue, type TemplateText } from '../domain/messageTemplates';
import { renderTemplate } from '../domain/template';
import { renderLetterPdf } from '../integrations/transforms/letterPdf';
import type { FundProfile } from '../domain/fundProfile';
import type { ServiceContext } from './context';
import { failure, type ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export type PreviewChannel = MessageChannel;

export interface TemplateVersionEntry {
  id: number;
  /** Null: from this date the shipped template again. */
  subject: string | null;
  body: string | null;
  effectiveFrom: string;
  reason: string;
  setBy: string;
  setAt: string;
}

export interface TemplateSummary {
  kind: MessageKind;
  caseLetter: boolean;
  placeholders: string[];
  /** `channels`: the channels with a text of their own in force today (decision 039). */
  languages: { language: Language; source: 'register' | 'profile'; version: string; since: string | null; scheduled: number; channels: MessageChannel[] }[];
}

export interface TemplateView {
  kind: MessageKind;
  language: Language;
  /** Null: the text every channel uses; else that channel's own text over it (decision 039). */
  channel: MessageChannel | null;
  /** The channels with a text of their own in force today. */
  ownChannels: MessageChannel[];
  caseLetter: boolean;
  placeholders: string[];
  today: string;
  shipped: TemplateText;
  /** What a message sent today on the channel (null: on a channel with no text of its own) uses. */
  effective: TemplateText;
  /** 'register': a stored version is in force today; 'profile': the shipped template. */
  source: 'register' | 'profile';
  /** What a message sent today records: 'shipped' or the version's id. */
  version: string;
  scheduled: TemplateVersionEntry[];
  /** Every version, newest first. */
  history: TemplateVersionEntry[];
}

function requireAdmin(p: Principal) {
  if (!hasRole(p, 'admin')) throw failure(403, 'template_admin_only', 'Only administrators may read or change message templates.');
}

function requireKind(kind: string): MessageKind {
  if (!isMessageKind(kind)) throw failure(404, 'template_kind_unknown', `No message kind ${kind}: use one of ${messageKinds.join(', ')}.`, { params: { kind } });
  return kind;
}

function requireChannel(channel: string | null | undefined): MessageChannel | null {
  if (channel === undefined || channel === null || channel === '') return null;
  if (!(messageChannels as readonly string[]).includes(channel)) throw failure(400, 'template_channel_unknown', `No channel ${channel}: use ${messageChannels.join(', ')}.`, { params: { channel } });
  return channel as MessageChannel;
}

/** The channels of `kind` in `language` whose own text is in force in the profile. */
function ownChannelsOf(profile: FundProfile, kind: MessageKind, language: Language): MessageChannel[] {
  return messageChannels.filter((c) => templateOf(profile, kind, language, c).own);
}

function entryOf(row: repo.TemplateVersionRow): TemplateVersionEntry {
  return { id: row.id, subject: row.subject, body: row.body, effectiveFrom: row.effectiveFrom, reason: row.reason, setBy: row.setBy, setAt: row.setAt.toISOString() };
}

/** Every kind in every language: whether a stored version is in force today, since when, and how many are scheduled. */
export async function listMessageTemplates(ctx: ServiceContext, p: Principal): Promise<{ fund: string; today: string; items: TemplateSummary[] }> {
  requireAdmin(p);
  const rows = await repo.listTemplateVersions(ctx.db, ctx.config.shipped.id);
  const today = ctx.today();
  const profile = ctx.config.at(today);
  const items = messageKinds.map((kind) => ({
    kind,
    caseLetter: caseLetterKinds.includes(kind),
    placeholders: [...messagePlaceholders[kind]],
    languages: languages.map((language) => {
      const version = templateOf(profile, kind, language).version;
      const inForce = versionInForce(rows, kind, language, today);
      return {
        language,
        source: version === 'shipped' ? ('profile' as const) : ('register' as const),
        version,
        since: inForce?.effectiveFrom ?? null,
        scheduled: rows.filter((r) => r.kind === kind && r.language === language && r.effectiveFrom > today).length,
        channels: ownChannelsOf(profile, kind, language),
      };
    }),
  }));
  return { fund: ctx.config.shipped.id, today, items };
}

async function viewOf(ctx: ServiceContext, kind: MessageKind, language: Language, channel: MessageChannel | null): Promise<TemplateView> {
  const rows = await repo.listTemplateVersionsOf(ctx.db, ctx.config.shipped.id, kind, language, channel);
  const today = ctx.today();
  const shipped = templateOf(ctx.config.shipped, kind, language);
  const profile = ctx.config.at(today);
  const effective = templateOf(profile, kind, language, channel);
  return {
    kind,
    language,
    channel,
    ownChannels: ownChannelsOf(profile, kind, language),
    caseLetter: caseLetterKinds.includes(kind),
    placeholders: [...messagePlaceholders[kind]],
    today,
    shipped: { subject: shipped.subject, body: shipped.body },
    effective: { subject: effective.subject, body: effective.body },
    source: effective.version === 'shipped' ? 'profile' : 'register',
    version: effective.version,
    scheduled: rows.filter((r) => r.effectiveFrom > today).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id - b.id).map(entryOf),
    history: rows.slice().reverse().map(entryOf),
  };
}

/**
 * One kind in one language (and a channel's own text, or the common one): shipped and effective
 * text, the placeholders it may use, scheduled versions and history.
 */
export async function getMessageTemplate(ctx: ServiceContext, p: Principal, kind: string, language: Language, channel?: string): Promise<TemplateView> {
  requireAdmin(p);
  return viewOf(ctx, requireKind(kind), language, requireChannel(channel));
}

/**
 * A refusal naming the first issue (its code and params) and every issue as a field error; `at`
 * places the fields in a larger document (an import's `templates.3.`).
 */
export function templateRefusal(kind: MessageKind, issues: TemplateIssue[], at = '', params: Record<string, string | number> = {}): ServiceError {
  const first = issues[0]!;
  return failure(400, first.code, `${at}${kind}: ${issues.map((i) => i.message).join('; ')}`, {
    params: { kind, ...params, ...first.params },
    invalidParams: issues.map((i) => ({ name: `${at}${i.field}`, reason: i.message, code: i.code, params: i.params })),
  });
}

function checkDate(ctx: ServiceContext, effectiveFrom: string) {
  if (!isIsoDate(effectiveFrom)) throw failure(400, 'template_effective_from_invalid', 'effectiveFrom: must be a date YYYY-MM-DD', { invalidParams: [{ name: 'effectiveFrom', reason: 'must be a date' }] });
  // What was sent yesterday was sent with yesterday's template: a version takes effect today at the earliest.
  if (effectiveFrom < ctx.today()) throw failure(400, 'template_effective_from_past', `effectiveFrom: ${effectiveFrom} has passed; use ${ctx.today()} or later`, { params: { today: ctx.today() }, invalidParams: [{ name: 'effectiveFrom', reason: 'has passed' }] });
}

export interface SaveTemplateInput {
  /** The new text; null returns the kind in this language to the shipped template from the date. */
  template: TemplateText | null;
  effectiveFrom: string;
  reason: string;
}

/**
 * Stores a version of one template from a date on (audited); an unknown placeholder is refused by
 * name. With a `channel`, the version is that channel's own text (null: the channel uses the common
 * text again from the date).
 */
export async function saveMessageTemplate(ctx: ServiceContext, p: Principal, kind: string, language: Language, input: SaveTemplateInput, channelParam?: string): Promise<TemplateView> {
  requireAdmin(p);
  const k = requireKind(kind);
  const channel = requireChannel(channelParam);
  if (input.template) {
    const issues = checkTemplate(k, input.template, channel);
    if (issues.length > 0) throw templateRefusal(k, issues);
  }
  checkDate(ctx, input.effectiveFrom);
  const actor = actorOf(p);
  const fundId = ctx.config.shipped.id;
  const before = templateOf(ctx.config.at(input.effectiveFrom), k, language, channel);
  await ctx.db.transaction(async (tx) => {
    const saved = await repo.insertTemplateVersion(tx, {
      fundId,
      kind: k,
      language,
      channel,
      subject: input.template?.subject ?? null,
      body: input.template?.body ?? null,
      effectiveFrom: input.effectiveFrom,
      reason: input.reason,
      setBy: actor.actor,
    });
    await recordAudit(tx, {
      ...actor,
      action: input.template ? 'message-template.saved' : 'message-template.reset',
      entityType: 'message-template',
      entityId: channel ? `${fundId}/${k}/${language}/${channel}` : `${fundId}/${k}/${language}`,
      details: { versionId: saved.id, channel, effectiveFrom: input.effectiveFrom, before: { version: before.version, subject: before.subject, body: before.body }, after: input.template, reason: input.reason },
    });
  });
  await ctx.config.reload();
  return viewOf(ctx, k, language, channel);
}

export interface PreviewInput {
  memberNumber: number;
  channel: PreviewChannel;
  /** A draft to preview; without it, the template in force on `date` (default today). */
  template?: TemplateText | undefined;
  date?: string | undefined;
}

export interface TemplatePreview {
  kind: MessageKind;
  language: Language;
  channel: PreviewChannel;
  memberNumber: number;
  /** 'draft' for a text not stored, else what a message would record. */
  version: string;
  subject: string;
  body: string;
  /** Placeholders the kind provides that the template leaves out. */
  unused: string[];
  /** Placeholders filled with example values (the case's facts), not the member's own data. */
  examples: string[];
  /** SMS only: characters of the text. */
  characters: number;
}

interface Rendered extends TemplatePreview {
  pdf: () => Uint8Array<ArrayBuffer>;
}

/**
 * Renders a template for a real member (their name and address, the fund's details; the case's
 * facts as examples), audited as a read of the member. Nothing is stored or sent.
 */
async function render(ctx: ServiceContext, p: Principal, kind: string, language: Language, input: PreviewInput): Promise<Rendered> {
  requireAdmin(p);
  const k = requireKind(kind);
  if (input.date !== undefined) {
    if (!isIsoDate(input.date)) throw failure(400, 'template_effective_from_invalid', 'date: must be a date YYYY-MM-DD', { invalidParams: [{ name: 'date', reason: 'must be a date' }] });
  }
  const day = input.date ?? ctx.today();
  let text: TemplateText;
  let version = 'draft';
  if (input.template) {
    const issues = checkTemplate(k, input.template, input.channel);
    if (issues.length > 0) throw templateRefusal(k, issues);
    text = input.template;
  } else {
    // What a message sent that day on the channel uses: its own text where it has one.
    const inForce = templateOf(ctx.config.at(day), k, language, input.channel);
    text = { subject: inForce.subject, body: inForce.body };
    version = inForce.version;
  }
  const row = await membersRepo.findMemberWithPersonByNumber(ctx.db, input.memberNumber);
  if (!row) throw failure(404, 'template_preview_member_not_found', `No member number ${input.memberNumber}.`, { params: { memberNumber: input.memberNumber }, invalidParams: [{ name: 'memberNumber', reason: 'no such member' }] });
  const { member, person } = row;
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.template-preview', entityType: 'member', entityId: member.id, details: { kind: k, language, channel: input.channel, version } });
  const profile = ctx.config.at(day);
  const values = previewValues(language, { today: day, firstName: person.firstNames.split(' ')[0] ?? person.firstNames, profile });
  const subject = renderTemplate(text.subject, values);
  const body = renderTemplate(text.body, values);
  return {
    kind: k,
    language,
    channel: input.channel,
    memberNumber: input.memberNumber,
    version,
    subject,
    body,
    unused: unusedPlaceholders(k, text),
    examples: messagePlaceholders[k].filter((name) => name !== 'firstName' && name !== 'fundName' && name !== 'iban' && name !== 'appealInstructions'),
    characters: body.length,
    pdf: () =>
      renderLetterPdf({
        language,
        fund: { name: profile.name[language], businessId: profile.businessId },
        recipient: {
          name: `${person.firstNames} ${person.lastName}`,
          address: person.streetAddress ? { street: person.streetAddress, postalCode: person.postalCode ?? '', city: person.city ?? '', ...(person.country && person.country !== 'FI' ? { country: person.country } : {}) } : null,
        },
        date: day,
        caseReference: String(member.memberNumber),
        title: subject,
        body,
      }),
  };
}

/** The text of a preview (e-mail: subject and body; SMS: the body; letter: the text the PDF prints). */
export async function previewMessageTemplate(ctx: ServiceContext, p: Principal, kind: string, language: Language, input: PreviewInput): Promise<TemplatePreview> {
  const { pdf: _pdf, ...preview } = await render(ctx, p, kind, language, input);
  return preview;
}

/** The preview as the printed letter (PDF). */
export async function previewMessageTemplatePdf(ctx: ServiceContext, p: Principal, kind: string, language: Language, input: PreviewInput): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  const rendered = await render(ctx, p, kind, language, { ...input, channel: 'letter' });
  return { filename: `preview-${rendered.kind}-${language}-${rendered.memberNumber}.pdf`, bytes: rendered.pdf() };
}
