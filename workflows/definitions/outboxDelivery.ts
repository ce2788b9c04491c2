/** The outbox's delivery process (docs/decisions/018-outbox.md): one per deployment. */
export const outboxDeliveryWorkflowId = 'outbox-delivery';
export const outboxDeliveryQueue = 'register' as const;

export interface OutboxDeliveryInput {
  /** The wait when a round found nothing due (milliseconds). */
  pollEveryMs: number;
  /** Rounds before the process continues as new (keeps its history short). */
  roundsPerRun?: number;
}
