import type { ApplicationData } from '../../domain/application';
import type { FundProfile } from '../../domain/fundProfile';
import { generateTestIdentityCode } from '../../domain/identityCode';

const firstNames = ['Aino', 'Eino', 'Helmi', 'Väinö', 'Sofia', 'Oliver', 'Linnea', 'Elias', 'Aada', 'Leo', 'Ella', 'Onni', 'Siiri', 'Matias', 'Kerttu', 'Jussi'];
const lastNames = ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Mäkelä', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Saarinen'];
const cities = [
  ['Helsinki', '00100'],
  ['Tampere', '33100'],
  ['Turku', '20100'],
  ['Oulu', '90100'],
  ['Vaasa', '65100'],
  ['Jyväskylä', '40100'],
] as const;
const employers = ['Esimerkki Oy', 'Rakenne Ab', 'Tietotalo Oy', 'Kuntayhtymä Demo', 'Metalli ja Kone Oy', 'Hoiva Palvelut Oy'];

/** A small deterministic PRNG so the demo desk looks the same on every fresh start. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DemoKind = 'clean' | 'incomplete' | 'review';

/**
 * Generated applicants only: identity codes use individual numbers 900–999, which are never
 * given to real people. `kind` picks which intake path the application takes.
 */
export function demoApplicant(index: number, kind: DemoKind, profile: FundProfile, random: () => number): ApplicationData {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const year = 1960 + Math.floor(random() * 45);
  const birthDate = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const first = pick(firstNames);
  const last = pick(lastNames);
  const [city, postalCode] = pick(cities);
  const data: ApplicationData = {
    identityCode: generateTestIdentityCode(birthDate, 900 + (index % 100)),
    firstNames: first,
    lastName: last,
    language: random() < 0.9 ? 'fi' : random() < 0.5 ? 'sv' : 'en',
    email: `${first}.${last}.${index}@example.fi`.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''),
    phone: `+35840${String(1000000 + index).slice(-7)}`,
    address: { street: `Demokatu ${1 + (index % 90)}`, postalCode, city },
    employment: { status: 'employed', employer: pick(employers), startedOn: '2021-03-01' },
  };
  if (profile.scope === 'higher-education') data.eligibility = { basis: 'degree', degree: 'Master of Science' };
  if (kind === 'incomplete') data.employment = { status: 'employed' };
  if (kind === 'review') {
    const doubt = index % 3;
    if (doubt === 0) data.employment = { status: 'entrepreneur', entrepreneurSince: '2024-05-01' };
    else if (doubt === 1) data.previousFund = { name: 'Esimerkkikassa', resignationAuthorisation: true };
    else data.employment = { status: 'unemployed' };
  }
  return data;
}
