/**
 * What a desk form action handed back (failAction or fail), read the same way on every page: the
 * API's problem for the alert, the values as typed, and the errors by field name.
 */
export function actionResult(form: unknown): { problem: { title: string; detail: string } | undefined; values: Record<string, string>; errors: Record<string, string> } {
  const f = (form ?? {}) as { problem?: { title: string; detail: string }; values?: Record<string, string>; errors?: Record<string, string> };
  return { problem: f.problem, values: f.values ?? {}, errors: f.errors ?? {} };
}
