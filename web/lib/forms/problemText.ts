import { has, label, t, formatMoney, type Lang } from '$lib/i18n';

/** A refusal as an action hands it to its page: the API's stable code and params, and its English detail. */
export interface CodedProblem {
  code?: string | null;
  params?: Record<string, string | number> | null;
  detail?: string;
}

/**
 * The refusal in the reader's language: the dictionary's `problemCode.<code>` with the params
 * filled in (cents as money, an invoice status by its label), else the API's own detail.
 */
export function problemText(lang: Lang, problem: CodedProblem): string {
  const key = `problemCode.${problem.code ?? ''}`;
  if (!problem.code || !has(key)) return problem.detail ?? '';
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(problem.params ?? {})) {
    if (name.endsWith('Cents') && typeof value === 'number') params[name.replace(/Cents$/, '')] = formatMoney(lang, value);
    else if (name === 'status' && typeof value === 'string') params[name] = label(lang, 'invoiceStatus', value);
    else params[name] = value;
  }
  return t(lang, key, params);
}
