/**
 * A failure the caller can act on; the HTTP layer turns it into problem+json with this status.
 * `code` is stable and machine-readable (snake_case): the desk and the public forms translate it
 * (with `params`) into fi/sv/en; `detail` stays English, written for the developer or integrator.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly code: string = defaultCode(status),
    readonly params: Record<string, string | number> = {},
  ) {
    super(detail);
    this.name = 'ServiceError';
  }
}

/** The code of an error that has not been given its own (yet): the status's generic meaning. */
export function defaultCode(status: number): string {
  const generic: Record<number, string> = {
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
  return generic[status] ?? 'error';
}

/**
 * The preferred way to fail: a stable code and the values its translation needs.
 * `failure(409, 'resignation_already_confirmed', 'The resignation was already confirmed.')`.
 */
export function failure(
  status: ServiceError['status'],
  code: string,
  detail: string,
  opts: { params?: Record<string, string | number>; invalidParams?: { name: string; reason: string; code?: string }[]; extra?: Record<string, unknown>; title?: string } = {},
): ServiceError {
  const extra = { ...opts.extra, ...(opts.invalidParams ? { invalidParams: opts.invalidParams } : {}) };
  return new ServiceError(status, opts.title ?? titleOf(status), detail, extra, code, opts.params ?? {});
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Invalid request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not found',
    409: 'Conflict',
    413: 'Too large',
    415: 'Unsupported media type',
    422: 'Unprocessable',
    429: 'Too many requests',
    503: 'Unavailable',
  };
  return titles[status] ?? 'Error';
}

/** `notFound('Member 123', 'member_not_found')`: the code names what was missing, for the desk's translation. */
export const notFound = (what: string, code = 'not_found') => new ServiceError(404, 'Not found', `${what} was not found, or you may not see it.`, {}, code);
export const forbidden = (detail: string) => new ServiceError(403, 'Forbidden', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new ServiceError(409, 'Conflict', detail, extra);

/** A search of fewer than two characters would match half the register. */
export const queryTooShort = () =>
  failure(400, 'search_query_too_short', 'Type at least two characters to search.', {
    params: { min: 2 },
    invalidParams: [{ name: 'q', reason: 'must be at least 2 characters', code: 'search_query_too_short' }],
  });

/** A range whose start is after its end. */
export const dateRangeReversed = () =>
  failure(400, 'date_range_reversed', '"from" must not be after "to".', { invalidParams: [{ name: 'from', reason: 'must not be after to', code: 'date_range_reversed' }] });
