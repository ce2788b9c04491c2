import { proxyActivities } from '@temporalio/workflow';
// Only import the activity types
import type { UnionMemberListActivities } from '../activities/unionRemittance';
import { todayInHelsinki } from '../domain/dates';
import type { UnionMemberListsInput, UnionMemberListsResult } from './definitions/unionRemittanceMismatch';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyActivities<UnionMemberListActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' } });

/**
 * Sends every union its member list (status, paid-through dates, differences against what the
 * union reported) through the union-exchange adapter: one activity per union, each delivery keyed
 * by union and day, so a retry or a re-run sends nothing twice.
 */
export async function unionMemberLists(input: UnionMemberListsInput): Promise<UnionMemberListsResult> {
  const asOf = input.asOf ?? todayInHelsinki(new Date());
  const sent: UnionMemberListsResult['sent'] = [];
  markProcess('union-member-lists', { key: asOf, status: 'sending' });
  for (const unionCode of await acts.unionCodesToList()) {
    sent.push({ unionCode, ...(await acts.sendUnionMemberList({ unionCode, asOf })) });
  }
  processStatus('sent');
  return { asOf, sent };
}

/** The schedule's entry: the lists as of the day it runs. */
export async function scheduledUnionMemberLists(): Promise<UnionMemberListsResult> {
  // The same process run inline: it marks itself as `union-member-lists` of the day.
  return unionMemberLists({});
}
