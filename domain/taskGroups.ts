/**
 * Which candidate group a process's task goes to (decision 030). The processes name a task's kind;
 * the fund maps kinds to its groups (setting `taskGroups`, domain/fundConfig/settings.ts), over the
 * shipped default below. A kind the mapping leaves out (or maps to null) goes to no group: anyone
 * with the task's role works it. A group nobody belongs to is not set when the task is created
 * (db/repositories/tasks.ts upsertTask), so a mapping never hides new work from everyone but the
 * supervisors.
 */
import type { FundProfile } from './fundProfile';

/**
 * Every kind of task a process opens, with the role that works it: the process writes the role on
 * the task (its `requiredRole`), the API sends and lets act only users with that role, and the
 * desk's queue offers a user the kinds of the roles they hold. One list for all three.
 */
export const taskKindRoles = {
  'application-review': 'caseworker',
  'eligibility-review': 'caseworker',
  'address-conflict': 'caseworker',
  'billing-approval': 'billing',
  'tax-report-approval': 'billing',
  'tax-record-rejected': 'billing',
  'journal-mismatch': 'billing',
  'unmatched-payment': 'billing',
  'union-remittance-mismatch': 'billing',
  'expulsion-decision': 'caseworker',
  'expulsion-confirmation': 'caseworker',
  'expulsion-reconsideration': 'caseworker',
} as const;
export const taskKinds = Object.keys(taskKindRoles) as (keyof typeof taskKindRoles)[];
export type TaskKind = keyof typeof taskKindRoles;

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

/** A new task's kind with the role that works it, to spread into the task a process opens. */
export function taskKind<K extends TaskKind>(kind: K): { kind: K; requiredRole: (typeof taskKindRoles)[K] } {
  return { kind, requiredRole: taskKindRoles[kind] };
}
