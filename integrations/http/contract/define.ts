/**
 * The shape of one API operation: method, path, who may call it, the schemas of its request and
 * responses, and examples. The server registers its handlers from these (integrations/http/
 * routing.ts), the OpenAPI document is built from them (integrations/http/openapi.ts), and the
 * desk's client is typed by them. Pure valibot: the web may import this folder.
 */
import type * as v from 'valibot';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Desk users' roles (a claim of the OIDC session). */
export type RoleName = 'caseworker' | 'supervisor' | 'billing' | 'admin' | 'auditor';
/** Integration clients' scopes (the `scope` claim of their client-credentials token). */
export type ScopeName =
  | 'applications:write'
  | 'applications:read'
  | 'members:write'
  | 'payments:write'
  | 'reports:read'
  /** Membership on a date, single and batch; narrowed to the client's rows by the service. */
  | 'membership:read'
  /** The data of the member logged in to the e-service (subjectIdentityCode), and changes to it. */
  | 'own-data:read'
  | 'own-data:write'
  /** A union's events and fee remittances (docs/decisions/019-union-exchange.md). */
  | 'union-batches:write'
  /** The union's member list with status, paid-through dates and differences. */
  | 'union-members:read'
  /** The bookkeeping journal and its reconciliation with the ledger, for the finance system (decision 025). */
  | 'bookkeeping:read';

/**
 * Who may call an operation. The services enforce it; the document tells integrators.
 * `public`: no login (the public forms); `signedIn`: any desk user or client;
 * `restricted`: desk users with one of `roles`, or clients with one of `scopes`.
 */
export type Access =
  | { kind: 'public'; note: string }
  | { kind: 'signedIn' }
  | { kind: 'restricted'; roles: readonly RoleName[]; scopes?: readonly ScopeName[]; note?: string };

/** Problem statuses an operation may answer with (RFC 9457 problem+json). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** A schema whose entries name the fields of the path or query string. */
export type FieldsSchema = v.GenericSchema<Record<string, unknown>, Record<string, unknown>> & { readonly entries: v.ObjectEntries };

export interface JsonBody<S extends v.GenericSchema = v.GenericSchema> {
  kind: 'json';
  schema: S;
  example: unknown;
}

/** The raw file is the body (bank files): no JSON wrapper. Another media type is a 415 with `unsupported` as its detail. */
export interface RawBody {
  kind: 'raw';
  mediaTypes: readonly string[];
  description: string;
  unsupported: string;
}

export interface JsonContent<S extends v.GenericSchema = v.GenericSchema> {
  kind: 'json';
  schema: S;
  description: string;
  example?: unknown;
  /** Response headers worth knowing: name → what it carries. */
  headers?: Readonly<Record<string, string>>;
  /** Other media types the same status may answer with, as text (a CSV export of the JSON). */
  alsoAs?: readonly string[];
}

export interface FileContent {
  kind: 'file';
  description: string;
  mediaTypes: readonly string[];
  binary: boolean;
  example?: string;
  headers?: Readonly<Record<string, string>>;
}

export type ResponseContent = JsonContent | FileContent;

export interface HeaderParam {
  name: string;
  required: boolean;
  description: string;
  example: string;
}

export interface RouteContract {
  /** Unique; the desk's client and the document name the operation by it. */
  operationId: string;
  method: Method;
  /** The path under /api, with `{name}` for path parameters. */
  path: `/${string}`;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** Path parameters that may contain slashes (a billing run id). */
  slashParams?: readonly string[];
  params?: FieldsSchema;
  query?: FieldsSchema;
  headers?: readonly HeaderParam[];
  body?: JsonBody | RawBody;
  responses: Readonly<Record<number, ResponseContent>>;
  problems: readonly ProblemStatus[];
}

/** Keeps the literal types of a route contract (its schemas and statuses) for the handler and the client. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}

/** A JSON request body; the example is checked against the schema at compile time (and in the contract test). */
export function jsonBody<S extends v.GenericSchema>(schema: S, example: v.InferInput<S>): JsonBody<S> {
  return { kind: 'json', schema, example };
}

/** A JSON response; the example is checked against the schema at compile time (and in the contract test). */
export function json<S extends v.GenericSchema>(schema: S, description: string, opts: { example?: v.InferOutput<S>; headers?: Record<string, string> } = {}): JsonContent<S> {
  return { kind: 'json', schema, description, ...opts };
}

/** A JSON response that may also be asked for as text in other media types (`?format=csv`). */
export function jsonOrText<S extends v.GenericSchema>(
  schema: S,
  description: string,
  alsoAs: readonly string[],
  opts: { example?: v.InferOutput<S>; headers?: Record<string, string> } = {},
): JsonContent<S> & { alsoAs: readonly string[] } {
  return { kind: 'json', schema, description, alsoAs, ...opts };
}

export function file(description: string, mediaTypes: readonly string[], opts: { binary?: boolean; example?: string; headers?: Record<string, string> } = {}): FileContent {
  return { kind: 'file', description, mediaTypes, binary: opts.binary ?? false, ...(opts.example ? { example: opts.example } : {}), ...(opts.headers ? { headers: opts.headers } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Types derived from a contract, for the handler and the client.

type Responses<C extends RouteContract> = C['responses'];

/** The statuses of a contract's responses. */
export type StatusOf<C extends RouteContract> = Extract<keyof Responses<C>, number>;

/** The body of a JSON response with the given status, as the client receives it. */
export type ResponseBody<C extends RouteContract, S extends StatusOf<C>> = Responses<C>[S] extends JsonContent<infer Schema> ? v.InferOutput<Schema> : never;

/** What a successful call answers: the body of any of its JSON responses. */
export type Ok<C extends RouteContract> = { [S in StatusOf<C>]: ResponseBody<C, S> }[StatusOf<C>];

export type ParamsInput<C extends RouteContract> = C['params'] extends FieldsSchema ? v.InferInput<C['params']> : Record<string, never>;
export type QueryInput<C extends RouteContract> = C['query'] extends FieldsSchema ? v.InferInput<C['query']> : Record<string, never>;
export type BodyInput<C extends RouteContract> = C['body'] extends JsonBody<infer S> ? v.InferInput<S> : never;

export type ParamsOutput<C extends RouteContract> = C['params'] extends FieldsSchema ? v.InferOutput<C['params']> : Record<string, never>;
export type QueryOutput<C extends RouteContract> = C['query'] extends FieldsSchema ? v.InferOutput<C['query']> : Record<string, never>;
/** A raw body is left for the handler to read (after its media type is checked). */
export type BodyOutput<C extends RouteContract> = C['body'] extends JsonBody<infer S> ? v.InferOutput<S> : undefined;
