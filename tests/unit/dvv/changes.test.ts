import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../integrations/transforms/errors';
import { parseChangesResponse, parseTokenResponse, type DvvRawGroup, type PopulationChange } from '../../../integrations/transforms/dvv/changes';

// DVV's own test identity codes (from eVaka's mock), valid check characters.
const PERSON = '010579-9999';
const OTHER = '010180-999A';
const NEW_CODE = '010281-999C';

function batch(groups: DvvRawGroup[], extra: Record<string, unknown> = {}) {
  return {
    viimeisinKirjausavain: 100000022,
    ajanTasalla: true,
    muutokset: [{ henkilotunnus: PERSON, muutospv: '2019-09-24T21:00:00.000Z', tietoryhmat: groups }],
    ...extra,
  };
}

/** The one change a single group yields; fails the test if it was rejected. */
function one(group: DvvRawGroup): PopulationChange {
  const result = parseChangesResponse(batch([group]));
  expect(result.rejected).toEqual([]);
  expect(result.changes).toHaveLength(1);
  return result.changes[0]!;
}

function rejectedField(group: unknown): { field: string; error: string } {
  const result = parseChangesResponse(batch([group as DvvRawGroup]));
  expect(result.changes).toEqual([]);
  expect(result.rejected).toHaveLength(1);
  return { field: result.rejected[0]!.field, error: result.rejected[0]!.error };
}

describe('the envelope', () => {
  it('reads the token, the up-to-date flag and each change’s common fields', () => {
    const result = parseChangesResponse(batch([{ tietoryhma: 'HENKILON_NIMI', muutosattribuutti: 'MUUTETTU', etunimi: 'Maija', sukunimi: 'Meikäläinen' }], { ajanTasalla: false }));
    expect(result).toMatchObject({ nextToken: 100000022, upToDate: false, rejected: [] });
    expect(result.changes[0]).toMatchObject({
      identityCode: PERSON,
      changedAt: '2019-09-24T21:00:00.000Z',
      // Midnight in Finland: the UTC date would be a day early.
      changedOn: '2019-09-25',
      group: 'HENKILON_NIMI',
      action: 'changed',
      position: { record: 0, group: 0 },
    });
  });

  it('accepts the token as a numeric string (eVaka reads it as text) and an empty batch', () => {
    expect(parseChangesResponse({ viimeisinKirjausavain: '100000021', muutokset: [], ajanTasalla: true })).toEqual({ nextToken: 100000021, upToDate: true, changes: [], rejected: [] });
  });

  it('takes a summer timestamp to the right Finnish day, and a bare date as is', () => {
    const summer = parseChangesResponse({ ...batch([{ tietoryhma: 'X' }]), muutokset: [{ henkilotunnus: PERSON, muutospv: '2024-06-30T21:30:00Z', tietoryhmat: [{ tietoryhma: 'X' }] }] });
    expect(summer.changes[0]?.changedOn).toBe('2024-07-01');
    const plain = parseChangesResponse({ ...batch([]), muutokset: [{ henkilotunnus: PERSON, muutospv: '2024-06-30', tietoryhmat: [{ tietoryhma: 'X' }] }] });
    expect(plain.changes[0]?.changedOn).toBe('2024-06-30');
  });

  it.each([
    [null, '(response)'],
    [[], '(response)'],
    [{ muutokset: [], ajanTasalla: true }, 'viimeisinKirjausavain'],
    [{ viimeisinKirjausavain: -1, muutokset: [], ajanTasalla: true }, 'viimeisinKirjausavain'],
    [{ viimeisinKirjausavain: 1.5, muutokset: [], ajanTasalla: true }, 'viimeisinKirjausavain'],
    [{ viimeisinKirjausavain: 1, muutokset: [], ajanTasalla: 'true' }, 'ajanTasalla'],
    [{ viimeisinKirjausavain: 1, ajanTasalla: true }, 'muutokset'],
  ])('throws TransformError naming the field for a broken envelope %#', (json, field) => {
    try {
      parseChangesResponse(json);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TransformError);
      expect((error as TransformError).element).toBe(field);
      expect((error as TransformError).format).toBe('dvv-json');
      expect((error as Error).message).toContain(field);
    }
  });

  it('rejects a broken record but keeps the others, naming the field and keeping the raw record', () => {
    const result = parseChangesResponse({
      viimeisinKirjausavain: 5,
      ajanTasalla: true,
      muutokset: [
        { henkilotunnus: 'rikkinainen_tietue', bogus: [] },
        { henkilotunnus: '010579-999X', muutospv: '2019-09-24T21:00:00.000Z', tietoryhmat: [] },
        { henkilotunnus: OTHER, muutospv: 'yesterday', tietoryhmat: [] },
        { henkilotunnus: OTHER, muutospv: '2019-09-24T21:00:00.000Z', tietoryhmat: {} },
        'not a record',
        { henkilotunnus: OTHER, muutospv: '2019-09-24T21:00:00.000Z', tietoryhmat: [{ tietoryhma: 'TURVAKIELTO', turvakieltoAktiivinen: true }] },
      ],
    });
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ identityCode: OTHER, kind: 'non-disclosure', position: { record: 5, group: 0 } });
    expect(result.rejected.map((r) => [r.position.record, r.field, r.identityCode])).toEqual([
      [0, 'muutokset[0].henkilotunnus', 'rikkinainen_tietue'],
      [1, 'muutokset[1].henkilotunnus', '010579-999X'],
      [2, 'muutokset[2].muutospv', OTHER],
      [3, 'muutokset[3].tietoryhmat', OTHER],
      [4, 'muutokset[4]', null],
    ]);
    expect(result.rejected[1]?.error).toMatch(/check character/);
    expect(result.rejected[0]?.raw).toEqual({ henkilotunnus: 'rikkinainen_tietue', bogus: [] });
  });

  it('rejects one broken group and still applies the rest of the record', () => {
    const result = parseChangesResponse(
      batch([
        { tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '2019-07-30', tarkkuus: 'VIIKKO' } },
        { tietoryhma: 'HENKILON_NIMI', etunimi: 'Maija', sukunimi: 'Meikäläinen' },
      ]),
    );
    expect(result.changes.map((c) => c.kind)).toEqual(['name']);
    expect(result.rejected).toEqual([
      {
        identityCode: PERSON,
        group: 'KUOLINPAIVA',
        position: { record: 0, group: 0 },
        field: 'muutokset[0].tietoryhmat[0].kuolinpv.tarkkuus',
        error: 'must be PAIVA, KUUKAUSI or VUOSI, got "VIIKKO"',
        raw: { tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '2019-07-30', tarkkuus: 'VIIKKO' } },
      },
    ]);
  });

  it('rejects a group without a name', () => {
    expect(rejectedField({ muutosattribuutti: 'LISATTY' }).field).toBe('muutokset[0].tietoryhmat[0].tietoryhma');
    expect(rejectedField(42).field).toBe('muutokset[0].tietoryhmat[0]');
  });
});

describe('parseTokenResponse', () => {
  it('reads {"viimeisinKirjausavain": N}', () => {
    expect(parseTokenResponse({ viimeisinKirjausavain: 100000021 })).toBe(100000021);
  });

  it('names the field when it is missing', () => {
    expect(() => parseTokenResponse({ token: 1 })).toThrow(/^viimeisinKirjausavain: must be a whole number/);
  });
});

describe('data groups', () => {
  it('maps muutosattribuutti to an action', () => {
    const action = (m: string | undefined) => one({ tietoryhma: 'X', ...(m === undefined ? {} : { muutosattribuutti: m }) }).action;
    expect([action('LISATTY'), action('MUUTETTU'), action('POISTETTU'), action('LISATIETO'), action('KUMOTTU'), action(undefined)]).toEqual([
      'added',
      'changed',
      'removed',
      'info',
      'unknown',
      null,
    ]);
  });

  it('HENKILON_NIMI → name', () => {
    expect(one({ tietoryhma: 'HENKILON_NIMI', muutosattribuutti: 'MUUTETTU', alkupv: { arvo: '2019-09-25', tarkkuus: 'PAIVA' }, etunimi: 'Maija Liisa', sukunimi: 'Virtanen' })).toMatchObject({
      kind: 'name',
      firstNames: 'Maija Liisa',
      lastName: 'Virtanen',
      validFrom: '2019-09-25',
    });
    expect(rejectedField({ tietoryhma: 'HENKILON_NIMI', etunimi: 'Maija' }).field).toBe('muutokset[0].tietoryhmat[0].sukunimi');
    expect(rejectedField({ tietoryhma: 'HENKILON_NIMI', etunimi: ' ', sukunimi: 'V' }).field).toBe('muutokset[0].tietoryhmat[0].etunimi');
  });

  it('keeps name-change lines (NIMENMUUTOS*) whole as other', () => {
    const raw = { tietoryhma: 'NIMENMUUTOS', muutosattribuutti: 'LISATTY', nimilaji: 'NYKYINEN_ETUNIMI', nimi: 'Maija', alkupv: { arvo: '2019-09-25', tarkkuus: 'PAIVA' } };
    expect(one(raw)).toMatchObject({ kind: 'other', group: 'NIMENMUUTOS', raw });
  });

  it('VAKINAINEN_KOTIMAINEN_OSOITE → a permanent address written the Finnish way', () => {
    expect(
      one({
        tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE',
        muutosattribuutti: 'LISATTY',
        alkupv: { arvo: '2020-10-01', tarkkuus: 'PAIVA' },
        rakennustunnus: '1234567890',
        katunumero: '17',
        osoitenumero: 1,
        huoneistokirjain: 'A',
        huoneistonumero: '002',
        postinumero: '02940',
        katunimi: { fi: 'Uusitie', sv: 'Nyvägen' },
        postitoimipaikka: { fi: 'ESPOO', sv: 'ESBO' },
      }),
    ).toMatchObject({
      kind: 'address',
      addressKind: 'permanent',
      address: { street: 'Uusitie 17 A 2', postalCode: '02940', city: 'ESPOO' },
      withheldFields: [],
      validFrom: '2020-10-01',
      validTo: null,
    });
  });

  it('reads an ended address, a division letter and a Swedish-only name', () => {
    expect(
      one({
        tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE',
        muutosattribuutti: 'MUUTETTU',
        alkupv: { arvo: '2018-03-01', tarkkuus: 'PAIVA' },
        loppupv: { arvo: '2020-09-30', tarkkuus: 'PAIVA' },
        katunimi: { sv: 'Sammavägen' },
        katunumero: '2',
        huoneistokirjain: 'B',
        huoneistonumero: '031',
        jakokirjain: 'a',
        postinumero: '02600',
        postitoimipaikka: { sv: 'ESBO' },
      }),
    ).toMatchObject({ action: 'changed', address: { street: 'Sammavägen 2 B 31a', postalCode: '02600', city: 'ESBO' }, validTo: '2020-09-30' });
  });

  it('gives a null address and the withheld fields under a non-disclosure order', () => {
    expect(
      one({ tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', muutosattribuutti: 'MUUTETTU', turvakiellonAlaisetKentat: ['katunimi', 'katunumero', 'postinumero', 'postitoimipaikka'] }),
    ).toMatchObject({ kind: 'address', address: null, withheldFields: ['katunimi', 'katunumero', 'postinumero', 'postitoimipaikka'] });
  });

  it('KOTIMAINEN_POSTIOSOITE → postal, also with postiosoite as the street', () => {
    expect(one({ tietoryhma: 'KOTIMAINEN_POSTIOSOITE', postiosoite: { fi: 'PL 123' }, postinumero: '00101', postitoimipaikka: { fi: 'HELSINKI' } })).toMatchObject({
      addressKind: 'postal',
      address: { street: 'PL 123', postalCode: '00101', city: 'HELSINKI' },
    });
  });

  it('foreign addresses carry the country code', () => {
    expect(one({ tietoryhma: 'VAKINAINEN_ULKOMAINEN_OSOITE', lahiosoite: 'Storgatan 1', paikkakunta: '111 22 Stockholm', valtiokoodi: '752' })).toMatchObject({
      addressKind: 'permanent-foreign',
      address: { street: 'Storgatan 1', postalCode: '', city: '111 22 Stockholm', country: '752' },
    });
    expect(one({ tietoryhma: 'TILAPAINEN_ULKOMAINEN_OSOITE', lahiosoite: 'Calle 5', valtiokoodi: 'ESP', alkupv: { arvo: '2025-01-01', tarkkuus: 'PAIVA' } })).toMatchObject({
      addressKind: 'temporary-foreign',
      address: { street: 'Calle 5', city: '', country: 'ESP' },
      validFrom: '2025-01-01',
    });
    expect(one({ tietoryhma: 'ULKOMAINEN_POSTIOSOITE', lahiosoite: 'Box 1', valtiokoodi: '578' })).toMatchObject({ addressKind: 'postal', address: { country: '578' } });
  });

  it('names the broken address field', () => {
    const base = { tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', katunimi: { fi: 'Uusitie' }, postitoimipaikka: { fi: 'ESPOO' } };
    expect(rejectedField({ ...base, postinumero: '2940' })).toEqual({ field: 'muutokset[0].tietoryhmat[0].postinumero', error: 'must be five digits, got "2940"' });
    expect(rejectedField({ ...base, postinumero: '02940', katunimi: { en: 'New Road' } }).field).toBe('muutokset[0].tietoryhmat[0].katunimi');
    expect(rejectedField({ ...base, postinumero: '02940', alkupv: { arvo: '2020-02-30', tarkkuus: 'PAIVA' } }).field).toBe('muutokset[0].tietoryhmat[0].alkupv.arvo');
    expect(rejectedField({ tietoryhma: 'VAKINAINEN_ULKOMAINEN_OSOITE', lahiosoite: 'Storgatan 1' }).field).toBe('muutokset[0].tietoryhmat[0].valtiokoodi');
    expect(rejectedField({ ...base, postinumero: '02940', turvakiellonAlaisetKentat: 'katunimi' }).field).toBe('muutokset[0].tietoryhmat[0].turvakiellonAlaisetKentat');
  });

  it('KUOLINPAIVA → death with the day precision', () => {
    expect(one({ tietoryhma: 'KUOLINPAIVA', muutosattribuutti: 'LISATTY', kuollut: true, kuolinpv: { arvo: '2019-07-30', tarkkuus: 'PAIVA' } })).toMatchObject({
      kind: 'death',
      dead: true,
      date: '2019-07-30',
      precision: 'day',
    });
  });

  it.each([
    [{ arvo: '2019-07', tarkkuus: 'KUUKAUSI' }, '2019-07-01', 'month'],
    [{ arvo: '2019-07-00', tarkkuus: 'KUUKAUSI' }, '2019-07-01', 'month'],
    [{ arvo: '2019-07-30', tarkkuus: 'KUUKAUSI' }, '2019-07-01', 'month'],
    [{ arvo: '2019', tarkkuus: 'VUOSI' }, '2019-01-01', 'year'],
    [{ arvo: '2019-00-00', tarkkuus: 'VUOSI' }, '2019-01-01', 'year'],
    [{ arvo: '2019-07' }, '2019-07-01', 'month'],
    ['2019-07-30', '2019-07-30', 'day'],
  ])('a death date %j becomes %s with precision %s', (kuolinpv, date, precision) => {
    expect(one({ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv })).toMatchObject({ date, precision });
  });

  it('reads a withdrawn death entry and an unknown date of death', () => {
    expect(one({ tietoryhma: 'KUOLINPAIVA', muutosattribuutti: 'POISTETTU', kuollut: false })).toMatchObject({ dead: false, date: null, precision: null });
    expect(one({ tietoryhma: 'KUOLINPAIVA', kuollut: true })).toMatchObject({ dead: true, date: null });
    expect(one({ tietoryhma: 'KUOLINPAIVA', kuolinpv: { arvo: '2019-07-30', tarkkuus: 'PAIVA' } })).toMatchObject({ dead: true, date: '2019-07-30' });
  });

  it('names the broken death field', () => {
    const at = 'muutokset[0].tietoryhmat[0]';
    expect(rejectedField({ tietoryhma: 'KUOLINPAIVA' }).field).toBe(`${at}.kuollut`);
    expect(rejectedField({ tietoryhma: 'KUOLINPAIVA', kuollut: 'kyllä' }).field).toBe(`${at}.kuollut`);
    expect(rejectedField({ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '30.7.2019', tarkkuus: 'PAIVA' } }).field).toBe(`${at}.kuolinpv.arvo`);
    expect(rejectedField({ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { tarkkuus: 'PAIVA' } }).field).toBe(`${at}.kuolinpv.arvo`);
    expect(rejectedField({ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '2019-07', tarkkuus: 'PAIVA' } })).toEqual({
      field: `${at}.kuolinpv.tarkkuus`,
      error: 'says "PAIVA" but the date "2019-07" is less precise',
    });
  });

  it('TURVAKIELTO → non-disclosure, with or without an end date', () => {
    expect(one({ tietoryhma: 'TURVAKIELTO', muutosattribuutti: 'LISATTY', turvakieltoAktiivinen: true })).toMatchObject({ kind: 'non-disclosure', active: true, until: null });
    expect(one({ tietoryhma: 'TURVAKIELTO', turvakieltoAktiivinen: false, turvaLoppuPv: { arvo: '2030-01-01', tarkkuus: 'PAIVA' } })).toMatchObject({ active: false, until: '2030-01-01' });
    expect(rejectedField({ tietoryhma: 'TURVAKIELTO' }).field).toBe('muutokset[0].tietoryhmat[0].turvakieltoAktiivinen');
  });

  it('HENKILOTUNNUS_KORJAUS → identity-code correction', () => {
    expect(
      one({
        tietoryhma: 'HENKILOTUNNUS_KORJAUS',
        voimassaolo: 'AKTIIVI',
        muutosattribuutti: 'LISATTY',
        muutettuHenkilotunnus: NEW_CODE,
        aktiivinenHenkilotunnus: NEW_CODE,
        edellisetHenkilotunnukset: [PERSON],
      }),
    ).toMatchObject({ kind: 'identity-code-correction', activeCode: NEW_CODE, previousCodes: [PERSON], modifiedCode: NEW_CODE, validity: 'active' });
    expect(one({ tietoryhma: 'HENKILOTUNNUS_KORJAUS', voimassaolo: 'PASSIIVI', aktiivinenHenkilotunnus: NEW_CODE })).toMatchObject({ previousCodes: [], modifiedCode: null, validity: 'passive' });
  });

  it('checks the active code fully and earlier codes for shape only', () => {
    const at = 'muutokset[0].tietoryhmat[0]';
    // A previous code with a wrong check character is history and is kept.
    expect(one({ tietoryhma: 'HENKILOTUNNUS_KORJAUS', aktiivinenHenkilotunnus: NEW_CODE, edellisetHenkilotunnukset: ['010579-999X'] })).toMatchObject({ previousCodes: ['010579-999X'] });
    expect(rejectedField({ tietoryhma: 'HENKILOTUNNUS_KORJAUS', aktiivinenHenkilotunnus: '010281-999D' }).field).toBe(`${at}.aktiivinenHenkilotunnus`);
    expect(rejectedField({ tietoryhma: 'HENKILOTUNNUS_KORJAUS', aktiivinenHenkilotunnus: NEW_CODE, edellisetHenkilotunnukset: ['x'] }).field).toBe(`${at}.edellisetHenkilotunnukset[0]`);
    expect(rejectedField({ tietoryhma: 'HENKILOTUNNUS_KORJAUS', aktiivinenHenkilotunnus: NEW_CODE, voimassaolo: 'KYLLA' }).field).toBe(`${at}.voimassaolo`);
  });

  it('KOTIKUNTA → municipality, under either spelling of the moving date', () => {
    expect(one({ tietoryhma: 'KOTIKUNTA', kuntakoodi: '091', kuntaanMuuttopv: { arvo: '2016-01-01', tarkkuus: 'PAIVA' }, muutosattribuutti: 'LISATTY' })).toMatchObject({
      kind: 'municipality',
      municipalityCode: '091',
      movedIn: '2016-01-01',
    });
    expect(one({ tietoryhma: 'KOTIKUNTA', kuntakoodi: '049', kuntaanMuuttoPv: { arvo: '1986-06-02', tarkkuus: 'PAIVA' } })).toMatchObject({ movedIn: '1986-06-02' });
    expect(rejectedField({ tietoryhma: 'KOTIKUNTA', kuntakoodi: '91' }).field).toBe('muutokset[0].tietoryhmat[0].kuntakoodi');
  });

  it('AIDINKIELI and ASIOINTIKIELI → language', () => {
    expect(one({ tietoryhma: 'AIDINKIELI', kielikoodi: 'sv' })).toMatchObject({ kind: 'language', languageCode: 'sv', role: 'mother-tongue' });
    expect(one({ tietoryhma: 'ASIOINTIKIELI', kielikoodi: 'FI' })).toMatchObject({ kind: 'language', languageCode: 'fi', role: 'service' });
    expect(rejectedField({ tietoryhma: 'AIDINKIELI', kielikoodi: 'suomi' }).field).toBe('muutokset[0].tietoryhmat[0].kielikoodi');
  });

  it('keeps unknown groups whole as other', () => {
    const raw = { tietoryhma: 'JOKU_MUU', muutosattribuutti: 'LISATTY', mitaTahansa: { a: [1, 2] } };
    expect(one(raw)).toMatchObject({ kind: 'other', group: 'JOKU_MUU', action: 'added', raw });
    expect(one({ tietoryhma: 'HUOLTAJA_SUPPEA', huoltaja: { henkilotunnus: PERSON } }).kind).toBe('other');
  });
});
