import { describe, expect, it } from 'vitest';
import { getFundProfile, messagePlaceholders } from '../../../domain/fundProfile';
import { languages } from '../../../domain/localized';
import { checkTemplate, messageKinds, previewValues, renderMessage, templateOf, unusedPlaceholders, versionInForce, withTemplates, type TemplateVersion } from '../../../domain/messageTemplates';
import { renderTemplate, templatePlaceholders } from '../../../domain/template';

const koko = getFundProfile('koko');

describe('checking a template against what its kind provides', () => {
  it('accepts every shipped template', () => {
    for (const kind of messageKinds) for (const lang of languages) expect(checkTemplate(kind, templateOf(koko, kind, lang)), `${kind} ${lang}`).toEqual([]);
  });

  it('refuses a placeholder the kind does not provide, naming it and the field', () => {
    const issues = checkTemplate('application-approved', { subject: 'Tervetuloa {{fundName}}', body: 'Hei {{firstName}}, maksa {{amount}} viimeistään {{dueDate}}.' });
    expect(issues.map((i) => [i.code, i.field, i.params.placeholder])).toEqual([
      ['template_placeholder_unknown', 'body', 'amount'],
      ['template_placeholder_unknown', 'body', 'dueDate'],
    ]);
    expect(issues[0]!.message).toContain('{{startDate}}');
  });

  it('knows a placeholder one kind provides and another does not', () => {
    const text = { subject: 'Lasku', body: '{{reference}}' };
    expect(checkTemplate('invoice', text)).toEqual([]);
    expect(checkTemplate('age-limit-notice', text)[0]).toMatchObject({ code: 'template_placeholder_unknown', params: { placeholder: 'reference', kind: 'age-limit-notice' } });
  });

  it('refuses braces that are no placeholder, a lone brace pair and empty text', () => {
    expect(checkTemplate('age-limit-notice', { subject: 'x', body: 'Hei {{first name}}' })[0]).toMatchObject({ code: 'template_placeholder_malformed', params: { placeholder: '{{first name}}' } });
    expect(checkTemplate('age-limit-notice', { subject: 'x', body: 'Hei {{firstName' })[0]).toMatchObject({ code: 'template_placeholder_malformed', params: { placeholder: '{{' } });
    expect(checkTemplate('age-limit-notice', { subject: 'x', body: 'Hei firstName}}' })[0]).toMatchObject({ code: 'template_placeholder_malformed', params: { placeholder: '}}' } });
    expect(checkTemplate('age-limit-notice', { subject: '  ', body: 'Hei' })[0]).toMatchObject({ code: 'template_text_empty', field: 'subject' });
    expect(checkTemplate('age-limit-notice', { subject: 'x', body: 'y'.repeat(10_001) })[0]).toMatchObject({ code: 'template_text_too_long', field: 'body' });
  });

  it('allows spaces inside a placeholder and leaving one out, which it reports as unused', () => {
    const text = { subject: 'Jäsenyys – {{ fundName }}', body: 'Hei {{firstName}}, jäsenyytesi päättyy.' };
    expect(checkTemplate('age-limit-notice', text)).toEqual([]);
    expect(unusedPlaceholders('age-limit-notice', text)).toEqual(['endDate']);
  });
});

describe('the version in force', () => {
  const v = (id: number, effectiveFrom: string, subject: string | null, language = 'fi'): TemplateVersion => ({ id, kind: 'age-limit-notice', language, effectiveFrom, text: subject === null ? null : { subject, body: 'Hei {{firstName}}, {{endDate}}' } });
  const versions = [v(1, '2027-01-01', 'A'), v(2, '2027-03-01', 'B'), v(3, '2027-03-01', 'C'), v(4, '2027-06-01', null), v(5, '2027-02-01', 'sv', 'sv')];

  it('is the newest date that has come, the later save on the same day', () => {
    expect(versionInForce(versions, 'age-limit-notice', 'fi', '2026-12-31')).toBeNull();
    expect(versionInForce(versions, 'age-limit-notice', 'fi', '2027-01-01')?.id).toBe(1);
    expect(versionInForce(versions, 'age-limit-notice', 'fi', '2027-05-31')?.id).toBe(3);
    expect(versionInForce(versions, 'age-limit-notice', 'sv', '2027-05-31')?.id).toBe(5);
    expect(versionInForce(versions, 'age-limit-notice', 'en', '2027-05-31')).toBeNull();
  });

  it('replaces the shipped template from its date, per language, and records its id; a reset returns to the shipped one', () => {
    const before = withTemplates(koko, versions, '2026-12-31');
    expect(templateOf(before, 'age-limit-notice', 'fi')).toMatchObject({ version: 'shipped', subject: koko.messages['age-limit-notice'].subject.fi });
    const during = withTemplates(koko, versions, '2027-03-01');
    expect(templateOf(during, 'age-limit-notice', 'fi')).toMatchObject({ version: '3', subject: 'C' });
    expect(templateOf(during, 'age-limit-notice', 'sv')).toMatchObject({ version: '5', subject: 'sv' });
    expect(templateOf(during, 'age-limit-notice', 'en').version).toBe('shipped');
    expect(templateOf(during, 'invoice', 'fi').version).toBe('shipped');
    expect(renderMessage(during, 'age-limit-notice', 'fi', { firstName: 'Maija', fundName: 'KOKO', endDate: '31.5.2027' })).toEqual({ subject: 'C', body: 'Hei Maija, 31.5.2027', templateVersion: '3' });
    const after = withTemplates(koko, versions, '2027-06-01');
    expect(templateOf(after, 'age-limit-notice', 'fi').version).toBe('shipped');
    // The shipped profile itself is never touched.
    expect(koko.messageVersions).toBeUndefined();
  });

  it('skips a stored version that no longer passes the check (a placeholder a new release stopped providing)', () => {
    const stale: TemplateVersion = { id: 9, kind: 'age-limit-notice', language: 'fi', effectiveFrom: '2027-01-01', text: { subject: 'x', body: '{{retiredPlaceholder}}' } };
    const unknownKind: TemplateVersion = { id: 10, kind: 'retired-kind', language: 'fi', effectiveFrom: '2027-01-01', text: { subject: 'x', body: 'y' } };
    expect(templateOf(withTemplates(koko, [stale, unknownKind], '2027-02-01'), 'age-limit-notice', 'fi').version).toBe('shipped');
  });
});

describe("a channel's own text (decision 039)", () => {
  const common: TemplateVersion = { id: 1, kind: 'age-limit-notice', language: 'fi', effectiveFrom: '2027-01-01', text: { subject: 'Yhteinen', body: 'Hei {{firstName}}, {{endDate}}' } };
  const sms: TemplateVersion = { id: 2, kind: 'age-limit-notice', language: 'fi', channel: 'sms', effectiveFrom: '2027-01-01', text: { subject: '', body: 'Jäsenyys päättyy {{endDate}}' } };
  const smsReset: TemplateVersion = { id: 3, kind: 'age-limit-notice', language: 'fi', channel: 'sms', effectiveFrom: '2027-03-01', text: null };
  const values = { firstName: 'Maija', fundName: 'KOKO', endDate: '31.5.2027' };

  it('lets an SMS go without a subject but not past six segments; every other channel needs its subject', () => {
    expect(checkTemplate('age-limit-notice', sms.text!, 'sms')).toEqual([]);
    expect(checkTemplate('age-limit-notice', sms.text!, 'email').map((i) => i.code)).toEqual(['template_text_empty']);
    expect(checkTemplate('age-limit-notice', { subject: '', body: 'x'.repeat(919) }, 'sms').map((i) => [i.code, i.params.max])).toEqual([['template_text_too_long', 918]]);
    expect(checkTemplate('age-limit-notice', { subject: 'S', body: 'x'.repeat(919) })).toEqual([]);
  });

  it('is used on its channel only, from its date until a reset, with its own version; other channels keep the common text', () => {
    const during = withTemplates(koko, [common, sms, smsReset], '2027-02-01');
    expect(templateOf(during, 'age-limit-notice', 'fi', 'sms')).toMatchObject({ own: true, version: '2', body: 'Jäsenyys päättyy {{endDate}}' });
    expect(templateOf(during, 'age-limit-notice', 'fi', 'email')).toMatchObject({ own: false, version: '1', subject: 'Yhteinen' });
    expect(templateOf(during, 'age-limit-notice', 'fi')).toMatchObject({ own: false, version: '1' });
    expect(templateOf(during, 'age-limit-notice', 'sv', 'sms')).toMatchObject({ own: false, version: 'shipped' });
    expect(renderMessage(during, 'age-limit-notice', 'fi', values)).toEqual({
      subject: 'Yhteinen',
      body: 'Hei Maija, 31.5.2027',
      templateVersion: '1',
      variants: { sms: { subject: '', body: 'Jäsenyys päättyy 31.5.2027', templateVersion: '2' } },
    });
    expect(renderMessage(during, 'age-limit-notice', 'sv', values).variants).toBeUndefined();
    const after = withTemplates(koko, [common, sms, smsReset], '2027-03-01');
    expect(templateOf(after, 'age-limit-notice', 'fi', 'sms')).toMatchObject({ own: false, version: '1' });
    expect(renderMessage(after, 'age-limit-notice', 'fi', values).variants).toBeUndefined();
  });

  it('keeps versions of the common text and of each channel apart', () => {
    expect(versionInForce([common, sms], 'age-limit-notice', 'fi', '2027-02-01')?.id).toBe(1);
    expect(versionInForce([common, sms], 'age-limit-notice', 'fi', '2027-02-01', 'sms')?.id).toBe(2);
    expect(versionInForce([common, sms], 'age-limit-notice', 'fi', '2027-02-01', 'letter')).toBeNull();
  });
});

describe('preview values', () => {
  it('fill every placeholder of every kind, in each language', () => {
    for (const lang of languages) {
      const values = previewValues(lang, { today: '2027-03-15', firstName: 'Maija', profile: koko });
      for (const kind of messageKinds) {
        expect(messagePlaceholders[kind].filter((p) => typeof values[p] !== 'string'), `${kind} ${lang}`).toEqual([]);
        const t = templateOf(koko, kind, lang);
        expect(renderTemplate(t.body, values)).not.toMatch(/\{\{/);
      }
      expect(values.firstName).toBe('Maija');
      expect(values.fundName).toBe(koko.name[lang]);
      expect(templatePlaceholders(values.barcode!)).toEqual([]);
    }
  });
});
