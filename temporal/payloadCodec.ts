// Temporal payloads encrypted (issue 16): what workflows and activities carry (applications, members'
// details, letters) is stored in Temporal's database and shown by its UI; with this codec every
// payload leaves the process as AES-256-GCM ciphertext under a named key, so neither Temporal's
// database nor a cloud provider can read it. docs/decisions/017-production-operation.md.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DefaultFailureConverter, type FailureConverter, type Payload, type PayloadCodec } from '@temporalio/common';
// A CommonJS package whose exports Node's ESM loader cannot name: the default import is its module.exports.
import proto from '@temporalio/proto';

const { temporal } = proto;

/** The payload encoding of an encrypted payload; its key id travels beside it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const text = new TextEncoder();
const untext = new TextDecoder();

export interface PayloadKey {
  /** A short name (letters, digits, `-`, `_`, `.`), stored with every payload it encrypts. */
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/** A key list that cannot be used: the message names the fault. */
export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

/**
 * Reads `TEMPORAL_PAYLOAD_KEYS`: `id=base64[,id=base64…]`, each key 32 bytes. The first encrypts;
 * every listed key decrypts, so a rotation puts the new key first and keeps the old ones until no
 * running or retained workflow carries them.
 */
export function parsePayloadKeys(raw: string): PayloadKey[] {
  const keys = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, n) => {
      // Never echo an entry: it may be key material.
      const at = part.indexOf('=');
      const id = at > 0 ? part.slice(0, at) : '';
      if (!/^[A-Za-z0-9._-]{1,32}$/.test(id) || part.length === at + 1) throw new PayloadKeyError(`entry ${n + 1} is not id=key (an id of at most 32 letters, digits, "-", "_" or ".", then "=" and the key)`);
      const key = Buffer.from(part.slice(at + 1), 'base64');
      if (key.length !== 32) throw new PayloadKeyError(`key "${id}" is ${key.length} bytes; AES-256 needs 32 (base64 of 32 random bytes, e.g. openssl rand -base64 32)`);
      return { id, key };
    });
  if (keys.length === 0) throw new PayloadKeyError('no key is listed');
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new PayloadKeyError(`key "${twice}" is listed twice`);
  return keys;
}

/** A payload encrypted with a key this process does not hold (or tampered with): never decoded silently. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/**
 * AES-256-GCM over the whole payload (metadata and data, protobuf-encoded): a fresh 12-byte IV per
 * payload, the 16-byte tag checked on decode. Payloads without the encrypted encoding pass through
 * decode unchanged, so histories written before encryption was turned on still replay.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: PayloadKey;

  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new PayloadKeyError('no key is listed');
    this.current = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: text.encode(ENCRYPTED_ENCODING), [KEY_ID]: text.encode(this.current.id) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || untext.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID];
      const keyId = keyIdBytes ? untext.decode(keyIdBytes) : '';
      const key = this.byId.get(keyId);
      if (!key) throw new PayloadDecryptionError(`a payload is encrypted with key "${keyId}", which TEMPORAL_PAYLOAD_KEYS of this process does not list`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") is too short to be one`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
        decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        throw new PayloadDecryptionError(`an encrypted payload (key "${keyId}") does not decrypt: the key is wrong or the payload was altered`);
      }
    });
  }
}

/** The data converter options of a client or worker: the codec when keys are configured, none otherwise. */
export function payloadDataConverter(keys: readonly PayloadKey[] | null | undefined): { payloadCodecs: PayloadCodec[] } | undefined {
  return keys && keys.length > 0 ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : undefined;
}

/**
 * A client's data converter: the codec, and failures (a cancellation's or termination's reason, a
 * failed update's message) whose message and stack travel in encoded attributes, so the codec seals
 * them too (temporal/failureConverter.cjs is the worker's and the workflow bundle's same setting).
 */
export function clientDataConverter(keys: readonly PayloadKey[] | null | undefined): { payloadCodecs: PayloadCodec[]; failureConverter: FailureConverter } | undefined {
  const codec = payloadDataConverter(keys);
  return codec ? { ...codec, failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }) } : undefined;
}
