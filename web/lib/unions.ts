/** The outcome groups of a union batch's lines, in the order the desk shows them, and the batch statuses (domain/unions/batchProgress.ts). */
export { unionBatchStatuses as batchStatuses, unionOutcomeGroups as outcomeGroups } from '../../domain/unions/batchProgress';
