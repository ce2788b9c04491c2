import type { FundProfile } from '../fundProfile';

// Shared by both shipped funds: the fund name comes in through {{fundName}}. It stands alone
// (subject suffix, signature) because Finnish would otherwise need it inflected.
export const standardMessages: FundProfile['messages'] = {
  'application-approved': {
    subject: {
      fi: 'Jäsenhakemuksesi on hyväksytty – {{fundName}}',
      sv: 'Din medlemsansökan har godkänts – {{fundName}}',
      en: 'Your membership application has been approved – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\njäsenhakemuksesi on hyväksytty. Jäsenyytesi alkaa {{startDate}}. Saat jäsenmaksun maksutiedot erikseen.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndin medlemsansökan har godkänts. Ditt medlemskap börjar {{startDate}}. Du får uppgifterna för att betala medlemsavgiften separat.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyour membership application has been approved. Your membership begins on {{startDate}}. You will receive the details for paying the membership fee separately.\n\nKind regards\n{{fundName}}',
    },
  },
  'application-rejected': {
    subject: {
      fi: 'Päätös jäsenhakemukseesi – {{fundName}}',
      sv: 'Beslut om din medlemsansökan – {{fundName}}',
      en: 'Decision on your membership application – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nvalitettavasti emme voi hyväksyä jäsenhakemustasi.\n\nPerustelu: {{reason}}\n\n{{appealInstructions}}\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ntyvärr kan vi inte godkänna din medlemsansökan.\n\nMotivering: {{reason}}\n\n{{appealInstructions}}\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nunfortunately we cannot approve your membership application.\n\nReason: {{reason}}\n\n{{appealInstructions}}\n\nKind regards\n{{fundName}}',
    },
  },
  'completion-request': {
    subject: {
      fi: 'Täydennä jäsenhakemustasi – {{fundName}}',
      sv: 'Komplettera din medlemsansökan – {{fundName}}',
      en: 'Please complete your membership application – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkiitos jäsenhakemuksestasi. Siitä puuttuu vielä tietoja tai niissä on korjattavaa:\n\n{{missing}}\n\nTäydennä hakemustasi viimeistään {{deadline}} osoitteessa {{supplementUrl}}. Jos emme saa tietoja määräaikaan mennessä, käsittelemme hakemuksen niiden tietojen perusteella, jotka meillä on.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ntack för din medlemsansökan. Det saknas ännu uppgifter i den eller något behöver rättas:\n\n{{missing}}\n\nKomplettera din ansökan senast {{deadline}} på {{supplementUrl}}. Om vi inte får uppgifterna inom utsatt tid behandlar vi ansökan utifrån de uppgifter vi har.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthank you for your membership application. Some information is still missing or needs correcting:\n\n{{missing}}\n\nPlease complete your application by {{deadline}} at {{supplementUrl}}. If we do not receive the information by then, we will decide on your application based on the information we have.\n\nKind regards\n{{fundName}}',
    },
  },
};
