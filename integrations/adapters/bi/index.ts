/**
 * Where the nightly BI extract's files go, per BI client (an object store bucket, SFTP — agreed
 * with the fund's BI). temporal/adapters.ts chooses it, with the BI clients and their
 * pseudonymisation keys (configuration: BI_CLIENTS). docs/bi-extract.md.
 */
import type { BiFormat } from '../../../domain/bi';

export interface BiFileMeta {
  /** Idempotency key, `bi-<client>-<date>-<file>`: the same key twice is one stored file. */
  fileKey: string;
  clientId: string;
  date: string;
  /** `members`, `periods`, `invoices`, `payments`, `events`. */
  file: string;
  format: BiFormat;
  rows: number;
}

export interface BiFileSink {
  storeFile(name: string, content: string | Uint8Array, meta: BiFileMeta): Promise<{ location: string }>;
}

/** A BI client and its own pseudonymisation key (HMAC-SHA-256): another client's pseudonyms differ. */
export interface BiClient {
  id: string;
  key: Buffer;
}

export interface BiAdapter {
  sink: BiFileSink;
  clients: readonly BiClient[];
  /** The formats every client gets (BI_EXTRACT_FORMATS, parsed by parseBiFormats: CSV when not set). */
  formats: readonly BiFormat[];
}

/**
 * BI_CLIENTS: `id=base64key` pairs separated by commas, e.g. `bi=…,actuary=…`; each key at least
 * 32 bytes. The keys are secrets: never logged, never sent to Temporal.
 */
export function parseBiClients(raw: string): BiClient[] {
  const clients: BiClient[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const id = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id)) throw new Error('BI_CLIENTS: each entry is id=base64key with an id of lower-case letters, digits and dashes');
    const key = Buffer.from(part.slice(eq + 1).trim(), 'base64');
    if (key.length < 32) throw new Error(`BI_CLIENTS: the key of ${id} must be at least 32 bytes (base64)`);
    if (clients.some((c) => c.id === id)) throw new Error(`BI_CLIENTS: ${id} is named twice`);
    clients.push({ id, key });
  }
  if (clients.length === 0) throw new Error('BI_CLIENTS names no client');
  return clients;
}
