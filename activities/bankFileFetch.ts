import { Context } from '@temporalio/activity';
import { BankRejectedError, type BankAdapter } from '../integrations/adapters/bank';
import type { BankFetchResult } from '../workflows/definitions/bankFileFetch';
import type { FetchedPaymentFile, PaymentFileReceipt } from '../workflows/definitions/paymentFile';

export interface BankFileFetchDeps {
  /** The bank connection; the in-process fake until a real one is wired in temporal/services.ts. */
  bank: BankAdapter;
  /**
   * Imports a file as the API does (parsed first, stored once per SHA-256, its booking process
   * started), as the bank adapter; wired in temporal/services.ts.
   */
  receivePaymentFile: (file: FetchedPaymentFile) => Promise<PaymentFileReceipt>;
}

/** Fetching the day's payment files from the bank: the third way in, beside the API and the desk upload. */
export function createBankFileFetchActivities(deps: BankFileFetchDeps) {
  const { bank } = deps;

  return {
    /**
     * Imports every payment file the bank lists as new, oldest first, and confirms each to the
     * bank only after it is stored: a crash in between fetches the file again next time, and its
     * bytes are then recognised, not booked twice.
     */
    async fetchBankPaymentFiles(): Promise<BankFetchResult> {
      const files = await bank.listPaymentFiles();
      const result: BankFetchResult = { listed: files.length, imported: 0, repeated: 0, refused: [] };
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
        const receipt = await deps.receivePaymentFile({ reference: file.reference, bytes, format: file.format, filename: file.name });
        if (receipt.outcome === 'imported') result.imported++;
        else if (receipt.outcome === 'repeated') result.repeated++;
        else result.refused.push({ reference: file.reference, name: file.name, reason: receipt.reason });
        await bank.confirmPaymentFile(file.reference);
      }
      return result;
    },
  };
}

export type BankFileFetchActivities = ReturnType<typeof createBankFileFetchActivities>;
