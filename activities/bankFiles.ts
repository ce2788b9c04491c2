import { Context } from '@temporalio/activity';
import { recordAudit } from '../db/repositories/audit';
import { BankRejectedError, type BankAdapter } from '../integrations/adapters/bank';
import { sharedFakeBank } from '../integrations/adapters/bank/fakeBank';
import { ServiceError } from '../services/errors';
import { importPaymentFile } from '../services/payments';
import type { Principal } from '../services/principal';
import { activityServiceContext, type ServiceCallDeps } from './serviceContext';

export interface BankFileDeps extends ServiceCallDeps {
  /** The bank connection; the in-process fake until a real one is wired in temporal/services.ts. */
  bank?: BankAdapter;
}

export interface BankFetchResult {
  /** Files the bank listed as new. */
  listed: number;
  /** Stored for the first time, each with its booking process started. */
  imported: number;
  /** Bytes the register had already (the same file under another name, or a fetch that crashed before confirming). */
  repeated: number;
  /** Files the register could not read: confirmed at the bank anyway, so they are not fetched forever; each is in the audit trail. */
  refused: { reference: string; name: string; reason: string }[];
}

/** The bank connection as an integration client: audited as such, allowed to send payment files. */
const bankAdapterPrincipal = { kind: 'client', id: 'bank-adapter', channel: 'bank', scopes: ['payments:write'] } satisfies Principal;

/** Fetching the day's payment files from the bank: the third way in, beside the API and the desk upload. */
export function createBankFileActivities(deps: BankFileDeps) {
  const bank = deps.bank ?? sharedFakeBank;

  return {
    /**
     * Imports every payment file the bank lists as new, oldest first, through the same service as
     * the API (parsed first, stored once per SHA-256, booked by its own process), and confirms each
     * to the bank only after it is stored: a crash in between fetches the file again next time,
     * and its bytes are then recognised, not booked twice.
     */
    async fetchBankPaymentFiles(): Promise<BankFetchResult> {
      const files = await bank.listPaymentFiles();
      const result: BankFetchResult = { listed: files.length, imported: 0, repeated: 0, refused: [] };
      if (files.length === 0) return result;
      const ctx = activityServiceContext(deps, 'importing bank files');
      for (const file of files) {
        Context.current().heartbeat({ file: file.reference });
        let bytes: Uint8Array;
        try {
          bytes = await bank.downloadPaymentFile(file.reference);
        } catch (error) {
          // The bank no longer has it (listed a moment ago): the next fetch sees the list as it is then.
          if (error instanceof BankRejectedError) continue;
          throw error;
        }
        try {
          const { created } = await importPaymentFile(ctx, bankAdapterPrincipal, { bytes, format: file.format, filename: file.name });
          if (created) result.imported++;
          else result.repeated++;
        } catch (error) {
          if (!(error instanceof ServiceError) || error.status !== 400) throw error;
          result.refused.push({ reference: file.reference, name: file.name, reason: error.detail });
          await recordAudit(deps.db, {
            actor: bankAdapterPrincipal.id,
            actorKind: 'client',
            action: 'bank-file.refused',
            entityType: 'bank-file',
            entityId: file.reference,
            details: { name: file.name, format: file.format, reason: error.detail.slice(0, 500), ...error.extra },
          });
        }
        await bank.confirmPaymentFile(file.reference);
      }
      return result;
    },
  };
}

export type BankFileActivities = ReturnType<typeof createBankFileActivities>;
