import type { FundProfile } from '../fundProfile';
import { appealInstructions } from './appealInstructions';
import { standardMessages } from './messageTemplates';

/**
 * Avoin työttömyyskassa (A-kassa), open to every wage earner.
 * [U] Business id, IBAN and BIC are made-up demo values (checksum-valid, belonging to no one);
 * the Swedish and English names are our translations. Replace them from the fund before use.
 */
export const aKassaProfile: FundProfile = {
  id: 'a-kassa',
  name: {
    fi: 'Avoin työttömyyskassa',
    sv: 'Öppna arbetslöshetskassan',
    en: 'Open Unemployment Fund (A-kassa)',
  },
  businessId: '2931547-9',
  iban: 'FI3579910000070124',
  bic: 'DEMOFIHH',
  scope: 'open',
  maxJoinAge: 68,
  // [U] Intake timings are our assumption; funds set their own.
  intake: { completionDeadline: '14d', maxCompletionRounds: 1, reviewDue: '5d', reviewPriority: 3 },
  joinForm: { askEligibilityBasis: false, askUnion: true },
  // Demo codes, not an official union register.
  unions: [
    { code: '015', name: 'Teollisuusliitto' },
    { code: '016', name: 'Paperiliitto' },
    { code: '017', name: 'Sähköalojen ammattiliitto' },
  ],
  appealInstructions: appealInstructions({
    fi: 'Avoimelle työttömyyskassalle',
    sv: 'till Öppna arbetslöshetskassan',
    en: 'to the Open Unemployment Fund (A-kassa)',
  }),
  messages: standardMessages,
};
