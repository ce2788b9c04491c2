import type { ApplicationData } from './application';

/** What an applicant may send in answer to a completion request: any field but the identity. */
export type SupplementData = Omit<Partial<ApplicationData>, 'employment' | 'identityCode' | 'language'> & {
  employment?: Partial<ApplicationData['employment']>;
};

/** A supplement fills in or corrects fields; nested groups are merged, not replaced wholesale. */
export function mergeSupplement(data: ApplicationData, supplement: SupplementData): ApplicationData {
  const merged: ApplicationData = { ...data, ...supplement, employment: { ...data.employment, ...supplement.employment } };
  if (supplement.eligibility) merged.eligibility = { ...data.eligibility, ...supplement.eligibility };
  if (supplement.address) merged.address = { ...data.address, ...supplement.address };
  return merged;
}
