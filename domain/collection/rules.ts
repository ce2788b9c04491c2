import { addDays } from '../dates';
import type { InvoiceChannel } from '../billing/invoiceDelivery';

/** The message templates a reminder level can use (domain/profiles/messageTemplates.ts). */
export type ReminderTemplate = 'payment-reminder' | 'payment-reminder-final';

/** Why a caseworker holds a member's collection. */
export const holdReasons = ['payment-plan', 'dispute', 'benefit-deduction', 'other'] as const;
export type HoldReason = (typeof holdReasons)[number];
/**
 * The reasons a member may give for their own hold through the e-service: a payment plan they
 * propose, or a dispute of the fee. A benefit-deduction agreement is made with the fund, and
 * "other" needs a caseworker's judgement (decision 014, point 8).
 */
export const selfServiceHoldReasons: readonly HoldReason[] = ['payment-plan', 'dispute'];

/**
 * One reminder level (muistutus) of a fund's collection. [U] How many levels and their intervals
 * are fund policy (domain.md §8, process 6); the shipped profiles carry documented defaults.
 */
export interface ReminderLevel {
  /**
   * When the level falls due: `waitDays` after the invoice's due date (`from: 'due-date'`) or after
   * the day the previous level was sent (`from: 'previous'`). Either way a level waits for the
   * previous one and for the new due date that one gave, so no level is skipped or rushed.
   */
  waitDays: number;
  from: 'due-date' | 'previous';
  /**
   * The channels this level may use, in the member's preference order (e-invoice, e-mail, letter);
   * a member whose preferred channel is not allowed gets the next allowed one (a letter at last).
   */
  channels: readonly InvoiceChannel[];
  template: ReminderTemplate;
  /** The reminder's new due date: this many days after it is sent. */
  newDueDays: number;
  /** A reminder fee as a ledger line; 0 (the default) charges none. */
  feeCents: number;
}

export interface CollectionRules {
  /** In order; level 1 first. */
  levels: readonly ReminderLevel[];
  /** The hearing (kuuleminen) starts this many days after the last level's new due date. */
  hearingAfterDays: number;
  /** Open amounts below this are not chased (a rounding cent, a bank's fee deduction). Default 1. */
  minimumOpenCents: number;
  /** The longest hold a caseworker may set, in days. */
  maxHoldDays: number;
}

/** A reminder already sent for an invoice. */
export interface SentReminder {
  level: number;
  sentOn: string;
  newDueDate: string;
  /**
   * `issued`: taken by the daily step, not yet sent by its delivery (decision 052). The level is
   * taken, and the next step waits until it has gone out. Absent: sent.
   */
  status?: 'issued' | 'sent';
}

export interface InvoiceCollectionFacts {
  dueDate: string;
  openCents: number;
  /** Sent reminders of this invoice, any order. */
  reminders: readonly SentReminder[];
  /** Whether the member's collection is on hold today. */
  onHold: boolean;
  /** Whether the member's hearing has been started for this invoice. */
  hearingStarted: boolean;
}

/** What the daily step does for one invoice today. */
export type CollectionStep =
  | { kind: 'none'; reason: 'paid' | 'on-hold' | 'not-yet' | 'hearing-started' }
  | { kind: 'reminder'; level: number; newDueDate: string }
  | { kind: 'hearing' };

/** The day level `level` (1-based) falls due, given the reminders sent before it; null if the previous one is missing. */
export function levelDueOn(rules: CollectionRules, dueDate: string, level: number, reminders: readonly SentReminder[]): string | null {
  const config = rules.levels[level - 1];
  if (!config) throw new Error(`no reminder level ${level}: the fund has ${rules.levels.length}`);
  if (level === 1) return addDays(dueDate, config.waitDays);
  const previous = reminders.find((r) => r.level === level - 1);
  if (!previous) return null;
  const anchored = config.from === 'due-date' ? addDays(dueDate, config.waitDays) : addDays(previous.sentOn, config.waitDays);
  // Never before the member has had the time the previous reminder gave them.
  const afterPrevious = addDays(previous.newDueDate, 1);
  return anchored > afterPrevious ? anchored : afterPrevious;
}

/** The day the hearing falls due once every level is sent; null before that. */
export function hearingDueOn(rules: CollectionRules, reminders: readonly SentReminder[]): string | null {
  const last = reminders.find((r) => r.level === rules.levels.length);
  return last ? addDays(last.newDueDate, rules.hearingAfterDays) : null;
}

/**
 * The one step collection takes for an invoice today. Only ever the next level after the highest
 * one sent (never a skipped level, never one sent twice); nothing once the invoice is paid down
 * below the fund's minimum (a partial payment keeps collection on the rest) or while on hold.
 */
export function collectionStep(rules: CollectionRules, facts: InvoiceCollectionFacts, today: string): CollectionStep {
  if (facts.openCents < Math.max(1, rules.minimumOpenCents)) return { kind: 'none', reason: 'paid' };
  if (facts.hearingStarted) return { kind: 'none', reason: 'hearing-started' };
  if (facts.onHold) return { kind: 'none', reason: 'on-hold' };
  const sent = highestLevel(facts.reminders);
  // The next level, or the hearing, only after the last level has gone out: a delivery that has
  // not sent it yet never lets the member skip a letter.
  if (facts.reminders.some((r) => r.level === sent && r.status === 'issued')) return { kind: 'none', reason: 'not-yet' };
  if (sent >= rules.levels.length) {
    const due = hearingDueOn(rules, facts.reminders);
    return due !== null && today >= due ? { kind: 'hearing' } : { kind: 'none', reason: 'not-yet' };
  }
  const level = sent + 1;
  const due = levelDueOn(rules, facts.dueDate, level, facts.reminders);
  if (due === null || today < due) return { kind: 'none', reason: 'not-yet' };
  return { kind: 'reminder', level, newDueDate: addDays(today, rules.levels[level - 1]!.newDueDays) };
}

/** The highest level sent; 0 for none. Levels are sent in order, so this is also how many. */
export function highestLevel(reminders: readonly Pick<SentReminder, 'level'>[]): number {
  return reminders.reduce((max, r) => Math.max(max, r.level), 0);
}

/**
 * The earliest day any invoice could need a step: the daily step's SQL looks only at invoices due
 * on or before this (the smallest first-level wait), so it never reads the whole invoice table.
 */
export function earliestCollectableDueDate(rules: CollectionRules, today: string): string {
  return addDays(today, -(rules.levels[0]?.waitDays ?? 0));
}

/** The channel a level uses for a member whose invoices go by `preferred`. */
export function reminderChannel(level: ReminderLevel, preferred: InvoiceChannel): InvoiceChannel {
  const order: InvoiceChannel[] = ['e-invoice', 'email', 'letter'];
  for (const channel of order.slice(order.indexOf(preferred))) if (level.channels.includes(channel)) return channel;
  return 'letter';
}

/** Whether a hold is in force on `today`: set, not resumed, and its end date not passed. */
export function holdActive(hold: { until: string; resumedAt: Date | string | null }, today: string): boolean {
  return hold.resumedAt === null && hold.until >= today;
}

/** Where a member's overdue collection stands: nothing overdue, overdue, reminded, held, or in the hearing. */
export const collectionStates = ['clear', 'overdue', 'reminded', 'on-hold', 'hearing'] as const;
export type CollectionState = (typeof collectionStates)[number];

/**
 * The member's collection state from the highest reminder level sent on each overdue invoice (an
 * empty list: nothing overdue), whether a hearing runs and whether a hold is in force. The hearing
 * outranks a hold (a hold does not stop a running hearing), a hold outranks the reminders.
 */
export function collectionState(f: { overdueLevels: readonly number[]; inHearing: boolean; onHold: boolean }): CollectionState {
  if (f.overdueLevels.length === 0) return 'clear';
  if (f.inHearing) return 'hearing';
  if (f.onHold) return 'on-hold';
  return f.overdueLevels.some((l) => l > 0) ? 'reminded' : 'overdue';
}

/** Checks a requested hold: an end date from today up to the fund's maximum. Returns an error code or null. */
export function checkHoldUntil(rules: CollectionRules, until: string, today: string): 'hold_until_past' | 'hold_too_long' | null {
  if (until < today) return 'hold_until_past';
  if (until > addDays(today, rules.maxHoldDays)) return 'hold_too_long';
  return null;
}

/** Checks a fund's collection configuration once, at start: readable errors for a setup mistake. */
export function validateCollectionRules(rules: CollectionRules): string[] {
  const errors: string[] = [];
  if (rules.levels.length === 0) errors.push('collection needs at least one reminder level');
  rules.levels.forEach((l, i) => {
    if (!Number.isInteger(l.waitDays) || l.waitDays < 0) errors.push(`level ${i + 1}: waitDays must be a whole number ≥ 0`);
    if (!Number.isInteger(l.newDueDays) || l.newDueDays < 1) errors.push(`level ${i + 1}: newDueDays must be ≥ 1`);
    if (!Number.isInteger(l.feeCents) || l.feeCents < 0) errors.push(`level ${i + 1}: feeCents must be whole cents ≥ 0`);
    if (l.channels.length === 0) errors.push(`level ${i + 1}: no channel`);
  });
  if (!Number.isInteger(rules.hearingAfterDays) || rules.hearingAfterDays < 0) errors.push('hearingAfterDays must be ≥ 0');
  return errors;
}
