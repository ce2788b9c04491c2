import { describe, expect, it } from 'vitest';
import { decimalAmount, formatMoney } from '../../../domain/money';

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
