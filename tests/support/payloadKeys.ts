import { parsePayloadKeys } from '../../temporal/payloadCodec';

/** The payload key of every test stack, as PAYLOAD_KEYS spells it (a worker process of a test gets it so). */
export const testPayloadKeysSetting = `test=${Buffer.alloc(32, 7).toString('base64')}`;

/** The payload key of every test stack (and of the replay of histories recorded with it). */
export const testPayloadKeys = parsePayloadKeys(testPayloadKeysSetting);
