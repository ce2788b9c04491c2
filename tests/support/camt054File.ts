/** camt.054 files as a Finnish bank sends them, for tests and benchmarks (no test-runner imports). */

import { randomUUID } from 'node:crypto';
import { decimalAmount } from '../../domain/money';

export interface CamtEntry {
  archiveId: string;
  amountCents: number;
  /** A structured reference as the payer typed it (validated by the parser). */
  ref?: string;
  /** Further structured references after `ref`, one <Strd> each (one transfer paying several invoices). */
  moreRefs?: string[];
  ustrd?: string;
  debit?: boolean;
  reversal?: boolean;
  bookingDate?: string;
  debtor?: string;
}

/** A camt.054.001.02 notification shaped like a Finnish bank's, one entry per payment. */
export function camt054(entries: CamtEntry[], opts: { iban: string; messageId?: string }): string {
  const ntry = entries.map((e) => {
    const rmt = [
      e.ustrd ? `<Ustrd>${e.ustrd}</Ustrd>` : '',
      ...[e.ref, ...(e.moreRefs ?? [])].map((ref) =>
        ref ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd>` : '',
      ),
    ].join('');
    return `
      <Ntry>
        <NtryRef>${e.archiveId}</NtryRef>
        <Amt Ccy="EUR">${decimalAmount(e.amountCents)}</Amt>
        <CdtDbtInd>${e.debit ? 'DBIT' : 'CRDT'}</CdtDbtInd>${e.reversal ? '\n        <RvslInd>true</RvslInd>' : ''}
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${e.bookingDate ?? '2019-03-01'}</Dt></BookgDt>
        <ValDt><Dt>${e.bookingDate ?? '2019-03-01'}</Dt></ValDt>
        <AcctSvcrRef>${e.archiveId}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">${decimalAmount(e.amountCents)}</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>${e.debtor ?? 'Maksaja Testi'}</Nm></Dbtr></RltdPties>${rmt ? `\n            <RmtInf>${rmt}</RmtInf>` : ''}
          </TxDtls>
        </NtryDtls>
      </Ntry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>${opts.messageId ?? `MSG-${randomUUID()}`.slice(0, 35)}</MsgId>
      <CreDtTm>2019-03-02T06:30:00+02:00</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id>
      <CreDtTm>2019-03-02T06:30:00+02:00</CreDtTm>
      <Acct><Id><IBAN>${opts.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>${ntry.join('')}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;
}
