import { describe, expect, it } from 'vitest';
import { MessageRejectedError, type OutgoingMessage } from '../../../integrations/adapters/messaging';
import { FakeMessaging } from '../../../integrations/adapters/messaging/fakeMessaging';

const pdf = new TextEncoder().encode('%PDF-1.4\n%…\n%%EOF\n');
const letter = (key: string, overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  key,
  recipient: { name: 'Åsa Öhman', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
  language: 'fi',
  subject: 'Jäsenmaksu 2025',
  body: 'Lasku liitteenä.',
  attachments: [{ filename: 'lasku-1000123.pdf', contentType: 'application/pdf', bytes: pdf }],
  ...overrides,
});

describe('FakeMessaging', () => {
  it('delivers a letter with a PDF and records the attachment count and size, not the bytes', async () => {
    const messaging = new FakeMessaging();
    const receipt = await messaging.send(letter('invoice/1'));
    expect(receipt.channel).toBe('letter');
    const delivered = messaging.delivered.get('invoice/1')!;
    expect(delivered.attachments).toEqual([{ filename: 'lasku-1000123.pdf', contentType: 'application/pdf', size: pdf.byteLength }]);
    expect(messaging.attachmentCount).toBe(1);
    expect(messaging.attachmentBytes).toBe(pdf.byteLength);
  });

  it('keeps the bytes when asked, for a test that reads the PDF back', async () => {
    const messaging = new FakeMessaging({ keepAttachmentBytes: true });
    await messaging.send(letter('invoice/1'));
    expect(messaging.delivered.get('invoice/1')!.attachments[0]!.bytes).toBe(pdf);
  });

  it('answers a repeated key with the first receipt and counts its attachments once', async () => {
    const messaging = new FakeMessaging();
    const first = await messaging.send(letter('invoice/1'));
    expect(await messaging.send(letter('invoice/1'))).toEqual(first);
    expect(messaging.attachmentCount).toBe(1);
  });

  it('refuses an attachment that says PDF but is not one, and records nothing', async () => {
    const messaging = new FakeMessaging();
    const notPdf = letter('invoice/2', { attachments: [{ filename: 'lasku.pdf', contentType: 'application/pdf', bytes: new TextEncoder().encode('<html>') }] });
    await expect(messaging.send(notPdf)).rejects.toThrow(MessageRejectedError);
    await expect(messaging.send(notPdf)).rejects.toThrow(/not a PDF/);
    const empty = letter('invoice/3', { attachments: [{ filename: 'lasku.pdf', contentType: 'application/pdf', bytes: new Uint8Array() }] });
    await expect(messaging.send(empty)).rejects.toThrow(MessageRejectedError);
    const unnamed = letter('invoice/4', { attachments: [{ filename: ' ', contentType: 'application/pdf', bytes: pdf }] });
    await expect(messaging.send(unnamed)).rejects.toThrow(/no file name/);
    expect(messaging.delivered.size).toBe(0);
    expect(messaging.attachmentCount).toBe(0);
  });

  it('refuses attachments on a message that could only go by SMS', async () => {
    const messaging = new FakeMessaging();
    await expect(messaging.send(letter('invoice/5', { recipient: { name: 'Åsa Öhman', phone: '+358401234567' } }))).rejects.toThrow(/SMS cannot carry attachments/);
  });

  it('still delivers messages without attachments, choosing e-mail, then SMS, then letter', async () => {
    const messaging = new FakeMessaging();
    const plain = (key: string, recipient: OutgoingMessage['recipient']) => messaging.send({ key, recipient, language: 'fi', subject: 'Aihe', body: 'Teksti' });
    expect((await plain('a', { name: 'A', email: 'a@example.fi', phone: '+358401234567' })).channel).toBe('email');
    expect((await plain('b', { name: 'B', phone: '+358401234567' })).channel).toBe('sms');
    expect((await plain('c', { name: 'C', address: { street: 'Katu 1', postalCode: '00100', city: 'Helsinki' } })).channel).toBe('letter');
    await expect(plain('d', { name: 'D' })).rejects.toThrow(MessageRejectedError);
    expect(messaging.delivered.get('c')!.attachments).toEqual([]);
  });
});
