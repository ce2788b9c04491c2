import { describe, expect, it } from 'vitest';
import { hasContact, isEmailAddress, isPhoneNumber, isPostalCode, startsBeforeReceipt } from '../../../domain/contact';
import { isFreeOfControlCharacters, isFreeOfControlCharactersMultiline, isPlainName, sanitizeFileName } from '../../../domain/text';

describe('control characters', () => {
  it('refuses NUL, C0, DEL and C1 in one-line text, tab and line breaks too', () => {
    for (const bad of ['a\u0000b', 'a\u0001', 'a\tb', 'a\nb', 'a\rb', 'a\u007F', 'a\u0085', 'a\u2028b']) expect(isFreeOfControlCharacters(bad), JSON.stringify(bad)).toBe(false);
    expect(isFreeOfControlCharacters('Äänekoski – Åbo ’s')).toBe(true);
  });
  it('lets multi-line text keep tab and line breaks, not NUL', () => {
    expect(isFreeOfControlCharactersMultiline('line one\r\n\tline two')).toBe(true);
    expect(isFreeOfControlCharactersMultiline('a\u0000b')).toBe(false);
    expect(isFreeOfControlCharactersMultiline('a\u001Bb')).toBe(false);
  });
});

describe('isPlainName', () => {
  it('accepts names as registers write them', () => {
    for (const n of ['Maija Liisa', 'Anna-Liisa', "O'Neill", 'Åkesson', 'Jr.', 'Nguyễn', 'Ольга']) expect(isPlainName(n), n).toBe(true);
  });
  it('sends markup, digits and symbols to a person', () => {
    for (const n of ['<script>', '<b>Maija</b>', 'Maija2', 'Robert"); DROP', '=cmd|', '-Maija']) expect(isPlainName(n), n).toBe(false);
  });
});

describe('sanitizeFileName', () => {
  it('keeps an ordinary name', () => {
    expect(sanitizeFileName('camt054-2025-03-31.xml')).toBe('camt054-2025-03-31.xml');
  });
  it('drops the path, control characters and header-breaking characters', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\bank\\in\\file.xml')).toBe('file.xml');
    expect(sanitizeFileName('a\u0000b\nc.xml')).toBe('a_b_c.xml');
    expect(sanitizeFileName('x";rm -rf.xml')).toBe('x__rm -rf.xml');
    expect(sanitizeFileName('...hidden')).toBe('hidden');
  });
  it('shortens a long name and keeps its extension', () => {
    const s = sanitizeFileName(`${'a'.repeat(300)}.xml`, 50);
    expect(s).toHaveLength(50);
    expect(s.endsWith('.xml')).toBe(true);
  });
  it('leaves nothing when nothing usable is left', () => {
    expect(sanitizeFileName('\u0000')).toBe('');
    expect(sanitizeFileName('///')).toBe('');
  });
});

describe('contact rules', () => {
  it('e-mail', () => {
    expect(isEmailAddress('maija@example.fi')).toBe(true);
    for (const bad of ['not-an-email', 'a@b', 'a b@c.fi', '@example.fi']) expect(isEmailAddress(bad), bad).toBe(false);
  });
  it('phone', () => {
    for (const ok of ['040 123 4567', '+358 40 123 4567', '09-1234567']) expect(isPhoneNumber(ok), ok).toBe(true);
    for (const bad of ['abc', '123', '+0123456789']) expect(isPhoneNumber(bad), bad).toBe(false);
  });
  it('postal code: five digits in Finland', () => {
    expect(isPostalCode('00100', undefined)).toBe(true);
    expect(isPostalCode('00100', 'FI')).toBe(true);
    expect(isPostalCode('0010000', undefined)).toBe(false);
    expect(isPostalCode('0010', 'FI')).toBe(false);
    expect(isPostalCode('SW1A 1AA', 'GB')).toBe(true);
  });
  it('one contact is required', () => {
    expect(hasContact({})).toBe(false);
    expect(hasContact({ email: ' ' })).toBe(false);
    expect(hasContact({ phone: '040 123 4567' })).toBe(true);
    expect(hasContact({ address: { street: 'x' } })).toBe(true);
  });
  it('a start date before receipt', () => {
    expect(startsBeforeReceipt('2020-01-01', '2026-12-04')).toBe(true);
    expect(startsBeforeReceipt('2026-12-04', '2026-12-04')).toBe(false);
    expect(startsBeforeReceipt(undefined, '2026-12-04')).toBe(false);
  });
});
