import { describe, expect, it } from 'vitest';
import { PAIN } from '../../support/transformFixtures';
import { TransformError } from '../../../integrations/transforms/errors';
import { buildPain001, type Pain001Input } from '../../../integrations/transforms/pain001';
import { attribute, child, children, parseXml, path, textOf } from '../../../integrations/transforms/xml';

const INPUT = PAIN;

function errorOf(input: Pain001Input): TransformError {
  try {
    buildPain001(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    return error as TransformError;
  }
  throw new Error('expected a TransformError');
}

describe('buildPain001 (SEPA credit transfer, pain.001.001.03)', () => {
  const xml = buildPain001(INPUT);
  const doc = parseXml(xml);
  const initiation = child(doc, 'CstmrCdtTrfInitn')!;
  const info = child(initiation, 'PmtInf')!;
  const text = (...names: string[]) => textOf(path(initiation, ...names)!);

  it('declares the pain.001.001.03 namespace', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(doc.localName).toBe('Document');
    expect(attribute(doc, 'xmlns')).toBe('urn:iso:std:iso:20022:tech:xsd:pain.001.001.03');
  });

  it('writes the group header with count and control sum', () => {
    expect(text('GrpHdr', 'MsgId')).toBe('REFUND-2025-03-01-1');
    expect(text('GrpHdr', 'CreDtTm')).toBe('2025-03-01T09:30:00+02:00');
    expect(text('GrpHdr', 'NbOfTxs')).toBe('2');
    expect(text('GrpHdr', 'CtrlSum')).toBe('17.05');
    expect(text('GrpHdr', 'InitgPty', 'Nm')).toBe('Avoin työttömyyskassa');
  });

  it('writes the payment information in schema order', () => {
    expect(info.children.map((c) => c.localName)).toEqual([
      'PmtInfId', 'PmtMtd', 'NbOfTxs', 'CtrlSum', 'PmtTpInf', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'ChrgBr', 'CdtTrfTxInf', 'CdtTrfTxInf',
    ]);
    expect(text('PmtInf', 'PmtMtd')).toBe('TRF');
    expect(text('PmtInf', 'PmtTpInf', 'SvcLvl', 'Cd')).toBe('SEPA');
    expect(text('PmtInf', 'ReqdExctnDt')).toBe('2025-03-03');
    expect(text('PmtInf', 'DbtrAcct', 'Id', 'IBAN')).toBe('FI3579910000070124');
    expect(text('PmtInf', 'DbtrAgt', 'FinInstnId', 'BIC')).toBe('DEMOFIHH');
    expect(text('PmtInf', 'ChrgBr')).toBe('SLEV');
  });

  it('writes each payment, with special characters escaped and read back intact', () => {
    const [first, second] = children(info, 'CdtTrfTxInf');
    expect(textOf(path(first!, 'PmtId', 'EndToEndId')!)).toBe('REFUND-1234-2025');
    const amount = path(first!, 'Amt', 'InstdAmt')!;
    expect(textOf(amount)).toBe('16.00');
    expect(attribute(amount, 'Ccy')).toBe('EUR');
    expect(textOf(path(first!, 'Cdtr', 'Nm')!)).toBe('Anna Äijälä');
    expect(textOf(path(first!, 'CdtrAcct', 'Id', 'IBAN')!)).toBe('FI2112345600000785');
    expect(textOf(path(first!, 'RmtInf', 'Ustrd')!)).toBe('Jäsenmaksun palautus 11–12/2025');
    expect(textOf(path(second!, 'Amt', 'InstdAmt')!)).toBe('1.05');
    expect(textOf(path(second!, 'Cdtr', 'Nm')!)).toBe('Smith & <Sons> "Ltd"');
    expect(textOf(path(second!, 'CdtrAcct', 'Id', 'IBAN')!)).toBe('DE89370400440532013000');
    expect(textOf(path(second!, 'RmtInf', 'Ustrd')!)).toBe(`O'Neil & co <refund>`);
    expect(xml).toContain('Smith &amp; &lt;Sons&gt; &quot;Ltd&quot;');
  });

  it('defaults the execution date to the creation date and leaves out an empty message', () => {
    const minimal = parseXml(buildPain001({ ...INPUT, executionDate: undefined, payments: [{ ...INPUT.payments[0]!, message: '' }] }));
    expect(textOf(path(minimal, 'CstmrCdtTrfInitn', 'PmtInf', 'ReqdExctnDt')!)).toBe('2025-03-01');
    expect(path(minimal, 'CstmrCdtTrfInitn', 'PmtInf', 'CdtTrfTxInf', 'RmtInf')).toBeUndefined();
  });

  it('refuses invalid values, naming the element', () => {
    const payment = INPUT.payments[0]!;
    expect(errorOf({ ...INPUT, payments: [] }).message).toMatch(/at least one payment/);
    expect(errorOf({ ...INPUT, payments: [{ ...payment, creditorIban: 'FI2212345600000785' }] })).toMatchObject({ element: 'CdtrAcct', line: null });
    expect(errorOf({ ...INPUT, payments: [{ ...payment, amountCents: 0 }] }).message).toMatch(/<InstdAmt>: payment 1: amount/);
    expect(errorOf({ ...INPUT, payments: [{ ...payment, amountCents: 10.5 }] }).element).toBe('InstdAmt');
    expect(errorOf({ ...INPUT, payments: [{ ...payment, message: 'x'.repeat(141) }] }).message).toMatch(/at most 140/);
    expect(errorOf({ ...INPUT, payments: [payment, { ...payment, endToEndId: 'ÄÄ-1' }] }).message).toMatch(/payment 2: end-to-end id/);
    expect(errorOf({ ...INPUT, payments: [{ ...payment, endToEndId: '/start' }] }).element).toBe('EndToEndId');
    expect(errorOf({ ...INPUT, payments: [{ ...payment, endToEndId: 'x'.repeat(36) }] }).element).toBe('EndToEndId');
    expect(errorOf({ ...INPUT, payments: [{ ...payment, creditorName: ' ' }] }).message).toMatch(/name is empty/);
    expect(errorOf({ ...INPUT, payments: [{ ...payment, creditorName: 'Bell\u0007' }] }).message).toMatch(/U\+0007/);
    expect(errorOf({ ...INPUT, messageId: '' }).element).toBe('MsgId');
    expect(errorOf({ ...INPUT, createdAt: '2025-03-01' }).element).toBe('CreDtTm');
    expect(errorOf({ ...INPUT, executionDate: '2025-02-30' }).element).toBe('ReqdExctnDt');
    expect(errorOf({ ...INPUT, debtor: { ...INPUT.debtor, bic: 'DEMO' } }).element).toBe('BIC');
    expect(errorOf({ ...INPUT, debtor: { ...INPUT.debtor, iban: 'FI00' } }).element).toBe('DbtrAcct');
  });

  it('accepts only BICs the ISO 20022 pattern allows', () => {
    const withBic = (bic: string) => ({ ...INPUT, debtor: { ...INPUT.debtor, bic } });
    for (const bic of ['DEMOFIHH', 'OKOYFIHH', 'NDEAFIHHXXX', 'HELSFIHH', 'DABAFIH2', 'ESSEFIH9ABC', 'AAAAFI2A']) {
      expect(textOf(path(parseXml(buildPain001(withBic(bic))), 'CstmrCdtTrfInitn', 'PmtInf', 'DbtrAgt', 'FinInstnId', 'BIC')!)).toBe(bic);
    }
    const refused: [string, RegExp][] = [
      ['DEMOFI1H', /invalid location code "1H"/], // location starts with 0 or 1: a test BIC
      ['DEMOFI0H', /invalid location code "0H"/],
      ['DEMOFIHO', /invalid location code "HO"/], // O as second location character
      ['DEM0FIHH', /must start with 6 letters/],
      ['DEMOF1HH', /must start with 6 letters/],
      ['demofihh', /8 or 11 capital letters/],
      ['DEMOFIHHX', /8 or 11 capital letters/],
      ['DEMOFIHHXX', /8 or 11 capital letters/],
      ['DEMOFIHH-XX', /8 or 11 capital letters/],
      ['DEMO FIHH', /8 or 11 capital letters/],
    ];
    for (const [bic, message] of refused) {
      const error = errorOf(withBic(bic));
      expect(error.element).toBe('BIC');
      expect(error.message).toMatch(message);
    }
  });
});
