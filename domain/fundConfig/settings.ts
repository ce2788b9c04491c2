/**
 * Fund configuration that survives upgrades (issue 15). The shipped profile (domain/profiles/) is
 * the default; administrators store overrides of single settings in the register, each with an
 * effective-from date. The effective profile on a day is the shipped one with, for every setting,
 * the newest override whose date has come. A new version's shipped value never replaces a stored
 * override: the override is read over whatever the profile ships.
 *
 * Each setting has a valibot schema (its stored shape), a `version` of that shape and migrations
 * from every older version, and the domain rules a value must keep. Everything here is pure.
 */
import * as v from 'valibot';
import { isValidIban } from '../billing/iban';
import { parseDuration } from '../duration';
import { intakeDecisionPaths, type FundProfile } from '../fundProfile';
import type { CollectionRules } from '../collection/rules';
import type { ExpulsionRules } from '../expulsion/rules';
import type { Localized } from '../localized';
import { shippedDeliveryRules, type DeliveryRules } from '../messageDelivery';
import { scheduleTimesIssues, shippedScheduleTimes, type ScheduleTimes } from '../scheduleTimes';
import { groupCodePattern, taskGroupMapping, taskKinds, type TaskGroupMapping } from '../taskGroups';

/** A refusal of a value by the domain rules: a stable code, its parameters and the field it names. */
export interface ConfigIssue {
  code: string;
  field: string;
  message: string;
  params: Record<string, string | number>;
}

export interface SettingDefinition<T> {
  key: string;
  /** The stored shape's version; a stored value of an older version is migrated on read. */
  version: number;
  /** Migrations: `migrations[n]` turns a version-n value into version n+1. */
  migrations: Record<number, (old: unknown) => unknown>;
  schema: v.GenericSchema<unknown, T>;
  read(profile: FundProfile): T;
  apply(profile: FundProfile, value: T): FundProfile;
  /** Domain rules beyond the shape; an empty list accepts. */
  check(value: T): ConfigIssue[];
  /** What the setting drives, for the desk's headings and the decision record. */
  area: 'collection' | 'hearing' | 'billing' | 'intake' | 'letters' | 'fund' | 'schedules';
}

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const durationString = v.pipe(v.string(), v.regex(/^\d+[smhd]$/, 'must be a whole number and a unit s, m, h or d, e.g. 14d'), v.metadata({ field: 'duration' }));
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const localizedText = (max: number) => v.strictObject({ fi: text(max), sv: text(max), en: text(max) });
const channel = v.picklist(['e-invoice', 'email', 'letter']);

const reminderLevel = v.strictObject({
  waitDays: int(1, 365),
  from: v.picklist(['due-date', 'previous']),
  channels: v.pipe(v.array(channel), v.minLength(1), v.maxLength(3)),
  template: v.picklist(['payment-reminder', 'payment-reminder-final']),
  newDueDays: int(7, 90),
  feeCents: int(0, 10_000),
});

const collectionSchema = v.strictObject({
  levels: v.pipe(v.array(reminderLevel), v.minLength(1), v.maxLength(5)),
  hearingAfterDays: int(0, 365),
  minimumOpenCents: int(0, 10_000),
  maxHoldDays: int(1, 730),
});

const expulsionSchema = v.strictObject({
  hearingDeadline: durationString,
  effectiveDate: v.picklist(['unpaid_from', 'unpaid_year_start']),
  fourEyes: v.boolean(),
  decisionDue: durationString,
  appealWindowDays: int(1, 365),
  notificationDelayDays: int(0, 30),
});

const intakeSchema = v.strictObject({
  completionDeadline: durationString,
  maxCompletionRounds: int(0, 5),
  reviewDue: durationString,
  reviewPriority: int(1, 5),
  decisionPath: v.optional(v.picklist(intakeDecisionPaths)),
});

const bankAccountSchema = v.strictObject({ iban: text(34), bic: text(11) });
const postalAddressSchema = v.strictObject({ street: text(100), postCode: text(10), town: text(60), countryCode: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code')) });
const rhythm = v.picklist(['yearly', 'quarterly', 'monthly']);
const invoicingSchema = v.strictObject({
  rhythms: v.pipe(v.array(rhythm), v.minLength(1), v.maxLength(3)),
  defaultRhythm: rhythm,
  dueDayOfMonth: v.optional(int(1, 28)),
  invoiceMonths: v.optional(v.pipe(v.array(int(1, 12)), v.minLength(1), v.maxLength(12))),
});

function issue(field: string, code: string, message: string, params: Record<string, string | number> = {}): ConfigIssue {
  return { field, code, message, params };
}

function durationIssues(field: string, value: string, maxDays: number): ConfigIssue[] {
  const ms = parseDuration(value);
  return ms > maxDays * 86_400_000 ? [issue(field, 'config_duration_too_long', `${field}: at most ${maxDays} days`, { field, maxDays })] : [];
}

/** Y-tunnus: seven digits, a hyphen and a check digit (weights 7 9 10 5 8 4 2, mod 11). */
export function isValidBusinessId(id: string): boolean {
  const m = /^(\d{7})-(\d)$/.exec(id);
  if (!m) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = [...m[1]!].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  const rest = sum % 11;
  if (rest === 1) return false;
  return (rest === 0 ? 0 : 11 - rest) === Number(m[2]);
}

/** ISO 9362 BIC: 4 bank letters, 2 country letters, 2 location characters, optional 3 branch. */
export function isBic(value: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value);
}

const collection: SettingDefinition<CollectionRules> = {
  key: 'collection',
  area: 'collection',
  version: 2,
  migrations: {
    // Version 1 (this feature's first stored shape, kept so the chain is exercised): a level was
    // { waitDays, template, newDueDays, feeCents }, always counted from the due date on every channel.
    1: (old) => {
      const o = old as { levels: Record<string, unknown>[] } & Record<string, unknown>;
      return { ...o, levels: o.levels.map((l) => ({ from: 'due-date', channels: ['e-invoice', 'email', 'letter'], ...l })) };
    },
  },
  schema: collectionSchema as v.GenericSchema<unknown, CollectionRules>,
  read: (p) => p.collection,
  apply: (p, value) => ({ ...p, collection: value }),
  check(value) {
    const issues: ConfigIssue[] = [];
    value.levels.forEach((level, i) => {
      if (new Set(level.channels).size !== level.channels.length) issues.push(issue(`levels.${i}.channels`, 'config_channel_repeated', `level ${i + 1} names a channel twice`, { level: i + 1 }));
      const previous = value.levels[i - 1];
      if (previous && level.from === 'due-date' && previous.from === 'due-date' && level.waitDays <= previous.waitDays) {
        issues.push(issue(`levels.${i}.waitDays`, 'config_reminder_wait_not_increasing', `level ${i + 1} must wait longer after the due date than level ${i}`, { level: i + 1, previous: previous.waitDays }));
      }
    });
    return issues;
  },
};

const expulsion: SettingDefinition<ExpulsionRules> = {
  key: 'expulsion',
  area: 'hearing',
  version: 1,
  migrations: {},
  schema: expulsionSchema as v.GenericSchema<unknown, ExpulsionRules>,
  read: (p) => p.expulsion,
  apply: (p, value) => ({ ...p, expulsion: value }),
  check(value) {
    const issues = [...durationIssues('hearingDeadline', value.hearingDeadline, 90), ...durationIssues('decisionDue', value.decisionDue, 60)];
    // The law gives the member 30 days to appeal (domain.md §1.4); a fund may give more, never less.
    if (value.appealWindowDays < 30) issues.push(issue('appealWindowDays', 'config_appeal_window_below_law', 'the appeal window may not be shorter than the 30 days the law gives', { minimum: 30 }));
    if (value.hearingDeadline !== '0d' && parseDuration(value.hearingDeadline) < 7 * 86_400_000 && /d$/.test(value.hearingDeadline)) {
      issues.push(issue('hearingDeadline', 'config_hearing_deadline_too_short', 'a hearing gives the member at least 7 days', { minimumDays: 7 }));
    }
    return issues;
  },
};

const billingApproval: SettingDefinition<{ fourEyes: boolean }> = {
  key: 'billingApproval',
  area: 'billing',
  version: 1,
  migrations: {},
  schema: v.strictObject({ fourEyes: v.boolean() }),
  read: (p) => p.billingApproval,
  apply: (p, value) => ({ ...p, billingApproval: value }),
  check: () => [],
};

const intake: SettingDefinition<FundProfile['intake']> = {
  key: 'intake',
  area: 'intake',
  version: 1,
  migrations: {},
  schema: intakeSchema,
  read: (p) => p.intake,
  apply: (p, value) => ({ ...p, intake: value }),
  check: (value) => [...durationIssues('completionDeadline', value.completionDeadline, 90), ...durationIssues('reviewDue', value.reviewDue, 60)],
};

const bankAccount: SettingDefinition<{ iban: string; bic: string }> = {
  key: 'bankAccount',
  area: 'billing',
  version: 1,
  migrations: {},
  schema: bankAccountSchema,
  read: (p) => ({ iban: p.iban, bic: p.bic }),
  apply: (p, value) => ({ ...p, iban: value.iban.replace(/\s+/g, '').toUpperCase(), bic: value.bic.toUpperCase() }),
  check(value) {
    const issues: ConfigIssue[] = [];
    if (!isValidIban(value.iban)) issues.push(issue('iban', 'config_iban_invalid', 'not a valid IBAN (its check digits do not match)'));
    if (!isBic(value.bic.toUpperCase())) issues.push(issue('bic', 'config_bic_invalid', 'not a BIC: 8 or 11 characters, e.g. NDEAFIHH'));
    return issues;
  },
};

const businessId: SettingDefinition<string> = {
  key: 'businessId',
  area: 'fund',
  version: 1,
  migrations: {},
  schema: v.pipe(v.string(), v.trim()),
  read: (p) => p.businessId,
  apply: (p, value) => ({ ...p, businessId: value }),
  check: (value) => (isValidBusinessId(value) ? [] : [issue('', 'config_business_id_invalid', 'not a Y-tunnus: 1234567-8 with a valid check digit')]),
};

const postalAddress: SettingDefinition<FundProfile['postalAddress']> = {
  key: 'postalAddress',
  area: 'letters',
  version: 1,
  migrations: {},
  schema: postalAddressSchema,
  read: (p) => p.postalAddress,
  apply: (p, value) => ({ ...p, postalAddress: value }),
  check: (value) => (value.countryCode === 'FI' && !/^\d{5}$/.test(value.postCode) ? [issue('postCode', 'config_post_code_invalid', 'a Finnish postal code has five digits')] : []),
};

const appealInstructions: SettingDefinition<Localized> = {
  key: 'appealInstructions',
  area: 'letters',
  version: 1,
  migrations: {},
  schema: localizedText(4000),
  read: (p) => p.appealInstructions,
  apply: (p, value) => ({ ...p, appealInstructions: value }),
  check: () => [],
};

const invoicing: SettingDefinition<FundProfile['fees']['invoicing']> = {
  key: 'invoicing',
  area: 'billing',
  version: 1,
  migrations: {},
  schema: invoicingSchema as v.GenericSchema<unknown, FundProfile['fees']['invoicing']>,
  read: (p) => p.fees.invoicing,
  apply: (p, value) => ({ ...p, fees: { ...p.fees, invoicing: value } }),
  check: (value) => (value.rhythms.includes(value.defaultRhythm) ? [] : [issue('defaultRhythm', 'config_default_rhythm_not_offered', 'the default rhythm must be one the fund offers', { rhythm: value.defaultRhythm })]),
};

const taskGroups: SettingDefinition<TaskGroupMapping> = {
  key: 'taskGroups',
  area: 'fund',
  version: 1,
  migrations: {},
  // Every kind may be named, none must be: a kind left out (or null) goes to no group.
  schema: v.strictObject(Object.fromEntries(taskKinds.map((k) => [k, v.optional(v.nullable(v.pipe(v.string(), v.regex(groupCodePattern, 'must be a group code: 1–40 lower-case letters, digits or dashes'))))]))) as v.GenericSchema<unknown, TaskGroupMapping>,
  read: (p) => taskGroupMapping(p),
  apply: (p, value) => ({ ...p, taskGroups: value }),
  check: () => [],
};

const clock = { hour: int(0, 23), minute: int(0, 59) };
const scheduleTimesSchema = v.strictObject({
  membershipDaily: v.strictObject(clock),
  collectionDaily: v.strictObject(clock),
  financeJournal: v.strictObject(clock),
  biExtract: v.strictObject(clock),
  billingYearly: v.strictObject({ month: int(1, 12), day: int(1, 31), ...clock }),
  taxReport: v.strictObject({ day: int(1, 31), ...clock }),
  taxCorrections: v.strictObject({ day: int(1, 28), ...clock }),
  unionMemberLists: v.strictObject({ day: int(1, 28), ...clock }),
});

/** When the calendar schedules run (decision 040); the worker brings Temporal's schedules to the times in force. */
const scheduleTimes: SettingDefinition<ScheduleTimes> = {
  key: 'scheduleTimes',
  area: 'schedules',
  version: 1,
  migrations: {},
  schema: scheduleTimesSchema,
  read: (p) => p.scheduleTimes ?? shippedScheduleTimes,
  apply: (p, value) => ({ ...p, scheduleTimes: value }),
  check: (value) => scheduleTimesIssues(value).map((i) => issue(i.field, i.code, i.message, i.params)),
};

/** How messages reach members (decision 045): a new member's preference, case letters by post, the member's preference, SMS consent. */
const deliveryRules: SettingDefinition<DeliveryRules> = {
  key: 'deliveryRules',
  area: 'letters',
  version: 1,
  migrations: {},
  schema: v.strictObject({
    newMemberPreference: v.picklist(['email-if-given', 'letter']),
    caseLettersByPost: v.boolean(),
    followPreference: v.boolean(),
    smsNeedsConsent: v.boolean(),
  }),
  read: (p) => p.deliveryRules ?? shippedDeliveryRules,
  apply: (p, value) => ({ ...p, deliveryRules: value }),
  check: () => [],
};

/** Every setting an administrator may override, by key. */
export const configSettings = {
  collection,
  expulsion,
  billingApproval,
  intake,
  bankAccount,
  businessId,
  postalAddress,
  appealInstructions,
  invoicing,
  taskGroups,
  scheduleTimes,
  deliveryRules,
} as const;

export type ConfigKey = keyof typeof configSettings;
export const configKeys = Object.keys(configSettings) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(configSettings, key);
}

/** The outcome of reading a value as a setting's current shape. */
export type ParsedSetting = { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] };

/**
 * Migrates a value stored as `fromVersion` to the setting's current version, then checks shape and
 * domain rules. A version newer than the code knows is refused (an older release reading a newer
 * register must not guess).
 */
export function parseSetting(key: ConfigKey, raw: unknown, fromVersion: number = configSettings[key].version): ParsedSetting {
  const def = configSettings[key] as SettingDefinition<unknown>;
  if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion > def.version) {
    return { ok: false, issues: [issue('', 'config_version_unknown', `version ${fromVersion} of ${key} is unknown (this release knows 1–${def.version})`, { key, version: fromVersion })] };
  }
  let value = raw;
  for (let n = fromVersion; n < def.version; n++) {
    const step = def.migrations[n];
    if (!step) return { ok: false, issues: [issue('', 'config_version_unknown', `no migration of ${key} from version ${n}`, { key, version: n })] };
    value = step(value);
  }
  const parsed = v.safeParse(def.schema, value);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.issues.map((i) => {
        const field = v.getDotPath(i) ?? '';
        const { code, params } = shapeCode(i);
        return issue(field, code, `${field || key}: ${i.message}`, { key, field, ...params });
      }),
    };
  }
  const issues = def.check(parsed.output);
  return issues.length ? { ok: false, issues } : { ok: true, value: parsed.output };
}

/** A shape refusal's code: a number out of its range and a missing value say so, the rest is invalid. */
function shapeCode(i: v.BaseIssue<unknown>): { code: string; params: Record<string, number> } {
  const requirement = (i as { requirement?: unknown }).requirement;
  if (i.type === 'min_value' && typeof requirement === 'number') return { code: 'config_value_too_small', params: { min: requirement } };
  if (i.type === 'max_value' && typeof requirement === 'number') return { code: 'config_value_too_large', params: { max: requirement } };
  if (i.kind === 'schema' && (i.received === 'undefined' || i.received === 'null')) return { code: 'config_value_required', params: {} };
  if (i.type === 'min_length' && requirement === 1) return { code: 'config_value_required', params: {} };
  if (i.type === 'max_length' && typeof requirement === 'number') return { code: 'config_value_too_long', params: { max: requirement } };
  return { code: 'config_value_invalid', params: {} };
}

/** One stored override, already migrated to its setting's current shape. */
export interface ConfigOverride {
  key: ConfigKey;
  /** null: back to the shipped value from this day on. */
  value: unknown;
  effectiveFrom: string;
  /** Orders overrides of the same day: the later one wins. */
  seq: number;
}

/** For each setting the override in force on `day`: the newest effective date ≤ day, the latest saved of that date. */
export function overridesInForce(overrides: readonly ConfigOverride[], day: string): Map<ConfigKey, ConfigOverride> {
  const inForce = new Map<ConfigKey, ConfigOverride>();
  for (const o of overrides) {
    if (o.effectiveFrom > day) continue;
    const current = inForce.get(o.key);
    if (!current || o.effectiveFrom > current.effectiveFrom || (o.effectiveFrom === current.effectiveFrom && o.seq > current.seq)) inForce.set(o.key, o);
  }
  return inForce;
}

/** The shipped profile with every override in force on `day`; the shipped object is never changed. */
export function effectiveProfile(shipped: FundProfile, overrides: readonly ConfigOverride[], day: string): FundProfile {
  let profile = shipped;
  for (const o of overridesInForce(overrides, day).values()) {
    if (o.value === null) continue;
    profile = (configSettings[o.key] as SettingDefinition<unknown>).apply(profile, o.value);
  }
  return profile;
}
