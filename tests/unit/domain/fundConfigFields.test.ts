import { describe, expect, it } from 'vitest';
import { blankOf, readForm, settingFields, splitDuration, type FieldSpec } from '../../../domain/fundConfig/fields';
import { configKeys, configSettings, parseSetting } from '../../../domain/fundConfig/settings';
import { getFundProfile } from '../../../domain/fundProfile';

/** What a browser sends for a value drawn by the desk's SettingField (the same names and markers). */
function entries(spec: FieldSpec, value: unknown, name: string, out: [string, string][] = []): [string, string][] {
  switch (spec.kind) {
    case 'integer':
    case 'text':
    case 'choice':
      out.push([name, value === undefined || value === null ? '' : String(value)]);
      break;
    case 'duration': {
      const { amount, unit } = splitDuration(value);
      out.push([name, amount], [`${name}:unit`, unit]);
      break;
    }
    case 'boolean':
      if (value === true) out.push([name, 'yes']);
      break;
    case 'choices':
      for (const v of (value as unknown[] | undefined) ?? []) out.push([name, String(v)]);
      break;
    case 'group':
      for (const f of spec.fields) entries(f.spec, (value as Record<string, unknown>)[f.name], `${name}.${f.name}`, out);
      break;
    case 'rows':
      (value as unknown[]).forEach((row, i) => {
        out.push([`${name}:row`, String(i)]);
        entries(spec.item, row, `${name}.${i}`, out);
      });
  }
  return out;
}

const formOf = (pairs: [string, string][]) => ({ getAll: (n: string) => pairs.filter(([k]) => k === n).map(([, v]) => v) });

describe('a setting’s typed form, read from its schema', () => {
  it('describes the reminder levels as rows of numbers, choices and checkboxes, durations as durations', () => {
    const collection = settingFields('collection');
    expect(collection.kind).toBe('group');
    const levels = collection.kind === 'group' ? collection.fields.find((f) => f.name === 'levels')!.spec : null;
    expect(levels).toMatchObject({ kind: 'rows', min: 1, max: 5, item: { kind: 'group' } });
    const item = levels?.kind === 'rows' && levels.item.kind === 'group' ? levels.item.fields : [];
    expect(Object.fromEntries(item.map((f) => [f.name, f.spec.kind]))).toEqual({ waitDays: 'integer', from: 'choice', channels: 'choices', template: 'choice', newDueDays: 'integer', feeCents: 'integer' });
    expect(item.find((f) => f.name === 'waitDays')!.spec).toEqual({ kind: 'integer', min: 1, max: 365, optional: false });
    const expulsion = settingFields('expulsion');
    expect(expulsion.kind === 'group' && expulsion.fields.find((f) => f.name === 'hearingDeadline')!.spec).toEqual({ kind: 'duration', optional: false });
    expect(expulsion.kind === 'group' && expulsion.fields.find((f) => f.name === 'fourEyes')!.spec).toEqual({ kind: 'boolean' });
    const invoicing = settingFields('invoicing');
    expect(invoicing.kind === 'group' && invoicing.fields.find((f) => f.name === 'invoiceMonths')!.spec).toMatchObject({ kind: 'choices', options: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], optional: true });
    expect(settingFields('businessId')).toMatchObject({ kind: 'text' });
    expect(settingFields('appealInstructions')).toMatchObject({ kind: 'group', fields: [{ name: 'fi', spec: { kind: 'text', multiline: true } }, { name: 'sv' }, { name: 'en' }] });
  });

  it('reads back every shipped setting of every fund exactly as the form drew it', () => {
    for (const id of ['a-kassa', 'koko']) {
      const profile = getFundProfile(id);
      for (const key of configKeys) {
        const value = JSON.parse(JSON.stringify(configSettings[key].read(profile))) as unknown;
        const spec = settingFields(key);
        const back = readForm(spec, formOf(entries(spec, value, 'value')), 'value');
        expect(back, `${id} ${key}`).toEqual(value);
        expect(parseSetting(key, back).ok, `${id} ${key}`).toBe(true);
      }
    }
  });

  it('drops a removed row, adds a blank one, leaves out an empty optional field and keeps a typo for the API to name', () => {
    const spec = settingFields('collection');
    const shipped = getFundProfile('koko').collection;
    const two = { ...shipped, levels: [shipped.levels[0]!, { ...shipped.levels[0]!, waitDays: 40 }] };
    // Row 0 removed in the browser: only row 1's marker and inputs are sent.
    const pairs = entries(spec, two, 'value').filter(([k]) => !k.startsWith('value.levels.0.') && k !== 'value.levels:row');
    pairs.push(['value.levels:row', '1']);
    const read = readForm(spec, formOf(pairs), 'value') as typeof two;
    expect(read.levels).toEqual([{ ...shipped.levels[0]!, waitDays: 40 }]);

    const levels = spec.kind === 'group' ? spec.fields[0]!.spec : spec;
    expect(levels.kind === 'rows' && blankOf(levels.item)).toMatchObject({ waitDays: 1, from: 'due-date', channels: ['e-invoice'] });

    const invoicing = settingFields('invoicing');
    const noMonths = readForm(invoicing, formOf([['value.rhythms', 'yearly'], ['value.defaultRhythm', 'yearly'], ['value.dueDayOfMonth', '']]), 'value');
    expect(noMonths).toEqual({ rhythms: ['yearly'], defaultRhythm: 'yearly' });

    const typo = readForm(spec, formOf([...entries(spec, shipped, 'value').filter(([k]) => k !== 'value.hearingAfterDays'), ['value.hearingAfterDays', '14x']]), 'value');
    const parsed = parseSetting('collection', typo);
    expect(parsed).toMatchObject({ ok: false, issues: [{ code: 'config_value_invalid', field: 'hearingAfterDays' }] });
    const tooShort = parseSetting('collection', { ...shipped, hearingAfterDays: -1 });
    expect(tooShort).toMatchObject({ ok: false, issues: [{ code: 'config_value_too_small', field: 'hearingAfterDays', params: { min: 0 } }] });
  });

  it('draws a nullable value (a task kind in no group) as an optional input, and an empty one is left out', () => {
    const spec = settingFields('taskGroups');
    if (spec.kind !== 'group') throw new Error('taskGroups is a group');
    expect(spec.fields.find((f) => f.name === 'application-review')?.spec).toMatchObject({ kind: 'text', optional: true });
    const value = { 'application-review': 'intake', 'billing-approval': null };
    const back = readForm(spec, formOf(entries(spec, value, 'value')), 'value') as Record<string, unknown>;
    expect(back['application-review']).toBe('intake');
    expect('billing-approval' in back).toBe(false);
    expect(parseSetting('taskGroups', back).ok).toBe(true);
  });
});
