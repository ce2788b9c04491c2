/**
 * Fund configuration that survives upgrades (issue 15; docs/decisions/021-fund-configuration.md).
 * The shipped profile is the default; administrators' overrides (fund_config_overrides, append-only)
 * are laid over it from their effective date. Everything that reads `ctx.profile` or an activity's
 * `deps.profile` reads the effective profile of today through FundConfigSource. Workflows never
 * read it: they get values as input or through activities, so a replay sees what the run saw.
 */
import { createHash } from 'node:crypto';
import * as repo from '../db/repositories/fundConfig';
import { insertTemplateVersions, listTemplateVersions, type TemplateVersionRow } from '../db/repositories/messageTemplates';
import { checkTemplate, isMessageKind, templateOf, versionInForce, withTemplates, type TemplateText, type TemplateVersion } from '../domain/messageTemplates';
import { languages, type Language } from '../domain/localized';
import { countDue } from '../db/repositories/collection';
import { recordAudit } from '../db/repositories/audit';
import type { Database, DbOrTx } from '../db/client';
import { isIsoDate } from '../domain/dates';
import type { FundProfile, MessageChannel } from '../domain/fundProfile';
import { configKeys, configSettings, effectiveProfile, isConfigKey, overridesInForce, parseSetting, type ConfigIssue, type ConfigKey, type ConfigOverride, type SettingDefinition } from '../domain/fundConfig/settings';
import type { ServiceContext } from './context';
import { templateRefusal } from './messageTemplates';
import { failure, type ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

/** The identifier of an export document, so an import refuses anything else. */
export const CONFIG_EXPORT_FORMAT = 'jasenrekisteri.fund-config';
/** 1: settings only; 2: settings and message template versions (decision 029); 3: templates may be a channel's own (decision 039). All three are imported. */
export const CONFIG_EXPORT_VERSION = 3;

/** Stored rows read as the current shapes; a row that no longer parses is skipped and named. */
export function readOverrides(rows: readonly repo.FundConfigRow[]): { overrides: ConfigOverride[]; unreadable: { id: number; key: string; issues: ConfigIssue[] }[] } {
  const overrides: ConfigOverride[] = [];
  const unreadable: { id: number; key: string; issues: ConfigIssue[] }[] = [];
  for (const row of rows) {
    if (!isConfigKey(row.key)) {
      unreadable.push({ id: row.id, key: row.key, issues: [{ code: 'config_key_unknown', field: '', message: `unknown setting ${row.key}`, params: { key: row.key } }] });
      continue;
    }
    if (row.value === null) {
      overrides.push({ key: row.key, value: null, effectiveFrom: row.effectiveFrom, seq: row.id });
      continue;
    }
    const parsed = parseSetting(row.key, row.value, row.version);
    if (parsed.ok) overrides.push({ key: row.key, value: parsed.value, effectiveFrom: row.effectiveFrom, seq: row.id });
    else unreadable.push({ id: row.id, key: row.key, issues: parsed.issues });
  }
  return { overrides, unreadable };
}

/**
 * The effective profile for one process: the shipped profile and the fund's overrides, read at
 * start, after every change made through this process, and every `refreshMs` (another process's
 * change: the API and the worker may run apart). `current()` is synchronous, so the many readers
 * of `profile` stay as they are.
 */
export class FundConfigSource {
  private overrides: ConfigOverride[] = [];
  /** Administrators' message template versions (services/messageTemplates.ts), laid over the profile's messages. */
  private templates: TemplateVersion[] = [];
  /** The last day's profile: readers in a billing run's loop get one object, not a fresh merge each time. */
  private cached: { day: string; profile: FundProfile } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly shipped: FundProfile,
    private readonly db: DbOrTx,
    private readonly today: () => string,
  ) {}

  async reload(): Promise<void> {
    const [rows, templateRows] = await Promise.all([repo.listOverrides(this.db, this.shipped.id), listTemplateVersions(this.db, this.shipped.id)]);
    const { overrides, unreadable } = readOverrides(rows);
    // An unreadable stored value falls back to the shipped one; the desk lists it (listFundConfig).
    if (unreadable.length) console.warn(`[fund-config] ${unreadable.length} stored override(s) unreadable, shipped values used: ${unreadable.map((u) => `#${u.id} ${u.key}`).join(', ')}`);
    this.overrides = overrides;
    this.templates = templateRows.map((r) => ({ id: r.id, kind: r.kind, language: r.language, channel: r.channel, text: r.subject !== null && r.body !== null ? { subject: r.subject, body: r.body } : null, effectiveFrom: r.effectiveFrom }));
    this.cached = null;
  }

  /** Reloads every `ms` until stop(); a failed reload keeps the last good overrides. */
  startRefreshing(ms: number): void {
    this.stop();
    this.timer = setInterval(() => void this.reload().catch(() => {}), ms);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  current(): FundProfile {
    return this.at(this.today());
  }

  at(day: string): FundProfile {
    if (this.overrides.length === 0 && this.templates.length === 0) return this.shipped;
    // Frozen like the shipped profile: one object is shared by every reader that day.
    if (this.cached?.day !== day) this.cached = { day, profile: deepFreeze(withTemplates(effectiveProfile(this.shipped, this.overrides, day), this.templates, day)) };
    return this.cached.profile;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export async function createFundConfigSource(shipped: FundProfile, db: Database, today: () => string): Promise<FundConfigSource> {
  const source = new FundConfigSource(shipped, db, today);
  await source.reload();
  return source;
}

// ---------------------------------------------------------------------------------------------
// The administrators' API

export interface ConfigHistoryEntry {
  id: number;
  version: number;
  value: unknown;
  effectiveFrom: string;
  reason: string;
  setBy: string;
  setAt: string;
}

export interface ConfigSettingView {
  key: ConfigKey;
  area: SettingDefinition<unknown>['area'];
  version: number;
  shipped: unknown;
  effective: unknown;
  /** 'register': an administrator's value is in force today; 'profile': the shipped one. */
  source: 'register' | 'profile';
  /** Overrides dated after today, soonest first. */
  scheduled: ConfigHistoryEntry[];
  /** Every change, newest first. */
  history: ConfigHistoryEntry[];
}

function requireAdmin(p: Principal) {
  if (!hasRole(p, 'admin')) throw failure(403, 'fund_config_admin_only', 'Only administrators may read or change the fund configuration.');
}

function historyEntry(row: repo.FundConfigRow): ConfigHistoryEntry {
  return { id: row.id, version: row.version, value: row.value, effectiveFrom: row.effectiveFrom, reason: row.reason, setBy: row.setBy, setAt: row.setAt.toISOString() };
}

function settingView(ctx: ServiceContext, key: ConfigKey, rows: repo.FundConfigRow[], overrides: ConfigOverride[]): ConfigSettingView {
  const def = configSettings[key] as SettingDefinition<unknown>;
  const today = ctx.today();
  const inForce = overridesInForce(overrides, today).get(key);
  const shipped = def.read(ctx.config.shipped);
  const mine = rows.filter((r) => r.key === key);
  return {
    key,
    area: def.area,
    version: def.version,
    shipped,
    effective: inForce && inForce.value !== null ? inForce.value : shipped,
    source: inForce && inForce.value !== null ? 'register' : 'profile',
    scheduled: mine.filter((r) => r.effectiveFrom > today).sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom)).map(historyEntry),
    history: mine.slice().reverse().map(historyEntry),
  };
}

/** Every setting with its shipped and effective value, what is scheduled and the history. */
export async function listFundConfig(ctx: ServiceContext, p: Principal): Promise<{ fund: string; today: string; items: ConfigSettingView[] }> {
  requireAdmin(p);
  const rows = await repo.listOverrides(ctx.db, ctx.config.shipped.id);
  const { overrides } = readOverrides(rows);
  return { fund: ctx.config.shipped.id, today: ctx.today(), items: configKeys.map((key) => settingView(ctx, key, rows, overrides)) };
}

function unknownKey(key: string): ServiceError {
  return failure(404, 'config_key_unknown', `No setting ${key}: use one of ${configKeys.join(', ')}.`, { params: { key } });
}

function refusal(key: string, issues: ConfigIssue[]): ServiceError {
  const first = issues[0]!;
  return failure(400, first.code, `${key}: ${issues.map((i) => i.message).join('; ')}`, {
    params: { key, ...first.params },
    invalidParams: issues.map((i) => ({ name: i.field ? `value.${i.field}` : 'value', reason: i.message, code: i.code, params: i.params })),
  });
}

export interface SetConfigInput {
  /** The new value in the setting's current shape; null returns the setting to the shipped value. */
  value: unknown;
  effectiveFrom: string;
  reason: string;
}

function checkDate(ctx: ServiceContext, effectiveFrom: string) {
  if (!isIsoDate(effectiveFrom)) throw failure(400, 'config_effective_from_invalid', 'effectiveFrom: must be a date YYYY-MM-DD', { invalidParams: [{ name: 'effectiveFrom', reason: 'must be a date' }] });
  // A change takes effect today at the earliest: what was in force yesterday stays what it was.
  if (effectiveFrom < ctx.today()) throw failure(400, 'config_effective_from_past', `effectiveFrom: ${effectiveFrom} has passed; use ${ctx.today()} or later`, { params: { today: ctx.today() }, invalidParams: [{ name: 'effectiveFrom', reason: 'has passed' }] });
}

/** Stores an administrator's value of one setting from a date on (audited); the history keeps the old ones. */
export async function setFundConfig(ctx: ServiceContext, p: Principal, key: string, input: SetConfigInput): Promise<ConfigSettingView> {
  requireAdmin(p);
  if (!isConfigKey(key)) throw unknownKey(key);
  checkDate(ctx, input.effectiveFrom);
  let value: unknown = null;
  if (input.value !== null) {
    const parsed = parseSetting(key, input.value);
    if (!parsed.ok) throw refusal(key, parsed.issues);
    value = parsed.value;
  }
  const def = configSettings[key] as SettingDefinition<unknown>;
  const actor = actorOf(p);
  const fundId = ctx.config.shipped.id;
  await ctx.db.transaction(async (tx) => {
    const before = def.read(ctx.config.at(input.effectiveFrom));
    const [saved] = await repo.insertOverrides(tx, [{ fundId, key, version: def.version, value, effectiveFrom: input.effectiveFrom, reason: input.reason, setBy: actor.actor }]);
    await recordAudit(tx, {
      ...actor,
      action: value === null ? 'fund-config.reset' : 'fund-config.set',
      entityType: 'fund-config',
      entityId: `${fundId}/${key}`,
      details: { overrideId: saved!.id, effectiveFrom: input.effectiveFrom, before, after: value, reason: input.reason },
    });
  });
  await ctx.config.reload();
  const rows = await repo.listOverrides(ctx.db, fundId);
  return settingView(ctx, key, rows, readOverrides(rows).overrides);
}

export interface ConfigPreview {
  key: ConfigKey;
  /** Dotted paths of what differs from the value in force on the effective date. */
  changes: { path: string; before: unknown; after: unknown }[];
  /** Collection only: members and invoices whose reminder or hearing falls due on the day, before and after. */
  collectionDue: { before: { members: number; invoices: number }; after: { members: number; invoices: number } } | null;
}

function diff(before: unknown, after: unknown, path = ''): ConfigPreview['changes'] {
  if (typeof before === 'object' && before !== null && typeof after === 'object' && after !== null) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diff((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: before ?? null, after: after ?? null }];
}

/** What a value would change, without storing it: the differing fields and, for collection, the members it moves. */
export async function previewFundConfig(ctx: ServiceContext, p: Principal, key: string, input: { value: unknown; effectiveFrom: string }): Promise<ConfigPreview> {
  requireAdmin(p);
  if (!isConfigKey(key)) throw unknownKey(key);
  checkDate(ctx, input.effectiveFrom);
  const def = configSettings[key] as SettingDefinition<unknown>;
  const beforeProfile = ctx.config.at(input.effectiveFrom);
  let after: unknown = def.read(ctx.config.shipped);
  if (input.value !== null) {
    const parsed = parseSetting(key, input.value);
    if (!parsed.ok) throw refusal(key, parsed.issues);
    after = parsed.value;
  }
  const before = def.read(beforeProfile);
  let collectionDue: ConfigPreview['collectionDue'] = null;
  if (key === 'collection') {
    const afterProfile = def.apply(beforeProfile, after);
    const [b, a] = await Promise.all([countDue(ctx.db, beforeProfile.collection, input.effectiveFrom), countDue(ctx.db, afterProfile.collection, input.effectiveFrom)]);
    collectionDue = { before: { members: b.members, invoices: b.invoices }, after: { members: a.members, invoices: a.invoices } };
  }
  return { key, changes: diff(before, after), collectionDue };
}

// ---------------------------------------------------------------------------------------------
// Export and import: one JSON document per fund (from a test register to production)

export interface ExportedSetting {
  key: string;
  version: number;
  value: unknown;
  effectiveFrom: string;
  reason: string;
}

/** A message template version in the document; subject and body null return to the shipped template. */
export interface ExportedTemplate {
  kind: string;
  language: Language;
  /** Since format version 3: a channel's own text (decision 039); absent for the text every channel uses. */
  channel?: MessageChannel | undefined;
  subject: string | null;
  body: string | null;
  effectiveFrom: string;
  reason: string;
}

export interface ConfigExport {
  format: typeof CONFIG_EXPORT_FORMAT;
  formatVersion: number;
  fund: string;
  exportedAt: string;
  /** The override in force today and every scheduled one, per setting. */
  settings: ExportedSetting[];
  /** Since format version 2: the template version in force today and every scheduled one, per kind and language (and channel, version 3). */
  templates?: ExportedTemplate[] | undefined;
}

/** The rows in force today and every scheduled one: what a register needs to be configured the same. */
function inForceAndScheduled<T extends { id: number; effectiveFrom: string }>(rows: readonly T[], today: string, inForce: (row: T) => boolean): T[] {
  return rows.filter((r) => inForce(r) || r.effectiveFrom > today);
}

export async function exportFundConfig(ctx: ServiceContext, p: Principal): Promise<ConfigExport> {
  requireAdmin(p);
  const fundId = ctx.config.shipped.id;
  const [rows, templateRows] = await Promise.all([repo.listOverrides(ctx.db, fundId), listTemplateVersions(ctx.db, fundId)]);
  const today = ctx.today();
  const { overrides } = readOverrides(rows);
  const inForce = new Set([...overridesInForce(overrides, today).values()].map((o) => o.seq));
  const kept = inForceAndScheduled(rows, today, (r) => inForce.has(r.id));
  const templates = inForceAndScheduled(templateRows, today, (r) => versionInForce(templateRows, r.kind, r.language, today, r.channel)?.id === r.id);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'fund-config.exported', entityType: 'fund-config', entityId: fundId, details: { settings: kept.length, templates: templates.length } });
  return {
    format: CONFIG_EXPORT_FORMAT,
    formatVersion: CONFIG_EXPORT_VERSION,
    fund: fundId,
    exportedAt: new Date().toISOString(),
    settings: kept.map((r) => ({ key: r.key, version: r.version, value: r.value, effectiveFrom: r.effectiveFrom, reason: r.reason })),
    templates: templates.map((r) => ({ kind: r.kind, language: r.language as Language, ...(r.channel ? { channel: r.channel as MessageChannel } : {}), subject: r.subject, body: r.body, effectiveFrom: r.effectiveFrom, reason: r.reason })),
  };
}

/** One entry of an import: what it sets, from when, and whether it is news (`import`) or already in force (`skip`). */
export interface ImportPlanEntry {
  /** A setting's key, or `template:<kind>/<language>`. */
  target: string;
  effectiveFrom: string;
  reason: string;
  action: 'import' | 'skip';
  /** Settings: the fields that differ from the value in force on the date. */
  changes: { path: string; before: unknown; after: unknown }[];
}

interface ImportPlan {
  settings: (ImportPlanEntry & { key: ConfigKey; value: unknown })[];
  /** `replaces`: the text in force on the entry's date. */
  templates: (ImportPlanEntry & { kind: string; language: Language; channel: MessageChannel | null; text: TemplateText | null; replaces: TemplateText })[];
}

/**
 * Reads an export as this register would store it, storing nothing: every setting migrated from
 * its version and checked, every template checked against its kind's placeholders (a document is
 * refused whole on the first bad entry), a passed date moved to today, and each entry marked
 * `skip` when the register already has that value on that date.
 */
function planImport(ctx: ServiceContext, doc: ConfigExport): ImportPlan {
  const fundId = ctx.config.shipped.id;
  if (doc.format !== CONFIG_EXPORT_FORMAT || !Number.isInteger(doc.formatVersion) || doc.formatVersion < 1 || doc.formatVersion > CONFIG_EXPORT_VERSION) {
    throw failure(400, 'config_import_format', `Not a fund configuration export (format ${CONFIG_EXPORT_FORMAT}, version 1–${CONFIG_EXPORT_VERSION}).`, { params: { version: CONFIG_EXPORT_VERSION } });
  }
  if (doc.fund !== fundId) throw failure(409, 'config_import_other_fund', `The document is ${doc.fund}'s configuration; this register is ${fundId}'s.`, { params: { fund: doc.fund } });
  if (doc.formatVersion < 2 && doc.templates?.length) throw failure(400, 'config_import_format', 'A version-1 document has no templates.', { params: { version: CONFIG_EXPORT_VERSION } });
  if (doc.formatVersion < 3 && doc.templates?.some((t) => t.channel)) throw failure(400, 'config_import_format', "A version-2 document has no channels' own templates.", { params: { version: CONFIG_EXPORT_VERSION } });
  const today = ctx.today();
  const from = (date: string) => (date < today ? today : date);
  const settings = doc.settings.map((s, index) => {
    if (!isConfigKey(s.key)) throw failure(400, 'config_key_unknown', `settings[${index}]: no setting ${s.key}`, { params: { key: s.key } });
    if (!isIsoDate(s.effectiveFrom)) throw failure(400, 'config_effective_from_invalid', `settings[${index}].effectiveFrom: must be a date`);
    const def = configSettings[s.key] as SettingDefinition<unknown>;
    let value: unknown = null;
    if (s.value !== null) {
      const result = parseSetting(s.key, s.value, s.version);
      if (!result.ok) throw refusal(s.key, result.issues);
      value = result.value;
    }
    const effectiveFrom = from(s.effectiveFrom);
    const before = def.read(ctx.config.at(effectiveFrom));
    const after = value === null ? def.read(ctx.config.shipped) : value;
    const changes = diff(before, after);
    return { key: s.key, target: s.key, value, effectiveFrom, reason: s.reason, changes, action: changes.length ? ('import' as const) : ('skip' as const) };
  });
  const templates = (doc.templates ?? []).map((t, index) => {
    if (!isMessageKind(t.kind)) throw failure(400, 'template_kind_unknown', `templates[${index}]: no message kind ${t.kind}`, { params: { kind: t.kind } });
    if (!languages.includes(t.language)) throw failure(400, 'config_import_format', `templates[${index}].language: one of ${languages.join(', ')}`, { params: { version: CONFIG_EXPORT_VERSION } });
    const channel = t.channel ?? null;
    const text = t.subject !== null && t.body !== null ? { subject: t.subject, body: t.body } : null;
    if (text) {
      const issues = checkTemplate(t.kind, text, channel);
      if (issues.length) throw templateRefusal(t.kind, issues, `templates.${index}.`, { language: t.language });
    }
    const effectiveFrom = from(t.effectiveFrom);
    const atDay = templateOf(ctx.config.at(effectiveFrom), t.kind, t.language, channel);
    // News only where the text in force that day differs (a reset: from the shipped one; a
    // channel's reset: where the channel has a text of its own that day).
    const wanted = text ?? templateOf(ctx.config.shipped, t.kind, t.language);
    const same = channel ? (text ? atDay.own && atDay.subject === text.subject && atDay.body === text.body : !atDay.own) : atDay.subject === wanted.subject && atDay.body === wanted.body;
    return { target: `template:${t.kind}/${t.language}${channel ? `/${channel}` : ''}`, kind: t.kind, language: t.language, channel, text, replaces: { subject: atDay.subject, body: atDay.body }, effectiveFrom, reason: t.reason, changes: [], action: same ? ('skip' as const) : ('import' as const) };
  });
  return { settings, templates };
}

const planEntry = ({ target, effectiveFrom, reason, action, changes }: ImportPlanEntry): ImportPlanEntry => ({ target, effectiveFrom, reason, action, changes });

/**
 * The plan's fingerprint: what the preview showed, entry by entry (target, date, import or skip, the
 * fields that change; for a template the text it replaces). The confirmation sends it back, so a
 * setting or template saved between the preview and the confirmation (or a date that moved to
 * today) is noticed instead of imported unseen.
 */
function planFingerprint(plan: ImportPlan): string {
  const shown = [
    ...plan.settings.map(({ target, effectiveFrom, action, changes }) => [target, effectiveFrom, action, changes]),
    ...plan.templates.map(({ target, effectiveFrom, action, replaces }) => [target, effectiveFrom, action, replaces.subject, replaces.body]),
  ];
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex');
}

/** What importing a document would store, without storing anything (the desk's confirmation step). */
export async function previewFundConfigImport(ctx: ServiceContext, p: Principal, doc: ConfigExport): Promise<{ formatVersion: number; plan: string; entries: ImportPlanEntry[]; imported: number; skipped: number }> {
  requireAdmin(p);
  await ctx.config.reload();
  const plan = planImport(ctx, doc);
  const entries = [...plan.settings, ...plan.templates].map(planEntry);
  const imported = entries.filter((e) => e.action === 'import').length;
  return { formatVersion: doc.formatVersion, plan: planFingerprint(plan), entries, imported, skipped: entries.length - imported };
}

/**
 * Imports an export (audited): every setting is migrated from its version and checked, and every
 * template checked, before any is stored, so a document either lands whole or not at all. A date
 * already passed takes effect today. A value equal to the one in force on its date is skipped, so
 * importing twice adds nothing. A version-1 document (settings only) still imports. With
 * `expectedPlan` (the preview's `plan`), a plan that is no longer what the preview showed is refused
 * (409 config_import_stale) and nothing is stored.
 */
export async function importFundConfig(ctx: ServiceContext, p: Principal, doc: ConfigExport, expectedPlan?: string): Promise<{ imported: number; skipped: number }> {
  requireAdmin(p);
  const fundId = ctx.config.shipped.id;
  if (expectedPlan !== undefined) await ctx.config.reload();
  const plan = planImport(ctx, doc);
  if (expectedPlan !== undefined && planFingerprint(plan) !== expectedPlan) {
    throw failure(409, 'config_import_stale', 'The configuration changed after the preview; preview the document again before importing it.');
  }
  const actor = actorOf(p);
  const fresh = plan.settings.filter((s) => s.action === 'import');
  const freshTemplates = plan.templates.filter((t) => t.action === 'import');
  const reasonOf = (reason: string) => `import: ${reason}`.slice(0, 500);
  const skipped = plan.settings.length + plan.templates.length - fresh.length - freshTemplates.length;
  await ctx.db.transaction(async (tx) => {
    const saved = await repo.insertOverrides(
      tx,
      fresh.map((s) => ({ fundId, key: s.key, version: configSettings[s.key].version, value: s.value, effectiveFrom: s.effectiveFrom, reason: reasonOf(s.reason), setBy: actor.actor })),
    );
    const savedTemplates: TemplateVersionRow[] = await insertTemplateVersions(
      tx,
      freshTemplates.map((t) => ({ fundId, kind: t.kind, language: t.language, channel: t.channel, subject: t.text?.subject ?? null, body: t.text?.body ?? null, effectiveFrom: t.effectiveFrom, reason: reasonOf(t.reason), setBy: actor.actor })),
    );
    await recordAudit(tx, {
      ...actor,
      action: 'fund-config.imported',
      entityType: 'fund-config',
      entityId: fundId,
      details: { formatVersion: doc.formatVersion, overrideIds: saved.map((r) => r.id), keys: fresh.map((s) => s.key), templateVersionIds: savedTemplates.map((r) => r.id), templates: freshTemplates.map((t) => t.target), skipped },
    });
  });
  await ctx.config.reload();
  return { imported: fresh.length + freshTemplates.length, skipped };
}
