import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { memberIdKey, processKeyKey, processKindKey, processStatusKey, type ProcessKind } from './definitions/searchAttributes';

/**
 * Search attributes for the Temporal UI (decision 027). An upsert is a command, so a history
 * recorded before these existed would not replay with it: every upsert is behind this patch, which
 * is false while replaying such a history and true for every process started since.
 */
export const PROCESS_SEARCH_ATTRIBUTES = 'process-search-attributes';

function upsert(pairs: SearchAttributeUpdatePair[]): void {
  if (pairs.length > 0 && patched(PROCESS_SEARCH_ATTRIBUTES)) upsertSearchAttributes(pairs);
}

export interface ProcessAttributes {
  /** The business key: a period, a date, a year, a batch, a file hash or an internal id; never personal data. */
  key?: string | null;
  status?: string | null;
  /** The member's internal id (UUID), where the process is about one member. */
  memberId?: string | null;
}

/** Marks the process with its kind and, where known, its key, status and member; call once at its start. */
export function markProcess(kind: ProcessKind, attributes: ProcessAttributes = {}): void {
  upsert([{ key: processKindKey, value: kind }, ...attributePairs(attributes)]);
}

/**
 * As markProcess, but no upsert when the start already carried exactly these attributes (the
 * intake's client gives them since decision 037): one history event and one visibility write fewer.
 * Deterministic: the start's attributes are in the history, and no intake history before decision
 * 037 started with a process kind. Only for processes that never continue as new: a continued run
 * inherits its attributes, and its history recorded an upsert this would skip.
 */
export function markProcessUnlessGivenAtStart(kind: ProcessKind, attributes: ProcessAttributes = {}): void {
  const pairs = [{ key: processKindKey, value: kind }, ...attributePairs(attributes)];
  const given = workflowInfo().typedSearchAttributes;
  if (pairs.every((pair) => given.get(pair.key) === pair.value)) return;
  upsert(pairs);
}

/**
 * The process's own attributes to upsert together with others in one command (empty where the
 * processes' attributes do not apply). `patchedIn`: the caller is behind a newer patch, so the
 * attributes apply without asking (one patch marker and one upsert fewer in a new history).
 */
export function processPairs(attributes: ProcessAttributes, opts: { patchedIn?: boolean } = {}): SearchAttributeUpdatePair[] {
  const pairs = attributePairs(attributes);
  return pairs.length > 0 && (opts.patchedIn || patched(PROCESS_SEARCH_ATTRIBUTES)) ? pairs : [];
}

/** Updates the attributes that changed (the status, the member once known, the key once known). */
export function updateProcess(attributes: ProcessAttributes): void {
  upsert(attributePairs(attributes));
}

/** The status as it changes. */
export function processStatus(status: string): void {
  updateProcess({ status });
}

function attributePairs({ key, status, memberId }: ProcessAttributes): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [];
  if (key) pairs.push({ key: processKeyKey, value: key });
  if (status) pairs.push({ key: processStatusKey, value: status });
  if (memberId) pairs.push({ key: memberIdKey, value: memberId });
  return pairs;
}
