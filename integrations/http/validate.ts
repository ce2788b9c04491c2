import type { Context } from 'hono';
import * as v from 'valibot';
import { ServiceError } from '../../services/errors';
import { invalidParams } from './problem';

/** Parses the JSON body against a schema; anything off becomes a 400 naming the field. */
export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new ServiceError(400, 'Invalid request', 'The body must be a JSON document (Content-Type: application/json).');
  }
  return parseOrThrow(schema, raw);
}

export function parseOrThrow<S extends v.GenericSchema>(schema: S, raw: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    const params = invalidParams(result.issues);
    throw new ServiceError(400, 'Invalid request', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { invalidParams: params });
  }
  return result.output;
}
