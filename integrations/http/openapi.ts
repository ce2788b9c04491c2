import { toJsonSchema, toJsonSchemaDefs, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import type { GenericSchema } from 'valibot';
import { namedSchemas, type Access, type FieldsSchema, type ProblemStatus, type RouteContract } from './contract';
import { problemExample } from './contract/common';

const config: ConversionConfig = {
  errorMode: 'ignore',
  target: 'draft-2020-12',
  definitions: namedSchemas,
  overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
};

/** A schema as JSON Schema, naming the shared shapes by reference to components/schemas. */
function jsonSchema(schema: GenericSchema): JsonSchema {
  const { $schema: _schema, $defs: _defs, ...rest } = toJsonSchema(schema, config);
  return rest;
}

const problemTitles: Record<ProblemStatus, string> = {
  400: 'Invalid request: the problem names each field (invalidParams)',
  401: 'Not signed in, or the bearer token is not valid',
  403: 'The caller may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state (a stale or repeated decision, a used idempotency key)',
  413: 'The body is too large',
  415: 'Unsupported media type',
  422: 'Understood but not possible (the detail says why)',
  429: 'Too many requests from this address; see Retry-After',
};

/** A JSON body sent as another media type is refused with 415 (validate.ts), whatever the route. */
/** The contract's problems, with what the edge adds: 415 for a JSON body, 403 for a restricted operation (integrations/http/access.ts). */
function problemStatuses(contract: RouteContract): readonly ProblemStatus[] {
  const statuses = new Set<ProblemStatus>(contract.problems);
  if (contract.body?.kind === 'json') statuses.add(415);
  if (contract.access.kind === 'restricted') statuses.add(403);
  return [...statuses].sort((a, b) => a - b);
}

function problems(statuses: readonly ProblemStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: problemTitles[status], content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    ]),
  );
}

/** Who may call, in words: the start of every operation's description. */
export function accessText(access: Access): string {
  if (access.kind === 'public') return `Public: ${access.note}.`;
  if (access.kind === 'signedIn') return 'Any signed-in desk user or integration client.';
  const parts = [`Desk roles: ${access.roles.join(', ')}.`];
  if (access.scopes?.length) parts.push(`Integration clients with scope ${access.scopes.join(' or ')}.`);
  else parts.push('Not for integration clients.');
  if (access.note) parts.push(`(${access.note[0]!.toUpperCase()}${access.note.slice(1)}.)`);
  return parts.join(' ');
}

/** OpenAPI 3.1 allows role names in the requirement of non-OAuth schemes: roles for the session, scopes for the bearer token. */
function security(access: Access) {
  if (access.kind === 'public') return [];
  if (access.kind === 'signedIn') return [{ session: [] }, { bearer: [] }];
  return [{ session: [...access.roles] }, ...(access.scopes?.length ? [{ bearer: [...access.scopes] }] : [])];
}

function isRequired(schema: GenericSchema): boolean {
  const type = (schema as { type: string }).type;
  return type !== 'optional' && type !== 'nullish' && type !== 'exact_optional';
}

function fieldParameters(where: 'path' | 'query', schema: FieldsSchema | undefined) {
  if (!schema) return [];
  return Object.entries(schema.entries).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || isRequired(field),
    schema: jsonSchema(field),
  }));
}

function headers(described: Readonly<Record<string, string>> | undefined) {
  if (!described) return {};
  return { headers: Object.fromEntries(Object.entries(described).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) };
}

function operation(contract: RouteContract) {
  const parameters = [
    ...fieldParameters('path', contract.params),
    ...fieldParameters('query', contract.query),
    ...(contract.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' }, example: h.example })),
  ];
  const body = contract.body;
  const requestBody =
    body?.kind === 'json'
      ? { required: true, content: { 'application/json': { schema: jsonSchema(body.schema), example: body.example } } }
      : body?.kind === 'raw'
        ? { required: true, description: body.description, content: Object.fromEntries(body.mediaTypes.map((m) => [m, { schema: { type: 'string' } }])) }
        : undefined;
  const responses = Object.fromEntries(
    Object.entries(contract.responses).map(([status, r]) => {
      if (r.kind === 'file') {
        const schema = r.binary ? { type: 'string', format: 'binary' } : { type: 'string' };
        return [status, { description: r.description, ...headers(r.headers), content: Object.fromEntries(r.mediaTypes.map((m) => [m, { schema, ...(r.example ? { example: r.example } : {}) }])) }];
      }
      const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(r.schema), ...(r.example !== undefined ? { example: r.example } : {}) } };
      for (const m of r.alsoAs ?? []) content[m] = { schema: { type: 'string' } };
      return [status, { description: r.description, ...headers(r.headers), content }];
    }),
  );
  return {
    operationId: contract.operationId,
    tags: [contract.tag],
    summary: contract.summary,
    description: [accessText(contract.access), contract.description].filter(Boolean).join('\n\n'),
    ...(contract.access.kind === 'restricted'
      ? { 'x-roles': [...contract.access.roles], 'x-scopes': [...(contract.access.scopes ?? [])] }
      : { 'x-roles': contract.access.kind === 'public' ? [] : ['any'], 'x-scopes': [] }),
    security: security(contract.access),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: { ...responses, ...problems(problemStatuses(contract)) },
  };
}

const tagDescriptions: Record<string, string> = {
  Session: 'Who is calling, and the desk sessions administrators may end.',
  Applications: 'Membership applications from e-services, unions and the desk.',
  Tasks: 'The work queue of the desk: human tasks of the processes.',
  Members: 'Search, the member overview and contact data.',
  'Membership events': 'Resignations, fund switches, transferred periods and deaths.',
  Billing: 'Billing runs and the fee of each year.',
  Payments: 'Bank files and unmatched payments.',
  Ledger: 'The member ledger: invoices, credit notes, write-offs, refunds.',
  Reports: 'The bookkeeping journal and the fee reports.',
  'Public forms': 'The join, supplement and resignation forms: no login.',
  Audit: 'The audit log: who read or changed what and when, for auditors.',
  'Membership for other systems': 'Membership on a date and over an interval for EKJ and unions, one member or 1,000 identity codes per request; each system sees only its rows, every read audited.',
  'Own data (e-services)': "The data of the member logged in to the e-service, and the contact changes they make there.",
};

/** The OpenAPI 3.1 document of the given operations (the ones the app serves). */
export function openApiDocument(serverUrl: string, contracts: readonly RouteContract[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const contract of contracts) (paths[contract.path] ??= {})[contract.method] = operation(contract);
  const tags = [...new Set(contracts.map((c) => c.tag))].map((name) => ({ name, ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}) }));
  const { $schema: _schema, ...components } = toJsonSchemaDefs(namedSchemas, { errorMode: 'ignore', target: 'draft-2020-12', overrideRef: config.overrideRef! }) as Record<string, JsonSchema>;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jäsenrekisteri API',
      version: '1.0.0',
      description:
        'Membership register of an unemployment fund. Integrations authenticate with OAuth2 client-credentials bearer tokens (the scope claim lists what they may do); the desk with its session (its roles). Errors are RFC 9457 problem+json. Money is whole cents, dates are YYYY-MM-DD, instants ISO 8601 in UTC.',
    },
    servers: [{ url: serverUrl }],
    tags,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An access token from the fund's IdP (client-credentials grant); its scope claim names the client's scopes." },
        session: { type: 'apiKey', in: 'cookie', name: 'oidc-auth', description: 'The desk session after /auth/login; its roles come from the IdP.' },
      },
      schemas: { ...components, Problem: { ...components.Problem, examples: [problemExample] } },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const pre = (value: unknown) => `<pre>${escape(typeof value === 'string' ? value : JSON.stringify(value, null, 2))}</pre>`;

function operationHtml(contract: RouteContract): string {
  // The main success response is the one with the example (201 beside a 200 "the same again").
  const success = Object.entries(contract.responses).filter(([s]) => s.startsWith('2'));
  const [status, response] = success.find(([, r]) => r.example !== undefined) ?? success[0]!;
  const params = [
    ...Object.keys(contract.params?.entries ?? {}).map((n) => `<code>${escape(n)}</code> (path)`),
    ...Object.keys(contract.query?.entries ?? {}).map((n) => `<code>${escape(n)}</code> (query)`),
    ...(contract.headers ?? []).map((h) => `<code>${escape(h.name)}</code> (header)`),
  ];
  return `<details id="${escape(contract.operationId)}"><summary><code>${contract.method.toUpperCase()} /api${escape(contract.path)}</code> – ${escape(contract.summary)}</summary>
<p><strong>Who:</strong> ${escape(accessText(contract.access))}</p>
${contract.description ? `<p>${escape(contract.description)}</p>` : ''}
${params.length ? `<p><strong>Parameters:</strong> ${params.join(', ')}</p>` : ''}
${contract.body?.kind === 'json' ? `<p><strong>Request example</strong> (application/json)</p>${pre(contract.body.example)}` : ''}
${contract.body?.kind === 'raw' ? `<p><strong>Request body:</strong> ${escape(contract.body.description)} (${contract.body.mediaTypes.map(escape).join(', ')})</p>` : ''}
<p><strong>${status}</strong> ${escape(response.description)}</p>
${response.example !== undefined ? pre(response.example) : ''}
<p><strong>Problems:</strong> ${problemStatuses(contract).join(', ')} (application/problem+json)</p>
</details>`;
}

/** The docs page's one stylesheet, inline: its hash is the page's whole style-src (securityHeaders.ts). */
export const docsStyle =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}code,pre{background:#f4f4f5;padding:.1rem .3rem;border-radius:4px}pre{padding:1rem;overflow:auto}h2{margin-top:2rem}details{border-bottom:1px solid #e4e4e7;padding:.4rem 0}summary{cursor:pointer}';

/** /api/docs: every operation with who may call it and its examples, rendered on the server (no script). */
export function docsPage(contracts: readonly RouteContract[]): string {
  const byTag = new Map<string, RouteContract[]>();
  for (const c of contracts) byTag.set(c.tag, [...(byTag.get(c.tag) ?? []), c]);
  const sections = [...byTag].map(([tag, ops]) => `<h3>${escape(tag)}</h3>${tagDescriptions[tag] ? `<p>${escape(tagDescriptions[tag])}</p>` : ''}\n${ops.map(operationHtml).join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Jäsenrekisteri API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${docsStyle}</style></head>
<body><main><h1>Jäsenrekisteri API</h1>
<p>The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1, with JSON Schemas of every request and response). Errors are <code>application/problem+json</code> (RFC 9457) with a <code>detail</code> a person can act on and <code>invalidParams</code> naming each field.</p>
${pre(problemExample)}
<h2>Authentication</h2><p>Get a token with the OAuth2 client-credentials grant at the fund's IdP and send <code>Authorization: Bearer …</code>; the token's scopes say what the client may do. Desk users sign in at <code>/auth/login</code> and act with their roles. Submissions take an <code>Idempotency-Key</code> header: the same key twice gives the same result.</p>
${pre('curl -s -u eservices:eservices-secret -d grant_type=client_credentials -d scope="applications:write applications:read" http://localhost:3001/token')}
<h2>Operations</h2>
${sections}
</main></body></html>`;
}
