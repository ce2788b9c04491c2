import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { OutboxSettings } from '../domain/events';
import type { FundProfile } from '../domain/fundProfile';
import type { BankFileEntry } from '../integrations/transforms/bankFile';
import type { BackgroundStarts } from './backgroundStarts';
import type { FundConfigSource } from './fundConfig';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';
import type { ResignationLinks } from './resignationLinks';
import type { SupplementLinks } from './supplementLinks';

/** What the business services need from the outside world, wired once per process. */
export interface ServiceContext {
  db: Database;
  temporal: Client;
  /** Where each kind of process is started (register, billing, payments). */
  taskQueues: TaskQueueNames;
  /** The effective fund profile of today: shipped values with administrators' overrides (a getter over `config`). */
  readonly profile: FundProfile;
  /** The shipped profile and the stored overrides (services/fundConfig.ts). */
  config: FundConfigSource;
  supplementLinks: SupplementLinks;
  /** Signs and checks the confirmation links of public resignation requests. */
  resignationLinks: ResignationLinks;
  /** The public resignation form answers no sooner than this, so its timing tells nothing (ms). */
  publicAnswerFloorMs: number;
  today: () => string;
  /** Base of links to processes in the Temporal Web UI; null when none is known. */
  temporalUi: { url: string; namespace: string } | null;
  /** How long a submission (an application, a payment file) waits for Temporal to start its process before answering 202 without it (default 3 s). */
  startWaitMs?: number;
  /** Starts that a request accepted (202) but could not make in time, tried again for a while; closed before the Temporal connection. */
  backgroundStarts: BackgroundStarts;
  /** Members per billing-run chunk, when the deployment sets one (BILLING_CHUNK_SIZE); else the workflow's default. */
  billingChunkSize?: number;
  /** Reads back a document filed in case management (the adapter, wired in temporal/services.ts). */
  caseDocuments: CaseDocumentReader;
  /** The outbox's subscribers and retry settings (docs/decisions/018-outbox.md). */
  outbox: OutboxSettings;
  /**
   * Books a small payment file's entries in its upload request, before its process starts, and
   * returns how many it booked (activities/paymentFile.ts `bookAtUpload`, wired in
   * temporal/services.ts; decision 043). Unset, the process books every file.
   */
  bookAtUpload?: (fileId: string, entries: BankFileEntry[]) => Promise<number>;
}

/** A document filed in case management, as the desk shows it. */
export interface CaseDocumentReader {
  getDocument(documentId: string): Promise<{ memberId: string; title: string; bytes: Uint8Array } | null>;
}
