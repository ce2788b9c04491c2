import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
// Only import the activity types
import type { MemberDeathActivities } from '../activities/memberDeath';
import type { MemberDeathInput, MemberDeathResult } from './definitions/memberDeath';
import { markProcess, processStatus } from './processAttributes';

const local = proxyLocalActivities<MemberDeathActivities>({ startToCloseTimeout: '1 minute' });
const remote = proxyActivities<MemberDeathActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });

/** A member's death (`death/<memberId>`): membership ends that day, other processes stop, no letters. */
export async function memberDeath(input: MemberDeathInput): Promise<MemberDeathResult> {
  markProcess('member-death', { key: input.memberId, memberId: input.memberId, status: 'recording' });
  const { workflowIds } = await local.recordDeath(input);
  if (workflowIds.length > 0) await remote.cancelProcesses({ workflowIds, reason: 'member deceased' });
  processStatus('recorded');
  return { stopped: workflowIds.length };
}
