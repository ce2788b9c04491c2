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

describe('the union batch and reconciliation pages name every code they show', () => {
  it('has a label in fi, sv and en for each outcome group, status, event kind, format, mismatch reason and reconciliation state', async () => {
    const { unionOutcomeGroups, unionBatchStatuses, unionEventKinds } = await import('../../../domain/unions');
    const { fi } = await import('../../../web/lib/i18n/fi');
    const { sv } = await import('../../../web/lib/i18n/sv');
    const { en } = await import('../../../web/lib/i18n/en');
    const keys = [
      ...unionOutcomeGroups.map((g) => `unions.group.${g}`),
      ...unionBatchStatuses.map((s) => `unions.status.${s}`),
      ...unionEventKinds.map((k) => `unions.kind.${k}`),
      ...['api', 'union-default', 'union-015'].map((f) => `unions.format.${f}`),
      ...['unknown_member', 'amount_differs', 'no_fee_for_period'].map((r) => `unions.reason.${r}`),
      ...['open', 'booked', 'returned'].map((s) => `unions.mismatchStatus.${s}`),
      ...['balanced', 'mismatch'].map((s) => `reconciliations.status.${s}`),
      ...['balanced', 'mismatch', 'open', 'unchecked'].map((s) => `reconciliations.filter.status.${s}`),
      ...['open', 'explained', 'corrected'].map((s) => `reconciliations.resolution.${s}`),
      ...['pushed', 'journal'].map((s) => `reconciliations.against.${s}`),
    ];
    for (const [lang, dict] of Object.entries({ fi, sv, en } as Record<string, Record<string, string>>)) {
      expect(keys.filter((k) => !dict[k]), lang).toEqual([]);
    }
  });
});
