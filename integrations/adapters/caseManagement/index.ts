/**
 * The fund's case-management system (asianhallinta): where the register archives the documents of
 * an administrative case (hearing letters, decisions, statements to the appeal board) and gets back
 * the id the case system files them under. The interface stays small so a real system and the fake
 * are easy to swap.
 */

export type CaseDocumentKind = 'hearing-letter' | 'expulsion-decision' | 'expulsion-not-decided' | 'corrected-decision' | 'appeal-statement';

export interface CaseDocument {
  /**
   * Idempotency key, e.g. `expulsion-decision/<hearingId>`: the case system files a key once,
   * however often it is handed over (retries, worker restarts), and answers with the same id.
   */
  key: string;
  kind: CaseDocumentKind;
  memberId: string;
  title: string;
  language: 'fi' | 'sv' | 'en';
  contentType: 'application/pdf';
  bytes: Uint8Array;
}

export interface ArchivedDocument {
  documentId: string;
  kind: CaseDocumentKind;
  memberId: string;
  title: string;
  contentType: 'application/pdf';
  bytes: Uint8Array;
}

export interface CaseManagementAdapter {
  /**
   * Resolves when the system answers, rejects when it does not (for the worker's /readyz; it never
   * changes anything). Optional: an adapter that cannot be asked is not listed.
   */
  ready?(): Promise<void>;
  /** Files the document with the member's case; the same key again answers the first id. */
  archiveDocument(document: CaseDocument): Promise<{ documentId: string }>;
  /** A filed document, or null when the case system has none by that id. */
  getDocument(documentId: string): Promise<ArchivedDocument | null>;
}

/** The case system is unreachable or busy: try again later. */
export class CaseManagementUnavailableError extends Error {
  override name = 'CaseManagementUnavailableError';
}
