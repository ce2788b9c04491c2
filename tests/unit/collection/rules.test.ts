import { describe, expect, it } from 'vitest';
import {
  collectionState,
  checkHoldUntil,
  collectionStep,
  holdActive,
  levelDueOn,
  reminderChannel,
  validateCollectionRules,
  type CollectionRules,
  type InvoiceCollectionFacts,
  type SentReminder,
} from '../../../domain/collection/rules';
import { fundProfileIds, getFundProfile } from '../../../domain/fundProfile';

const rules: CollectionRules = {
  levels: [
    { waitDays: 14, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 },
    { waitDays: 30, from: 'due-date', channels: ['email', 'letter'], template: 'payment-reminder-final', newDueDays: 14, feeCents: 500 },
  ],
  hearingAfterDays: 14,
  minimumOpenCents: 1,
  maxHoldDays: 365,
};

const invoice = (o: Partial<InvoiceCollectionFacts> = {}): InvoiceCollectionFacts => ({
  dueDate: '2026-02-15',
  openCents: 9600,
  reminders: [],
  onHold: false,
  hearingStarted: false,
  ...o,
});
const r1: SentReminder = { level: 1, sentOn: '2026-03-01', newDueDate: '2026-03-15' };
const r2: SentReminder = { level: 2, sentOn: '2026-03-17', newDueDate: '2026-03-31' };

describe('collection step', () => {
  it('sends level 1 on the due date + wait, not a day before', () => {
    expect(collectionStep(rules, invoice(), '2026-02-28')).toEqual({ kind: 'none', reason: 'not-yet' });
    expect(collectionStep(rules, invoice(), '2026-03-01')).toEqual({ kind: 'reminder', level: 1, newDueDate: '2026-03-15' });
  });

  it('never skips a level: an invoice found months late gets level 1, not level 2', () => {
    expect(collectionStep(rules, invoice(), '2026-09-01')).toMatchObject({ kind: 'reminder', level: 1 });
  });

  it('waits for the previous reminder’s new due date before the next level', () => {
    // Due + 30 is 17 March; level 1 gave until 15 March, so 17 March it is.
    expect(collectionStep(rules, invoice({ reminders: [r1] }), '2026-03-16')).toEqual({ kind: 'none', reason: 'not-yet' });
    expect(collectionStep(rules, invoice({ reminders: [r1] }), '2026-03-17')).toMatchObject({ kind: 'reminder', level: 2 });
    // Level 1 sent late (after a hold): level 2 waits for its new due date, not only due + 30.
    const late = { level: 1, sentOn: '2026-05-01', newDueDate: '2026-05-15' };
    expect(levelDueOn(rules, '2026-02-15', 2, [late])).toBe('2026-05-16');
    expect(collectionStep(rules, invoice({ reminders: [late] }), '2026-05-15')).toEqual({ kind: 'none', reason: 'not-yet' });
  });

  it('never repeats a level; after the last one comes the hearing, once', () => {
    expect(collectionStep(rules, invoice({ reminders: [r1, r2] }), '2026-04-13')).toEqual({ kind: 'none', reason: 'not-yet' });
    expect(collectionStep(rules, invoice({ reminders: [r2, r1] }), '2026-04-14')).toEqual({ kind: 'hearing' });
    expect(collectionStep(rules, invoice({ reminders: [r1, r2], hearingStarted: true }), '2026-05-01')).toEqual({ kind: 'none', reason: 'hearing-started' });
  });

  it('a level issued and not yet sent is taken, and neither the next level nor the hearing follows until it is sent', () => {
    const issued = (r: SentReminder): SentReminder => ({ ...r, status: 'issued' });
    expect(collectionStep(rules, invoice({ reminders: [issued(r1)] }), '2026-06-01')).toEqual({ kind: 'none', reason: 'not-yet' });
    expect(collectionStep(rules, invoice({ reminders: [{ ...r1, status: 'sent' }] }), '2026-06-01')).toMatchObject({ kind: 'reminder', level: 2 });
    expect(collectionStep(rules, invoice({ reminders: [r1, issued(r2)] }), '2026-06-01')).toEqual({ kind: 'none', reason: 'not-yet' });
    expect(collectionStep(rules, invoice({ reminders: [r1, r2] }), '2026-06-01')).toEqual({ kind: 'hearing' });
  });

  it('a level whose previous level is missing is never due', () => {
    expect(levelDueOn(rules, '2026-02-15', 2, [])).toBeNull();
    expect(() => levelDueOn(rules, '2026-02-15', 3, [r1, r2])).toThrow(/no reminder level 3/);
  });

  it('stops when paid; a partial payment keeps collection on the remainder', () => {
    expect(collectionStep(rules, invoice({ openCents: 0 }), '2026-03-01')).toEqual({ kind: 'none', reason: 'paid' });
    expect(collectionStep(rules, invoice({ openCents: 100 }), '2026-03-01')).toMatchObject({ kind: 'reminder', level: 1 });
    expect(collectionStep({ ...rules, minimumOpenCents: 200 }, invoice({ openCents: 100 }), '2026-03-01')).toEqual({ kind: 'none', reason: 'paid' });
  });

  it('does nothing on hold; the next level follows once the hold ends', () => {
    expect(collectionStep(rules, invoice({ onHold: true }), '2026-03-01')).toEqual({ kind: 'none', reason: 'on-hold' });
    expect(collectionStep(rules, invoice({ onHold: true, reminders: [r1, r2] }), '2026-05-01')).toEqual({ kind: 'none', reason: 'on-hold' });
  });

  it('a level counted from the previous reminder', () => {
    const fromPrevious: CollectionRules = { ...rules, levels: [rules.levels[0]!, { ...rules.levels[1]!, from: 'previous', waitDays: 21 }] };
    expect(levelDueOn(fromPrevious, '2026-02-15', 2, [r1])).toBe('2026-03-22');
  });
});

describe('holds, channels and configuration', () => {
  it('a hold is active until its end date unless resumed', () => {
    expect(holdActive({ until: '2026-03-01', resumedAt: null }, '2026-03-01')).toBe(true);
    expect(holdActive({ until: '2026-03-01', resumedAt: null }, '2026-03-02')).toBe(false);
    expect(holdActive({ until: '2026-12-01', resumedAt: new Date() }, '2026-03-02')).toBe(false);
    expect(checkHoldUntil(rules, '2026-02-28', '2026-03-01')).toBe('hold_until_past');
    expect(checkHoldUntil(rules, '2027-03-02', '2026-03-01')).toBe('hold_too_long');
    expect(checkHoldUntil(rules, '2027-03-01', '2026-03-01')).toBeNull();
  });

  it('a level uses the member’s channel if allowed, else the next one', () => {
    expect(reminderChannel(rules.levels[0]!, 'e-invoice')).toBe('e-invoice');
    expect(reminderChannel(rules.levels[1]!, 'e-invoice')).toBe('email');
    expect(reminderChannel({ ...rules.levels[1]!, channels: ['letter'] }, 'email')).toBe('letter');
  });

  it('the shipped profiles are valid, charge no reminder fee by default and use existing templates', () => {
    for (const id of fundProfileIds) {
      const p = getFundProfile(id);
      expect(validateCollectionRules(p.collection)).toEqual([]);
      expect(p.collection.levels.every((l) => l.feeCents === 0)).toBe(true);
      for (const l of p.collection.levels) expect(p.messages[l.template]).toBeDefined();
    }
    expect(validateCollectionRules({ ...rules, levels: [] })).toHaveLength(1);
  });

  it('a member’s collection state: clear, overdue, reminded; a hold outranks reminders, a running hearing outranks a hold', () => {
    expect(collectionState({ overdueLevels: [], inHearing: true, onHold: true })).toBe('clear');
    expect(collectionState({ overdueLevels: [0, 0], inHearing: false, onHold: false })).toBe('overdue');
    expect(collectionState({ overdueLevels: [0, 2], inHearing: false, onHold: false })).toBe('reminded');
    expect(collectionState({ overdueLevels: [1], inHearing: false, onHold: true })).toBe('on-hold');
    expect(collectionState({ overdueLevels: [1], inHearing: true, onHold: true })).toBe('hearing');
  });
});
