import { describe, expect, it } from 'vitest';
import { differences, reportForReading, type MigrationReport } from '../../../domain/migration/report';

describe('reportForReading', () => {
  it('leaves the per-member balances out of the figures, counts them, and keeps each differing one as a difference', () => {
    const source = { persons: 3, 'open.total': 3000, 'open.member.M1': 1000, 'open.member.M2': 2000 };
    const register = { persons: 3, 'open.total': 2500, 'open.member.M1': 1000, 'open.member.M2': 1500, 'open.member.M3': 0 };
    const report: MigrationReport = { outcomes: { persons: { migrated: 3, updated: 0, unchanged: 0, rejected: 0 } } as MigrationReport['outcomes'], source, register, differences: differences(source, register), kept: 0 };
    const read = reportForReading(report);
    expect(read.source).toEqual({ persons: 3, 'open.total': 3000 });
    expect(read.register).toEqual({ persons: 3, 'open.total': 2500 });
    expect(read.memberBalances).toEqual({ compared: 3, differing: 1 });
    expect(read.differences.map((d) => d.key)).toEqual(['open.member.M2', 'open.total']);
    // The stored report is not changed.
    expect(report.source['open.member.M1']).toBe(1000);
  });
});
