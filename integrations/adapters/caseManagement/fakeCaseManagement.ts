import { CaseManagementUnavailableError, type ArchivedDocument, type CaseDocument, type CaseManagementAdapter } from './index';

export interface FakeCaseManagementOptions {
  /** Added to every call, to feel a slow case system. */
  latencyMs?: number;
  /** Share of calls that fail as unavailable (0..1), to exercise retries. */
  unavailableRate?: number;
  random?: () => number;
}

/**
 * Behaves like a case-management system: keeps every document it is given, in memory, under an id
 * of its own (`ASIA-00000001`), and answers a repeated key with the first id instead of filing the
 * document twice.
 */
export class FakeCaseManagement implements CaseManagementAdapter {
  readonly documents = new Map<string, ArchivedDocument>();
  private readonly byKey = new Map<string, string>();
  private sequence = 0;
  private readonly options: Required<FakeCaseManagementOptions>;

  constructor(options: FakeCaseManagementOptions = {}) {
    this.options = { latencyMs: 0, unavailableRate: 0, random: Math.random, ...options };
  }

  /** Not ready only when configured wholly unavailable (a rate of 1): the knob a readiness test turns. */
  async ready(): Promise<void> {
    if (this.options.unavailableRate >= 1) throw new CaseManagementUnavailableError('case management unavailable (503)');
  }

  private async call(): Promise<void> {
    if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (this.options.random() < this.options.unavailableRate) throw new CaseManagementUnavailableError('case management unavailable (503), try again later');
  }

  async archiveDocument(document: CaseDocument): Promise<{ documentId: string }> {
    await this.call();
    const known = this.byKey.get(document.key);
    if (known) return { documentId: known };
    if (document.bytes.length === 0) throw new Error(`case document ${document.key} is empty`);
    const documentId = `ASIA-${String(++this.sequence).padStart(8, '0')}`;
    this.byKey.set(document.key, documentId);
    this.documents.set(documentId, { documentId, kind: document.kind, memberId: document.memberId, title: document.title, contentType: document.contentType, bytes: document.bytes });
    return { documentId };
  }

  async getDocument(documentId: string): Promise<ArchivedDocument | null> {
    await this.call();
    return this.documents.get(documentId) ?? null;
  }

  /** The documents filed for a member, in filing order (for tests and the demo). */
  documentsOf(memberId: string): ArchivedDocument[] {
    return [...this.documents.values()].filter((d) => d.memberId === memberId);
  }
}
