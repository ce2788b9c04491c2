/**
 * Which candidate group a process's task goes to (decision 030). The processes name a task's kind;
 * the fund maps kinds to its groups (setting `taskGroups`, domain/fundConfig/settings.ts), over the
 * shipped default below. A kind the mapping leaves out (or maps to null) goes to no group: anyone
 * with the task's role works it. A group nobody belongs to is not set when the task is created
 * (db/repositories/tasks.ts upsertTask), so a mapping never hides new work from everyone but the
 * supervisors.
 */
import type { FundProfile } from './fundProfile';

/** Every kind of task a process opens. */
export const taskKinds = [
  'application-review',
  'eligibility-review',
  'address-conflict',
  'billing-approval',
  'tax-report-approval',
  'tax-record-rejected',
  'journal-mismatch',
  'unmatched-payment',
  'union-remittance-mismatch',
  'expulsion-decision',
  'expulsion-confirmation',
  'expulsion-reconsideration',
] as const;
export type TaskKind = (typeof taskKinds)[number];

/** A group's code: 1–40 lower-case letters, digits or dashes (as the task-groups API takes it). */
export const groupCodePattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

export type TaskGroupMapping = Partial<Record<TaskKind, string | null>>;

/** The shipped mapping: intake, billing (money, tax, finance) and collection (expulsion) teams. */
export const defaultTaskGroups: TaskGroupMapping = {
  'application-review': 'intake',
  'eligibility-review': 'intake',
  'billing-approval': 'billing',
  'tax-report-approval': 'billing',
  'tax-record-rejected': 'billing',
  'journal-mismatch': 'billing',
  'unmatched-payment': 'billing',
  'union-remittance-mismatch': 'billing',
  'expulsion-decision': 'collection',
  'expulsion-confirmation': 'collection',
  'expulsion-reconsideration': 'collection',
};

/** The fund's mapping in force: its own, or the shipped one. */
export function taskGroupMapping(profile: Pick<FundProfile, 'taskGroups'>): TaskGroupMapping {
  return profile.taskGroups ?? defaultTaskGroups;
}

/** The group a new task of `kind` is meant for, or null. */
export function candidateGroupFor(mapping: TaskGroupMapping, kind: string): string | null {
  return (taskKinds as readonly string[]).includes(kind) ? (mapping[kind as TaskKind] ?? null) : null;
}

/** The group the fund maps a new task of `kind` to (the shipped mapping when it set none). */
export function kindGroupOf(profile: Pick<FundProfile, 'taskGroups'>, kind: string): string | null {
  return candidateGroupFor(taskGroupMapping(profile), kind);
}
