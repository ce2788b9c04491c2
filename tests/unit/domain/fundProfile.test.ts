import { describe, expect, it } from 'vitest';
import { fundProfileIds, getFundProfile, type FundProfile, type MessageKind } from '../../../domain/fundProfile';
import { parseDuration } from '../../../domain/duration';
import { languages } from '../../../domain/localized';
import { renderTemplate } from '../../../domain/template';

// Independent checks (domain.md §3.3 for IBAN; the Y-tunnus weights 7,9,10,5,8,4,2 mod 11).
function ibanMod97(iban: string): bigint {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const digits = rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  return BigInt(digits) % 97n;
}

function businessIdCheck(id: string): boolean {
  const match = /^(\d{7})-(\d)$/.exec(id);
  if (!match) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = [...match[1]!].reduce((acc, ch, i) => acc + Number(ch) * weights[i]!, 0);
  const r = sum % 11;
  return r !== 1 && Number(match[2]) === (r === 0 ? 0 : 11 - r);
}

const profiles: FundProfile[] = fundProfileIds.map((id) => getFundProfile(id));

const expectedPlaceholders: Record<MessageKind, string[]> = {
  'application-approved': ['firstName', 'fundName', 'startDate'],
  'application-rejected': ['firstName', 'fundName', 'reason', 'appealInstructions'],
  'completion-request': ['firstName', 'fundName', 'missing', 'deadline', 'supplementUrl'],
  'resignation-confirmed': ['firstName', 'fundName', 'endDate', 'feeOwedUntil'],
  'resignation-confirmation-request': ['firstName', 'fundName', 'receivedOn', 'endDate', 'confirmUrl', 'expiresOn'],
  'resignation-withdrawn': ['firstName', 'fundName', 'receivedOn'],
  'membership-ended-switch': ['firstName', 'fundName', 'endDate', 'feeOwedUntil'],
  'age-limit-notice': ['firstName', 'fundName', 'endDate'],
  'membership-ended-age': ['firstName', 'fundName', 'endDate'],
  invoice: ['firstName', 'fundName', 'period', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
  'hearing-letter': ['firstName', 'fundName', 'amount', 'invoices', 'deadline', 'iban'],
  'expulsion-decision': ['firstName', 'fundName', 'amount', 'effectiveDate', 'reason', 'explanation', 'law', 'appealInstructions', 'appealDeadline'],
  'expulsion-not-decided': ['firstName', 'fundName', 'reason'],
  'expulsion-corrected': ['firstName', 'fundName', 'effectiveDate', 'reason'],
  'appeal-forwarded': ['firstName', 'fundName', 'receivedOn', 'statement'],
  'samu-overturned': ['firstName', 'fundName', 'ruledOn'],
  'payment-reminder': ['firstName', 'fundName', 'invoiceNumber', 'period', 'originalDueDate', 'openAmount', 'fee', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
  'payment-reminder-final': ['firstName', 'fundName', 'invoiceNumber', 'period', 'originalDueDate', 'openAmount', 'fee', 'amount', 'dueDate', 'reference', 'iban', 'barcode'],
};

describe('fund profiles', () => {
  it('ships A-kassa and KOKO', () => {
    expect([...fundProfileIds].sort()).toEqual(['a-kassa', 'koko']);
    expect(getFundProfile('a-kassa').id).toBe('a-kassa');
    expect(getFundProfile('koko').id).toBe('koko');
  });

  it('refuses an unknown id and lists the valid ones', () => {
    expect(() => getFundProfile('teollisuuskassa')).toThrow(/"teollisuuskassa".*a-kassa, koko/);
  });

  it('has the right scope and join form per fund', () => {
    expect(getFundProfile('a-kassa')).toMatchObject({ scope: 'open', joinForm: { askEligibilityBasis: false, askUnion: true } });
    expect(getFundProfile('koko')).toMatchObject({ scope: 'higher-education', joinForm: { askEligibilityBasis: true, askUnion: true } });
  });

  it('self-checks the IBAN oracle on the documented examples', () => {
    expect(ibanMod97('FI2112345600000785')).toBe(1n);
    expect(ibanMod97('FI3715903000000776')).toBe(1n);
    expect(ibanMod97('FI2212345600000785')).not.toBe(1n);
  });

  it.each(profiles)('$id: payment and business ids are well formed', (profile) => {
    expect(profile.iban).toMatch(/^FI\d{16}$/);
    expect(ibanMod97(profile.iban)).toBe(1n);
    expect(profile.bic).toMatch(/^[A-Z]{4}FI[A-Z0-9]{2}([A-Z0-9]{3})?$/);
    expect(businessIdCheck(profile.businessId)).toBe(true);
  });

  it.each(profiles)('$id: intake and age settings are usable', (profile) => {
    expect(profile.maxJoinAge).toBe(68);
    expect(parseDuration(profile.intake.completionDeadline)).toBe(14 * 24 * 3600 * 1000);
    expect(parseDuration(profile.intake.reviewDue)).toBe(5 * 24 * 3600 * 1000);
    expect(profile.intake.maxCompletionRounds).toBe(1);
    expect(profile.intake.reviewPriority).toBe(3);
  });

  it.each(profiles)('$id: has unions with unique three-digit codes', (profile) => {
    const codes = profile.unions.map((u) => u.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^\d{3}$/);
  });

  it('lists Teollisuusliitto for A-kassa', () => {
    expect(getFundProfile('a-kassa').unions).toContainEqual({ code: '015', name: 'Teollisuusliitto' });
  });

  it.each(profiles)('$id: appeal instructions name SAMU, 30 days and the 7th day', (profile) => {
    const { fi, sv, en } = profile.appealInstructions;
    for (const text of [fi, sv, en]) {
      expect(text).toContain('SAMU');
      expect(text).toContain('30');
    }
    expect(fi).toContain('sosiaaliturva-asioiden muutoksenhakulautakunnalta');
    expect(fi).toContain('seitsemäntenä päivänä');
    expect(sv).toContain('sjunde dagen');
    expect(en).toContain('seventh day after it was mailed');
    expect(en).toContain('Social Security Appeal Board');
  });

  it('is frozen, so one caller cannot change it for the others', () => {
    const profile = getFundProfile('koko');
    expect(() => {
      (profile as { maxJoinAge: number }).maxJoinAge = 99;
    }).toThrow(TypeError);
    expect(() => {
      profile.unions.push({ code: '999', name: 'x' });
    }).toThrow(TypeError);
    expect(getFundProfile('koko').maxJoinAge).toBe(68);
  });
});

describe('message templates', () => {
  const kinds = Object.keys(expectedPlaceholders) as MessageKind[];
  const cases = profiles.flatMap((profile) =>
    kinds.flatMap((kind) => languages.map((lang) => ({ id: profile.id, profile, kind, lang }))),
  );

  it.each(cases)('$id $kind ($lang) renders with its placeholders', ({ profile, kind, lang }) => {
    const values = Object.fromEntries(expectedPlaceholders[kind].map((name) => [name, `<${name}-value>`]));
    const { subject, body } = profile.messages[kind];
    const renderedBody = renderTemplate(body[lang], values);
    const renderedSubject = renderTemplate(subject[lang], values);

    for (const name of expectedPlaceholders[kind]) {
      expect(body[lang]).toContain(`{{${name}}}`);
      expect(renderedBody).toContain(`<${name}-value>`);
    }
    expect(renderedBody).not.toMatch(/\{\{|\}\}/);
    expect(renderedSubject).not.toMatch(/\{\{|\}\}/);
    expect(renderedSubject.length).toBeGreaterThan(10);
  });

  it('are written in three different languages', () => {
    const body = getFundProfile('a-kassa').messages['application-approved'].body;
    expect(body.fi).toContain('hyväksytty');
    expect(body.sv).toContain('godkänts');
    expect(body.en).toContain('approved');
  });

  it('refuse to render a decision with its reason left out', () => {
    const body = getFundProfile('koko').messages['application-rejected'].body.fi;
    expect(() => renderTemplate(body, { firstName: 'Maija', fundName: 'KOKO', appealInstructions: '…' })).toThrow('{{reason}}');
  });
});

describe('renderTemplate', () => {
  it('fills every occurrence, tolerating spaces inside the braces', () => {
    expect(renderTemplate('Hei {{firstName}}! {{ firstName }}.', { firstName: 'Maija' })).toBe('Hei Maija! Maija.');
  });

  it('names every placeholder left without a value', () => {
    expect(() => renderTemplate('{{a}} {{b}} {{c}}', { b: 'x' })).toThrow('template placeholders without a value: {{a}}, {{c}}');
  });

  it('does not expand placeholders inside values and ignores extra values', () => {
    expect(renderTemplate('{{x}}', { x: '{{y}}', y: 'no' })).toBe('{{y}}');
  });

  it('accepts an empty string as a value', () => {
    expect(renderTemplate('[{{x}}]', { x: '' })).toBe('[]');
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['14d', 1_209_600_000],
    ['0s', 0],
  ])('%s = %i ms', (s, ms) => {
    expect(parseDuration(s)).toBe(ms);
  });

  it.each(['14', 'd', '1.5d', '-1d', '14 d', '14D', '', '1w', ' 14d'])('rejects %j', (s) => {
    expect(() => parseDuration(s)).toThrow(/whole number and a unit/);
  });
});
