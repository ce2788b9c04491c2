import { defineUpdate } from '@temporalio/workflow';
import type { AppealStatus } from '../../domain/expulsion/status';
import type { QueueKind } from './taskQueues';

/**
 * An appeal against an expulsion decision (`expulsion-appeal/<decisionId>`, one per decision):
 * the fund reconsiders in a caseworker task, correcting its decision itself or forwarding the
 * appeal to SAMU with its statement; SAMU's ruling is recorded later through `samuRuling`.
 */
export const expulsionAppealWorkflowId = (decisionId: string) => `expulsion-appeal/${decisionId}`;
export const expulsionAppealWorkflowType = 'expulsionAppeal';
export const expulsionAppealQueue: QueueKind = 'register';

export interface ExpulsionAppealInput {
  appealId: string;
}

export interface ExpulsionAppealResult {
  status: AppealStatus;
}

export interface SamuRuling {
  outcome: 'upheld' | 'overturned';
  ruledOn: string;
  recordedBy: string;
}

/** SAMU's ruling on a forwarded appeal; refused before the appeal is forwarded and after a ruling. */
export const samuRulingUpdate = defineUpdate<{ status: AppealStatus }, [SamuRuling]>('samuRuling');
