import type { FundProfile } from '../fundProfile';
import { appealInstructions } from './appealInstructions';
import { standardMessages } from './messageTemplates';

/**
 * Korkeasti koulutettujen työttömyyskassa KOKO: higher-education degrees, upper-level employees
 * and working students in those fields, so the join form asks for the eligibility basis.
 * [U] Business id, IBAN and BIC are made-up demo values (checksum-valid, belonging to no one);
 * the Swedish and English names are our translations. Replace them from the fund before use.
 */
export const kokoProfile: FundProfile = {
  id: 'koko',
  name: {
    fi: 'Korkeasti koulutettujen työttömyyskassa KOKO',
    sv: 'Arbetslöshetskassan för högutbildade KOKO',
    en: 'KOKO Unemployment Fund for the Highly Educated',
  },
  businessId: '0715369-1',
  iban: 'FI1740550010123459',
  bic: 'DEMOFIHH',
  scope: 'higher-education',
  maxJoinAge: 68,
  // [U] Intake timings are our assumption; funds set their own.
  intake: { completionDeadline: '14d', maxCompletionRounds: 1, reviewDue: '5d', reviewPriority: 3 },
  joinForm: { askEligibilityBasis: true, askUnion: true },
  // Demo codes, not an official union register.
  unions: [
    { code: '050', name: 'Akavan Erityisalat' },
    { code: '051', name: 'Agronomiliitto' },
    { code: '052', name: 'Kulttuurialan asiantuntijat' },
  ],
  appealInstructions: appealInstructions({
    fi: 'KOKO-kassalle',
    sv: 'till KOKO-kassan',
    en: 'to KOKO',
  }),
  messages: standardMessages,
};
