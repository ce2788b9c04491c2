import { describe, expect, it } from 'vitest';
import { fundProfileIds, getFundProfile, messagePlaceholders, type MessageKind } from '../../../domain/fundProfile';
import { parseDuration } from '../../../domain/duration';
import { languages } from '../../../domain/localized';
import { renderTemplate, templatePlaceholders } from '../../../domain/template';

const membershipKinds: MessageKind[] = ['resignation-confirmed', 'membership-ended-switch', 'age-limit-notice', 'membership-ended-age'];

describe('membership section of the fund profiles', () => {
  it.each(fundProfileIds)('%s: the law’s numbers and usable durations', (id) => {
    const { membership } = getFundProfile(id);
    expect(membership).toMatchObject({ ageLimit: 68, transferGapMax: { months: 1 }, entrepreneurMaxMonths: 18 });
    expect(parseDuration(membership.resignationWithdrawalWindow)).toBe(30 * 86_400_000);
    expect(parseDuration(membership.resignationConfirmationValidity)).toBe(14 * 86_400_000);
    expect(parseDuration(membership.ageLimitNoticeBefore)).toBeGreaterThan(0);
    expect(parseDuration(membership.recentChangeWindow)).toBe(14 * 86_400_000);
  });
});

describe('membership message templates', () => {
  it('declare exactly the placeholders every template uses, in every fund and language', () => {
    for (const id of fundProfileIds) {
      const { messages } = getFundProfile(id);
      for (const kind of Object.keys(messagePlaceholders) as MessageKind[]) {
        for (const lang of languages) {
          const used = new Set([...templatePlaceholders(messages[kind].body[lang]), ...templatePlaceholders(messages[kind].subject[lang])]);
          expect([...used].sort(), `${id} ${kind} ${lang}`).toEqual([...messagePlaceholders[kind]].sort());
        }
      }
    }
  });

  it.each(membershipKinds)('%s renders in fi, sv and en with the values the membership activities pass', (kind) => {
    const template = getFundProfile('koko').messages[kind];
    const values = { firstName: 'Maija', fundName: 'KOKO', endDate: '31.5.2026', feeOwedUntil: '31.5.2026' };
    for (const lang of languages) {
      const body = renderTemplate(template.body[lang], values);
      expect(body).toContain('Maija');
      expect(body).toContain('31.5.2026');
      expect(body).not.toMatch(/\{\{|\}\}/);
      expect(renderTemplate(template.subject[lang], values)).toContain('KOKO');
    }
  });

  it('are written in three different languages', () => {
    const body = getFundProfile('a-kassa').messages['resignation-confirmed'].body;
    expect(body.fi).toContain('eroilmoituksesi');
    expect(body.sv).toContain('utträdesanmälan');
    expect(body.en).toContain('resignation');
  });

  it('refuse to render a resignation confirmation without the fee date', () => {
    const body = getFundProfile('a-kassa').messages['resignation-confirmed'].body.fi;
    expect(() => renderTemplate(body, { firstName: 'Maija', fundName: 'A-kassa', endDate: '1.1.2026' })).toThrow('{{feeOwedUntil}}');
  });
});
