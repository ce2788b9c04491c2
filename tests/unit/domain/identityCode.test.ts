import { describe, expect, it } from 'vitest';
import { generateTestIdentityCode, isValidIdentityCode, parseIdentityCode } from '../../../domain/identityCode';
import { describeIdentityCodeIssue } from '../../../domain/identityCodeIssue';

// Check characters below were computed by hand/outside this code base (DDMMYYZZZ mod 31).

function errorOf(code: string): string {
  const result = parseIdentityCode(code);
  if (result.ok) throw new Error(`expected ${code} to be invalid`);
  return result.error;
}

describe('parseIdentityCode', () => {
  it('accepts the verified example 131052-308T', () => {
    expect(parseIdentityCode('131052-308T')).toEqual({
      ok: true,
      value: { code: '131052-308T', birthDate: '1952-10-13', individualNumber: 308, sexAtRegistration: 'female', temporary: false },
    });
  });

  it.each(['-', 'Y', 'X', 'W', 'V', 'U'])('reads sign %s as the 1900s and keeps it', (sign) => {
    const code = `010190${sign}999W`;
    const result = parseIdentityCode(code);
    expect(result.ok && result.value).toMatchObject({ code, birthDate: '1990-01-01', temporary: true, sexAtRegistration: 'male' });
  });

  it.each(['A', 'B', 'C', 'D', 'E', 'F'])('reads sign %s as the 2000s and keeps it', (sign) => {
    const code = `010105${sign}950C`;
    const result = parseIdentityCode(code);
    expect(result.ok && result.value).toMatchObject({ code, birthDate: '2005-01-01', individualNumber: 950 });
  });

  it('reads + as the 1800s', () => {
    const result = parseIdentityCode('311299+9551');
    expect(result.ok && result.value.birthDate).toBe('1899-12-31');
  });

  it('names the right check character', () => {
    expect(errorOf('131052-308X')).toBe('identity code 131052-308X: check character should be T');
    expect(errorOf('131052-309T')).toBe('identity code 131052-309T: check character should be U');
  });

  it('rejects dates that do not exist, using the century from the sign', () => {
    expect(errorOf('310223A900K')).toContain('birth date 31.2.2023 does not exist');
    expect(errorOf('290223A9009')).toContain('29.2.2023 does not exist');
    expect(parseIdentityCode('290224A900J')).toMatchObject({ ok: true, value: { birthDate: '2024-02-29' } });
    // 2000 was a leap year, 1900 and 1800 were not.
    expect(parseIdentityCode('290200A900B')).toMatchObject({ ok: true, value: { birthDate: '2000-02-29' } });
    expect(errorOf('290200-900B')).toContain('29.2.1900 does not exist');
    expect(errorOf('290200+900B')).toContain('29.2.1800 does not exist');
  });

  it('rejects individual numbers 000 and 001 but accepts 002 and 899', () => {
    expect(errorOf('010180-0003')).toContain('individual number 000 is not used');
    expect(errorOf('010180-0014')).toContain('individual number 001 is not used');
    expect(parseIdentityCode('010180-0025')).toMatchObject({ ok: true, value: { individualNumber: 2, temporary: false, sexAtRegistration: 'female' } });
    expect(parseIdentityCode('010180-8993')).toMatchObject({ ok: true, value: { individualNumber: 899, temporary: false, sexAtRegistration: 'male' } });
  });

  it('accepts temporary numbers 900–999 and marks them', () => {
    expect(parseIdentityCode('150580-901D')).toMatchObject({ ok: true, value: { temporary: true, sexAtRegistration: 'male' } });
    expect(parseIdentityCode('150580-902E')).toMatchObject({ ok: true, value: { temporary: true, sexAtRegistration: 'female' } });
  });

  it('asks for capital letters instead of silently upper-casing', () => {
    expect(errorOf('131052-308t')).toBe('identity code 131052-308t: use capital letters: 131052-308T');
    expect(errorOf('010105a950C')).toContain('use capital letters');
  });

  it('requires exactly 11 characters', () => {
    expect(errorOf('131052-308')).toBe('identity code 131052-308: must be 11 characters (DDMMYYCZZZQ), not 10');
    expect(errorOf(' 131052-308T')).toContain('not 12');
    expect(errorOf('')).toContain('not 0');
  });

  it('names a wrong century sign and non-digits', () => {
    expect(errorOf('131052*308T')).toContain('century sign');
    expect(errorOf('131052*308T')).toContain('"*"');
    expect(errorOf('131052Z308T')).toContain('"Z"');
    expect(errorOf('13105X-308T')).toContain('first 6 characters must be the digits of the birth date');
    expect(errorOf('131052-3O8T')).toContain('characters 8–10 must be digits');
  });

  it('explains the problem in Finnish and Swedish too', () => {
    const result = parseIdentityCode('131052-308X');
    if (result.ok) throw new Error('expected invalid');
    const text = describeIdentityCodeIssue('131052-308X', result.issue);
    expect(text.fi).toBe('henkilötunnus 131052-308X: tarkistusmerkin pitäisi olla T');
    expect(text.sv).toBe('personbeteckning 131052-308X: kontrolltecknet borde vara T');
  });
});

describe('isValidIdentityCode', () => {
  it('answers yes or no', () => {
    expect(isValidIdentityCode('131052-308T')).toBe(true);
    expect(isValidIdentityCode('131052-308X')).toBe(false);
  });
});

describe('generateTestIdentityCode', () => {
  it('builds codes with the first sign of the century', () => {
    expect(generateTestIdentityCode('1980-05-15', 901)).toBe('150580-901D');
    expect(generateTestIdentityCode('2005-01-01', 950)).toBe('010105A950C');
    expect(generateTestIdentityCode('1899-12-31', 955)).toBe('311299+9551');
    expect(generateTestIdentityCode('1990-01-01', 999)).toBe('010190-999W');
  });

  it('produces codes the parser accepts as temporary', () => {
    const result = parseIdentityCode(generateTestIdentityCode('2024-02-29', 900));
    expect(result).toMatchObject({ ok: true, value: { birthDate: '2024-02-29', individualNumber: 900, temporary: true } });
  });

  it('refuses numbers outside 900–999, bad dates and other centuries', () => {
    expect(() => generateTestIdentityCode('1980-05-15', 899)).toThrow(/900–999/);
    expect(() => generateTestIdentityCode('1980-05-15', 1000)).toThrow(/900–999/);
    expect(() => generateTestIdentityCode('1980-05-15', 950.5)).toThrow(/900–999/);
    expect(() => generateTestIdentityCode('2023-02-29', 950)).toThrow(/2023-02-29/);
    expect(() => generateTestIdentityCode('2100-01-01', 950)).toThrow(/1800–2099/);
    expect(() => generateTestIdentityCode('1799-12-31', 950)).toThrow(/1800–2099/);
  });
});
