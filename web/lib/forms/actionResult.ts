/** A failed action's problem: `code` and `params` are what the page shows (translated); `detail` is the API's English. */
export interface FormProblem {
  title: string;
  detail: string;
  status: number;
  code: string | null;
  params: Record<string, string | number>;
}

/**
 * What a desk form action handed back (failAction or fail), read the same way on every page: the
 * API's problem for the alert, the values as typed, and the errors by field name.
 */
export function actionResult(form: unknown): { problem: FormProblem | undefined; values: Record<string, string>; errors: Record<string, string> } {
  const f = (form ?? {}) as { problem?: FormProblem; values?: Record<string, string>; errors?: Record<string, string> };
  return { problem: f.problem, values: f.values ?? {}, errors: f.errors ?? {} };
}
