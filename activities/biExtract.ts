import { createHmac } from 'node:crypto';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as biRepo from '../db/repositories/bi';
import { biFileKey, biFilePath, biHeader, biLine, type BiFileName } from '../domain/bi';
import { addDays, helsinkiDayStart } from '../domain/dates';
import type { BiAdapter, BiClient } from '../integrations/adapters/bi';

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

  return {
    /** The configured BI clients' ids (the keys stay in the worker). */
    async biClientIds(): Promise<string[]> {
      return bi.clients.map((c) => c.id);
    },

    async sendBiFile({ clientId, day, file }: { clientId: string; day: string; file: BiFileName }): Promise<{ rows: number; location: string }> {
      const client = clientOf(clientId);
      const next = pages(file, day);
      const parts = [biHeader(file)];
      let rows = 0;
      for (let after = firstKey(file); ; ) {
        const page = await next(after);
        for (const r of page) parts.push(biLine(file, r.cells, r.identityCode === null ? null : biPseudonym(client, r.identityCode)));
        rows += page.length;
        if (page.length < biRepo.BI_PAGE) break;
        after = page.at(-1)!.key;
      }
      const { location } = await bi.sink.storeFile(biFilePath(day, file), parts.join(''), { fileKey: biFileKey(clientId, day, file), clientId, date: day, file, rows });
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'bi.extract-sent', entityType: 'bi-extract', entityId: `${clientId}/${day}/${file}`, details: { rows } });
      return { rows, location };
    },
  };
}

export type BiExtractActivities = ReturnType<typeof createBiExtractActivities>;
