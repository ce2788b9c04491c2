import type { Localized } from '../localized';

/**
 * Appeal instructions for a membership decision: appeal to SAMU within 30 days of learning of the
 * decision, deemed known on the 7th day after mailing, delivered to the fund (domain.md §1.4).
 * `deliverTo` names the fund in the case each sentence needs ("Avoimelle työttömyyskassalle").
 */
export function appealInstructions(deliverTo: Localized): Localized {
  return {
    fi:
      'Muutoksenhaku: Jos olet tyytymätön päätökseen, voit hakea siihen muutosta sosiaaliturva-asioiden muutoksenhakulautakunnalta (SAMU). ' +
      `Toimita kirjallinen valitus ${deliverTo.fi} 30 päivän kuluessa siitä, kun sait tiedon päätöksestä. ` +
      'Sinun katsotaan saaneen tiedon päätöksestä seitsemäntenä päivänä sen postittamisesta, jollei muuta näytetä. ' +
      'Kassa voi itse oikaista päätöksensä; muuten se lähettää valituksen lautakunnalle lausuntonsa kanssa.',
    sv:
      'Sökande av ändring: Om du är missnöjd med beslutet kan du överklaga det hos besvärsnämnden för social trygghet (SAMU). ' +
      `Lämna in ett skriftligt besvär ${deliverTo.sv} inom 30 dagar från det att du fick del av beslutet. ` +
      'Du anses ha fått del av beslutet den sjunde dagen efter att det postades, om inte något annat visas. ' +
      'Kassan kan själv rätta sitt beslut; annars sänder den besväret till nämnden tillsammans med sitt utlåtande.',
    en:
      'How to appeal: If you are not satisfied with this decision, you may appeal to the Social Security Appeal Board (SAMU). ' +
      `Deliver your written appeal ${deliverTo.en} within 30 days of learning of the decision. ` +
      'You are deemed to have learned of the decision on the seventh day after it was mailed, unless shown otherwise. ' +
      'The fund may correct its decision itself; otherwise it forwards your appeal to the Board with its statement.',
  };
}
