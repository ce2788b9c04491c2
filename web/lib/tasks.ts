import type { TaskView } from '$contract';
import type { Translator } from '$lib/i18n';
import { taskKindRoles, taskKinds, type TaskKind } from '../../domain/taskGroups';

export { taskKinds, type TaskKind };

/** The kinds a user with these roles may work; a supervisor works the caseworkers' tasks too. */
export function kindsFor(roles: readonly string[]): TaskKind[] {
  const working = new Set(roles.includes('supervisor') ? [...roles, 'caseworker'] : roles);
  return taskKinds.filter((kind) => working.has(taskKindRoles[kind]));
}

/**
 * Where a task is worked: a billing run's approval on the run's page, an unmatched payment at its
 * card on the payments page, applications and reviews on the task page.
 */
export function taskHref(task: Pick<TaskView, 'id' | 'kind' | 'subject' | 'title'>): string {
  switch (task.kind) {
    case 'billing-approval':
      return `/billing/${encodeURIComponent(task.subject.id)}`;
    case 'unmatched-payment':
      return `/payments#entry-${task.subject.id}-title`;
    case 'tax-report-approval':
      return `/tax?run=${encodeURIComponent(task.title)}`;
    default:
      return `/tasks/${encodeURIComponent(task.id)}`;
  }
}

/** A task's title in words: a run approval's is the run id, an unmatched payment's its reason, else finding codes. */
export function taskHeading(tr: Translator, task: Pick<TaskView, 'kind' | 'title'>): string {
  switch (task.kind) {
    // A run id; a rejected tax record: the run, the record number and the Tax Administration's words.
    case 'billing-approval':
    case 'tax-report-approval':
    case 'tax-record-rejected':
      return task.title;
    case 'unmatched-payment':
      return tr.label('unmatchedReason', task.title);
    default:
      return tr.taskTitle(task.title);
  }
}
