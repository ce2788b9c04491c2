import { randomInt, randomUUID } from 'node:crypto';
import type { ApplicationData } from '../../domain/application';
import { generateTestIdentityCode } from '../../domain/identityCode';

const used = new Set<string>();

/** A fresh, valid identity code (individual numbers 900–999: never a real person). */
export function uniqueIdentityCode(year?: number): string {
  for (;;) {
    const y = year ?? 1960 + randomInt(40);
    const date = `${y}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`;
    const code = generateTestIdentityCode(date, 900 + randomInt(100));
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

/** A clean application that every rule accepts, with overrides for the case under test. */
export function applicationData(overrides: Partial<ApplicationData> = {}): ApplicationData {
  return {
    identityCode: uniqueIdentityCode(),
    firstNames: 'Testi Henkilö',
    lastName: 'Hakija',
    language: 'fi',
    email: 'hakija@example.fi',
    phone: '+358401234567',
    address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' },
    employment: { status: 'employed', employer: 'Esimerkki Oy', startedOn: '2020-01-01' },
    eligibility: { basis: 'degree', degree: 'Master of Science (Tech.)' },
    ...overrides,
  };
}

export const newKey = () => `test-${randomUUID()}`;
