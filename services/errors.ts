/** A failure the caller can act on; the HTTP layer turns it into problem+json with this status. */
export class ServiceError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 503,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ServiceError';
  }
}

export const notFound = (what: string) => new ServiceError(404, 'Not found', `${what} was not found, or you may not see it.`);
export const forbidden = (detail: string) => new ServiceError(403, 'Forbidden', detail);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new ServiceError(409, 'Conflict', detail, extra);
