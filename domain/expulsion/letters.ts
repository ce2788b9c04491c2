import type { Localized } from '../localized';

/**
 * The provisions an expulsion decision names (domain.md §1.4): the Unemployment Funds Act 4 § as
 * amended by 99/1990 (expulsion from the day fees are unpaid), the fund's rules, and the
 * Administrative Procedure Act 34 § (the hearing). [P] Wording to be checked by the fund's lawyer.
 */
export const expulsionLaw: Localized = {
  fi: 'Työttömyyskassalaki (603/1984) 4 § (99/1990); kassan säännöt; hallintolaki (434/2003) 34 § (asianosaisen kuuleminen).',
  sv: 'Lagen om arbetslöshetskassor (603/1984) 4 § (99/1990); kassans stadgar; förvaltningslagen (434/2003) 34 § (hörande av part).',
  en: 'Unemployment Funds Act (603/1984) section 4 (99/1990); the fund’s rules; Administrative Procedure Act (434/2003) section 34 (hearing of a party).',
};

/** What the decision letter says when the member gave no explanation in the hearing. */
export const noExplanation: Localized = {
  fi: 'Selitystä ei annettu määräaikaan mennessä.',
  sv: 'Ingen förklaring gavs inom utsatt tid.',
  en: 'No explanation was given by the deadline.',
};

/** Titles of the documents filed in case management, in the member's language. */
export const statementTitle: Localized = {
  fi: 'Työttömyyskassan lausunto valituksen johdosta',
  sv: 'Arbetslöshetskassans utlåtande med anledning av besväret',
  en: 'The fund’s statement on the appeal',
};
