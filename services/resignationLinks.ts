import { createHmac, timingSafeEqual } from 'node:crypto';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Signs the confirmation link of a resignation made on the public form. The link goes only to the
 * contact details already on record, so whoever holds it speaks for the member. The token names
 * the resignation and carries an HMAC of it; it is never logged.
 */
export class ResignationLinks {
  constructor(
    private readonly secret: string,
    private readonly publicBaseUrl: string,
  ) {}

  private mac(resignationId: string): string {
    return createHmac('sha256', this.secret).update(`resignation-confirmation:${resignationId}`).digest('base64url');
  }

  token(resignationId: string): string {
    return `${resignationId}.${this.mac(resignationId)}`;
  }

  url(resignationId: string): string {
    return `${this.publicBaseUrl}/resign/confirm?token=${encodeURIComponent(this.token(resignationId))}`;
  }

  /** The resignation a token names, or null when the token is altered or not ours. */
  verify(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot < 0) return null;
    const resignationId = token.slice(0, dot);
    if (!uuidPattern.test(resignationId)) return null;
    const expected = Buffer.from(this.mac(resignationId));
    const given = Buffer.from(token.slice(dot + 1));
    return expected.length === given.length && timingSafeEqual(expected, given) ? resignationId : null;
  }
}

/** The link key, derived from another secret when no own secret is configured (tests, old setups). */
export function deriveResignationLinkSecret(secret: string): string {
  return createHmac('sha256', secret).update('resignation-links').digest('base64url');
}
