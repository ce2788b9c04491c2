import { createHash } from 'node:crypto';
import type { Database } from '../db/client';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import type { FundProfile } from '../domain/fundProfile';
import { recordAudit } from '../db/repositories/audit';
import * as financeRepo from '../db/repositories/finance';
import * as ledgerRepo from '../db/repositories/ledger';
import * as tasksRepo from '../db/repositories/tasks';
import { journalDays, type Accounts } from '../domain/billing/journal';
import { isNewMismatch, journalDayCsv, journalDayFile, journalDayFileKey, journalDayFileName, journalNets, ledgerNets, reconcileDay, type DayReconciliation } from '../domain/billing/journalReconciliation';
import { compareDates } from '../domain/dates';
import type { FinanceAdapter } from '../integrations/adapters/finance';
import { journalMismatchWorkflowId } from '../workflows/definitions/financeJournal';
import { keptAlive } from './alive';

export interface FinanceDeps {
  db: Database;
  /** The live fund profile (read per call): its task-group mapping names the group of a new task. */
  readonly profile: Pick<FundProfile, 'taskGroups'>;
  finance: FinanceAdapter;
  /** The finance system's account numbers (BOOKKEEPING_ACCOUNTS, services/bookkeeping.ts). */
  bookkeepingAccounts: Accounts;
}

/** How long a billing user has for a journal that differs from the ledger. */
const MISMATCH_TASK_DUE_MS = 3 * 24 * 3600_000;

/** The daily journal file to the finance system and the check of the journal against the ledger (decision 025). */
export function createFinanceActivities(deps: FinanceDeps) {
  const { db, finance, bookkeepingAccounts: accounts } = deps;
  const journalOf = async (day: string) => journalDayFile(day, journalDays(await ledgerRepo.ledgerGroups(db, day, day), accounts));

  const activities = {
    /**
     * Sends the day's journal file once: a day already recorded sends nothing; otherwise the
     * adapter takes it under the day's file key (one delivery however often it is asked) and the
     * delivery is recorded, so a retry between the two sends the same key again, never a second file.
     */
    async pushJournalDay({ day, workflowId }: { day: string; workflowId: string }): Promise<{ deliveryId: string; lines: number; alreadySent: boolean }> {
      const known = await financeRepo.findPush(db, day);
      if (known) return { deliveryId: known.deliveryId, lines: known.lines, alreadySent: true };
      const file = await journalOf(day);
      const csv = journalDayCsv(file);
      const sha256 = createHash('sha256').update(csv).digest('hex');
      const meta = { fileKey: journalDayFileKey(day), date: day, lines: file.lines.length, debitCents: file.debitCents, creditCents: file.creditCents, sha256 };
      const { deliveryId } = await finance.sendJournalDay({ csv: { name: journalDayFileName(day, 'csv'), content: csv }, json: { name: journalDayFileName(day, 'json'), content: `${JSON.stringify(file, null, 2)}\n` } }, meta);
      const row = await db.transaction(async (tx) => {
        const pushed = await financeRepo.recordPush(tx, { day, fileKey: meta.fileKey, deliveryId, sha256, lines: meta.lines, debitCents: meta.debitCents, creditCents: meta.creditCents, accountNets: journalNets(file.lines), workflowId });
        if (pushed.workflowId === workflowId) {
          await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'bookkeeping.journal-sent', entityType: 'journal', entityId: day, details: { deliveryId, lines: meta.lines, debitCents: meta.debitCents, creditCents: meta.creditCents } });
        }
        return pushed;
      });
      return { deliveryId: row.deliveryId, lines: row.lines, alreadySent: false };
    },

    /**
     * Checks every day in [from, to] that was sent, and `to` itself, against the ledger as it is
     * now: the sent file's (or, not sent, the journal's) net per account must equal the ledger's,
     * and its debits its credits. Each check is stored; a mismatch the day's previous check did
     * not have names a new `journal-mismatch/<id>` process for the workflow to start.
     */
    async reconcileJournalDays({ from, to }: { from: string; to: string }): Promise<{ checked: number; mismatches: string[]; newMismatches: { reconciliationId: string; day: string }[] }> {
      const pushes = new Map((await financeRepo.pushesBetween(db, from, to)).map((p) => [p.day, p]));
      const days = [...new Set([...pushes.keys(), to])].filter((d) => compareDates(d, from) >= 0).sort();
      const mismatches: string[] = [];
      const newMismatches: { reconciliationId: string; day: string }[] = [];
      for (const day of days) {
        const pushed = pushes.get(day);
        const ledger = ledgerNets(await ledgerRepo.ledgerGroups(db, day, day), accounts);
        let result: DayReconciliation;
        if (pushed) {
          result = reconcileDay({ date: day, against: 'pushed', journal: { nets: pushed.accountNets, debitCents: pushed.debitCents, creditCents: pushed.creditCents }, ledger });
        } else {
          const file = await journalOf(day);
          result = reconcileDay({ date: day, against: 'journal', journal: { nets: journalNets(file.lines), debitCents: file.debitCents, creditCents: file.creditCents }, ledger });
        }
        const previous = await financeRepo.latestReconciliation(db, day);
        const fresh = isNewMismatch(result, previous);
        const row = await db.transaction(async (tx) => {
          const stored = await financeRepo.insertReconciliation(tx, {
            day,
            against: result.against,
            status: result.status,
            journalBalanced: result.journalBalanced,
            journalDebitCents: result.journalDebitCents,
            journalCreditCents: result.journalCreditCents,
            differences: result.differences,
            // A mismatch already known keeps its process; only a new one gets its own.
            mismatchWorkflowId: result.status === 'mismatch' ? (fresh ? null : (previous?.mismatchWorkflowId ?? null)) : null,
            resolution: fresh ? 'open' : result.status === 'mismatch' ? (previous?.resolution ?? null) : null,
          });
          if (!fresh) return stored;
          const workflowId = journalMismatchWorkflowId(stored.id);
          await financeRepo.setMismatchWorkflow(tx, stored.id, workflowId);
          await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'bookkeeping.journal-mismatch', entityType: 'journal', entityId: day, details: { reconciliationId: stored.id, against: result.against, differences: result.differences.length, journalBalanced: result.journalBalanced } });
          return stored;
        });
        if (result.status === 'mismatch') mismatches.push(day);
        if (fresh) newMismatches.push({ reconciliationId: row.id, day });
      }
      return { checked: days.length, mismatches, newMismatches };
    },

    async openJournalMismatchTask({ reconciliationId, workflowId }: { reconciliationId: string; workflowId: string }): Promise<{ taskId: string }> {
      const r = await financeRepo.findReconciliation(db, reconciliationId);
      if (!r) throw new Error(`journal reconciliation ${reconciliationId} not found`);
      return db.transaction(async (tx) => {
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'resolve',
          ...taskKind('journal-mismatch'),
          queue: 'payments',
          subjectType: 'journal-reconciliation',
          subjectId: r.id,
          title: `journal ${r.day}: ${r.differences.map((d) => d.account).join(', ') || 'debits ≠ credits'}`,
          priority: 2,
          dueAt: new Date(Date.now() + MISMATCH_TASK_DUE_MS),
        }, kindGroupOf(deps.profile, 'journal-mismatch'));
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'task.opened', entityType: 'task', entityId: task.id, details: { journalReconciliationId: r.id, day: r.day } });
        return { taskId: task.id };
      });
    },

    /** Closes the task: "approve" = corrected (the finance system took a correction), "reject" = explained (with the reason). */
    async resolveJournalMismatch({ reconciliationId, taskId, by, decision, reason }: { reconciliationId: string; taskId: string; by: string; decision: 'approve' | 'reject'; reason: string | null }): Promise<void> {
      const resolution = decision === 'approve' ? 'corrected' : 'explained';
      await db.transaction(async (tx) => {
        await financeRepo.setResolution(tx, reconciliationId, resolution);
        await tasksRepo.closeTask(tx, taskId, resolution);
        await recordAudit(tx, { actor: by, actorKind: 'user', action: 'bookkeeping.mismatch-resolved', entityType: 'journal-reconciliation', entityId: reconciliationId, details: { resolution, ...(reason ? { reason } : {}) } });
      });
    },
  };
  // The day's steps heartbeat while they run (the workflow gives them a 30-s heartbeat timeout).
  return keptAlive(activities, ['pushJournalDay', 'reconcileJournalDays']);
}

export type FinanceActivities = ReturnType<typeof createFinanceActivities>;
