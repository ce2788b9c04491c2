/** What a refused upload came back with: the API's words and, for a malformed file, where. */
export interface UploadProblem {
  detail: string;
  filename?: string;
  format?: string;
  line?: number | null;
  element?: string | null;
}
