import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signs the public link in a completion request so only its recipient can answer it. */
export class SupplementLinks {
  constructor(
    private readonly secret: string,
    private readonly publicBaseUrl: string,
  ) {}

  token(applicationId: string, round: number): string {
    return createHmac('sha256', this.secret).update(`${applicationId}:${round}`).digest('base64url');
  }

  url(applicationId: string, round: number): string {
    return `${this.publicBaseUrl}/forms/supplement/${applicationId}?round=${round}&token=${this.token(applicationId, round)}`;
  }

  verify(applicationId: string, round: number, token: string): boolean {
    const expected = Buffer.from(this.token(applicationId, round));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
