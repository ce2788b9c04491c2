import { addDays } from './dates';
import type { IdentityCodeIssue } from './identityCodeIssue';
import { describeIdentityCodeIssue } from './identityCodeIssue';
import { formatDate, type Language, type Localized } from './localized';

/**
 * Texts of the application findings. Findings the applicant must fix ('missing') speak to the
 * applicant, because they go into the completion request; the others speak to the caseworker.
 */

type DateText = (lang: Language) => string;

const date = (iso: string): DateText => (lang) => formatDate(iso, lang);

export function identityCodeInvalid(code: string, issue: IdentityCodeIssue): Localized {
  const text = describeIdentityCodeIssue(code, issue);
  return { fi: sentence(text.fi), sv: sentence(text.sv), en: sentence(text.en) };
}

export function ageLimit(age: number, maxJoinAge: number, startDate: string): Localized {
  const d = date(startDate);
  return {
    fi: `Hakija on jäsenyyden alkamispäivänä ${d('fi')} ${age}-vuotias; kassaan voi liittyä vain alle ${maxJoinAge}-vuotias.`,
    sv: `Sökanden är ${age} år på medlemskapets startdag ${d('sv')}; endast den som är under ${maxJoinAge} år kan ansluta sig.`,
    en: `The applicant is ${age} on the membership start date ${d('en')}; only people under ${maxJoinAge} can join.`,
  };
}

const NOT_EMPLOYED_STATUS: Record<'unemployed' | 'laid-off' | 'unpaid-leave', Localized> = {
  unemployed: { fi: 'työtön', sv: 'arbetslös', en: 'unemployed' },
  'laid-off': { fi: 'lomautettu', sv: 'permitterad', en: 'laid off' },
  'unpaid-leave': { fi: 'palkattomalla vapaalla', sv: 'på oavlönad ledighet', en: 'on unpaid leave' },
};

export function notEmployed(status: keyof typeof NOT_EMPLOYED_STATUS): Localized {
  const s = NOT_EMPLOYED_STATUS[status];
  return {
    fi: `Hakija ilmoittaa olevansa ${s.fi}; kassaan voi liittyä vain, jos on työssä alkamispäivänä (työtön vain, jos oma kassa on purettu tai asetettu selvitystilaan tai konkurssiin).`,
    sv: `Sökanden uppger sig vara ${s.sv}; man kan ansluta sig endast om man arbetar på startdagen (en arbetslös endast om den egna kassan har upplösts eller försatts i likvidation eller konkurs).`,
    en: `The applicant reports being ${s.en}; only a person in work on the start date can join (an unemployed person only if their own fund was dissolved or went into liquidation or bankruptcy).`,
  };
}

export function entrepreneur(since: string | undefined): Localized {
  const d = since === undefined ? undefined : date(since);
  return {
    fi: `Hakija on yrittäjä${d ? ` (${d('fi')} alkaen)` : ''}: tarkista, tekeekö hän myös palkkatyötä; yrittäjä kuuluu yrittäjäkassaan.`,
    sv: `Sökanden är företagare${d ? ` (sedan ${d('sv')})` : ''}: kontrollera om hen också arbetar som löntagare; en företagare hör till en företagarkassa.`,
    en: `The applicant is an entrepreneur${d ? ` (since ${d('en')})` : ''}: check whether they also work as a wage earner; an entrepreneur belongs to an entrepreneur fund.`,
  };
}

export const employerMissing: Localized = {
  fi: 'Työnantajasi nimi puuttuu.',
  sv: 'Namnet på din arbetsgivare saknas.',
  en: 'The name of your employer is missing.',
};

export const eligibilityMissing: Localized = {
  fi: 'Liittymisperuste puuttuu: kerro korkeakoulututkintosi, ammattisi tai alan opintosi.',
  sv: 'Grunden för medlemskapet saknas: ange din högskoleexamen, ditt yrke eller dina studier inom området.',
  en: 'The basis for your membership is missing: tell us your higher-education degree, your occupation or your studies in the field.',
};

export const degreeMissing: Localized = {
  fi: 'Tutkintosi nimi puuttuu.',
  sv: 'Namnet på din examen saknas.',
  en: 'The name of your degree is missing.',
};

export const occupationMissing: Localized = {
  fi: 'Ammattisi tai tehtävänimikkeesi puuttuu.',
  sv: 'Ditt yrke eller din befattning saknas.',
  en: 'Your occupation or job title is missing.',
};

export const studentEligibility: Localized = {
  fi: 'Hakija liittyy opiskelijana: tarkista, että hän työskentelee opiskelualansa tehtävissä.',
  sv: 'Sökanden ansluter sig som studerande: kontrollera att hen arbetar inom sitt studieområde.',
  en: 'The applicant joins as a student: check that they work in the field of their studies.',
};

export function alreadyMember(memberId: string, from: string, to: string | null, startDate: string): Localized {
  const f = date(from);
  const t = to === null ? undefined : date(to);
  const s = date(startDate);
  return {
    fi: `Hakijalla on jo jäsenyys (${memberId}) ${f('fi')} alkaen${t ? ` ${t('fi')} asti` : ' toistaiseksi'}, ja se on voimassa alkamispäivänä ${s('fi')} tai sen jälkeen.`,
    sv: `Sökanden har redan ett medlemskap (${memberId}) från ${f('sv')}${t ? ` till ${t('sv')}` : ' utan slutdatum'}, som gäller på startdagen ${s('sv')} eller senare.`,
    en: `The applicant already has a membership (${memberId}) from ${f('en')}${t ? ` to ${t('en')}` : ' with no end date'}, in force on or after the start date ${s('en')}.`,
  };
}

export function duplicateApplication(count: number): Localized {
  return count === 1
    ? {
        fi: 'Samalla henkilötunnuksella on 1 muu ratkaisematon hakemus.',
        sv: 'Med samma personbeteckning finns 1 annan oavgjord ansökan.',
        en: 'There is 1 other undecided application with the same identity code.',
      }
    : {
        fi: `Samalla henkilötunnuksella on ${count} muuta ratkaisematonta hakemusta.`,
        sv: `Med samma personbeteckning finns ${count} andra oavgjorda ansökningar.`,
        en: `There are ${count} other undecided applications with the same identity code.`,
      };
}

export const contactMissing: Localized = {
  fi: 'Yhteystietosi puuttuvat: anna sähköpostiosoite, puhelinnumero tai postiosoite.',
  sv: 'Dina kontaktuppgifter saknas: ange e-postadress, telefonnummer eller postadress.',
  en: 'Your contact details are missing: give an email address, a phone number or a postal address.',
};

export function emailInvalid(email: string): Localized {
  return {
    fi: `Sähköpostiosoite ”${email}” ei kelpaa; anna se muodossa nimi@esimerkki.fi.`,
    sv: `E-postadressen ”${email}” är inte giltig; ange den i formen namn@exempel.fi.`,
    en: `The email address "${email}" is not valid; give it in the form name@example.com.`,
  };
}

export function phoneInvalid(phone: string): Localized {
  return {
    fi: `Puhelinnumero ”${phone}” ei kelpaa; anna se muodossa 040 123 4567 tai +358 40 123 4567.`,
    sv: `Telefonnumret ”${phone}” är inte giltigt; ange det i formen 040 123 4567 eller +358 40 123 4567.`,
    en: `The phone number "${phone}" is not valid; give it in the form 040 123 4567 or +358 40 123 4567.`,
  };
}

export function previousFundAuthorisation(fundName: string, startDate: string): Localized {
  const end = date(addDays(startDate, -1));
  return {
    fi: `Hakija valtuuttaa kassan eroamaan puolestaan aiemmasta kassasta (${fundName}): ilmoita sille, että jäsenyys päättyy ${end('fi')}, päivää ennen uuden jäsenyyden alkua.`,
    sv: `Sökanden befullmäktigar kassan att säga upp medlemskapet i den tidigare kassan (${fundName}): meddela den att medlemskapet upphör ${end('sv')}, dagen före det nya medlemskapet börjar.`,
    en: `The applicant authorises the fund to resign from their previous fund (${fundName}) on their behalf: notify that fund that the membership ends on ${end('en')}, the day before the new membership starts.`,
  };
}

export function previousFund(fundName: string, endedOn: string | undefined, startDate: string): Localized {
  const e = endedOn === undefined ? undefined : date(endedOn);
  const s = date(startDate);
  return {
    fi: `Hakija on ollut toisen kassan jäsen (${fundName}${e ? `, päättynyt ${e('fi')}` : ''}) eikä antanut erovaltuutusta: tarkista, että aiempi jäsenyys päättyy ennen ${s('fi')}, ja siirtyvätkö jaksot (väli enintään kuukausi).`,
    sv: `Sökanden har varit medlem i en annan kassa (${fundName}${e ? `, upphört ${e('sv')}` : ''}) och gav ingen fullmakt att säga upp medlemskapet: kontrollera att det tidigare medlemskapet upphör före ${s('sv')} och om perioderna överförs (högst en månads mellanrum).`,
    en: `The applicant was a member of another fund (${fundName}${e ? `, ended ${e('en')}` : ''}) and gave no resignation authorisation: check that the old membership ends before ${s('en')}, and whether the periods transfer (a gap of at most one month).`,
  };
}

export function startDateFar(requested: string, receivedOn: string): Localized {
  const r = date(requested);
  const rec = date(receivedOn);
  return {
    fi: `Toivottu alkamispäivä ${r('fi')} on yli vuoden päässä hakemuksen saapumisesta (${rec('fi')}).`,
    sv: `Det önskade startdatumet ${r('sv')} är mer än ett år efter att ansökan kom in (${rec('sv')}).`,
    en: `The requested start date ${r('en')} is more than a year after the application was received (${rec('en')}).`,
  };
}

export function startDateInvalid(value: string): Localized {
  return {
    fi: `Toivomasi alkamispäivä ”${value}” ei ole päivämäärä; anna se muodossa VVVV-KK-PP.`,
    sv: `Det önskade startdatumet ”${value}” är inget datum; ange det i formen ÅÅÅÅ-MM-DD.`,
    en: `The requested start date "${value}" is not a date; give it in the form YYYY-MM-DD.`,
  };
}

export const nameCharacters: Localized = {
  fi: 'Nimessä on merkkejä, joita nimissä ei tavallisesti ole (esimerkiksi <, > tai numeroita): tarkista nimi ennen hyväksymistä.',
  sv: 'Namnet innehåller tecken som namn vanligtvis inte har (till exempel <, > eller siffror): kontrollera namnet innan ansökan godkänns.',
  en: 'The name contains characters that names do not usually have (such as <, > or digits): check the name before approving.',
};

export const firstNamesMissing: Localized = {
  fi: 'Etunimesi puuttuvat.',
  sv: 'Dina förnamn saknas.',
  en: 'Your first names are missing.',
};

export const lastNameMissing: Localized = {
  fi: 'Sukunimesi puuttuu.',
  sv: 'Ditt efternamn saknas.',
  en: 'Your last name is missing.',
};

export function unionUnknown(code: string, known: readonly string[]): Localized {
  const list = known.join(', ');
  return {
    fi: `Liiton koodi ”${code}” ei ole tämän kassan liittojen koodeja (${list}).`,
    sv: `Förbundskoden ”${code}” hör inte till kassans förbund (${list}).`,
    en: `Union code "${code}" is not one of this fund's unions (${list}).`,
  };
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
