import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { executePrepared, type Database, type DbOrTx } from '../client';
import { deskSessions } from '../schema';
import type { SessionEndReason } from '../../domain/vocabulary';

export type DeskSessionRow = typeof deskSessions.$inferSelect;
export type NewDeskSession = typeof deskSessions.$inferInsert;

const seconds = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

export async function insertSession(db: DbOrTx, row: NewDeskSession): Promise<DeskSessionRow> {
  const [saved] = await db.insert(deskSessions).values(row).returning();
  return saved!;
}

/** Use is recorded at most this often, so parallel requests of one session do not queue on its row. */
const TOUCH_EVERY_MS = 15_000;

type SessionJson = { [K in keyof DeskSessionRow]: DeskSessionRow[K] extends Date ? string : DeskSessionRow[K] extends Date | null ? string | null : DeskSessionRow[K] };

const dateOrNull = (s: string | null) => (s === null ? null : new Date(s));

/**
 * The session, if it is live: not ended, not past its absolute end and not unused for longer
 * than `idleMs` (to within TOUCH_EVERY_MS); marks it as used now. The database's clock decides,
 * so web servers agree. The check runs on every desk request: a named prepared statement
 * (constant text; parsed and planned once per connection, docs/decisions/054-member-search-prepared-with-its-audit-row.md);
 * the mark, an UPDATE with its own commit, only when the last one is older than TOUCH_EVERY_MS.
 */
export async function touchLiveSession(db: Database, tokenHash: string, idleMs: number): Promise<DeskSessionRow | undefined> {
  const [live] = await executePrepared<SessionJson & { stale: boolean }>(
    db,
    sql`SELECT id, token_hash AS "tokenHash", user_id AS "userId", user_name AS "userName", roles, refresh_token AS "refreshToken",
          created_at AS "createdAt", last_seen_at AS "lastSeenAt", refresh_at AS "refreshAt", expires_at AS "expiresAt",
          ended_at AS "endedAt", end_reason AS "endReason", last_seen_at < now() - ${seconds(TOUCH_EVERY_MS)} AS stale
        FROM desk_sessions
        WHERE token_hash = ${tokenHash}::text AND ended_at IS NULL AND expires_at > now() AND last_seen_at > now() - make_interval(secs => ${idleMs / 1000}::float8)`,
  );
  if (!live) return undefined;
  const { stale, ...columns } = live;
  const row: DeskSessionRow = {
    ...columns,
    createdAt: new Date(columns.createdAt),
    lastSeenAt: new Date(columns.lastSeenAt),
    refreshAt: new Date(columns.refreshAt),
    expiresAt: new Date(columns.expiresAt),
    endedAt: dateOrNull(columns.endedAt),
  };
  if (!stale) return row;
  const [touched] = await db
    .update(deskSessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(deskSessions.id, row.id), isNull(deskSessions.endedAt)))
    .returning();
  return touched;
}

/** Why a session that is not live stopped being so; null when it was already ended (or never was). */
export async function lapsedReason(db: DbOrTx, tokenHash: string): Promise<{ id: string; userId: string; reason: SessionEndReason } | null> {
  const [row] = await db
    .select({ id: deskSessions.id, userId: deskSessions.userId, expired: sql<boolean>`${deskSessions.expiresAt} <= now()` })
    .from(deskSessions)
    .where(and(eq(deskSessions.tokenHash, tokenHash), isNull(deskSessions.endedAt)));
  return row ? { id: row.id, userId: row.userId, reason: row.expired ? 'expired' : 'idle' } : null;
}

/**
 * Takes the session's due role check for the calling request: moves the next check `retryMs`
 * ahead, so parallel requests do not spend the same refresh token twice. Returns the sealed
 * refresh token, or undefined when the check is not due or another request took it.
 */
export async function claimRefresh(db: DbOrTx, id: string, retryMs: number): Promise<{ refreshToken: string | null } | undefined> {
  const [row] = await db
    .update(deskSessions)
    .set({ refreshAt: sql`now() + ${seconds(retryMs)}` })
    .where(and(eq(deskSessions.id, id), isNull(deskSessions.endedAt), sql`${deskSessions.refreshAt} <= now()`))
    .returning({ refreshToken: deskSessions.refreshToken });
  return row;
}

/** Stores what the IdP answered at a role check; the next one is `refreshEveryMs` away. */
export async function recordRefresh(
  db: DbOrTx,
  id: string,
  values: { userName: string; refreshToken: string | null; refreshEveryMs: number },
): Promise<DeskSessionRow | undefined> {
  const [row] = await db
    .update(deskSessions)
    .set({ userName: values.userName, refreshToken: values.refreshToken, refreshAt: sql`now() + ${seconds(values.refreshEveryMs)}` })
    .where(and(eq(deskSessions.id, id), isNull(deskSessions.endedAt)))
    .returning();
  return row;
}

/**
 * Ends the live sessions the condition names and forgets their refresh tokens. Returns the ended
 * rows as they were (with the sealed refresh token, to revoke it at the IdP).
 */
async function endWhere(db: DbOrTx, condition: ReturnType<typeof eq>, reason: SessionEndReason): Promise<DeskSessionRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(deskSessions)
      .where(and(condition, isNull(deskSessions.endedAt)))
      .for('update');
    if (rows.length === 0) return [];
    await tx
      .update(deskSessions)
      .set({ endedAt: sql`now()`, endReason: reason, refreshToken: null })
      .where(and(condition, isNull(deskSessions.endedAt)));
    return rows;
  });
}

export const endSessionById = (db: DbOrTx, id: string, reason: SessionEndReason) => endWhere(db, eq(deskSessions.id, id), reason);
export const endSessionByToken = (db: DbOrTx, tokenHash: string, reason: SessionEndReason) => endWhere(db, eq(deskSessions.tokenHash, tokenHash), reason);
export const endSessionsOfUser = (db: DbOrTx, userId: string, reason: SessionEndReason) => endWhere(db, eq(deskSessions.userId, userId), reason);

/** Sessions still live (by the idle and absolute limits), oldest first. */
export async function liveSessions(db: DbOrTx, idleMs: number): Promise<DeskSessionRow[]> {
  return db
    .select()
    .from(deskSessions)
    .where(and(isNull(deskSessions.endedAt), gt(deskSessions.expiresAt, sql`now()`), gt(deskSessions.lastSeenAt, sql`now() - ${seconds(idleMs)}`)))
    .orderBy(asc(deskSessions.userId), asc(deskSessions.createdAt));
}

/** Rows of sessions that ended (or lapsed) over `keepMs` ago: nothing reads them any more. */
export async function purgeOldSessions(db: DbOrTx, keepMs: number): Promise<void> {
  await db.delete(deskSessions).where(sql`coalesce(${deskSessions.endedAt}, ${deskSessions.expiresAt}) < now() - ${seconds(keepMs)}`);
}
