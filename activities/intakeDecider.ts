/**
 * The batched intake decider's side effects (decision 063): claims the applications received on
 * the batched path a batch at a time, validates each with the same rules as its own process would,
 * approves the clean ones in the batch's one transaction and hands the others to their own
 * process (`application/<id>`). Exactly once by the application's state: a batch claims only
 * applications still `received` and left to this decider, locked (`FOR UPDATE SKIP LOCKED`), and
 * its transaction changes that state; a crash before the commit leaves them to the next claim.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import type { Database, DbOrTx } from '../db/client';
import * as applicationsRepo from '../db/repositories/applications';
import * as messagesRepo from '../db/repositories/messages';
import { validateApplication } from '../domain/application';
import type { FundProfile } from '../domain/fundProfile';
import type { MessagingAdapter } from '../integrations/adapters/messaging';
import { applicationWorkflowId } from '../workflows/definitions/applicationIntake';
import type { IntakeDeciderRound } from '../workflows/definitions/intakeDecider';
import { createApplicationDecisions } from './applicationIntake';
import { inLanes } from './lanes';
import { sendKept } from './messages';
import type { ReconcileStarters } from './reconcile';
import { heartbeat } from './alive';

export interface IntakeDeciderDeps {
  db: Database;
  profile: FundProfile;
  today: () => string;
  messaging: MessagingAdapter;
  /** Starts an application's own process (the API's start, idempotent). */
  starters: Pick<ReconcileStarters, 'ensureIntakeStarted'>;
}

/** What one batch's transaction decided, for the work after its commit. */
export interface DecidedBatch {
  claimed: number;
  /** The approved applications' decision messages, to send after the commit. */
  messageKeys: string[];
  /** Applications that were not clean, to start their own process after the commit. */
  handedOver: string[];
}

/** Sends and starts at once per batch: calls to the messaging service and Temporal that answer one at a time. */
const LANES = 8;
/** Unsent decisions looked for at the start of a run and every PENDING_EVERY_MS after, a page at a time. */
const PENDING_PAGE = 500;
const PENDING_EVERY_MS = 10_000;

/** The decider's steps, for its activity and for tests that drive a batch directly. */
export function createIntakeDecider(deps: IntakeDeciderDeps) {
  const decisions = createApplicationDecisions(deps);

  /** Its own process from here on (completion request, review): the decider never claims it again. */
  async function handOverRow(tx: DbOrTx, app: applicationsRepo.ApplicationRow, findings: Pick<applicationsRepo.ApplicationRow, 'findings' | 'outcome' | 'startDate'>, handedOver: string[]) {
    await applicationsRepo.updateApplication(tx, app.id, { ...findings, workflowId: applicationWorkflowId(app.id) });
    handedOver.push(app.id);
  }

  /**
   * One batch, inside the caller's transaction: claims, validates, approves (together,
   * approveMany: decision 066) or hands over. `careful`: each approval on a savepoint of its own,
   * and one that fails is handed to its own process instead of failing the batch (after a batch
   * failed: one application whose approval fails every time must not stop the others behind it;
   * its process shows and retries it alone).
   */
  async function decideBatch(tx: DbOrTx, deciderId: string, batchSize: number, careful = false): Promise<DecidedBatch> {
    const claimed = await applicationsRepo.claimReceivedApplications(tx, deciderId, batchSize);
    if (!claimed.length) return { claimed: 0, messageKeys: [], handedOver: [] };
    // The validation's two reads for the whole batch, as validated() makes them for one.
    const codes = [...new Set(claimed.map((a) => a.identityCode))];
    const [memberships, undecided] = await Promise.all([
      applicationsRepo.membershipsOfIdentityCodes(tx, codes),
      applicationsRepo.undecidedApplicationsOfIdentityCodes(tx, codes),
    ]);
    const today = deps.today();
    const messageKeys: string[] = [];
    const handedOver: string[] = [];
    const clean: Parameters<typeof decisions.approveMany>[1][number][] = [];
    const input = { decidedBy: 'system', reason: null, automatic: true, decider: deciderId };
    for (const app of claimed) {
      const result = validateApplication(app.data, {
        profile: deps.profile,
        receivedOn: app.receivedOn,
        today,
        memberships: memberships.get(app.identityCode) ?? [],
        otherOpenApplications: undecided.filter((u) => u.identityCode === app.identityCode && u.id !== app.id).length,
      });
      const findings = { findings: result.findings, outcome: result.outcome, startDate: result.startDate };
      if (result.outcome !== 'clean') await handOverRow(tx, app, findings, handedOver);
      else clean.push({ app, input, validated: findings });
    }
    // The fast path: the batch's approvals together (new members set-based).
    if (!careful) return { claimed: claimed.length, messageKeys: await decisions.approveMany(tx, clean), handedOver };
    for (const { app, validated } of clean) {
      try {
        messageKeys.push((await tx.transaction((t) => decisions.approveLocked(t, app, input, validated))).messageKey);
      } catch {
        await handOverRow(tx, app, validated, handedOver);
      }
    }
    return { claimed: claimed.length, messageKeys, handedOver };
  }

  /**
   * Sends decision messages under their own keys (the messaging service sends a key once); a
   * message the service refuses for good stays `failed` with its reason, as on the per-application
   * path (`decision-undeliverable-ends`); one that could not be sent now (the service down) stays
   * `pending` for deliverPending, so a messaging outage stops no decision. `beat` after each message
   * (the activity's heartbeat). Returns how many went out or were found sent.
   */
  async function deliver(messageKeys: string[], beat: () => void = () => {}): Promise<number> {
    let delivered = 0;
    // deliverMessage's two reads, once for the batch.
    const kept = await messagesRepo.findMessagesForDelivery(deps.db, messageKeys);
    await inLanes(kept, LANES, async ({ message, deceased }) => {
      try {
        await sendKept(deps, message, deceased);
        delivered++;
      } catch {
        // Refused for good (failed, with its reason) or not sent now (pending): deliverPending's.
      }
      beat();
    });
    return delivered;
  }

  /** Starts the handed-over applications' own processes (idempotent; reconcile starts any a crash left). */
  async function handOver(applicationIds: string[], beat: () => void = () => {}): Promise<void> {
    await inLanes(applicationIds, LANES, async (id) => {
      await deps.starters.ensureIntakeStarted(id);
      beat();
    });
  }

  /** The decision messages committed and not sent (a run stopped between, or the service was down). */
  async function deliverPending(deciderId: string, beat?: () => void): Promise<number> {
    return deliver(await messagesRepo.pendingDecisionMessagesOf(deps.db, deciderId, PENDING_PAGE), beat);
  }

  return { decideBatch, deliver, handOver, deliverPending };
}


/** The decider process's activity: batches until its budget is spent, heartbeating between them. */
export function createIntakeDeciderActivities(deps: IntakeDeciderDeps) {
  const decider = createIntakeDecider(deps);
  return {
    async decideReceivedApplications(input: { deciderId: string; batchSize: number; pollEveryMs: number; budgetMs: number }): Promise<IntakeDeciderRound> {
      const until = Date.now() + input.budgetMs;
      const round: IntakeDeciderRound = { claimed: 0, approved: 0, handedOver: 0, delivered: 0 };
      const beat = () => heartbeat(round);
      let pendingAt = Date.now();
      round.delivered += await decider.deliverPending(input.deciderId, beat);
      let careful = false;
      while (!cancelled()) {
        beat();
        let batch: DecidedBatch;
        try {
          batch = await deps.db.transaction((tx) => decider.decideBatch(tx, input.deciderId, input.batchSize, careful));
        } catch (error) {
          // Even one approval at a time failed: the database itself (the activity's retry with backoff).
          if (careful) throw error;
          // The same batch again, each approval on its own savepoint (decideBatch). Said in the log,
          // by the database's error code only (its detail names the applicant): a fault that fails
          // every fast batch would otherwise only show as a slower decider.
          const code = (error as { code?: unknown }).code;
          try {
            Context.current().log.warn('intake decider: a batch failed; its approvals are retried one at a time', { deciderId: input.deciderId, sqlstate: typeof code === 'string' ? code : null });
          } catch {
            // Not in an activity.
          }
          careful = true;
          continue;
        }
        careful = false;
        round.claimed += batch.claimed;
        round.approved += batch.messageKeys.length;
        round.handedOver += batch.handedOver.length;
        const [delivered] = await Promise.all([decider.deliver(batch.messageKeys, beat), decider.handOver(batch.handedOver, beat)]);
        round.delivered += delivered;
        if (Date.now() - pendingAt >= PENDING_EVERY_MS) {
          pendingAt = Date.now();
          round.delivered += await decider.deliverPending(input.deciderId, beat);
        }
        if (Date.now() >= until) break;
        if (batch.claimed === 0) await sleep(input.pollEveryMs);
      }
      return round;
    },
  };
}

export type IntakeDeciderActivities = ReturnType<typeof createIntakeDeciderActivities>;

function cancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
}
