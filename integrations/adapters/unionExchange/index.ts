/**
 * The channel the fund sends each union its member list through (SFTP, e-mail with an encrypted
 * attachment, the union's API — agreed per union, domain.md §7 [U]). Small, so a real channel and
 * the fake are easy to swap (temporal/adapters.ts chooses).
 */

export interface UnionFileMeta {
  /** Idempotency key, e.g. `members-015-2026-12-01`: the same key twice is one delivery. */
  fileKey: string;
  unionCode: string;
  asOf: string;
  members: number;
}

export interface UnionExchangeAdapter {
  sendMemberList(file: string, meta: UnionFileMeta): Promise<{ deliveryId: string }>;
}
