import type { ProblemCode } from '$lib/i18n';

/** What a refused upload came back with: the API's problem (shown by its code) and, for a malformed file, where. */
export interface UploadProblem {
  problem: ProblemCode;
  filename?: string;
  format?: string;
  line?: number | null;
  element?: string | null;
}
