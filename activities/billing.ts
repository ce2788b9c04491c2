import type { Database } from '../db/client';
import type { FundProfile } from '../domain/fundProfile';

export interface BillingDeps {
  db: Database;
  profile: FundProfile;
}

/** Billing-run activities (preview, approval task, commit); filled in by the billing slice. */
export function createBillingActivities(_deps: BillingDeps) {
  return {};
}
