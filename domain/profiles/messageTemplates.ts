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
  // Membership-end letters. They state dates, not tense ("the last day of your membership is"),
  // because they may go out before or after the end date.
  'resignation-confirmed': {
    subject: {
      fi: 'Vahvistus eroamisesta – {{fundName}}',
      sv: 'Bekräftelse på utträde – {{fundName}}',
      en: 'Confirmation of your resignation – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nolemme vastaanottaneet eroilmoituksesi. Jäsenyytesi viimeinen päivä on {{endDate}}. Jäsenmaksu on maksettava eroamiskuukauden loppuun eli {{feeOwedUntil}} asti.\n\nJos siirryt toiseen työttömyyskassaan, liity uuteen kassaan kuukauden kuluessa, jotta jäsenyysaikasi siirtyy.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nvi har tagit emot din utträdesanmälan. Den sista dagen av ditt medlemskap är {{endDate}}. Medlemsavgiften ska betalas till utgången av den månad då du utträder, det vill säga till och med {{feeOwedUntil}}.\n\nOm du byter till en annan arbetslöshetskassa ska du ansluta dig till den nya kassan inom en månad, så att din medlemstid överförs.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nwe have received your resignation. The last day of your membership is {{endDate}}. The membership fee is payable until the end of the month in which you resign, that is until {{feeOwedUntil}}.\n\nIf you are moving to another unemployment fund, join the new fund within one month so that your membership period transfers.\n\nKind regards\n{{fundName}}',
    },
  },
  // A resignation from the public form takes effect only when the member confirms it through the
  // link sent to the contact details already on record.
  'resignation-confirmation-request': {
    subject: {
      fi: 'Vahvista eroilmoituksesi – {{fundName}}',
      sv: 'Bekräfta din utträdesanmälan – {{fundName}}',
      en: 'Please confirm your resignation – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nsaimme {{receivedOn}} eroilmoituksen jäsenyydestäsi. Ero tulee voimaan vasta, kun vahvistat sen. Jäsenyytesi viimeinen päivä olisi {{endDate}}.\n\nVahvista ero viimeistään {{expiresOn}} osoitteessa {{confirmUrl}}\n\nJos et tehnyt ilmoitusta, voit jättää tämän viestin huomiotta: jäsenyytesi jatkuu. Voit myös ilmoittaa asiasta meille.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nvi fick {{receivedOn}} en utträdesanmälan för ditt medlemskap. Utträdet träder i kraft först när du bekräftar det. Den sista dagen av ditt medlemskap skulle vara {{endDate}}.\n\nBekräfta utträdet senast {{expiresOn}} på {{confirmUrl}}\n\nOm du inte gjorde anmälan kan du lämna detta meddelande utan åtgärd: ditt medlemskap fortsätter. Du kan också meddela oss.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\non {{receivedOn}} we received a notice of resignation from your membership. It takes effect only when you confirm it. The last day of your membership would be {{endDate}}.\n\nPlease confirm the resignation by {{expiresOn}} at {{confirmUrl}}\n\nIf you did not send this notice, you can ignore this message: your membership continues. You may also let us know.\n\nKind regards\n{{fundName}}',
    },
  },
  'resignation-withdrawn': {
    subject: {
      fi: 'Eroilmoituksesi on peruttu – {{fundName}}',
      sv: 'Din utträdesanmälan har återkallats – {{fundName}}',
      en: 'Your resignation has been withdrawn – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\n{{receivedOn}} vastaanotettu eroilmoituksesi on peruttu. Jäsenyytesi jatkuu ennallaan.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndin utträdesanmälan som togs emot {{receivedOn}} har återkallats. Ditt medlemskap fortsätter som tidigare.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyour notice of resignation received on {{receivedOn}} has been withdrawn. Your membership continues as before.\n\nKind regards\n{{fundName}}',
    },
  },
  'membership-ended-switch': {
    subject: {
      fi: 'Jäsenyytesi päättyy kassanvaihdon vuoksi – {{fundName}}',
      sv: 'Ditt medlemskap upphör på grund av byte av kassa – {{fundName}}',
      en: 'Your membership ends because you switched funds – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nolet liittynyt toiseen työttömyyskassaan ja valtuuttanut sen ilmoittamaan erostasi meiltä. Jäsenyytesi viimeinen päivä meillä on {{endDate}}, uuden jäsenyytesi alkamista edeltävä päivä. Jäsenmaksu on maksettava {{feeOwedUntil}} asti.\n\nJäsenyysaikasi siirtyy uuteen kassaan, kun jäsenmaksut on maksettu jäsenyyden viimeiseen päivään asti.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndu har anslutit dig till en annan arbetslöshetskassa och gett den fullmakt att meddela ditt utträde hos oss. Den sista dagen av ditt medlemskap hos oss är {{endDate}}, dagen innan ditt nya medlemskap börjar. Medlemsavgiften ska betalas till och med {{feeOwedUntil}}.\n\nDin medlemstid överförs till den nya kassan när medlemsavgifterna är betalda till och med medlemskapets sista dag.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyou have joined another unemployment fund and authorised it to give notice of your resignation from us. The last day of your membership with us is {{endDate}}, the day before your new membership begins. The membership fee is payable until {{feeOwedUntil}}.\n\nYour membership period transfers to the new fund once the fees are paid up to the last day of your membership.\n\nKind regards\n{{fundName}}',
    },
  },
  'age-limit-notice': {
    subject: {
      fi: 'Jäsenyytesi päättyy yläikärajan vuoksi – {{fundName}}',
      sv: 'Ditt medlemskap upphör på grund av den övre åldersgränsen – {{fundName}}',
      en: 'Your membership will end at the upper age limit – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\ntyöttömyyskassan jäsenyys päättyy lain mukaan automaattisesti sen kuukauden lopussa, jona jäsen saavuttaa yläikärajan. Jäsenyytesi viimeinen päivä on {{endDate}}.\n\nSinun ei tarvitse tehdä mitään. Jäsenmaksua ei peritä jäsenyyden päättymisen jälkeiseltä ajalta.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nenligt lag upphör medlemskapet i en arbetslöshetskassa automatiskt vid utgången av den månad då medlemmen uppnår den övre åldersgränsen. Den sista dagen av ditt medlemskap är {{endDate}}.\n\nDu behöver inte göra något. Ingen medlemsavgift tas ut för tiden efter att medlemskapet har upphört.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nby law, membership of an unemployment fund ends automatically at the end of the month in which the member reaches the upper age limit. The last day of your membership is {{endDate}}.\n\nYou do not need to do anything. No membership fee is charged for the time after your membership ends.\n\nKind regards\n{{fundName}}',
    },
  },
  'membership-ended-age': {
    subject: {
      fi: 'Jäsenyytesi on päättynyt – {{fundName}}',
      sv: 'Ditt medlemskap har upphört – {{fundName}}',
      en: 'Your membership has ended – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\njäsenyytesi on päättynyt {{endDate}}, koska olet saavuttanut työttömyyskassan jäsenyyden yläikärajan. Jäsenyys päättyy lain mukaan automaattisesti.\n\nKiitos jäsenyydestäsi.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nditt medlemskap upphörde {{endDate}}, eftersom du har uppnått den övre åldersgränsen för medlemskap i en arbetslöshetskassa. Enligt lag upphör medlemskapet automatiskt.\n\nTack för ditt medlemskap.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyour membership ended on {{endDate}}, as you have reached the upper age limit for membership of an unemployment fund. By law, the membership ends automatically.\n\nThank you for your membership.\n\nKind regards\n{{fundName}}',
    },
  },
  // The paper or e-mail invoice of a billing run. The reference and the virtual barcode let the
  // member pay in any Finnish online bank; the barcode is printed as digits for copy and paste.
  invoice: {
    subject: {
      fi: 'Jäsenmaksulasku {{period}} – {{fundName}}',
      sv: 'Faktura för medlemsavgift {{period}} – {{fundName}}',
      en: 'Membership fee invoice {{period}} – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\njäsenmaksusi ajalta {{period}} on {{amount}}. Maksathan sen viimeistään {{dueDate}}.\n\nSaaja: {{fundName}}\nTilinumero (IBAN): {{iban}}\nViitenumero: {{reference}}\nEräpäivä: {{dueDate}}\nSumma: {{amount}}\n\nVirtuaaliviivakoodi: {{barcode}}\n\nKäytä maksaessasi viitenumeroa, jotta maksu kohdistuu jäsenmaksullesi.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndin medlemsavgift för perioden {{period}} är {{amount}}. Betala den senast {{dueDate}}.\n\nMottagare: {{fundName}}\nKontonummer (IBAN): {{iban}}\nReferensnummer: {{reference}}\nFörfallodag: {{dueDate}}\nBelopp: {{amount}}\n\nVirtuell streckkod: {{barcode}}\n\nAnge referensnumret när du betalar, så att betalningen riktas till din medlemsavgift.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyour membership fee for {{period}} is {{amount}}. Please pay it by {{dueDate}}.\n\nPayee: {{fundName}}\nAccount (IBAN): {{iban}}\nReference number: {{reference}}\nDue date: {{dueDate}}\nAmount: {{amount}}\n\nVirtual bank barcode: {{barcode}}\n\nPlease use the reference number when you pay, so that the payment is matched to your membership fee.\n\nKind regards\n{{fundName}}',
    },
  },
  // Payment reminders (maksumuistutus) of overdue collection: what is still open of one invoice,
  // a new due date and the same reference, so a payment lands on the invoice it concerns.
  'payment-reminder': {
    subject: {
      fi: 'Maksumuistutus: jäsenmaksu {{period}} – {{fundName}}',
      sv: 'Betalningspåminnelse: medlemsavgift {{period}} – {{fundName}}',
      en: 'Payment reminder: membership fee {{period}} – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkirjanpitomme mukaan jäsenmaksulaskusi {{invoiceNumber}} ({{period}}, eräpäivä {{originalDueDate}}) on vielä maksamatta: avoinna {{openAmount}}. Maksathan sen viimeistään {{dueDate}}. Jos olet jo maksanut, tämä muistutus on aiheeton.\n\nSaaja: {{fundName}}\nTilinumero (IBAN): {{iban}}\nViitenumero: {{reference}}\nEräpäivä: {{dueDate}}\nMuistutusmaksu: {{fee}}\nSumma: {{amount}}\n\nVirtuaaliviivakoodi: {{barcode}}\n\nJos sinulla on maksuvaikeuksia, ota yhteyttä kassaan: voimme sopia maksusuunnitelmasta.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nenligt vår bokföring är din faktura för medlemsavgift {{invoiceNumber}} ({{period}}, förfallodag {{originalDueDate}}) fortfarande obetald: öppet {{openAmount}}. Betala den senast {{dueDate}}. Om du redan har betalat kan du bortse från denna påminnelse.\n\nMottagare: {{fundName}}\nKontonummer (IBAN): {{iban}}\nReferensnummer: {{reference}}\nFörfallodag: {{dueDate}}\nPåminnelseavgift: {{fee}}\nBelopp: {{amount}}\n\nVirtuell streckkod: {{barcode}}\n\nOm du har svårt att betala, kontakta kassan: vi kan komma överens om en betalningsplan.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\naccording to our records your membership fee invoice {{invoiceNumber}} ({{period}}, due {{originalDueDate}}) is still unpaid: {{openAmount}} is open. Please pay it by {{dueDate}}. If you have already paid, please disregard this reminder.\n\nPayee: {{fundName}}\nAccount (IBAN): {{iban}}\nReference number: {{reference}}\nDue date: {{dueDate}}\nReminder fee: {{fee}}\nAmount: {{amount}}\n\nVirtual bank barcode: {{barcode}}\n\nIf you have difficulty paying, please contact the fund: we can agree on a payment plan.\n\nKind regards\n{{fundName}}',
    },
  },
  // The last reminder before the hearing: says what follows if the fee stays unpaid.
  'payment-reminder-final': {
    subject: {
      fi: 'Toinen maksumuistutus: jäsenmaksu {{period}} – {{fundName}}',
      sv: 'Andra betalningspåminnelsen: medlemsavgift {{period}} – {{fundName}}',
      en: 'Second payment reminder: membership fee {{period}} – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\njäsenmaksulaskusi {{invoiceNumber}} ({{period}}, eräpäivä {{originalDueDate}}) on edelleen maksamatta: avoinna {{openAmount}}. Maksathan sen viimeistään {{dueDate}}. Jos jäsenmaksu jää maksamatta, kassa voi sääntöjensä mukaan erottaa sinut jäsenyydestä; ennen päätöstä saat tilaisuuden tulla kuulluksi. Jos olet jo maksanut, tämä muistutus on aiheeton.\n\nSaaja: {{fundName}}\nTilinumero (IBAN): {{iban}}\nViitenumero: {{reference}}\nEräpäivä: {{dueDate}}\nMuistutusmaksu: {{fee}}\nSumma: {{amount}}\n\nVirtuaaliviivakoodi: {{barcode}}\n\nJos sinulla on maksuvaikeuksia, ota yhteyttä kassaan.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndin faktura för medlemsavgift {{invoiceNumber}} ({{period}}, förfallodag {{originalDueDate}}) är fortfarande obetald: öppet {{openAmount}}. Betala den senast {{dueDate}}. Om medlemsavgiften förblir obetald kan kassan enligt sina stadgar utesluta dig ur medlemskapet; före beslutet får du tillfälle att bli hörd. Om du redan har betalat kan du bortse från denna påminnelse.\n\nMottagare: {{fundName}}\nKontonummer (IBAN): {{iban}}\nReferensnummer: {{reference}}\nFörfallodag: {{dueDate}}\nPåminnelseavgift: {{fee}}\nBelopp: {{amount}}\n\nVirtuell streckkod: {{barcode}}\n\nOm du har svårt att betala, kontakta kassan.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyour membership fee invoice {{invoiceNumber}} ({{period}}, due {{originalDueDate}}) is still unpaid: {{openAmount}} is open. Please pay it by {{dueDate}}. If the fee remains unpaid, the fund may under its rules expel you from membership; before any decision you will have the opportunity to be heard. If you have already paid, please disregard this reminder.\n\nPayee: {{fundName}}\nAccount (IBAN): {{iban}}\nReference number: {{reference}}\nDue date: {{dueDate}}\nReminder fee: {{fee}}\nAmount: {{amount}}\n\nVirtual bank barcode: {{barcode}}\n\nIf you have difficulty paying, please contact the fund.\n\nKind regards\n{{fundName}}',
    },
  },
};
