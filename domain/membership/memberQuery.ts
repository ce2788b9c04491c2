import { parseMemberReference } from '../billing/referenceNumber';

/**
 * What a search typed into the desk means. Six digits are a birth date (DDMMYY) or a member
 * number, so that kind carries both; a reference number (national or RF) stands for its member's
 * number.
 */
export type MemberQuery =
  | { kind: 'identity-code'; identityCode: string }
  | { kind: 'identity-code-prefix'; prefix: string; memberNumbers: number[] }
  | { kind: 'number'; memberNumbers: number[] }
  | { kind: 'name'; words: string[] };

/** At most this many words of a name are matched. */
const MAX_NAME_WORDS = 5;

const IDENTITY_CODE = /^\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]$/;
const IDENTITY_CODE_PREFIX = /^\d{6}([-+A-FU-Y]\d{0,3})?$/;

/** Member numbers a typed number may mean: itself, or the member behind a reference number. */
export function memberNumberCandidates(input: string): number[] {
  const candidates = new Set<number>();
  if (/^\d+$/.test(input)) candidates.add(Number(input));
  const reference = parseMemberReference(input);
  if (reference) candidates.add(reference.memberNumber);
  return [...candidates].filter((n) => Number.isSafeInteger(n) && n > 0);
}

/**
 * Reads a member search: an identity code (current or earlier), the start of one (a birth date
 * and more), a member or reference number, or else words of a name. Null when shorter than two
 * characters, which would match half the register.
 */
export function parseMemberQuery(raw: string): MemberQuery | null {
  const q = raw.trim().replace(/\s+/g, ' ');
  if (q.length < 2) return null;
  const upper = q.toUpperCase();
  const compact = upper.replace(/\s/g, '');
  if (IDENTITY_CODE.test(upper)) return { kind: 'identity-code', identityCode: upper };
  if (IDENTITY_CODE_PREFIX.test(upper) && upper.length > 6) return { kind: 'identity-code-prefix', prefix: upper, memberNumbers: [] };
  if (/^\d{6}$/.test(upper)) return { kind: 'identity-code-prefix', prefix: upper, memberNumbers: memberNumberCandidates(upper) };
  if (/^\d+$/.test(compact) || /^RF\d{2}/.test(compact)) return { kind: 'number', memberNumbers: memberNumberCandidates(compact) };
  return { kind: 'name', words: q.toLowerCase().split(' ').filter((w) => w.length > 0).slice(0, MAX_NAME_WORDS) };
}
