import type { Localized } from './localized';

/**
 * What is wrong with a henkilötunnus, as data, so each language can say it in its own words and
 * callers can tell a typo in the check character from an impossible date.
 */
export type IdentityCodeIssue =
  | { kind: 'length'; length: number }
  | { kind: 'lowercase'; uppercase: string }
  | { kind: 'date-digits' }
  | { kind: 'century-sign'; sign: string }
  | { kind: 'individual-number-digits' }
  | { kind: 'date'; day: number; month: number; year: number }
  | { kind: 'individual-number'; individualNumber: string }
  | { kind: 'check-character'; expected: string };

/**
 * A sentence naming the code, what is wrong and what would be right, e.g.
 * `identity code 131052-308X: check character should be T`.
 */
export function describeIdentityCodeIssue(code: string, issue: IdentityCodeIssue): Localized {
  const problem = describeProblem(issue);
  return {
    fi: `henkilötunnus ${code}: ${problem.fi}`,
    sv: `personbeteckning ${code}: ${problem.sv}`,
    en: `identity code ${code}: ${problem.en}`,
  };
}

function describeProblem(issue: IdentityCodeIssue): Localized {
  switch (issue.kind) {
    case 'length':
      return {
        fi: `pitää olla 11 merkkiä (PPKKVVSNNNT), nyt ${issue.length}`,
        sv: `ska ha 11 tecken (DDMMÅÅSNNNK), nu ${issue.length}`,
        en: `must be 11 characters (DDMMYYCZZZQ), not ${issue.length}`,
      };
    case 'lowercase':
      return {
        fi: `käytä isoja kirjaimia: ${issue.uppercase}`,
        sv: `använd stora bokstäver: ${issue.uppercase}`,
        en: `use capital letters: ${issue.uppercase}`,
      };
    case 'date-digits':
      return {
        fi: '6 ensimmäistä merkkiä pitää olla syntymäajan numerot (PPKKVV)',
        sv: 'de 6 första tecknen ska vara födelsedatumets siffror (DDMMÅÅ)',
        en: 'the first 6 characters must be the digits of the birth date (DDMMYY)',
      };
    case 'century-sign':
      return {
        fi: `7. merkin pitää olla välimerkki (+ 1800-luvulla; -, Y, X, W, V tai U 1900-luvulla; A, B, C, D, E tai F 2000-luvulla), ei ”${issue.sign}”`,
        sv: `det 7:e tecknet ska vara ett skiljetecken (+ för 1800-talet; -, Y, X, W, V eller U för 1900-talet; A, B, C, D, E eller F för 2000-talet), inte ”${issue.sign}”`,
        en: `the 7th character must be a century sign (+ for the 1800s; -, Y, X, W, V or U for the 1900s; A, B, C, D, E or F for the 2000s), not "${issue.sign}"`,
      };
    case 'individual-number-digits':
      return {
        fi: 'merkkien 8–10 pitää olla numeroita (yksilönumero)',
        sv: 'tecknen 8–10 ska vara siffror (individnumret)',
        en: 'characters 8–10 must be digits (the individual number)',
      };
    case 'date': {
      const date = `${issue.day}.${issue.month}.${issue.year}`;
      return {
        fi: `syntymäaikaa ${date} ei ole olemassa; tarkista 6 ensimmäistä merkkiä ja välimerkki`,
        sv: `födelsedatumet ${date} finns inte; kontrollera de 6 första tecknen och skiljetecknet`,
        en: `birth date ${date} does not exist; check the first 6 characters and the century sign`,
      };
    }
    case 'individual-number':
      return {
        fi: `yksilönumeroa ${issue.individualNumber} ei käytetä; sen pitää olla 002–999`,
        sv: `individnumret ${issue.individualNumber} används inte; det ska vara 002–999`,
        en: `individual number ${issue.individualNumber} is not used; it must be 002–999`,
      };
    case 'check-character':
      return {
        fi: `tarkistusmerkin pitäisi olla ${issue.expected}`,
        sv: `kontrolltecknet borde vara ${issue.expected}`,
        en: `check character should be ${issue.expected}`,
      };
  }
}
