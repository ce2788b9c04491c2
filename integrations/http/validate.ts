import { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import * as v from 'valibot';
import { failure, ServiceError } from '../../services/errors';
import { invalidParams } from './problem';

/** `text/plain; charset=utf-8` → `text/plain`. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/**
 * Parses the JSON body against a schema; anything off becomes a 400 naming the field. A body
 * declared as something else (a form, text) is a 415; one declaring no type is read as JSON.
 */
export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  const mediaType = mediaTypeOf(c.req.header('content-type'));
  if (mediaType !== '' && !isJson(mediaType)) {
    throw failure(415, 'unsupported_media_type', `This operation takes a JSON body (Content-Type: application/json), not ${mediaType}.`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await bodyText(c));
  } catch {
    throw failure(400, 'body_not_json', 'The body must be a JSON document (Content-Type: application/json).');
  }
  // Every body is a JSON object; valibot's object schemas would take an array as one.
  if (Array.isArray(raw)) throw new ServiceError(400, 'Invalid request', 'The body must be a JSON object, not an array.', {}, 'invalid_request');
  return parseOrThrow(schema, raw);
}

const utf8 = new TextDecoder();

/**
 * The body as text: under @hono/node-server straight from Node's request while nothing has read
 * it (no listener on it yet), else through the web Request (app.request() in tests, or a body
 * bodyLimit counted). The web Request costs a Request, a web stream and an abort signal per call
 * (docs/decisions/042-ekj-lookup-throughput.md). Decoded as Request.text() does: a leading BOM
 * dropped, invalid UTF-8 as U+FFFD.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage) || incoming.readableFlowing !== null || incoming.readableEnded) return c.req.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return utf8.decode(Buffer.concat(chunks));
}

/** Field codes that are also the problem's own code, first match wins. */
const topLevelCodes = ['control_characters', 'batch_too_large'] as const;

/** `where` names the part of the request an issue without a path belongs to. */
export function parseOrThrow<S extends v.GenericSchema>(schema: S, raw: unknown, where = '(body)'): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    const params = invalidParams(result.issues, where);
    // Control characters are refused under their own code: the caller sent bytes no field takes;
    // so is a batch over its limit, which the caller fixes by splitting it.
    const code = topLevelCodes.find((c) => params.some((p) => p.code === c)) ?? 'invalid_request';
    throw new ServiceError(400, 'Invalid request', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { invalidParams: params }, code);
  }
  return result.output;
}
