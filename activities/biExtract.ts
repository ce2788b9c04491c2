import { createHmac } from 'node:crypto';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as biRepo from '../db/repositories/bi';
import { biFileKey, biFilePath, biHeader, biLine, type BiFileName, type BiFormat } from '../domain/bi';
import { addDays, helsinkiDayStart } from '../domain/dates';
import type { BiAdapter, BiClient } from '../integrations/adapters/bi';
import { BiParquetFile } from '../integrations/transforms/biParquet';
import { keptAlive } from './alive';

export interface BiExtractDeps {
  db: Database;
  bi: BiAdapter;
}

/** HMAC-SHA-256 of the identity code under the client's key, hex: the same code gives the same pseudonym for this client only. */
export function biPseudonym(client: BiClient, identityCode: string): string {
  return createHmac('sha256', client.key).update(identityCode).digest('hex');
}

/** The nightly BI extract (decision 025): each file built a page at a time, pseudonymised, stored once per client, day and file. */
export function createBiExtractActivities(deps: BiExtractDeps) {
  const { db, bi } = deps;
  const clientOf = (id: string) => {
    const client = bi.clients.find((c) => c.id === id);
    if (!client) throw new Error(`no BI client ${id} in BI_CLIENTS`);
    return client;
  };
  const pages = (file: BiFileName, day: string): ((after: string) => Promise<biRepo.BiRow[]>) => {
    switch (file) {
      case 'members':
        return (after) => biRepo.membersPage(db, day, after);
      case 'periods':
        return (after) => biRepo.periodsPage(db, after);
      case 'invoices':
        return (after) => biRepo.invoicesPage(db, after);
      case 'payments':
        return (after) => biRepo.paymentsPage(db, day, after);
      case 'events': {
        const range = { start: helsinkiDayStart(day), end: helsinkiDayStart(addDays(day, 1)) };
        return (after) => biRepo.eventsPage(db, range, after);
      }
    }
  };
  const firstKey = (file: BiFileName) => (file === 'payments' || file === 'events' ? biRepo.firstSerialKey : biRepo.firstUuidKey);

  const activities = {
    /** The configured BI clients' ids (the keys stay in the worker). */
    async biClientIds(): Promise<string[]> {
      return bi.clients.map((c) => c.id);
    },

    /** One file of a client's day in every configured format (BI_EXTRACT_FORMATS), from one pass over its rows. */
    async sendBiFile({ clientId, day, file }: { clientId: string; day: string; file: BiFileName }): Promise<{ rows: number; location: string }> {
      const client = clientOf(clientId);
      const { formats } = bi;
      const next = pages(file, day);
      const csv = formats.includes('csv') ? [biHeader(file)] : null;
      const parquet = formats.includes('parquet') ? new BiParquetFile(file) : null;
      let rows = 0;
      for (let after = firstKey(file); ; ) {
        const page = await next(after);
        for (const r of page) {
          const pseudonym = r.identityCode === null ? null : biPseudonym(client, r.identityCode);
          csv?.push(biLine(file, r.cells, pseudonym));
          parquet?.add(r.cells, pseudonym);
        }
        rows += page.length;
        if (page.length < biRepo.BI_PAGE) break;
        after = page.at(-1)!.key;
      }
      const contents: [BiFormat, string | Uint8Array][] = [];
      if (csv) contents.push(['csv', csv.join('')]);
      if (parquet) contents.push(['parquet', parquet.finish()]);
      const locations: string[] = [];
      for (const [format, content] of contents) {
        const meta = { fileKey: biFileKey(clientId, day, file, format), clientId, date: day, file, format, rows };
        locations.push((await bi.sink.storeFile(biFilePath(day, file, format), content, meta)).location);
      }
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'bi.extract-sent', entityType: 'bi-extract', entityId: `${clientId}/${day}/${file}`, details: { rows, formats } });
      return { rows, location: locations[0]! };
    },
  };
  // A file's extract heartbeats while it runs (the workflow gives it a 30-s heartbeat timeout).
  return keptAlive(activities, ['sendBiFile']);
}

export type BiExtractActivities = ReturnType<typeof createBiExtractActivities>;
