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

  // Hearing before an expulsion for unpaid fees (kuulemiskirje): pay or explain by the deadline.
  'hearing-letter': {
    subject: {
      fi: 'Kuulemiskirje: maksamattomat jäsenmaksut – {{fundName}}',
      sv: 'Hörande: obetalda medlemsavgifter – {{fundName}}',
      en: 'Hearing letter: unpaid membership fees – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\njäsenmaksujasi on erääntynyt maksamatta yhteensä {{amount}} ({{invoices}}). Kassa harkitsee erottamistasi kassan jäsenyydestä maksamattomien jäsenmaksujen vuoksi.\n\nVoit maksaa erääntyneet jäsenmaksut tai antaa asiasta selityksen viimeistään {{deadline}}. Maksa laskujen viitenumeroilla tilille {{iban}}. Jos maksat koko erääntyneen määrän määräaikaan mennessä, asia raukeaa. Selityksen voit antaa asiointipalvelussa tai ottamalla yhteyttä jäsenpalveluun; se liitetään asian käsittelyyn.\n\nJos et maksa etkä anna selitystä, kassa päättää asiasta käytettävissä olevien tietojen perusteella.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\ndu har förfallna obetalda medlemsavgifter på sammanlagt {{amount}} ({{invoices}}). Kassan överväger att utesluta dig ur kassan på grund av obetalda medlemsavgifter.\n\nDu kan betala de förfallna avgifterna eller ge en förklaring senast {{deadline}}. Betala med fakturornas referensnummer till kontot {{iban}}. Om du betalar hela det förfallna beloppet inom utsatt tid förfaller ärendet. Din förklaring kan du ge i e-tjänsten eller genom att kontakta medlemsservicen; den fogas till ärendet.\n\nOm du varken betalar eller ger en förklaring avgör kassan ärendet utifrån de uppgifter den har.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nyou have overdue unpaid membership fees of {{amount}} in total ({{invoices}}). The fund is considering expelling you from its membership because of the unpaid fees.\n\nYou may pay the overdue fees or give an explanation by {{deadline}}. Pay to account {{iban}} with the invoices\' reference numbers. If you pay the whole overdue amount by the deadline, the matter lapses. You can give your explanation in the e-service or by contacting member services; it goes with the case.\n\nIf you neither pay nor explain, the fund decides on the information it has.\n\nKind regards\n{{fundName}}',
    },
  },
  // The expulsion decision (erottamispäätös) with reasons, the law and the appeal instructions.
  'expulsion-decision': {
    subject: {
      fi: 'Päätös: erottaminen työttömyyskassasta – {{fundName}}',
      sv: 'Beslut: uteslutning ur arbetslöshetskassan – {{fundName}}',
      en: 'Decision: expulsion from the unemployment fund – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkassa on päättänyt erottaa sinut kassan jäsenyydestä {{effectiveDate}} alkaen, koska jäsenmaksujasi on jäänyt maksamatta {{amount}}.\n\nPerustelut: {{reason}}\n\nAnnettu selitys: {{explanation}}\n\nSovelletut säännökset: {{law}}\n\nErotettu jäsen menettää kertyneen jäsenyysajan ja työssäoloehdon, eivätkä ne siirry toiseen kassaan.\n\n{{appealInstructions}}\n\nMuutoksenhaun määräpäivä, jos päätös on postitettu tänään: {{appealDeadline}}.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nkassan har beslutat att utesluta dig ur kassan från och med {{effectiveDate}}, eftersom medlemsavgifter på {{amount}} har lämnats obetalda.\n\nMotivering: {{reason}}\n\nGiven förklaring: {{explanation}}\n\nTillämpade bestämmelser: {{law}}\n\nEn utesluten medlem förlorar den intjänade medlemstiden och arbetsvillkoret, och de överförs inte till en annan kassa.\n\n{{appealInstructions}}\n\nSista dag för besvär, om beslutet postas i dag: {{appealDeadline}}.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthe fund has decided to expel you from its membership from {{effectiveDate}}, because membership fees of {{amount}} are unpaid.\n\nReasons: {{reason}}\n\nExplanation given: {{explanation}}\n\nProvisions applied: {{law}}\n\nAn expelled member loses the accrued membership period and employment condition, and they do not transfer to another fund.\n\n{{appealInstructions}}\n\nLast day for an appeal, the decision mailed today: {{appealDeadline}}.\n\nKind regards\n{{fundName}}',
    },
  },
  // The hearing ended without an expulsion (the caseworker's reason is told to the member).
  'expulsion-not-decided': {
    subject: {
      fi: 'Jäsenyytesi jatkuu – {{fundName}}',
      sv: 'Ditt medlemskap fortsätter – {{fundName}}',
      en: 'Your membership continues – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkassa on käsitellyt maksamattomia jäsenmaksujasi koskevan asian eikä erota sinua. Perustelu: {{reason}}\n\nMaksathan erääntyneet jäsenmaksut.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nkassan har behandlat ärendet om dina obetalda medlemsavgifter och utesluter dig inte. Motivering: {{reason}}\n\nBetala de förfallna medlemsavgifterna.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthe fund has considered the matter of your unpaid membership fees and does not expel you. Reason: {{reason}}\n\nPlease pay the overdue fees.\n\nKind regards\n{{fundName}}',
    },
  },
  // The fund corrects its own expulsion decision on appeal (itseoikaisu): the membership continues.
  'expulsion-corrected': {
    subject: {
      fi: 'Oikaisupäätös: erottaminen kumottu – {{fundName}}',
      sv: 'Rättelsebeslut: uteslutningen upphävd – {{fundName}}',
      en: 'Corrected decision: expulsion withdrawn – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkassa on oikaissut päätöksensä erottaa sinut {{effectiveDate}} alkaen. Jäsenyytesi jatkuu keskeytyksettä.\n\nPerustelu: {{reason}}\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nkassan har rättat sitt beslut att utesluta dig från och med {{effectiveDate}}. Ditt medlemskap fortsätter utan avbrott.\n\nMotivering: {{reason}}\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthe fund has corrected its decision to expel you from {{effectiveDate}}. Your membership continues without a break.\n\nReason: {{reason}}\n\nKind regards\n{{fundName}}',
    },
  },
  // The appeal goes to SAMU with the fund's statement; the member receives the statement.
  'appeal-forwarded': {
    subject: {
      fi: 'Valituksesi on lähetetty muutoksenhakulautakunnalle – {{fundName}}',
      sv: 'Ditt besvär har sänts till besvärsnämnden – {{fundName}}',
      en: 'Your appeal has been forwarded to the appeal board – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nkassa ei oikaissut päätöstään. Valituksesi (saapunut {{receivedOn}}) on lähetetty sosiaaliturva-asioiden muutoksenhakulautakunnalle (SAMU) kassan lausunnon kanssa.\n\nKassan lausunto: {{statement}}\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nkassan rättade inte sitt beslut. Ditt besvär (inkommet {{receivedOn}}) har sänts till besvärsnämnden för social trygghet (SAMU) med kassans utlåtande.\n\nKassans utlåtande: {{statement}}\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthe fund did not correct its decision. Your appeal (received {{receivedOn}}) has been forwarded to the Social Security Appeal Board (SAMU) with the fund\'s statement.\n\nThe fund\'s statement: {{statement}}\n\nKind regards\n{{fundName}}',
    },
  },
  // SAMU overturned the expulsion: the membership is reinstated.
  'samu-overturned': {
    subject: {
      fi: 'Jäsenyytesi on palautettu – {{fundName}}',
      sv: 'Ditt medlemskap har återställts – {{fundName}}',
      en: 'Your membership has been reinstated – {{fundName}}',
    },
    body: {
      fi: 'Hei {{firstName}},\n\nsosiaaliturva-asioiden muutoksenhakulautakunta kumosi {{ruledOn}} päätöksen erottaa sinut. Jäsenyytesi jatkuu keskeytyksettä.\n\nYstävällisin terveisin\n{{fundName}}',
      sv: 'Hej {{firstName}},\n\nbesvärsnämnden för social trygghet upphävde {{ruledOn}} beslutet att utesluta dig. Ditt medlemskap fortsätter utan avbrott.\n\nMed vänliga hälsningar\n{{fundName}}',
      en: 'Dear {{firstName}},\n\nthe Social Security Appeal Board overturned the decision to expel you on {{ruledOn}}. Your membership continues without a break.\n\nKind regards\n{{fundName}}',
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
