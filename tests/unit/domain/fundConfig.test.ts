import { describe, expect, it } from 'vitest';
import { configKeys, configSettings, effectiveProfile, isValidBusinessId, parseSetting, type ConfigOverride } from '../../../domain/fundConfig/settings';
import { getFundProfile } from '../../../domain/fundProfile';

const shipped = getFundProfile('a-kassa');
const level = { waitDays: 14, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 };
const collection = (levels: unknown[]) => ({ levels, hearingAfterDays: 14, minimumOpenCents: 1, maxHoldDays: 365 });

describe('fund settings: shape and domain rules', () => {
  it('every shipped profile passes its own settings (a shipped value is always storable)', () => {
    for (const id of ['a-kassa', 'koko']) {
      const profile = getFundProfile(id);
      for (const key of configKeys) {
        const result = parseSetting(key, JSON.parse(JSON.stringify(configSettings[key].read(profile))));
        expect(result, `${id} ${key}`).toEqual({ ok: true, value: expect.anything() });
      }
    }
  });

  it('refuses a shape error with the field, and a domain rule with its own code and params', () => {
    const shape = parseSetting('collection', collection([{ ...level, waitDays: 'soon' }]));
    expect(shape).toMatchObject({ ok: false, issues: [{ code: 'config_value_invalid', field: 'levels.0.waitDays' }] });
    const order = parseSetting('collection', collection([level, { ...level, waitDays: 10, template: 'payment-reminder-final' }]));
    expect(order).toMatchObject({ ok: false, issues: [{ code: 'config_reminder_wait_not_increasing', field: 'levels.1.waitDays', params: { level: 2, previous: 14 } }] });
    expect(parseSetting('expulsion', { ...shipped.expulsion, appealWindowDays: 14 })).toMatchObject({ ok: false, issues: [{ code: 'config_appeal_window_below_law' }] });
    expect(parseSetting('bankAccount', { iban: 'FI3579910000070125', bic: 'DEMOFIHH' })).toMatchObject({ ok: false, issues: [{ code: 'config_iban_invalid', field: 'iban' }] });
    expect(parseSetting('bankAccount', { iban: shipped.iban, bic: 'DEMO' })).toMatchObject({ ok: false, issues: [{ code: 'config_bic_invalid' }] });
    expect(parseSetting('invoicing', { rhythms: ['yearly'], defaultRhythm: 'monthly' })).toMatchObject({ ok: false, issues: [{ code: 'config_default_rhythm_not_offered' }] });
    expect(parseSetting('collection', { ...collection([level]), extra: 1 })).toMatchObject({ ok: false });
  });

  it('checks a business id with its check digit', () => {
    expect(isValidBusinessId('2931547-9')).toBe(true);
    expect(isValidBusinessId('2931547-8')).toBe(false);
    expect(isValidBusinessId('293154-79')).toBe(false);
  });
});

describe('config migration', () => {
  it("migrates version 1 of collection (levels without from and channels) to today's shape", () => {
    const v1 = { levels: [{ waitDays: 21, template: 'payment-reminder', newDueDays: 14, feeCents: 500 }], hearingAfterDays: 10, minimumOpenCents: 1, maxHoldDays: 180 };
    const result = parseSetting('collection', v1, 1);
    expect(result).toEqual({ ok: true, value: { ...v1, levels: [{ waitDays: 21, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 500 }] } });
    // The same value read as the current version is a shape error: the migration did the work.
    expect(parseSetting('collection', v1).ok).toBe(false);
  });

  it('refuses a version newer than the code knows', () => {
    expect(parseSetting('expulsion', shipped.expulsion, 9)).toMatchObject({ ok: false, issues: [{ code: 'config_version_unknown', params: { version: 9 } }] });
  });
});

describe('the effective profile', () => {
  const custom = { ...shipped.expulsion, hearingDeadline: '21d' };
  const overrides: ConfigOverride[] = [
    { key: 'expulsion', value: custom, effectiveFrom: '2027-01-01', seq: 1 },
    { key: 'billingApproval', value: { fourEyes: false }, effectiveFrom: '2027-03-01', seq: 2 },
    { key: 'billingApproval', value: null, effectiveFrom: '2027-06-01', seq: 3 },
  ];

  it('applies each override from its date, and a reset returns to the shipped value', () => {
    expect(effectiveProfile(shipped, overrides, '2026-12-31').expulsion.hearingDeadline).toBe(shipped.expulsion.hearingDeadline);
    expect(effectiveProfile(shipped, overrides, '2027-01-01').expulsion.hearingDeadline).toBe('21d');
    expect(effectiveProfile(shipped, overrides, '2027-03-01').billingApproval.fourEyes).toBe(false);
    expect(effectiveProfile(shipped, overrides, '2027-06-01').billingApproval.fourEyes).toBe(true);
  });

  it("a new version's shipped default never replaces an administrator's value, but reaches what was not overridden", () => {
    const nextVersion = { ...shipped, expulsion: { ...shipped.expulsion, hearingDeadline: '28d', decisionDue: '3d' }, intake: { ...shipped.intake, reviewDue: '2d' } };
    const profile = effectiveProfile(nextVersion, overrides, '2027-02-01');
    expect(profile.expulsion).toEqual(custom);
    expect(profile.intake.reviewDue).toBe('2d');
    expect(nextVersion.expulsion.hearingDeadline).toBe('28d');
  });

  it('the later save of the same day wins', () => {
    const sameDay: ConfigOverride[] = [
      { key: 'billingApproval', value: { fourEyes: false }, effectiveFrom: '2027-01-01', seq: 5 },
      { key: 'billingApproval', value: { fourEyes: true }, effectiveFrom: '2027-01-01', seq: 4 },
    ];
    expect(effectiveProfile({ ...shipped, billingApproval: { fourEyes: true } }, sameDay, '2027-01-02').billingApproval.fourEyes).toBe(false);
  });
});
