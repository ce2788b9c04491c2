/**
 * What the desk and a union read of a received batch (issue 13): each line's outcome in a group,
 * the counts per group, and whether the batch is done, still being processed, or was interrupted
 * (a crash or a dropped connection between lines; sending the same batch again finishes it).
 */

/** The groups of a line's outcome, in the order the desk shows them. */
export const unionOutcomeGroups = ['started', 'recorded', 'booked', 'already-booked', 'mismatch', 'refused'] as const;
export type UnionOutcomeGroup = (typeof unionOutcomeGroups)[number];

/** Outcomes that are no problem, by group; a `mismatch:<reason>` is a mismatch; anything else (not_found, a refusal's code) is refused. */
const plainOutcomes: Record<string, UnionOutcomeGroup> = {
  'application-started': 'started',
  'resignation-started': 'started',
  recorded: 'recorded',
  booked: 'booked',
  'already-booked': 'already-booked',
};

/** The outcomes that are no problem (for SQL filters). */
export const unproblematicOutcomes: readonly string[] = Object.keys(plainOutcomes);

export function outcomeGroup(outcome: string): UnionOutcomeGroup {
  if (outcome.startsWith('mismatch:')) return 'mismatch';
  return plainOutcomes[outcome] ?? 'refused';
}

/** The reason a line was not done as sent: the mismatch's reason or the refusal's code; null for the others. */
export function outcomeReason(outcome: string): string | null {
  if (outcome.startsWith('mismatch:')) return outcome.slice('mismatch:'.length);
  return outcome in plainOutcomes ? null : outcome;
}

export type UnionOutcomeCounts = Record<UnionOutcomeGroup, number>;

/** Counts per group from counts per outcome. */
export function outcomeCounts(byOutcome: Readonly<Record<string, number>>): UnionOutcomeCounts {
  const counts = Object.fromEntries(unionOutcomeGroups.map((g) => [g, 0])) as UnionOutcomeCounts;
  for (const [outcome, n] of Object.entries(byOutcome)) counts[outcomeGroup(outcome)] += n;
  return counts;
}

export const unionBatchStatuses = ['processing', 'interrupted', 'done'] as const;
export type UnionBatchStatus = (typeof unionBatchStatuses)[number];

/**
 * A batch still short of lines with nothing written for this long is no longer being processed:
 * lines are written one after another, each within seconds.
 */
export const UNION_BATCH_STALL_MS = 5 * 60_000;

/** The batch's status from its counts and its last sign of life (received, or the last line written). */
export function unionBatchStatus(b: { events: number; processed: number; lastActivityAt: Date }, now: Date): UnionBatchStatus {
  if (b.processed >= b.events) return 'done';
  return now.getTime() - b.lastActivityAt.getTime() > UNION_BATCH_STALL_MS ? 'interrupted' : 'processing';
}
