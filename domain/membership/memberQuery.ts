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

/**
 * True when a search is, or starts, an identity code (a birth date followed by the century sign):
 * such a query must not travel in a URL, where browser history and proxy logs keep it. Six digits
 * alone stay allowed: they are also a member number.
 */
export function looksLikeIdentityCode(raw: string): boolean {
  const query = parseMemberQuery(raw);
  return query?.kind === 'identity-code' || (query?.kind === 'identity-code-prefix' && query.memberNumbers.length === 0);
}

/** What a desk search for an application means: its id (as the applicant was told it), an identity code, or words of a name. */
export type ApplicationQuery = { kind: 'application-id'; id: string } | { kind: 'identity-code'; identityCode: string } | { kind: 'name'; words: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads an application search; null when it names no application (too short, or a number, which
 * only members have). The id is matched whole: a fragment of one finds nothing.
 */
export function parseApplicationQuery(raw: string): ApplicationQuery | null {
  const q = raw.trim().replace(/\s+/g, ' ');
  if (q.length < 2) return null;
  const lower = q.toLowerCase();
  if (UUID.test(lower)) return { kind: 'application-id', id: lower };
  const upper = q.toUpperCase();
  if (IDENTITY_CODE.test(upper)) return { kind: 'identity-code', identityCode: upper };
  if (/\d/.test(q)) return null;
  return { kind: 'name', words: lower.split(' ').filter((w) => w.length > 0).slice(0, MAX_NAME_WORDS) };
}

/**
 * The strings that start with `prefix`, as a half-open range in code-point order (PostgreSQL's
 * "C" collation over UTF-8 compares bytes, which orders as code points): `from <= s < to`. `to`
 * is the prefix with its last code point raised by one (trailing U+10FFFF dropped first), or
 * null when nothing is above (no upper bound). A range, unlike `like 'prefix%'`, is a pair of
 * parameters that a prepared statement's generic plan can still turn into index bounds
 * (docs/decisions/054-member-search-prepared-with-its-audit-row.md).
 */
export function prefixRange(prefix: string): { from: string; to: string | null } {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0 && points[points.length - 1] === 0x10ffff) points.pop();
  if (points.length === 0) return { from: prefix, to: null };
  let last = points.pop()! + 1;
  // Surrogate code points do not occur in text; step over them as UTF-8 does.
  if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
  return { from: prefix, to: String.fromCodePoint(...points, last) };
}
