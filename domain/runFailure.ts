/**
 * The stable code of a run's failure (decision 071) from what the workflow caught: the `type` of
 * the ApplicationFailure an activity (or the workflow) threw, `timeout` or `cancelled`. A type the
 * run's codes do not name (an error the activity did not expect, say `PostgresError`) and a
 * failure reported without one (by a workflow from before decision 071) are `unexpected`: the
 * desk then shows its generic sentence, the failure's own words still kept for administrators.
 */
export function runFailureCode<C extends string>(codes: readonly C[], type: string | null | undefined): C | 'unexpected' {
  return type && (codes as readonly string[]).includes(type) ? (type as C) : 'unexpected';
}
