import { describe, expect, it } from 'vitest';
import { createReferenceNumber, formatReferenceNumber, memberReferenceBase } from '../../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../../domain/billing/rfReference';
import { looksLikeIdentityCode, memberNumberCandidates, parseApplicationQuery, parseMemberQuery, prefixRange } from '../../../domain/membership/memberQuery';

describe('parseMemberQuery', () => {
  it('refuses fewer than two characters, spaces not counted', () => {
    expect(parseMemberQuery('a')).toBeNull();
    expect(parseMemberQuery('  a  ')).toBeNull();
    expect(parseMemberQuery('ab')).toEqual({ kind: 'name', words: ['ab'] });
  });

  it('reads a whole identity code in any case', () => {
    expect(parseMemberQuery(' 010185-942s ')).toEqual({ kind: 'identity-code', identityCode: '010185-942S' });
    expect(parseMemberQuery('010105A942X')).toEqual({ kind: 'identity-code', identityCode: '010105A942X' });
  });

  it('reads the start of an identity code past the birth date as a prefix', () => {
    expect(parseMemberQuery('010185-')).toEqual({ kind: 'identity-code-prefix', prefix: '010185-', memberNumbers: [] });
    expect(parseMemberQuery('010185-94')).toEqual({ kind: 'identity-code-prefix', prefix: '010185-94', memberNumbers: [] });
  });

  it('reads six digits as a birth date and as a member number', () => {
    expect(parseMemberQuery('010185')).toEqual({ kind: 'identity-code-prefix', prefix: '010185', memberNumbers: [10185] });
    expect(parseMemberQuery('000000')).toEqual({ kind: 'identity-code-prefix', prefix: '000000', memberNumbers: [] });
  });

  it('reads other digits, spaced or not, and RF references as numbers', () => {
    expect(parseMemberQuery('1234')).toEqual({ kind: 'number', memberNumbers: [1234] });
    const national = formatReferenceNumber(createReferenceNumber(memberReferenceBase(1234, 2026)));
    expect(national).toContain(' ');
    expect(parseMemberQuery(national)).toEqual({ kind: 'number', memberNumbers: [Number(national.replace(/\s/g, '')), 1234] });
    const rf = formatRfReference(toRfReference(createReferenceNumber(memberReferenceBase(1234))));
    expect(parseMemberQuery(rf.toLowerCase())).toEqual({ kind: 'number', memberNumbers: [1234] });
  });

  it('reads anything else as up to five lower-case words of a name', () => {
    expect(parseMemberQuery('  Virtanen   Matti ')).toEqual({ kind: 'name', words: ['virtanen', 'matti'] });
    expect(parseMemberQuery('a b c d e f g')).toEqual({ kind: 'name', words: ['a', 'b', 'c', 'd', 'e'] });
  });
});

describe('memberNumberCandidates', () => {
  it('gives the number itself and the member behind a reference, positive safe integers only', () => {
    expect(memberNumberCandidates('42')).toEqual([42]);
    expect(memberNumberCandidates('0')).toEqual([]);
    expect(memberNumberCandidates('99999999999999999999')).toEqual([]);
    expect(memberNumberCandidates('RF')).toEqual([]);
  });
});

describe('looksLikeIdentityCode', () => {
  it('is true for a whole identity code and for one past its century sign', () => {
    expect(looksLikeIdentityCode('010185-942S')).toBe(true);
    expect(looksLikeIdentityCode(' 010105a942x ')).toBe(true);
    expect(looksLikeIdentityCode('010185-9')).toBe(true);
    expect(looksLikeIdentityCode('010185-')).toBe(true);
  });

  it('is false for names, member numbers and six digits (a member number as well as a birth date)', () => {
    expect(looksLikeIdentityCode('Virtanen')).toBe(false);
    expect(looksLikeIdentityCode('100001')).toBe(false);
    expect(looksLikeIdentityCode('010185')).toBe(false);
    expect(looksLikeIdentityCode('1234567')).toBe(false);
  });
});

describe('parseApplicationQuery', () => {
  it('reads an application id whole, in any case', () => {
    expect(parseApplicationQuery(' 3F1C2A9E-8D4B-4C1E-9F7A-2B6D5E8C1A40 ')).toEqual({ kind: 'application-id', id: '3f1c2a9e-8d4b-4c1e-9f7a-2b6d5e8c1a40' });
  });

  it('reads an identity code and a name', () => {
    expect(parseApplicationQuery('010185-942s')).toEqual({ kind: 'identity-code', identityCode: '010185-942S' });
    expect(parseApplicationQuery('Aino  Esimerkki')).toEqual({ kind: 'name', words: ['aino', 'esimerkki'] });
  });

  it('finds nothing for a short query, a fragment of an id or a number', () => {
    expect(parseApplicationQuery('a')).toBeNull();
    expect(parseApplicationQuery('3f1c2a9e-8d4b')).toBeNull();
    expect(parseApplicationQuery('100001')).toBeNull();
  });
});

describe('prefixRange', () => {
  /** Code-point order, as PostgreSQL's "C" collation compares UTF-8 bytes. */
  const before = (a: string, b: string) => {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
    return x.length < y.length;
  };
  const inRange = (s: string, r: { from: string; to: string | null }) => !before(s, r.from) && (r.to === null || before(s, r.to));

  it('raises the last character by one', () => {
    expect(prefixRange('kor')).toEqual({ from: 'kor', to: 'kos' });
    expect(prefixRange('010185-')).toEqual({ from: '010185-', to: '010185.' });
    expect(prefixRange('mäk')).toEqual({ from: 'mäk', to: 'mäl' });
    expect(prefixRange('ä')).toEqual({ from: 'ä', to: 'å' });
  });

  it('drops trailing highest code points, and has no upper bound when nothing is above', () => {
    expect(prefixRange('a\u{10ffff}')).toEqual({ from: 'a\u{10ffff}', to: 'b' });
    expect(prefixRange('\u{10ffff}')).toEqual({ from: '\u{10ffff}', to: null });
    expect(prefixRange('a\u{d7ff}')).toEqual({ from: 'a\u{d7ff}', to: 'a\u{e000}' });
  });

  it('holds exactly the strings that start with the prefix', () => {
    const words = ['kor', 'korhonen', 'kos', 'kosk', 'ko', 'korz', 'kor\u{10ffff}x', 'kopa', 'mäki', 'mäkelä', 'mälkki', 'maki', 'mä', '010185-942s', '010185a', '0101850', '010185.', '010185,'];
    for (const prefix of ['kor', 'mäk', 'mä', '010185-', 'k', 'a\u{10ffff}']) {
      const range = prefixRange(prefix);
      for (const w of words) expect(inRange(w, range), `${w} in ${prefix}`).toBe(w.startsWith(prefix));
    }
  });
});
