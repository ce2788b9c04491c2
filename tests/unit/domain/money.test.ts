import { describe, expect, it } from 'vitest';
import { decimalAmount, formatMoney, parseEuros } from '../../../domain/money';

describe('decimalAmount', () => {
  it('writes whole cents with two decimals and an ASCII minus', () => {
    expect(decimalAmount(0)).toBe('0.00');
    expect(decimalAmount(5)).toBe('0.05');
    expect(decimalAmount(123450)).toBe('1234.50');
    expect(decimalAmount(-1)).toBe('-0.01');
    expect(decimalAmount(-123450, ',')).toBe('-1234,50');
  });

  it('refuses fractions of a cent', () => {
    expect(() => decimalAmount(1.5)).toThrow(RangeError);
    expect(() => decimalAmount(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('writes euros as each language does, with a no-break space', () => {
    expect(formatMoney(123450, 'fi')).toBe('1\u00a0234,50\u00a0€');
    expect(formatMoney(123450, 'sv')).toBe('1\u00a0234,50\u00a0€');
    expect(formatMoney(123450, 'en')).toBe('€1,234.50');
    expect(formatMoney(99, 'fi')).toBe('0,99\u00a0€');
  });

  it('puts the minus first', () => {
    expect(formatMoney(-1200, 'fi')).toBe('-12,00\u00a0€');
    expect(formatMoney(-1200, 'en')).toBe('-€12.00');
  });

  it('rounds to whole euros and leaves the sign out on request', () => {
    expect(formatMoney(123450, 'fi', { whole: true })).toBe('1\u00a0235\u00a0€');
    expect(formatMoney(123449, 'en', { whole: true })).toBe('€1,234');
    expect(formatMoney(123450, 'fi', { bare: true })).toBe('1\u00a0234,50');
    expect(formatMoney(100000000, 'en', { whole: true })).toBe('€1,000,000');
  });
});

describe('parseEuros', () => {
  it('reads euros typed the Finnish way (decimal comma) and the English way', () => {
    expect(parseEuros('12,50')).toBe(1250);
    expect(parseEuros('12.50')).toBe(1250);
    expect(parseEuros('12,5')).toBe(1250);
    expect(parseEuros('12')).toBe(1200);
    expect(parseEuros('0,05')).toBe(5);
    expect(parseEuros(' 96,00 € ')).toBe(9600);
    expect(parseEuros('€12.50')).toBe(1250);
  });

  it('takes spaces (also no-break) between groups of thousands', () => {
    expect(parseEuros('1 234,50')).toBe(123450);
    expect(parseEuros('1\u00a0234,50')).toBe(123450);
    expect(parseEuros('123 456')).toBe(12345600);
  });

  it('refuses what it would have to guess', () => {
    for (const text of ['', ' ', '12,505', '-12,50', '1.234,50', '1,234.50', '12 34', 'abc', '12,', ',50', '012', '1e3', '12 €€']) {
      expect(parseEuros(text), text).toBeNull();
    }
  });

  it('refuses amounts above the limit', () => {
    expect(parseEuros('1000000,00')).toBe(100_000_000);
    expect(parseEuros('1000000,01')).toBeNull();
    expect(parseEuros('50,01', 5000)).toBeNull();
    expect(parseEuros('50', 5000)).toBe(5000);
  });
});
