import { has, t, formatMoney, type Lang, type MessageKey, type Params } from './index';

/** What the desk knows of an API problem: its stable code, the code's params and the HTTP status. */
export interface ProblemCode {
  code?: string | null | undefined;
  params?: Params | null | undefined;
  status?: number | null | undefined;
}

/** The generic code of each status (services/errors.ts defaultCode), for a code the desk does not know. */
const statusCodes: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** The dictionary key of a problem code: `code.<code>`. */
export function codeKey(code: string): string {
  return `code.${code}`;
}

/**
 * A problem in the reader's language, from its code and params: `payment_not_unmatched` with
 * `{ status: 'allocated' }` → "Maksu ei ole enää kohdistamaton (tila: allocated)." A param ending in
 * `Cents` is also given as money without the suffix (`amountCents` → `{amount}`). A code without a
 * translation falls back to its status's generic message, then to a generic one: never the API's
 * English `detail`.
 * @example problemText('fi', { code: 'task_not_current' })
 */
export function problemText(lang: Lang, problem: ProblemCode | null | undefined): string {
  const params: Params = {};
  for (const [k, v] of Object.entries(problem?.params ?? {})) {
    params[k] = v;
    if (k.endsWith('Cents') && typeof v === 'number') params[k.slice(0, -5)] = formatMoney(lang, v);
  }
  const candidates = [problem?.code, problem?.status ? statusCodes[problem.status] : undefined].filter((c): c is string => !!c);
  for (const code of candidates) {
    const key = codeKey(code);
    if (has(key)) return t(lang, key as MessageKey, params);
  }
  return t(lang, 'code.error');
}
