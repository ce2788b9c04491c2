import { describe, expect, it } from 'vitest';
import {
  membershipStartDate,
  missingFieldsSummary,
  reviewTaskPriority,
  validateApplication,
  type ApplicationData,
  type ValidationContext,
  type ValidationResult,
} from '../../../domain/application';
import { getFundProfile } from '../../../domain/fundProfile';

// Identity codes with temporary numbers; check characters computed outside this code base.
const BORN_1980_05_15 = '150580-901D';
const BORN_1957_05_15 = '150557-903J';
const BORN_1957_05_16 = '160557-9058';
const BORN_1956_02_29 = '290256-9115';

function application(overrides: Partial<ApplicationData> = {}): ApplicationData {
  return {
    identityCode: BORN_1980_05_15,
    firstNames: 'Maija Liisa',
    lastName: 'Meikäläinen',
    language: 'fi',
    email: 'maija@example.fi',
    employment: { status: 'employed', employer: 'Esimerkki Oy' },
    ...overrides,
  };
}

function context(overrides: Partial<ValidationContext> = {}): ValidationContext {
  return {
    profile: getFundProfile('a-kassa'),
    receivedOn: '2025-03-10',
    today: '2025-03-12',
    memberships: [],
    otherOpenApplications: 0,
    ...overrides,
  };
}

const koko = (overrides: Partial<ValidationContext> = {}) => context({ profile: getFundProfile('koko'), ...overrides });

function codes(result: ValidationResult): string[] {
  return result.findings.map((f) => `${f.severity}:${f.code}`);
}

describe('validateApplication: a complete application', () => {
  it('is clean and starts on the day received', () => {
    expect(validateApplication(application(), context())).toEqual({ outcome: 'clean', startDate: '2025-03-10', findings: [] });
  });

  it('is clean for KOKO with a degree as the basis', () => {
    const result = validateApplication(application({ eligibility: { basis: 'degree', degree: 'FM' } }), koko());
    expect(result.outcome).toBe('clean');
  });

  it('accepts a temporary identity code without a finding', () => {
    expect(codes(validateApplication(application({ identityCode: '150580-902E' }), context()))).toEqual([]);
  });
});

describe('validateApplication: identity and age', () => {
  it('blocks an invalid identity code and names the right check character', () => {
    const result = validateApplication(application({ identityCode: '131052-308X' }), context());
    expect(codes(result)).toEqual(['blocker:identity-code-invalid']);
    expect(result.outcome).toBe('needs-review');
    expect(result.findings[0]?.field).toBe('identityCode');
    expect(result.findings[0]?.message.en).toBe('Identity code 131052-308X: check character should be T.');
    expect(result.findings[0]?.message.fi).toBe('Henkilötunnus 131052-308X: tarkistusmerkin pitäisi olla T.');
  });

  it('accepts an applicant the day before their 68th birthday', () => {
    expect(codes(validateApplication(application({ identityCode: BORN_1957_05_15 }), context({ receivedOn: '2025-05-14' })))).toEqual([]);
    expect(codes(validateApplication(application({ identityCode: BORN_1957_05_16 }), context({ receivedOn: '2025-05-15' })))).toEqual([]);
  });

  it('blocks an applicant who is 68 on the start date', () => {
    const result = validateApplication(application({ identityCode: BORN_1957_05_15 }), context({ receivedOn: '2025-05-15' }));
    expect(codes(result)).toEqual(['blocker:age-limit']);
    expect(result.findings[0]?.message.en).toContain('is 68 on the membership start date 15 May 2025');
    expect(result.findings[0]?.message.fi).toContain('15.5.2025 68-vuotias');
  });

  it('judges the age on the start date, not on the day received', () => {
    const result = validateApplication(
      application({ identityCode: BORN_1957_05_15, requestedStartDate: '2025-05-15' }),
      context({ receivedOn: '2025-05-01' }),
    );
    expect(codes(result)).toEqual(['blocker:age-limit']);
  });

  it('handles a 29 February birthday at the age limit', () => {
    expect(codes(validateApplication(application({ identityCode: BORN_1956_02_29 }), context({ receivedOn: '2024-02-28' })))).toEqual([]);
    expect(codes(validateApplication(application({ identityCode: BORN_1956_02_29 }), context({ receivedOn: '2024-02-29' })))).toEqual([
      'blocker:age-limit',
    ]);
  });

  it('asks for missing names', () => {
    const result = validateApplication(application({ firstNames: ' ', lastName: '' }), context());
    expect(codes(result)).toEqual(['missing:first-names-missing', 'missing:last-name-missing']);
  });
});

describe('validateApplication: employment', () => {
  it.each(['unemployed', 'laid-off', 'unpaid-leave'] as const)('blocks status %s', (status) => {
    const result = validateApplication(application({ employment: { status } }), context());
    expect(codes(result)).toEqual(['blocker:not-employed']);
    expect(result.outcome).toBe('needs-review');
  });

  it('says which status blocks', () => {
    const result = validateApplication(application({ employment: { status: 'laid-off' } }), context());
    expect(result.findings[0]?.message.fi).toContain('lomautettu');
    expect(result.findings[0]?.message.en).toContain('laid off');
  });

  it('doubts an entrepreneur', () => {
    const result = validateApplication(application({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-06-01' } }), context());
    expect(codes(result)).toEqual(['doubt:entrepreneur']);
    expect(result.findings[0]?.message.en).toContain('since 1 June 2024');
  });

  it.each([undefined, '', '   '])('asks for the employer when it is %j', (employer) => {
    const employment = employer === undefined ? { status: 'employed' as const } : { status: 'employed' as const, employer };
    const result = validateApplication(application({ employment }), context());
    expect(codes(result)).toEqual(['missing:employer-missing']);
    expect(result.outcome).toBe('incomplete');
  });
});

describe('validateApplication: KOKO eligibility', () => {
  it('asks for the basis when none is given', () => {
    expect(codes(validateApplication(application(), koko()))).toEqual(['missing:eligibility-missing']);
  });

  it('does not ask A-kassa applicants for a basis', () => {
    expect(codes(validateApplication(application(), context()))).toEqual([]);
  });

  it('asks for the degree or occupation named by the basis', () => {
    expect(codes(validateApplication(application({ eligibility: { basis: 'degree' } }), koko()))).toEqual(['missing:degree-missing']);
    expect(codes(validateApplication(application({ eligibility: { basis: 'occupation', occupation: ' ' } }), koko()))).toEqual([
      'missing:occupation-missing',
    ]);
    expect(codes(validateApplication(application({ eligibility: { basis: 'occupation', occupation: 'Projektipäällikkö' } }), koko()))).toEqual([]);
  });

  it('doubts a student basis: they must work in the field', () => {
    expect(codes(validateApplication(application({ eligibility: { basis: 'student' } }), koko()))).toEqual(['doubt:student-eligibility']);
  });
});

describe('validateApplication: existing memberships and applications', () => {
  it('blocks an open-ended membership', () => {
    const result = validateApplication(application(), context({ memberships: [{ memberId: 'M-1', startDate: '2020-01-01', endDate: null }] }));
    expect(codes(result)).toEqual(['blocker:already-member']);
    expect(result.findings[0]?.message.en).toContain('M-1');
  });

  it('blocks a membership ending on or after the start date', () => {
    const onStart = context({ memberships: [{ memberId: 'M-2', startDate: '2020-01-01', endDate: '2025-03-10' }] });
    expect(codes(validateApplication(application(), onStart))).toEqual(['blocker:already-member']);
  });

  it('accepts a membership that ended the day before the start date', () => {
    const ended = context({ memberships: [{ memberId: 'M-3', startDate: '2020-01-01', endDate: '2025-03-09' }] });
    expect(codes(validateApplication(application(), ended))).toEqual([]);
  });

  it('doubts a second open application with the same identity code', () => {
    expect(codes(validateApplication(application(), context({ otherOpenApplications: 1 })))).toEqual(['doubt:duplicate-application']);
    const two = validateApplication(application(), context({ otherOpenApplications: 2 }));
    expect(two.findings[0]?.message.en).toBe('There are 2 other undecided applications with the same identity code.');
  });
});

describe('validateApplication: contact details', () => {
  it('asks for some way to reach the applicant', () => {
    const { email: _email, ...rest } = application();
    const result = validateApplication(rest, context());
    expect(codes(result)).toEqual(['missing:contact-missing']);
  });

  it('treats a blank email as no email', () => {
    expect(codes(validateApplication(application({ email: '  ' }), context()))).toEqual(['missing:contact-missing']);
  });

  it('is satisfied by a phone or an address alone', () => {
    const { email: _email, ...rest } = application();
    expect(codes(validateApplication({ ...rest, phone: '040 123 4567' }, context()))).toEqual([]);
    expect(codes(validateApplication({ ...rest, address: { street: 'Katu 1', postalCode: '00100', city: 'Helsinki' } }, context()))).toEqual([]);
  });

  it.each(['maija', 'maija@', 'maija@example', 'maija @example.fi', 'maija@@example.fi', '@example.fi'])('rejects email %j', (email) => {
    const result = validateApplication(application({ email }), context());
    expect(codes(result)).toEqual(['missing:email-invalid']);
    expect(result.findings[0]?.message.en).toContain(email);
  });

  it.each(['040 123 4567', '0401234567', '09 123 4567', '+358 40 123 4567', '+358401234567', '+46 8 123 456 78', '+1 (555) 123-4567'])(
    'accepts phone %j',
    (phone) => {
      expect(codes(validateApplication(application({ phone }), context()))).toEqual([]);
    },
  );

  it.each(['123', 'abc', '040 123 abc', '+0 40 123 4567', '40 123 4567', '+358 40 123 4567 8901 23'])('rejects phone %j', (phone) => {
    expect(codes(validateApplication(application({ phone }), context()))).toEqual(['missing:phone-invalid']);
  });
});

describe('validateApplication: previous fund and union', () => {
  it('asks the caseworker to notify the old fund when authorised, ending the day before', () => {
    const result = validateApplication(
      application({ previousFund: { name: 'Erityisalojen työttömyyskassa', resignationAuthorisation: true } }),
      context(),
    );
    expect(codes(result)).toEqual(['doubt:previous-fund-authorisation']);
    expect(result.findings[0]?.message.fi).toContain('9.3.2025');
  });

  it('doubts a previous fund without an authorisation', () => {
    const result = validateApplication(
      application({ previousFund: { name: 'Erityisalojen työttömyyskassa', endedOn: '2025-02-28', resignationAuthorisation: false } }),
      context(),
    );
    expect(codes(result)).toEqual(['doubt:previous-fund']);
    expect(result.findings[0]?.message.en).toContain('ended 28 February 2025');
  });

  it('accepts a union of the fund and doubts any other code', () => {
    expect(codes(validateApplication(application({ unionCode: '015' }), context()))).toEqual([]);
    expect(codes(validateApplication(application({ unionCode: '050' }), context()))).toEqual(['doubt:union-unknown']);
  });
});

describe('start date', () => {
  it('moves a requested date before receipt to the day received, without a finding', () => {
    const result = validateApplication(application({ requestedStartDate: '2025-01-01' }), context());
    expect(result).toMatchObject({ outcome: 'clean', startDate: '2025-03-10' });
  });

  it('honours a later requested date', () => {
    expect(validateApplication(application({ requestedStartDate: '2025-04-01' }), context()).startDate).toBe('2025-04-01');
  });

  it('doubts a start more than a year after receipt', () => {
    expect(codes(validateApplication(application({ requestedStartDate: '2026-03-10' }), context()))).toEqual([]);
    expect(codes(validateApplication(application({ requestedStartDate: '2026-03-11' }), context()))).toEqual(['doubt:start-date-far']);
  });

  it('asks again for a requested date that is not a date, starting on the day received', () => {
    const result = validateApplication(application({ requestedStartDate: 'ensi kuussa' }), context());
    expect(result).toMatchObject({ outcome: 'incomplete', startDate: '2025-03-10' });
    expect(codes(result)).toEqual(['missing:start-date-invalid']);
  });

  it('membershipStartDate is never before receipt', () => {
    expect(membershipStartDate('2025-03-10')).toBe('2025-03-10');
    expect(membershipStartDate('2025-03-10', '2025-03-09')).toBe('2025-03-10');
    expect(membershipStartDate('2025-03-10', '2025-03-10')).toBe('2025-03-10');
    expect(membershipStartDate('2025-03-10', '2025-03-11')).toBe('2025-03-11');
    expect(() => membershipStartDate('10.3.2025')).toThrow(/receivedOn/);
  });

  it('refuses a context without real dates', () => {
    expect(() => validateApplication(application(), context({ today: '2025-02-30' }))).toThrow(/today/);
  });
});

describe('outcome and summary', () => {
  const messy = (): ValidationResult =>
    validateApplication(
      application({ email: 'maija@', employment: { status: 'employed' }, eligibility: { basis: 'student' } }),
      koko({ otherOpenApplications: 1 }),
    );

  it('needs review when any doubt or blocker is among missing findings', () => {
    expect(messy().outcome).toBe('needs-review');
    expect(codes(messy())).toEqual([
      'missing:employer-missing',
      'doubt:student-eligibility',
      'missing:email-invalid',
      'doubt:duplicate-application',
    ]);
  });

  it('gives every finding a distinct text in each language', () => {
    for (const finding of messy().findings) {
      const { fi, sv, en } = finding.message;
      expect(new Set([fi, sv, en]).size).toBe(3);
    }
  });

  it('lists only what the applicant must supply, in their language', () => {
    const summary = missingFieldsSummary(messy().findings, 'fi');
    expect(summary).toBe('- Työnantajasi nimi puuttuu.\n- Sähköpostiosoite ”maija@” ei kelpaa; anna se muodossa nimi@esimerkki.fi.');
    expect(missingFieldsSummary(messy().findings, 'en')).toContain('- The name of your employer is missing.');
    expect(missingFieldsSummary(messy().findings, 'sv').split('\n')).toHaveLength(2);
  });

  it('is empty when nothing is missing', () => {
    expect(missingFieldsSummary(validateApplication(application(), context({ otherOpenApplications: 1 })).findings, 'fi')).toBe('');
  });
});

describe('reviewTaskPriority', () => {
  const finding = (severity: 'missing' | 'doubt' | 'blocker') => ({ code: severity, severity, message: { fi: '', sv: '', en: '' } });

  it('is the fund\'s priority, one step more urgent with a blocker, never above 1', () => {
    expect(reviewTaskPriority([], 3)).toBe(3);
    expect(reviewTaskPriority([finding('missing'), finding('doubt')], 3)).toBe(3);
    expect(reviewTaskPriority([finding('doubt'), finding('blocker')], 3)).toBe(2);
    expect(reviewTaskPriority([finding('blocker'), finding('blocker')], 3)).toBe(2);
    expect(reviewTaskPriority([finding('blocker')], 1)).toBe(1);
  });
});

describe('validateApplication: names with markup', () => {
  it('sends a name with markup or digits to a caseworker (name-characters, doubt)', () => {
    const result = validateApplication(application({ firstNames: '<script>alert(1)</script>', lastName: 'Hakija2' }), context());
    expect(codes(result)).toEqual(['doubt:name-characters', 'doubt:name-characters']);
    expect(result.outcome).toBe('needs-review');
    expect(result.findings.map((f) => f.field)).toEqual(['firstNames', 'lastName']);
  });

  it("leaves ordinary names alone (Anna-Liisa O'Neill, Åkesson)", () => {
    expect(codes(validateApplication(application({ firstNames: 'Anna-Liisa', lastName: "O'Neill-Åkesson" }), context()))).toEqual([]);
  });
});
