import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ApplicationStatus } from '../../domain/vocabulary';
import type { SupplementData } from '../../domain/supplement';
import type { DecisionOutcome } from './humanDecision';
import type { QueueKind } from './taskQueues';

/** One application from receipt to a decision (`application/<applicationId>`). */
export const applicationWorkflowId = (applicationId: string) => `application/${applicationId}`;
export const applicationIntakeQueue: QueueKind = 'register';

export interface ApplicationIntakeInput {
  applicationId: string;
  /** From the fund profile, so tests can run the whole loop in seconds. */
  completionDeadlineMs: number;
  maxCompletionRounds: number;
  /**
   * An application the previous register received and had not decided, started after a real
   * migration run (decision 047, "Applications"): validated, then straight to a caseworker's
   * review — no automatic approval and no completion request, so the migration's start sends the
   * applicant nothing. The caseworker's decision and its letter go on as for any application.
   */
  migrated?: boolean;
}

export interface ApplicationIntakeResult {
  outcome: DecisionOutcome;
  memberId: string | null;
}

export interface SupplementRequest {
  round: number;
  data: SupplementData;
  submittedBy: string;
}

export interface IntakeState {
  status: ApplicationStatus;
  round: number;
  openTaskId: string | null;
  decision: { outcome: DecisionOutcome; decidedBy: string } | null;
}

/** The applicant's answer to the open completion request; refused when none is open. */
export const supplementUpdate = defineUpdate<{ accepted: true; round: number }, [SupplementRequest]>('supplement');
export const intakeStateQuery = defineQuery<IntakeState>('state');
