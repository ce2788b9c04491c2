/**
 * Fund configuration (issue 15): the settings an administrator may override, their shipped and
 * effective values, scheduled changes and history, a preview of a change, and export/import as one
 * document. Each setting's own shape is checked by the service with domain/fundConfig/settings.ts
 * (400 with the refusing rule's code and the field in `invalidParams`).
 */
import * as v from 'valibot';
import { configKeys } from '../../../domain/fundConfig/settings';
import { languages } from '../../../domain/localized';
import { BODY_MAX, SUBJECT_MAX } from '../../../domain/messageTemplates';
import { count, date, dateTime } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, multilineStr, multilineText, noControlCharactersInside, str } from './fields';

const admins = { kind: 'restricted', roles: ['admin'] } as const;
const keyParam = v.object({ key: v.pipe(str(), v.regex(/^[A-Za-z]{1,40}$/, 'must be a setting key such as collection'), v.metadata({ description: `One of ${configKeys.join(', ')}` })) });

const settingValue = v.pipe(v.nullable(v.unknown()), noControlCharactersInside, v.metadata({ description: "The setting's value in its current shape (see the setting's `shipped` for an example); null returns to the shipped value" }));

export const setFundConfigSchema = v.strictObject({
  value: settingValue,
  effectiveFrom: isoDate,
  reason: multilineText(500, 3, 'must say why (the board decision, a ticket)'),
});

export const previewFundConfigSchema = v.strictObject({ value: settingValue, effectiveFrom: isoDate });

const historyEntry = v.object({ id: count, version: count, value: v.unknown(), effectiveFrom: date, reason: v.string(), setBy: v.string(), setAt: dateTime });

export const configSettingViewSchema = v.object({
  key: v.string(),
  area: v.picklist(['collection', 'hearing', 'billing', 'intake', 'letters', 'fund', 'schedules']),
  version: count,
  shipped: v.unknown(),
  effective: v.unknown(),
  source: v.picklist(['register', 'profile']),
  scheduled: v.array(historyEntry),
  history: v.array(historyEntry),
});

export const fundConfigListSchema = v.object({ fund: v.string(), today: date, items: v.array(configSettingViewSchema) });

const countPair = v.object({ members: count, invoices: count });
export const configPreviewSchema = v.object({
  key: v.string(),
  changes: v.array(v.object({ path: v.string(), before: v.unknown(), after: v.unknown() })),
  collectionDue: v.nullable(v.object({ before: countPair, after: countPair })),
});

export const fundConfigExportSchema = v.strictObject({
  format: v.literal('jasenrekisteri.fund-config', 'must be jasenrekisteri.fund-config'),
  formatVersion: v.pipe(v.number(), v.integer()),
  fund: v.pipe(str(), v.maxLength(40)),
  exportedAt: v.pipe(str(), v.maxLength(40)),
  settings: v.pipe(
    v.array(v.strictObject({ key: v.pipe(str(), v.maxLength(40)), version: v.pipe(v.number(), v.integer(), v.minValue(1)), value: v.pipe(v.nullable(v.unknown()), noControlCharactersInside), effectiveFrom: isoDate, reason: v.pipe(multilineStr(), v.maxLength(500)) })),
    v.maxLength(200),
  ),
  /** Format version 2 on: administrators' message template versions (subject and body null: back to the shipped template). */
  templates: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          kind: v.pipe(str(), v.maxLength(60)),
          language: v.picklist(languages),
          /** Format version 3 on: a channel's own text (absent: the text every channel uses). */
          channel: v.optional(v.picklist(['email', 'sms', 'letter'], 'must be email, sms or letter')),
          subject: v.nullable(v.pipe(multilineStr(), v.maxLength(SUBJECT_MAX))),
          body: v.nullable(v.pipe(multilineStr(), v.maxLength(BODY_MAX))),
          effectiveFrom: isoDate,
          reason: v.pipe(multilineStr(), v.maxLength(500)),
        }),
      ),
      v.maxLength(1000),
    ),
  ),
});

/** The fingerprint of an import preview's plan, sent back with the confirmation. */
const planFingerprint = v.pipe(str(), v.regex(/^[0-9a-f]{64}$/, 'must be the plan from the preview (64 hex digits)'));

export const fundConfigImportQuerySchema = v.strictObject({
  /** The preview's `plan`: when given, an import whose plan has changed since is refused (409 config_import_stale). */
  plan: v.optional(planFingerprint),
});

export const fundConfigImportPreviewSchema = v.object({
  formatVersion: count,
  /** Send back as `?plan=` with the import, to have it refused if the plan changes in between. */
  plan: planFingerprint,
  imported: count,
  skipped: count,
  entries: v.array(
    v.object({
      target: v.string(),
      effectiveFrom: date,
      reason: v.string(),
      action: v.picklist(['import', 'skip']),
      changes: v.array(v.object({ path: v.string(), before: v.unknown(), after: v.unknown() })),
    }),
  ),
});

const exampleDocument = {
  format: 'jasenrekisteri.fund-config' as const,
  formatVersion: 3,
  fund: 'a-kassa',
  exportedAt: '2026-12-12T10:00:00.000Z',
  settings: [{ key: 'collection', version: 2, value: { levels: [{ waitDays: 21, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 }], hearingAfterDays: 14, minimumOpenCents: 1, maxHoldDays: 365 }, effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026' }],
  templates: [{ kind: 'payment-reminder', language: 'fi' as const, subject: 'Muistutus', body: 'Hei {{firstName}}, …', effectiveFrom: '2027-01-01', reason: 'New wording' }],
};

const exampleCollection = {
  levels: [{ waitDays: 21, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 }],
  hearingAfterDays: 14,
  minimumOpenCents: 1,
  maxHoldDays: 365,
};
const exampleView = {
  key: 'collection',
  area: 'collection' as const,
  version: 2,
  shipped: exampleCollection,
  effective: exampleCollection,
  source: 'register' as const,
  scheduled: [],
  history: [{ id: 1, version: 2, value: exampleCollection, effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026', setBy: 'admin', setAt: '2026-12-12T10:00:00.000Z' }],
};

export const fundConfigRoutes = {
  listFundConfig: defineRoute({
    operationId: 'listFundConfig',
    method: 'get',
    path: '/v1/fund-config',
    tag: 'Administration',
    summary: "The fund's settings: shipped value, value in force today, scheduled changes and history",
    access: admins,
    responses: { 200: json(fundConfigListSchema, 'Every setting', { example: { fund: 'a-kassa', today: '2027-01-02', items: [exampleView] } }) },
    problems: [401, 403],
  }),
  setFundConfig: defineRoute({
    operationId: 'setFundConfig',
    method: 'put',
    path: '/v1/fund-config/{key}',
    tag: 'Administration',
    summary: 'Set a setting from a date on, or return it to the shipped value (audited)',
    description: "Stored over the shipped profile: a new version's shipped value never replaces it. 400 names the refusing rule (code) and the field.",
    access: admins,
    params: keyParam,
    body: jsonBody(setFundConfigSchema, { value: exampleCollection, effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026' }),
    responses: { 200: json(configSettingViewSchema, 'The setting as stored', { example: exampleView }) },
    problems: [400, 401, 403, 404],
  }),
  previewFundConfig: defineRoute({
    operationId: 'previewFundConfig',
    method: 'post',
    path: '/v1/fund-config/{key}/preview',
    tag: 'Administration',
    summary: 'What a value would change on its date, without storing it (for collection: the members whose step falls due)',
    access: admins,
    params: keyParam,
    body: jsonBody(previewFundConfigSchema, { value: exampleCollection, effectiveFrom: '2027-01-01' }),
    responses: { 200: json(configPreviewSchema, 'The changes', { example: { key: 'collection', changes: [{ path: 'levels.0.waitDays', before: 14, after: 21 }], collectionDue: { before: { members: 3100, invoices: 3150 }, after: { members: 1200, invoices: 1210 } } } }) },
    problems: [400, 401, 403, 404],
  }),
  exportFundConfig: defineRoute({
    operationId: 'exportFundConfig',
    method: 'get',
    path: '/v1/fund-config/export',
    tag: 'Administration',
    summary: "The fund's overrides and message template versions in force and scheduled, as one JSON document (audited)",
    description: "Format version 3: `settings` and `templates`, a template entry with `channel` being that channel's own text. An import also reads version 2 (no channels) and version 1 (settings only).",
    access: admins,
    responses: { 200: json(fundConfigExportSchema, 'The document', { example: exampleDocument }) },
    problems: [401, 403],
  }),
  importFundConfig: defineRoute({
    operationId: 'importFundConfig',
    method: 'post',
    path: '/v1/fund-config/import',
    tag: 'Administration',
    summary: 'Import an export: every setting migrated and checked before any is stored (audited)',
    description:
      "A value equal to the one in force on its date is skipped, so importing twice adds nothing; a date already passed takes effect today. With `plan` (the preview's), an import whose plan differs from what the preview showed (a setting or template saved in between) is refused with 409 `config_import_stale` and nothing is stored.",
    access: admins,
    query: fundConfigImportQuerySchema,
    body: jsonBody(fundConfigExportSchema, exampleDocument),
    responses: { 200: json(v.object({ imported: count, skipped: count }), 'What was stored', { example: { imported: 2, skipped: 0 } }) },
    problems: [400, 401, 403, 409],
  }),
  previewFundConfigImport: defineRoute({
    operationId: 'previewFundConfigImport',
    method: 'post',
    path: '/v1/fund-config/import/preview',
    tag: 'Administration',
    summary: 'What importing a document would store, checked as an import checks it; nothing is stored',
    description: 'Each setting and template with its effective date (a passed one moved to today), `import` or `skip` (already in force), and for settings the fields that change.',
    access: admins,
    body: jsonBody(fundConfigExportSchema, exampleDocument),
    responses: {
      200: json(fundConfigImportPreviewSchema, 'The plan', {
        example: { formatVersion: 3, plan: '5f1c0e6b9a3d4c2e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c', imported: 2, skipped: 0, entries: [{ target: 'collection', effectiveFrom: '2027-01-01', reason: 'Board decision 12.12.2026', action: 'import', changes: [{ path: 'levels.0.waitDays', before: 14, after: 21 }] }, { target: 'template:payment-reminder/fi', effectiveFrom: '2027-01-01', reason: 'New wording', action: 'import', changes: [] }] },
      }),
    },
    problems: [400, 401, 403, 409],
  }),
};
