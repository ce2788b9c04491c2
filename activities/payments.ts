import type { Database } from '../db/client';
import type { FundProfile } from '../domain/fundProfile';

export interface PaymentDeps {
  db: Database;
  profile: FundProfile;
}

/** Payment-file activities (parse, book, match, allocate); filled in by the payments slice. */
export function createPaymentActivities(_deps: PaymentDeps) {
  return {};
}
