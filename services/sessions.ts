/**
 * Desk sessions kept in the database (docs/decisions/008-desk-sessions.md): the browser holds a
 * random token, every request checks its row, and the session ends at once on logout, after the
 * idle or absolute timeout, when the IdP answers the periodic check with other roles (or not at
 * all), or when an administrator ends it. The HTTP layer talks to the IdP; this module decides.
 */
import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/deskSessions';
import type { SessionEndReason } from '../domain/vocabulary';
import type { ServiceContext } from './context';
import { failure } from './errors';
import { actorOf, hasRole, roles as knownRoles, type Principal } from './principal';

export interface SessionSettings {
  /** A session unused for this long ends (SESSION_IDLE_TIMEOUT). */
  idleTimeoutMs: number;
  /** A session ends this long after login, however busy (SESSION_MAX_AGE). */
  maxAgeMs: number;
  /** How often the user's roles are checked again at the IdP (SESSION_REFRESH_EVERY). */
  refreshEveryMs: number;
}

export const defaultSessionSettings: SessionSettings = { idleTimeoutMs: 30 * 60_000, maxAgeMs: 10 * 3_600_000, refreshEveryMs: 5 * 60_000 };

/** A failed role check is tried again this soon by the next request (a parallel one meanwhile goes on). */
const REFRESH_RETRY_MS = 60_000;
/** Ended sessions are kept this long (they show when someone was signed in), then deleted. */
const KEEP_ENDED_MS = 90 * 86_400_000;

/** Who signed in, as the IdP's claims say. */
export interface SessionUser {
  id: string;
  name: string;
  roles: string[];
}

export interface LiveSession {
  id: string;
  user: SessionUser;
  /** Set when this request is the one to check the roles at the IdP: the sealed refresh token it holds. */
  refresh: { refreshToken: string | null } | null;
}

/** The IdP's claims as the register reads them: only the roles it knows. */
export function sessionUserOf(claims: Record<string, unknown>): SessionUser {
  const roleClaim = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    id: String(claims.sub ?? ''),
    name: String(claims.name ?? claims.preferred_username ?? claims.sub ?? ''),
    roles: roleClaim.filter((r) => (knownRoles as readonly string[]).includes(r)),
  };
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
const userOf = (row: repo.DeskSessionRow): SessionUser => ({ id: row.userId, name: row.userName, roles: row.roles });
const system = { actor: 'system', actorKind: 'system' } as const;

async function auditEnded(ctx: ServiceContext, rows: readonly repo.DeskSessionRow[], reason: SessionEndReason, actor: ReturnType<typeof actorOf> | typeof system) {
  for (const row of rows) {
    await recordAudit(ctx.db, { ...actor, action: 'session.ended', entityType: 'desk-session', entityId: row.id, details: { user: row.userId, reason } });
  }
}

/** A new session after a login at the IdP; the token is for the cookie and is not stored. */
export async function startSession(ctx: ServiceContext, settings: SessionSettings, user: SessionUser, refreshToken: string | null): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const row = await repo.insertSession(ctx.db, {
    tokenHash: hashOf(token),
    userId: user.id,
    userName: user.name,
    roles: user.roles,
    refreshToken,
    refreshAt: new Date(now + settings.refreshEveryMs),
    expiresAt: new Date(now + settings.maxAgeMs),
  });
  await recordAudit(ctx.db, { actor: user.id, actorKind: 'user', action: 'session.started', entityType: 'desk-session', entityId: row.id, details: { roles: user.roles } });
  await repo.purgeOldSessions(ctx.db, KEEP_ENDED_MS);
  return { id: row.id, token };
}

/**
 * The live session the cookie's token names, marked as used; null when there is none (unknown,
 * ended, or lapsed now: a lapsed one is ended here with its reason).
 */
export async function resumeSession(ctx: ServiceContext, settings: SessionSettings, token: string): Promise<LiveSession | null> {
  const tokenHash = hashOf(token);
  const row = await repo.touchLiveSession(ctx.db, tokenHash, settings.idleTimeoutMs);
  if (!row) {
    const lapsed = await repo.lapsedReason(ctx.db, tokenHash);
    if (lapsed) await auditEnded(ctx, await repo.endSessionById(ctx.db, lapsed.id, lapsed.reason), lapsed.reason, system);
    return null;
  }
  const refresh = row.refreshAt.getTime() <= Date.now() ? ((await repo.claimRefresh(ctx.db, row.id, REFRESH_RETRY_MS)) ?? null) : null;
  return { id: row.id, user: userOf(row), refresh };
}

/**
 * What the IdP answered when the session's roles were checked: the user's claims now and the
 * refresh token to use next time, or null when it refused (or could not be asked). The session
 * goes on only when it is the same user with the same roles; otherwise it ends, and null is returned.
 */
export async function sessionChecked(
  ctx: ServiceContext,
  settings: SessionSettings,
  session: LiveSession,
  answer: { user: SessionUser; refreshToken: string | null } | null,
): Promise<SessionUser | null> {
  const reason: SessionEndReason | null = !answer || answer.user.id !== session.user.id ? 'refresh-failed' : sameRoles(answer.user.roles, session.user.roles) ? null : 'roles-changed';
  if (reason) {
    await auditEnded(ctx, await repo.endSessionById(ctx.db, session.id, reason), reason, system);
    return null;
  }
  const row = await repo.recordRefresh(ctx.db, session.id, { userName: answer!.user.name, refreshToken: answer!.refreshToken, refreshEveryMs: settings.refreshEveryMs });
  return row ? userOf(row) : null;
}

/** Logout: ends the cookie's session; returns its sealed refresh token (to revoke at the IdP), if it had one. */
export async function endSession(ctx: ServiceContext, token: string): Promise<{ refreshToken: string | null } | null> {
  const [row] = await repo.endSessionByToken(ctx.db, hashOf(token), 'logout');
  if (!row) return null;
  await auditEnded(ctx, [row], 'logout', { actor: row.userId, actorKind: 'user' });
  return { refreshToken: row.refreshToken };
}

export interface DeskSessionView {
  id: string;
  user: { id: string; name: string };
  roles: string[];
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

function requireAdmin(p: Principal) {
  if (!hasRole(p, 'admin')) throw failure(403, 'sessions_admin_only', 'Only administrators may see and end desk sessions.');
}

/** The live desk sessions, by user (administrators). */
export async function listDeskSessions(ctx: ServiceContext, settings: SessionSettings, p: Principal): Promise<{ items: DeskSessionView[] }> {
  requireAdmin(p);
  const rows = await repo.liveSessions(ctx.db, settings.idleTimeoutMs);
  return {
    items: rows.map((r) => ({
      id: r.id,
      user: { id: r.userId, name: r.userName },
      roles: r.roles,
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
    })),
  };
}

/** Ends every session of a user at once (administrators; audited per session). */
export async function endUserSessions(ctx: ServiceContext, p: Principal, userId: string): Promise<{ userId: string; ended: number }> {
  requireAdmin(p);
  if (userId.trim() === '') throw failure(400, 'invalid_request', 'userId: is required', { invalidParams: [{ name: 'userId', reason: 'is required' }] });
  const rows = await repo.endSessionsOfUser(ctx.db, userId, 'ended-by-admin');
  await auditEnded(ctx, rows, 'ended-by-admin', actorOf(p));
  return { userId, ended: rows.length };
}
