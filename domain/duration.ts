const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Milliseconds in a configured duration: a whole number and a unit, s, m, h or d ('14d', '90s').
 * Durations are fund configuration so tests can run a member's year in seconds.
 */
export function parseDuration(s: string): number {
  const match = /^(\d+)([smhd])$/.exec(s);
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (!match || unit === undefined) {
    throw new Error(`duration "${s}": write a whole number and a unit s, m, h or d, e.g. "14d" or "90s"`);
  }
  const ms = Number(match[1]) * UNIT_MS[unit];
  if (!Number.isSafeInteger(ms)) throw new Error(`duration "${s}" is too long`);
  return ms;
}
