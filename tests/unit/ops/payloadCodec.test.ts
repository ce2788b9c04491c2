import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { checkConfig, ConfigError, loadConfig } from '../../../temporal/config';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, PayloadDecryptionError, parsePayloadKeys } from '../../../temporal/payloadCodec';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const converter = new DefaultPayloadConverter();
const member = { identityCode: '010190-123A', name: 'Maija Meikäläinen', address: 'Testikatu 1' };

describe('payload codec (AES-256-GCM, named keys)', () => {
  it('encrypts every payload so nothing of it reads in the stored bytes, and decrypts it back', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(`k1=${key(1)}`));
    const plain = converter.toPayload(member)!;
    const [sealed] = await codec.encode([plain]);
    expect(new TextDecoder().decode(sealed!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(new TextDecoder().decode(sealed!.metadata!['encryption-key-id'])).toBe('k1');
    const stored = Buffer.from(sealed!.data!).toString('latin1') + JSON.stringify(sealed!.metadata);
    for (const secret of ['010190-123A', 'Meik', 'Testikatu', 'json/plain']) expect(stored).not.toContain(secret);
    const [back] = await codec.decode([sealed!]);
    expect(converter.fromPayload(back!)).toEqual(member);
    // A fresh IV each time: the same value never encrypts to the same bytes.
    const [again] = await codec.encode([plain]);
    expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
  });

  it('rotates: the first key encrypts, older listed keys still decrypt, an unlisted one is named', async () => {
    const old = new AesGcmPayloadCodec(parsePayloadKeys(`k1=${key(1)}`));
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`k2=${key(2)},k1=${key(1)}`));
    const [byOld] = await old.encode([converter.toPayload('before')!]);
    expect(converter.fromPayload((await rotated.decode([byOld!]))[0]!)).toBe('before');
    const [byNew] = await rotated.encode([converter.toPayload('after')!]);
    expect(new TextDecoder().decode(byNew!.metadata!['encryption-key-id'])).toBe('k2');
    await expect(old.decode([byNew!])).rejects.toThrow(/key "k2", which TEMPORAL_PAYLOAD_KEYS of this process does not list/);
  });

  it('refuses an altered payload and passes through one written before encryption', async () => {
    const codec = new AesGcmPayloadCodec(parsePayloadKeys(`k1=${key(1)}`));
    const [sealed] = await codec.encode([converter.toPayload(42)!]);
    const altered: Payload = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(codec.decode([altered])).rejects.toBeInstanceOf(PayloadDecryptionError);
    const legacy = converter.toPayload({ old: true })!;
    expect(await codec.decode([legacy])).toEqual([legacy]);
  });

  it('reads TEMPORAL_PAYLOAD_KEYS and refuses a malformed list, naming the variable', () => {
    expect(parsePayloadKeys(` a=${key(1)} , b.2=${key(2)} `).map((k) => k.id)).toEqual(['a', 'b.2']);
    expect(() => parsePayloadKeys(`a=${Buffer.alloc(16).toString('base64')}`)).toThrow(/16 bytes; AES-256 needs 32/);
    expect(() => parsePayloadKeys(`a=${key(1)},a=${key(2)}`)).toThrow(/listed twice/);
    // A key given without its id is refused without echoing it.
    expect(() => parsePayloadKeys(key(1))).toThrow(/entry 1 is not id=key/);
    expect(() => parsePayloadKeys(`x=${key(1)},${key(2)}`)).toThrow(/^entry 2 is not id=key/);
    expect(() => parsePayloadKeys(`x=${key(1)},${key(2)}`)).not.toThrow(key(2).slice(0, 8));
    let refused: unknown;
    try {
      checkConfig({ TEMPORAL_PAYLOAD_KEYS: 'k1=short' }, 'all');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).variable).toBe('TEMPORAL_PAYLOAD_KEYS');
    const env = { DATABASE_URL: 'postgres://x@h/x', TEMPORAL_ADDRESS: 'h:7233', SUPPLEMENT_LINK_SECRET: 's'.repeat(40), TEMPORAL_PAYLOAD_KEYS: `k1=${key(1)}` };
    expect(loadConfig(env, 'worker').payloadKeys.map((k) => k.id)).toEqual(['k1']);
    expect(loadConfig({ ...env, TEMPORAL_PAYLOAD_KEYS: '' }, 'worker').payloadKeys).toEqual([]);
  });
});
