import { describe, expect, it } from 'vitest';
import { actorLabel, describe as describeCode, label } from '../../../web/lib/i18n';

describe('stored codes in the reader\'s language', () => {
  it('names a public form\'s actor, the system and the register; a desk user as stored', () => {
    expect(actorLabel('fi', 'public:5b0c2d0e-1111-4aaa-8bbb-123456789abc')).toBe('Jäsen itse (julkinen lomake)');
    expect(actorLabel('sv', 'system')).toBe('Systemet');
    expect(actorLabel('en', 'population-register')).toBe('Population register');
    expect(actorLabel('fi', 'Kaisa Käsittelijä')).toBe('Kaisa Käsittelijä');
  });

  it('translates a ledger line and a change reason with their params, and keeps a person\'s own words', () => {
    expect(describeCode('fi', 'ledgerLine', 'invoice', { period: '12/2026' }, 'membership fee 2026')).toBe('Jäsenmaksu 12/2026');
    expect(describeCode('sv', 'changeReason', 'fund_switch', { newFund: 'Esimerkkikassa' }, 'fund switch to Esimerkkikassa')).toBe('Byte av kassa: Esimerkkikassa');
    expect(describeCode('fi', 'ledgerLine', null, {}, 'Perintä lopetettu')).toBe('Perintä lopetettu');
    expect(describeCode('fi', 'ledgerLine', 'not_a_code', {}, 'as stored')).toBe('as stored');
  });

  it('labels audit actions and the change history\'s fields', () => {
    expect(label('fi', 'audit', 'member.read')).toBe('Jäsenen tiedot luettu');
    expect(label('fi', 'auditValue', 'overview')).toBe('yleiskuva');
    expect(label('sv', 'changedField', 'membership')).toBe('Medlemskap');
    expect(label('fi', 'member.condition', 'totalDays')).toBe('Jäsenyyspäiviä yhteensä');
  });
});
