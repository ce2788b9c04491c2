import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApplicationData } from '../../domain/application';
import { generateTestIdentityCode } from '../../domain/identityCode';

// Test files run one after another in separate workers against one database, so a code must be
// new to the whole run, not just to this file: each is claimed by creating a file named after it
// in a folder shared by the run's workers (same parent process); creation fails if taken.
const claimed = path.join(os.tmpdir(), 'jasenrekisteri-test-codes', String(process.ppid));
mkdirSync(claimed, { recursive: true });

function claim(code: string): boolean {
  try {
    writeFileSync(path.join(claimed, code), '', { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A fresh, valid identity code (individual numbers 900–999: never a real person), new to this test run. */
export function uniqueIdentityCode(year?: number): string {
  for (;;) {
    const y = year ?? 1960 + randomInt(40);
    const date = `${y}-${String(1 + randomInt(12)).padStart(2, '0')}-${String(1 + randomInt(28)).padStart(2, '0')}`;
    const code = generateTestIdentityCode(date, 900 + randomInt(100));
    if (claim(code)) return code;
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
