import { describe, expect, it } from 'vitest';
import { parseCamt054 } from '../../../integrations/transforms/camt054';
import { TransformError } from '../../../integrations/transforms/errors';
import { camt054 } from '../../support/camt054File';

/**
 * A reference-payment notification shaped like the Finnish Handelsbanken camt.054.001.02 sample
 * (domain.md §3.6): one notification with five entries (a single payment, a batch of three,
 * a reversal, an entry without details, a pending one), and a second notification in the newer
 * style (Sts/Cd, Dbtr/Pty/Nm, no value date). The account is A-kassa's demo account.
 */
const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>HB20250115-0001</MsgId>
      <CreDtTm>2025-01-15T06:30:00+02:00</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id>
      <CreDtTm>2025-01-15T06:30:00+02:00</CreDtTm>
      <Acct>
        <Id><IBAN>FI3579910000070124</IBAN></Id>
        <Ccy>EUR</Ccy>
      </Acct>
      <Ntry>
        <NtryRef>1</NtryRef>
        <Amt Ccy="EUR">96.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-01-14</Dt></BookgDt>
        <ValDt><Dt>2025-01-13</Dt></ValDt>
        <AcctSvcrRef>250114593497Q00001</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">96.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Anna Äijälä &amp; Co</Nm></Dbtr></RltdPties>
            <RmtInf>
              <Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>123 45672</Ref></CdtrRefInf></Strd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>2</NtryRef>
        <Amt Ccy="EUR">136.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-01-14</Dt></BookgDt>
        <ValDt><Dt>2025-01-14</Dt></ValDt>
        <AcctSvcrRef>250114593497Q00002</AcctSvcrRef>
        <NtryDtls>
          <Btch><NbOfTxs>3</NbOfTxs></Btch>
          <TxDtls>
            <Refs><AcctSvcrRef>250114ARCH0000201</AcctSvcrRef><EndToEndId>E2E-RF-1</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">63</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Bertil Björk</Nm></Dbtr></RltdPties>
            <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>ISO</Issr></Tp><Ref>RF98 1111 2</Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls>
          <TxDtls>
            <AmtDtls><TxAmt><Amt Ccy="EUR">48.00</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>Cecilia Clément</Nm></Dbtr></RltdPties>
            <RmtInf><Strd><CdtrRefInf><Ref>00000000000001234561</Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls>
          <TxDtls>
            <AmtDtls><TxAmt><Amt Ccy="EUR">25.5</Amt></TxAmt></AmtDtls>
            <RltdPties><Dbtr><Nm>David Dahl</Nm></Dbtr></RltdPties>
            <RmtInf>
              <Ustrd>jäsenmaksu 2025</Ustrd>
              <Strd><CdtrRefInf><Ref>12345</Ref></CdtrRefInf></Strd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>3</NtryRef>
        <Amt Ccy="EUR">96.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <RvslInd>true</RvslInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2025-01-14</Dt></BookgDt>
        <ValDt><Dt>2025-01-14</Dt></ValDt>
        <AcctSvcrRef>250114593497Q00003</AcctSvcrRef>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>E2E-RETURN-7</EndToEndId></Refs>
            <RmtInf><Strd><CdtrRefInf><Ref>12345672</Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">8.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <RvslInd>false</RvslInd>
        <Sts>BOOK</Sts>
        <BookgDt><DtTm>2025-01-14T15:20:00</DtTm></BookgDt>
        <AcctSvcrRef>250114593497Q00004</AcctSvcrRef>
      </Ntry>
      <Ntry>
        <NtryRef>5</NtryRef>
        <Amt Ccy="EUR">8.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>PDNG</Sts>
        <BookgDt><Dt>2025-01-15</Dt></BookgDt>
      </Ntry>
    </Ntfctn>
    <Ntfctn>
      <Id>NTF-2</Id>
      <CreDtTm>2025-01-15T06:30:00+02:00</CreDtTm>
      <Acct><Id><IBAN>FI35 7991 0000 0701 24</IBAN></Id></Acct>
      <Ntry>
        <NtryRef>6</NtryRef>
        <Amt Ccy="EUR">5.25</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2025-01-15</Dt></BookgDt>
        <AcctSvcrRef>250115593497Q00001</AcctSvcrRef>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>E2E-6</EndToEndId></Refs>
            <RltdPties><Dbtr><Pty><Nm>Eero Esimerkki</Nm></Pty></Dbtr></RltdPties>
            <RmtInf><Strd><CdtrRefInf><Ref>rf341234561</Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;

/** The 1-based line of the `occurrence`-th line containing `needle`. */
function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" not found ${occurrence} times`);
}

function errorOf(xml: string): TransformError {
  try {
    parseCamt054(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    return error as TransformError;
  }
  throw new Error('expected a TransformError');
}

describe('parseCamt054', () => {
  const result = parseCamt054(SAMPLE);
  const byArchive = (id: string) => result.entries.find((e) => e.archiveId === id)!;

  it('reads the group header and account', () => {
    expect(result.messageId).toBe('HB20250115-0001');
    expect(result.createdAt).toBe('2025-01-15T06:30:00+02:00');
    expect(result.account).toEqual({ iban: 'FI3579910000070124' });
  });

  it('gives one item per transaction, over every notification and entry', () => {
    expect(result.entries.map((e) => e.archiveId)).toEqual([
      '250114593497Q00001',
      '250114ARCH0000201',
      '250114593497Q00002-2',
      '250114593497Q00002-3',
      '250114593497Q00003',
      '250114593497Q00004',
      '5',
      '250115593497Q00001',
    ]);
    expect(new Set(result.entries.map((e) => e.archiveId)).size).toBe(result.entries.length);
  });

  it('reads a single payment with a national reference in printed form', () => {
    expect(byArchive('250114593497Q00001')).toEqual({
      archiveId: '250114593497Q00001',
      accountIban: 'FI3579910000070124',
      bookingDate: '2025-01-14',
      valueDate: '2025-01-13',
      amountCents: 9600,
      creditDebit: 'CRDT',
      reversal: false,
      status: 'BOOK',
      references: [{ kind: 'national', value: '12345672' }],
      reference: { kind: 'national', value: '12345672' },
      unstructured: null,
      debtorName: 'Anna Äijälä & Co',
      endToEndId: null,
      line: lineOf(SAMPLE, '<TxDtls>', 1),
    });
  });

  it('splits a batch entry, with RF, zero-padded and invalid references', () => {
    const [rf, padded, invalid] = [byArchive('250114ARCH0000201'), byArchive('250114593497Q00002-2'), byArchive('250114593497Q00002-3')];
    expect(rf).toMatchObject({ amountCents: 6300, reference: { kind: 'rf', value: 'RF9811112' }, debtorName: 'Bertil Björk', endToEndId: 'E2E-RF-1' });
    expect(padded).toMatchObject({ amountCents: 4800, reference: { kind: 'national', value: '1234561' }, endToEndId: null });
    expect(invalid).toMatchObject({ amountCents: 2550, references: [], reference: null, unstructured: '12345 jäsenmaksu 2025', debtorName: 'David Dahl' });
    expect(rf.amountCents + padded.amountCents + invalid.amountCents).toBe(13650);
  });

  it('keeps every structured reference of a transaction paying several invoices, in document order', () => {
    const twoInvoices = SAMPLE.replace(
      '<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>123 45672</Ref></CdtrRefInf></Strd>',
      [
        '<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF98 1111 2</Ref></CdtrRefInf></Strd>',
        '<Strd><CdtrRefInf><Ref>9999</Ref></CdtrRefInf></Strd>',
        '<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>123 45672</Ref></CdtrRefInf></Strd>',
        '<Ustrd>kaksi laskua</Ustrd>',
      ].join('\n'),
    );
    const entry = parseCamt054(twoInvoices).entries.find((e) => e.archiveId === '250114593497Q00001')!;
    expect(entry.references).toEqual([
      { kind: 'rf', value: 'RF9811112' },
      { kind: 'national', value: '12345672' },
    ]);
    expect(entry.reference).toEqual({ kind: 'rf', value: 'RF9811112' });
    expect(entry.unstructured).toBe('9999 kaksi laskua');
    expect(entry.amountCents).toBe(9600);
  });

  it('marks a reversal and takes the amount from a single-transaction entry', () => {
    expect(byArchive('250114593497Q00003')).toMatchObject({
      creditDebit: 'DBIT',
      reversal: true,
      amountCents: 9600,
      reference: { kind: 'national', value: '12345672' },
      endToEndId: 'E2E-RETURN-7',
      debtorName: null,
    });
  });

  it('reads an entry without details, a date-time booking date and a missing value date', () => {
    expect(byArchive('250114593497Q00004')).toMatchObject({
      bookingDate: '2025-01-14',
      valueDate: '2025-01-14',
      amountCents: 800,
      reversal: false,
      references: [],
      reference: null,
      unstructured: null,
      line: lineOf(SAMPLE, '<Amt Ccy="EUR">8.00</Amt>') - 1,
    });
  });

  it('passes pending entries on with their status, keyed by NtryRef when there is no AcctSvcrRef', () => {
    expect(byArchive('5')).toMatchObject({ status: 'PDNG', amountCents: 800 });
  });

  it('reads the newer layout: Sts/Cd, Dbtr/Pty/Nm, lower-case RF', () => {
    expect(byArchive('250115593497Q00001')).toMatchObject({
      status: 'BOOK',
      accountIban: 'FI3579910000070124',
      bookingDate: '2025-01-15',
      valueDate: '2025-01-15',
      amountCents: 525,
      debtorName: 'Eero Esimerkki',
      reference: { kind: 'rf', value: 'RF341234561' },
    });
  });

  it('accepts a prefixed namespace and a newer version', () => {
    const prefixed = SAMPLE.replace('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"', '<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"')
      .replace('</Document>', '</c:Document>');
    expect(parseCamt054(prefixed).entries).toHaveLength(8);
  });

  describe('malformed documents', () => {
    it('an unclosed tag names the element and the line it was opened on', () => {
      const broken = SAMPLE.replace('</Ntry>\n      <Ntry>\n        <NtryRef>3</NtryRef>', '\n      <Ntry>\n        <NtryRef>3</NtryRef>');
      const error = errorOf(broken);
      expect(error.element).toBe('Ntry');
      expect(error.message).toMatch(new RegExp(`<Ntry> opened on line ${lineOf(broken, '<NtryRef>2</NtryRef>') - 1} is not closed`));
      expect(error.format).toBe('camt.054');
    });

    it('a document cut short', () => {
      const error = errorOf(SAMPLE.slice(0, SAMPLE.indexOf('<NtryRef>3')));
      expect(error.message).toMatch(/is never closed \(the document ends first\)/);
    });

    it('an entry without <Amt>', () => {
      const broken = SAMPLE.replace('<Amt Ccy="EUR">8.00</Amt>', '');
      const error = errorOf(broken);
      expect(error.line).toBe(lineOf(broken, '<Ntry>', 4)); // the entry without details
      expect(error.element).toBe('Ntry');
      expect(error.message).toMatch(/^line \d+, <Ntry>: <Ntry> has no <Amt>$/);
    });

    it('an amount with a decimal comma', () => {
      const broken = SAMPLE.replace('<Amt Ccy="EUR">48.00</Amt>', '<Amt Ccy="EUR">12,50</Amt>');
      const error = errorOf(broken);
      expect(error.message).toBe(`line ${lineOf(broken, '12,50')}, <Amt>: amount "12,50" is not a decimal number (expected e.g. 12.50)`);
      expect(error).toMatchObject({ line: lineOf(broken, '12,50'), element: 'Amt' });
    });

    it('other bad values', () => {
      expect(errorOf(SAMPLE.replace('<Amt Ccy="EUR">96.00</Amt>', '<Amt Ccy="SEK">96.00</Amt>')).message).toMatch(/only EUR is supported/);
      expect(errorOf(SAMPLE.replace('<Amt Ccy="EUR">96.00</Amt>', '<Amt>96.00</Amt>')).message).toMatch(/has no currency/);
      expect(errorOf(SAMPLE.replace('<Amt Ccy="EUR">96.00</Amt>', '<Amt Ccy="EUR">96.001</Amt>')).message).toMatch(/fractions of a cent/);
      expect(errorOf(SAMPLE.replace('<Amt Ccy="EUR">96.00</Amt>', '<Amt Ccy="EUR">-96.00</Amt>')).message).toMatch(/not a decimal number/);
      expect(errorOf(SAMPLE.replace('<CdtDbtInd>CRDT</CdtDbtInd>', '<CdtDbtInd>CREDIT</CdtDbtInd>')).message).toMatch(/CRDT or DBIT/);
      expect(errorOf(SAMPLE.replace('<RvslInd>true</RvslInd>', '<RvslInd>yes</RvslInd>')).message).toMatch(/reversal indicator/);
      expect(errorOf(SAMPLE.replace('<Dt>2025-01-13</Dt>', '<Dt>2025-02-30</Dt>')).message).toMatch(/"2025-02-30" is not a calendar date/);
      expect(errorOf(SAMPLE.replace('FI3579910000070124', 'FI3679910000070124')).message).toMatch(/not a valid IBAN/);
      expect(errorOf(SAMPLE.replace('<MsgId>HB20250115-0001</MsgId>', '')).message).toMatch(/<GrpHdr> has no <MsgId>/);
      expect(errorOf(SAMPLE.replace('2025-01-15T06:30:00+02:00', '15.1.2025')).message).toMatch(/not a date and time/);
    });

    it('batch transactions that do not add up to the entry', () => {
      const error = errorOf(SAMPLE.replace('<Amt Ccy="EUR">25.5</Amt>', '<Amt Ccy="EUR">25.4</Amt>'));
      expect(error.message).toMatch(/transactions add up to 136.40 but the entry amount is 136.50/);
      expect(error.element).toBe('Ntry');
    });

    it('a batch transaction without an amount', () => {
      const error = errorOf(SAMPLE.replace('<AmtDtls><TxAmt><Amt Ccy="EUR">48.00</Amt></TxAmt></AmtDtls>', ''));
      expect(error.element).toBe('TxDtls');
      expect(error.message).toMatch(/no amount .* entry holds 3 transactions/);
    });

    it('an entry with no archive id at all', () => {
      const broken = SAMPLE.replace('<NtryRef>5</NtryRef>', '');
      expect(errorOf(broken).message).toMatch(/neither <AcctSvcrRef> nor <NtryRef>/);
    });

    it('a DOCTYPE (here with an external entity) is refused, nothing expanded', () => {
      const xxe = SAMPLE.replace('<Document ', '<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<Document ')
        .replace('<MsgId>HB20250115-0001</MsgId>', '<MsgId>&xxe;</MsgId>');
      const error = errorOf(xxe);
      expect(error).toMatchObject({ format: 'camt.054', line: 2, element: null });
      expect(error.message).toBe('line 2: DOCTYPE declarations are not accepted; bank files do not need them');
    });

    it('other ISO 20022 messages and non-XML', () => {
      const statement = SAMPLE.replace(/camt\.054\.001\.02/, 'camt.053.001.02');
      expect(errorOf(statement).message).toMatch(/namespace "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" is not camt.054/);
      const stmtBody = SAMPLE.replace(/BkToCstmrDbtCdtNtfctn/g, 'BkToCstmrStmt').replace(/ xmlns="[^"]*"/, '');
      expect(errorOf(stmtBody).message).toMatch(/expected <BkToCstmrDbtCdtNtfctn>.*found <BkToCstmrStmt>/);
      expect(errorOf('<Invoice/>').message).toMatch(/expected an ISO 20022 <Document>, found <Invoice>/);
      expect(errorOf('Date;Amount\n2025-01-14;96,00').message).toMatch(/^line 1: unexpected/);
      expect(errorOf('').message).toMatch(/no root element/);
      expect(errorOf('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>1</MsgId><CreDtTm>2025-01-15T06:30:00</CreDtTm></GrpHdr></BkToCstmrDbtCdtNtfctn></Document>').message)
        .toMatch(/no <Ntfctn>/);
    });
  });
});

describe('the generated camt.054 of tests/support', () => {
  it('reads back with amounts and every reference of a transfer paying several invoices', () => {
    const xml = camt054(
      [
        { archiveId: 'A1', amountCents: 123456, ref: '12345672', moreRefs: ['RF98 1111 2'] },
        { archiveId: 'A2', amountCents: 5, ustrd: 'jäsenmaksu' },
      ],
      { iban: 'FI3579910000070124', messageId: 'GEN-1' },
    );
    const [first, second] = parseCamt054(xml).entries;
    expect(first).toMatchObject({ archiveId: 'A1', amountCents: 123456, references: [{ kind: 'national', value: '12345672' }, { kind: 'rf', value: 'RF9811112' }] });
    expect(second).toMatchObject({ archiveId: 'A2', amountCents: 5, references: [], unstructured: 'jäsenmaksu' });
    expect(xml).toContain('<Amt Ccy="EUR">1234.56</Amt>');
  });
});
