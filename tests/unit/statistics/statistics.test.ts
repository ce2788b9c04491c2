import { describe, expect, it } from 'vitest';
import { ageBandOf, countByAgeBand, csvField, csvTable, emptyFlows, endFlow, ktTable, monthsFrom, previousMonth, sexOfIdentityCode } from '../../../domain/statistics';

describe('age bands', () => {
  it('puts each completed age in its band, 68 and over apart (the age limit)', () => {
    expect([17, 24, 25, 34, 35, 54, 55, 64, 65, 67, 68, 90].map(ageBandOf)).toEqual(['under-25', 'under-25', '25-34', '25-34', '35-44', '45-54', '55-64', '55-64', '65-67', '65-67', '68-', '68-']);
  });
  it('counts by birth date on the day asked: a birthday that day moves the person up', () => {
    const bands = countByAgeBand([{ birthDate: '2001-03-01', count: 2 }, { birthDate: '2001-03-02', count: 3 }], '2026-03-01');
    expect(bands.find((b) => b.key === '25-34')!.count).toBe(2);
    expect(bands.find((b) => b.key === 'under-25')!.count).toBe(3);
    expect(bands.reduce((n, b) => n + b.count, 0)).toBe(5);
  });
});

describe('sex from the identity code', () => {
  it('reads the individual number: odd male, even female', () => {
    expect(sexOfIdentityCode('131052-308T')).toBe('female');
    expect(sexOfIdentityCode('131052-309U')).toBe('male');
    expect(sexOfIdentityCode('010594Y9032')).toBe('male');
    expect(sexOfIdentityCode('010594Y9021')).toBe('female');
    expect(sexOfIdentityCode('nonsense')).toBe('unknown');
  });
});

describe('months', () => {
  it('lists every month of a range across a year end', () => {
    expect(monthsFrom('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsFrom('2026-02', '2026-01')).toEqual([]);
    expect(previousMonth('2026-01')).toBe('2025-12');
  });
  it('files each end reason under its flow', () => {
    expect(['resignation', 'fund-switch', 'expulsion', 'death', 'age-limit', 'eligibility', null].map((r) => endFlow(r as never))).toEqual(['resignations', 'transfersOut', 'expulsions', 'deaths', 'ageLimit', 'otherEnds', 'otherEnds']);
  });
});

describe('the KT table', () => {
  it('sums stocks by sex and channel and the flows by kind', () => {
    const female = { ...emptyFlows(), joins: 3, transfersIn: 1, resignations: 1, deaths: 1 };
    const male = { ...emptyFlows(), joins: 2, expulsions: 1 };
    const rows = ktTable({
      atStart: [{ sex: 'female', channel: 'direct', count: 10 }, { sex: 'male', channel: 'union', count: 5 }],
      atEnd: [{ sex: 'female', channel: 'direct', count: 11 }, { sex: 'male', channel: 'union', count: 6 }, { sex: 'unknown', channel: 'direct', count: 1 }],
      flows: { female, male, unknown: emptyFlows() },
    });
    const row = (item: string) => rows.find((r) => r.item === item)!;
    expect(row('members-at-start')).toEqual({ item: 'members-at-start', female: 10, male: 5, unknown: 0, total: 15 });
    expect(row('joined').total).toBe(5);
    expect(row('joined-by-transfer').female).toBe(1);
    expect(row('left')).toEqual({ item: 'left', female: 2, male: 1, unknown: 0, total: 3 });
    expect(row('members-at-end-union').total).toBe(6);
    expect(row('members-at-end-direct').total).toBe(12);
  });
});

describe('formula-safe CSV', () => {
  it('turns a would-be formula into text and quotes what RFC 4180 asks', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+358')).toBe("'+358");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('Helsinki, keskusta')).toBe('"Helsinki, keskusta"');
    expect(csvField('Vaasa')).toBe('Vaasa');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
  it('writes a header and CRLF lines', () => {
    expect(csvTable(['a', 'b'], [['x', 1], ['=y', 2]])).toBe("a,b\r\nx,1\r\n'=y,2\r\n");
  });
});
