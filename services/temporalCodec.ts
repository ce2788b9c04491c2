/**
 * Decoded Temporal payloads for the Temporal Web UI's codec endpoint: administrators only, each
 * request audited (how many payloads, which namespace; never what they hold).
 * docs/decisions/017-production-operation.md.
 */
import type { Payload } from '@temporalio/common';
import { recordAudit } from '../db/repositories/audit';
import type { ServiceContext } from './context';
import { failure, forbidden } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

/** A payload as the Temporal UI sends and reads it: base64 in protobuf JSON. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, value]) => [k, Buffer.from(value, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, value]) => [k, Buffer.from(value ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The payloads, decoded by the client's own codecs (in reverse order of encoding); unencrypted ones unchanged. */
export async function decodeTemporalPayloads(ctx: ServiceContext, p: Principal, input: { namespace: string | null; payloads: JsonPayload[] }): Promise<{ payloads: JsonPayload[] }> {
  if (!hasRole(p, 'admin')) throw forbidden('Only administrators may see decoded Temporal payloads.');
  let payloads = input.payloads.map(fromJson);
  const codecs = ctx.temporal.options.loadedDataConverter.payloadCodecs;
  try {
    for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
  } catch (error) {
    throw failure(422, 'payload_not_decodable', `A payload could not be decoded: ${(error as Error).message}.`);
  }
  await recordAudit(ctx.db, { ...actorOf(p), action: 'temporal.payloads-decoded', entityType: 'temporal-namespace', entityId: input.namespace ?? ctx.temporal.options.namespace, details: { payloads: payloads.length } });
  return { payloads: payloads.map(toJson) };
}
