/** The outcome groups of a union batch's lines, in the order the desk shows them (domain/unions/batchProgress.ts). */
export { unionOutcomeGroups as outcomeGroups } from '../../domain/unions/batchProgress';
