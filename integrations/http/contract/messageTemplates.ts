/**
 * Message templates (issue 15; docs/decisions/023-message-templates.md): every kind of letter,
 * e-mail and SMS in fi/sv/en, the placeholders each kind provides, versions with effective dates
 * and history, and a preview for a real member (text, or the printed letter as PDF). A placeholder
 * the kind does not provide is refused by the service: 400 `template_placeholder_unknown` naming it.
 */
import * as v from 'valibot';
import { BODY_MAX, messageKinds, SUBJECT_MAX } from '../../../domain/messageTemplates';
import { count, date, dateTime } from './common';
import { defineRoute, file, json, jsonBody } from './define';
import { isoDate, multilineStr, multilineText, str } from './fields';

const admins = { kind: 'restricted', roles: ['admin'] } as const;
const language = v.picklist(['fi', 'sv', 'en'], 'must be fi, sv or en');

const templateParams = v.object({
  kind: v.pipe(str(), v.regex(/^[a-z][a-z-]{1,40}$/, 'must be a message kind such as invoice'), v.metadata({ description: `One of ${messageKinds.join(', ')}` })),
  language,
});

const channel = v.picklist(['email', 'sms', 'letter'], 'must be email, sms or letter');

/** `?channel=`: that channel's own text (decision 039) instead of the text every channel uses. */
export const templateChannelQuerySchema = v.strictObject({
  channel: v.optional(v.pipe(channel, v.metadata({ description: "A channel's own text over the common one: email, sms or letter; absent: the common text" }))),
});

const templateText = v.strictObject({
  subject: v.pipe(str(), v.maxLength(SUBJECT_MAX, `must be at most ${SUBJECT_MAX} characters`)),
  body: v.pipe(multilineStr(), v.maxLength(BODY_MAX, `must be at most ${BODY_MAX} characters`)),
});

export const saveMessageTemplateSchema = v.strictObject({
  template: v.pipe(v.nullable(templateText), v.metadata({ description: 'The new subject and body with {{placeholders}}; null returns the kind in this language to the shipped template from the date' })),
  effectiveFrom: isoDate,
  reason: multilineText(500, 3, 'must say why (the board decision, a ticket)'),
});

export const previewMessageTemplateSchema = v.strictObject({
  memberNumber: v.pipe(v.number('must be a member number'), v.integer('must be a member number'), v.minValue(1, 'must be a member number'), v.maxValue(999_999_999_999, 'must be a member number')),
  channel,
  template: v.optional(templateText),
  date: v.optional(isoDate),
});

const textSchema = v.object({ subject: v.string(), body: v.string() });
const versionEntry = v.object({ id: count, subject: v.nullable(v.string()), body: v.nullable(v.string()), effectiveFrom: date, reason: v.string(), setBy: v.string(), setAt: dateTime });

export const messageTemplateListSchema = v.object({
  fund: v.string(),
  today: date,
  items: v.array(
    v.object({
      kind: v.string(),
      caseLetter: v.boolean(),
      placeholders: v.array(v.string()),
      languages: v.array(v.object({ language, source: v.picklist(['register', 'profile']), version: v.string(), since: v.nullable(date), scheduled: count, channels: v.array(channel) })),
    }),
  ),
});

export const messageTemplateViewSchema = v.object({
  kind: v.string(),
  language,
  channel: v.nullable(channel),
  ownChannels: v.array(channel),
  caseLetter: v.boolean(),
  placeholders: v.array(v.string()),
  today: date,
  shipped: textSchema,
  effective: textSchema,
  source: v.picklist(['register', 'profile']),
  version: v.string(),
  scheduled: v.array(versionEntry),
  history: v.array(versionEntry),
});

export const messageTemplatePreviewSchema = v.object({
  kind: v.string(),
  language,
  channel: v.picklist(['email', 'sms', 'letter']),
  memberNumber: count,
  version: v.string(),
  subject: v.string(),
  body: v.string(),
  unused: v.array(v.string()),
  examples: v.array(v.string()),
  characters: count,
});

const exampleText = { subject: 'Päätös jäsenhakemukseesi – {{fundName}}', body: 'Hei {{firstName}},\n\njäsenyytesi alkaa {{startDate}}.\n\nYstävällisin terveisin\n{{fundName}}' };
const exampleEntry = { id: 7, ...exampleText, effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026', setBy: 'admin', setAt: '2026-12-12T10:00:00.000Z' };
const exampleView = {
  kind: 'application-approved',
  language: 'fi' as const,
  channel: null,
  ownChannels: ['sms' as const],
  caseLetter: false,
  placeholders: ['firstName', 'fundName', 'startDate'],
  today: '2027-01-02',
  shipped: exampleText,
  effective: exampleText,
  source: 'register' as const,
  version: '7',
  scheduled: [],
  history: [exampleEntry],
};
const previewBody = { memberNumber: 100001, channel: 'email' as const, template: exampleText };

export const messageTemplateRoutes = {
  listMessageTemplates: defineRoute({
    operationId: 'listMessageTemplates',
    method: 'get',
    path: '/v1/message-templates',
    tag: 'Administration',
    summary: 'Every message kind in fi, sv and en: its placeholders, and whether a stored version or the shipped template is in force',
    access: admins,
    responses: {
      200: json(messageTemplateListSchema, 'Every kind', {
        example: { fund: 'a-kassa', today: '2027-01-02', items: [{ kind: 'application-approved', caseLetter: false, placeholders: ['firstName', 'fundName', 'startDate'], languages: [{ language: 'fi', source: 'register', version: '7', since: '2027-01-01', scheduled: 0, channels: ['sms'] }] }] },
      }),
    },
    problems: [401, 403],
  }),
  getMessageTemplate: defineRoute({
    operationId: 'getMessageTemplate',
    method: 'get',
    path: '/v1/message-templates/{kind}/{language}',
    tag: 'Administration',
    summary: "One template (or, with `channel`, that channel's own text): shipped and effective text, the placeholders it may use, scheduled versions and history",
    access: admins,
    params: templateParams,
    query: templateChannelQuerySchema,
    responses: { 200: json(messageTemplateViewSchema, 'The template', { example: exampleView }) },
    problems: [400, 401, 403, 404],
  }),
  saveMessageTemplate: defineRoute({
    operationId: 'saveMessageTemplate',
    method: 'put',
    path: '/v1/message-templates/{kind}/{language}',
    tag: 'Administration',
    summary: 'Store a version of a template from a date on, or return it to the shipped one (audited)',
    description:
      "Versions are kept: the one in force on a day is what messages sent that day use, and each message records it. With `channel`, the version is that channel's own text, used on it instead of the common one (an SMS's may have an empty subject and a body of at most 918 characters); null returns the channel to the common text from the date. A placeholder the kind does not provide is 400 `template_placeholder_unknown` with the placeholder in `params.placeholder`; braces that are no placeholder are `template_placeholder_malformed`.",
    access: admins,
    params: templateParams,
    query: templateChannelQuerySchema,
    body: jsonBody(saveMessageTemplateSchema, { template: exampleText, effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026' }),
    responses: { 200: json(messageTemplateViewSchema, 'The template as stored', { example: exampleView }) },
    problems: [400, 401, 403, 404],
  }),
  previewMessageTemplate: defineRoute({
    operationId: 'previewMessageTemplate',
    method: 'post',
    path: '/v1/message-templates/{kind}/{language}/preview',
    tag: 'Administration',
    summary: "A draft (or the template in force) rendered for a member chosen by member number; audited as a read of the member's data",
    description: "The member's name and address and the fund's details are real; the case's facts (amounts, dates, reasons) are examples, listed in `examples`. Nothing is stored or sent.",
    access: admins,
    params: templateParams,
    body: jsonBody(previewMessageTemplateSchema, previewBody),
    responses: {
      200: json(messageTemplatePreviewSchema, 'The rendered text', {
        example: { kind: 'application-approved', language: 'fi', channel: 'email', memberNumber: 100001, version: 'draft', subject: 'Päätös jäsenhakemukseesi – A-kassa', body: 'Hei Maija, …', unused: [], examples: ['startDate'], characters: 80 },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  previewMessageTemplatePdf: defineRoute({
    operationId: 'previewMessageTemplatePdf',
    method: 'post',
    path: '/v1/message-templates/{kind}/{language}/preview/pdf',
    tag: 'Administration',
    summary: 'The preview as the printed letter (PDF); audited as a read of the member’s data',
    access: admins,
    params: templateParams,
    body: jsonBody(previewMessageTemplateSchema, { ...previewBody, channel: 'letter' }),
    responses: { 200: file('The PDF', ['application/pdf'], { binary: true, headers: { 'Content-Disposition': 'inline; filename="…"', 'Cache-Control': 'private, no-store' } }) },
    problems: [400, 401, 403, 404],
  }),
};
