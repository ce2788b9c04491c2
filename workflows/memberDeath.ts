import { proxyLocalActivities, proxyActivities } from '@temporalio/workflow';
// Only import the activity types
import type { MembershipActivities } from '../activities/membership';

export interface MemberDeathInput {
  memberId: string;
  dateOfDeath: string;
  precision: 'day' | 'month' | 'year';
  by: string;
  source: 'population-register' | 'caseworker';
  sourceKey?: string;
}

const local = proxyLocalActivities<MembershipActivities>({ startToCloseTimeout: '1 minute' });
const remote = proxyActivities<MembershipActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });

/** A member's death (`death/<memberId>`): membership ends that day, other processes stop, no letters. */
export async function memberDeath(input: MemberDeathInput): Promise<{ stopped: number }> {
  const { workflowIds } = await local.recordDeath(input);
  if (workflowIds.length > 0) await remote.cancelProcesses({ workflowIds, reason: 'member deceased' });
  return { stopped: workflowIds.length };
}
