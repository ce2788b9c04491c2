/**
 * Binds handlers to the route contracts (./contract): a handler exists only for a contract, so
 * every route the app serves is in /api/openapi.json. The contract's schemas parse the path, the
 * query and the JSON body, and the handler's reply is typed by its response schemas: a service
 * whose result does not fit the documented response fails to compile.
 */
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { ServiceError } from '../../services/errors';
import { allows, whoMay } from './access';
import type { AppEnv } from './auth';
import type { BodyOutput, JsonContent, ParamsOutput, QueryOutput, RouteContract, StatusOf } from './contract/define';
import { problem } from './problem';
import { jsonBody, mediaTypeOf, parseOrThrow } from './validate';

type ReplyHeaders = Record<string, string>;

/** A raw (non-JSON) answer: a PDF, an XML file, a CSV export. */
interface RawReply<S> {
  status: S;
  body: string | Uint8Array<ArrayBuffer>;
  contentType: string;
  headers?: ReplyHeaders;
}

type ReplyFor<C extends RouteContract, S extends StatusOf<C>> =
  C['responses'][S] extends JsonContent<infer Schema>
    ? { status: S; json: v.InferOutput<Schema>; headers?: ReplyHeaders } | (C['responses'][S] extends { alsoAs: readonly string[] } ? RawReply<S> : never)
    : RawReply<S>;

/** What a handler answers: one of its contract's responses, or one of its problems. */
export type Reply<C extends RouteContract> =
  | { [S in StatusOf<C>]: ReplyFor<C, S> }[StatusOf<C>]
  | { problem: { status: C['problems'][number]; title: string; detail: string } };

export interface RouteInput<C extends RouteContract> {
  params: ParamsOutput<C>;
  query: QueryOutput<C>;
  body: BodyOutput<C>;
}

export type Handler<C extends RouteContract> = (c: Context<AppEnv>, input: RouteInput<C>) => Promise<Reply<C>>;

export interface RouteImpl {
  contract: RouteContract;
  handler: (c: Context<AppEnv>, input: RouteInput<RouteContract>) => Promise<Reply<RouteContract>>;
  /** Runs before the handler (a route's own body limit). */
  middleware: MiddlewareHandler<AppEnv>[];
}

/** A handler for one contract; the types of its input and reply come from the contract. */
export function implement<C extends RouteContract>(contract: C, handler: Handler<C>, opts: { middleware?: MiddlewareHandler<AppEnv>[] } = {}): RouteImpl {
  return { contract, handler: handler as unknown as RouteImpl['handler'], middleware: opts.middleware ?? [] };
}

/** The contract's path as Hono routes it: `/v1/members/{id}` → `/api/v1/members/:id`; a slash parameter matches across slashes. */
export function honoPath(contract: RouteContract): string {
  return `/api${contract.path.replace(/\{(\w+)\}/g, (_, name: string) => (contract.slashParams?.includes(name) ? `:${name}{.+}` : `:${name}`))}`;
}

export interface MountOptions {
  /**
   * Check every answer against its contract (tests): a JSON body must parse with its response
   * schema and carry no undocumented field, a status must be one the contract lists. A mismatch
   * becomes a 500 naming the operation and the field.
   */
  checkResponses?: boolean;
}

export function mount(app: Hono<AppEnv>, impl: RouteImpl, opts: MountOptions = {}): void {
  const { contract } = impl;
  const where = `${contract.method.toUpperCase()} ${contract.path}`;
  const handler: MiddlewareHandler<AppEnv> = async (c) => {
    // Who may call comes before what they sent: an outsider learns nothing of the input rules.
    if (!allows(contract.access, c.get('principal'))) {
      return problem(c, 403, 'Forbidden', `${where} is for ${whoMay(contract.access)}.`, { code: 'forbidden' });
    }
    const params = contract.params ? parseOrThrow(contract.params, c.req.param(), '(path)') : {};
    if (contract.body?.kind === 'raw' && !contract.body.mediaTypes.includes(mediaTypeOf(c.req.header('content-type')))) {
      return problem(c, 415, 'Unsupported media type', contract.body.unsupported);
    }
    const query = contract.query ? parseOrThrow(contract.query, c.req.query(), '(query)') : {};
    const body = contract.body?.kind === 'json' ? await jsonBody(c, contract.body.schema) : undefined;
    let reply: Reply<RouteContract>;
    try {
      reply = await impl.handler(c, { params, query, body } as RouteInput<RouteContract>);
    } catch (error) {
      if (opts.checkResponses && error instanceof ServiceError && !contract.problems.includes(error.status as never)) {
        throw new Error(`${where} answered ${error.status} (${error.title}), which its contract does not list among its problems`);
      }
      throw error;
    }
    if ('problem' in reply) {
      const { status, title, detail } = reply.problem;
      return problem(c, status as ContentfulStatusCode, title, detail);
    }
    const response = contract.responses[reply.status];
    if ('json' in reply) {
      if (opts.checkResponses) checkJson(where, response, reply.status, reply.json);
      return c.json(reply.json, reply.status as ContentfulStatusCode, reply.headers);
    }
    if (opts.checkResponses) checkRaw(where, response, reply.status, reply.contentType);
    return c.body(reply.body, reply.status as ContentfulStatusCode, { ...reply.headers, 'content-type': reply.contentType });
  };
  // Hono's typed overloads take a fixed number of handlers; the route's own middleware comes first.
  const on = app.on.bind(app) as (method: string, path: string, ...handlers: MiddlewareHandler<AppEnv>[]) => unknown;
  on(contract.method.toUpperCase(), honoPath(contract), ...impl.middleware, handler);
}

function checkJson(where: string, response: RouteContract['responses'][number] | undefined, status: number, value: unknown): void {
  if (response?.kind !== 'json') throw new Error(`${where} answered JSON with ${status}, which its contract does not list as a JSON response`);
  // What the client gets: JSON drops undefined fields and turns dates into strings.
  const sent: unknown = JSON.parse(JSON.stringify(value));
  const result = v.safeParse(response.schema, sent);
  if (!result.success) {
    // Paths and expected types only: the received values may be personal data.
    const issues = result.issues.slice(0, 5).map((i) => `${v.getDotPath(i) ?? '(body)'}: expected ${i.expected ?? i.type}`);
    throw new Error(`${where} ${status} does not match its response schema: ${issues.join('; ')}`);
  }
  const extra = undocumentedFields(response.schema, sent, '');
  if (extra.length) throw new Error(`${where} ${status} sends fields its response schema does not document: ${extra.slice(0, 10).join(', ')}`);
}

function checkRaw(where: string, response: RouteContract['responses'][number] | undefined, status: number, contentType: string): void {
  const allowed = response?.kind === 'file' ? response.mediaTypes : response?.kind === 'json' ? (response.alsoAs ?? []) : [];
  if (!allowed.includes(mediaTypeOf(contentType))) throw new Error(`${where} answered ${contentType} with ${status}, which its contract does not list`);
}

type AnySchema = v.GenericSchema & {
  type: string;
  entries?: Record<string, AnySchema>;
  rest?: AnySchema;
  item?: AnySchema;
  value?: AnySchema;
  wrapped?: AnySchema;
  options?: AnySchema[];
};

/** Paths in `value` that `schema` has no place for (valibot's object schemas drop them silently). */
export function undocumentedFields(schema: v.GenericSchema, value: unknown, path: string): string[] {
  const s = schema as AnySchema;
  const out: string[] = [];
  switch (s.type) {
    case 'object':
    case 'strict_object':
    case 'object_with_rest':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
      for (const [key, x] of Object.entries(value)) {
        const entry = s.entries?.[key] ?? s.rest;
        if (entry) out.push(...undocumentedFields(entry, x, `${path}.${key}`));
        else out.push(`${path}.${key}`);
      }
      return out;
    case 'array':
      if (Array.isArray(value)) value.forEach((x, i) => out.push(...undocumentedFields(s.item!, x, `${path}[${i}]`)));
      return out;
    case 'record':
      if (value !== null && typeof value === 'object') for (const [key, x] of Object.entries(value)) out.push(...undocumentedFields(s.value!, x, `${path}.${key}`));
      return out;
    case 'nullable':
    case 'optional':
    case 'nullish':
    case 'exact_optional':
    case 'undefinedable':
      return value === null || value === undefined ? out : undocumentedFields(s.wrapped!, value, path);
    case 'variant':
    case 'union': {
      const option = s.options!.find((o) => v.is(o, value));
      return option ? undocumentedFields(option, value, path) : out;
    }
    default:
      return out;
  }
}
