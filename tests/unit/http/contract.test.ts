import { readdirSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { apiOperations, createApp } from '../../../integrations/http/app';
import { routes, type RouteContract } from '../../../integrations/http/contract';
import { implement, undocumentedFields } from '../../../integrations/http/routing';
import type { ServiceContext } from '../../../services/context';

// The app is only built here, never asked for data: no database or Temporal behind it.
const ctx = {} as ServiceContext;
const app = createApp({
  ctx,
  publicBaseUrl: 'http://localhost:3000',
  auth: {
    oidc: {
      OIDC_ISSUER: 'http://localhost:3001',
      OIDC_CLIENT_ID: 'desk',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_AUTH_SECRET: 'a-session-secret-that-is-long-enough-0123456789',
      OIDC_REDIRECT_URI: 'http://localhost:3000/auth/callback',
    },
    verifyBearer: async () => null,
  },
});

type JsonSchema = Record<string, unknown> & { $ref?: string; type?: string; properties?: Record<string, unknown> };
type Operation = {
  operationId: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  'x-roles'?: string[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema; example?: unknown }> }>;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, JsonSchema> } };

const doc = (await (await app.request('/api/openapi.json')).json()) as Doc;

/** Follows a $ref into components/schemas. */
function resolve(schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  expect(target, `components/schemas/${name}`).toBeDefined();
  return resolve(target!);
}

/** Hono's path back into the document's form: `/api/v1/billing-runs/:id{.+}` → `/v1/billing-runs/{id}`. */
const documentPath = (honoPath: string) => honoPath.replace(/^\/api/, '').replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');

const served = app.routes
  .filter((r) => r.method !== 'ALL' && /^\/api\/(v1|public)\//.test(r.path))
  .map((r) => ({ method: r.method.toLowerCase(), path: documentPath(r.path) }));

describe('the OpenAPI document', () => {
  it('documents every /api/v1 and /api/public route the app serves', () => {
    expect(served.length).toBeGreaterThan(40);
    for (const { method, path } of served) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method.toUpperCase()} ${path} is served but not documented`).toBeDefined();
      expect(op!.summary, `${method} ${path}: summary`).toMatch(/\w{3}/);
      // Who may call it: in words, as x-roles, and as the security requirement.
      expect(op!.description, `${method} ${path}: who may call`).toMatch(/^(Desk roles: |Public: |Any signed-in)/);
      expect(op!['x-roles'], `${method} ${path}: x-roles`).toBeDefined();
      expect(op!.security, `${method} ${path}: security`).toBeDefined();
      if (path.startsWith('/public/')) expect(op!.security).toEqual([]);
      else expect(op!.security!.length).toBeGreaterThan(0);
    }
  });

  it('serves every documented operation', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) expect(served, `${method} ${path}`).toContainEqual({ method, path });
    }
  });

  it('implements every operation of the contract once', () => {
    const implemented = apiOperations(ctx).map((o) => o.contract.operationId);
    expect([...implemented].sort()).toEqual(Object.keys(routes).sort());
    expect(new Set(implemented).size).toBe(implemented.length);
  });

  it('describes every JSON response with a real schema, not a bare object', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.content, `${method} ${path} ${status}: content`).toBeDefined();
          for (const [media, { schema }] of Object.entries(response.content!)) {
            const resolved = resolve(schema);
            if (media.endsWith('json')) {
              const bare = resolved.type === 'object' && !resolved.properties && !resolved.additionalProperties;
              expect(bare, `${method} ${path} ${status} ${media} is a bare object`).toBe(false);
              expect(Object.keys(resolved).length, `${method} ${path} ${status} ${media}`).toBeGreaterThan(0);
            }
          }
        }
      }
    }
  });

  it('names the path parameters of every templated path', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(pathParams.sort(), `${method} ${path}`).toEqual([...names].sort());
      }
    }
  });

  it('gives every request body and every main success response an example', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [media, content] of Object.entries(op.requestBody?.content ?? {})) {
          if (media === 'application/json') expect(content.example, `${method} ${path} request example`).toBeDefined();
        }
        // The main success response: 201 beside a 200 "the same again", else the one 2xx.
        const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        const withJson = success.filter(([, r]) => r.content?.['application/json']);
        if (withJson.length === 0) continue;
        const examples = withJson.filter(([, r]) => r.content!['application/json']!.example !== undefined);
        expect(examples.map(([s]) => s), `${method} ${path}: an example of the main success response`).not.toEqual([]);
      }
    }
  });
});

describe('the examples of the contract', () => {
  const contracts = Object.values(routes) as RouteContract[];

  it('fit their request schemas', () => {
    for (const c of contracts) {
      if (c.body?.kind !== 'json') continue;
      const result = v.safeParse(c.body.schema, c.body.example);
      expect(result.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`), `${c.operationId} request example`).toBeUndefined();
    }
  });

  it('fit their response schemas, field for field', () => {
    for (const c of contracts) {
      for (const [status, r] of Object.entries(c.responses)) {
        if (r.kind !== 'json' || r.example === undefined) continue;
        const result = v.safeParse(r.schema, r.example);
        expect(result.issues?.map((i) => `${v.getDotPath(i)}: ${i.message}`), `${c.operationId} ${status} example`).toBeUndefined();
        expect(undocumentedFields(r.schema, r.example, ''), `${c.operationId} ${status} example`).toEqual([]);
      }
    }
  });
});

describe('the contract folder', () => {
  it('imports only valibot, itself and the domain, so the web may import it', () => {
    const dir = 'integrations/http/contract';
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(`${dir}/${file}`, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec, `${file} imports ${spec}`).toMatch(/^(valibot|\.\/[\w.]+|\.\.\/\.\.\/\.\.\/domain\/[\w/]+)$/);
    }
  });
});

describe('undocumentedFields', () => {
  const schema = v.object({
    a: v.string(),
    list: v.array(v.object({ x: v.number() })),
    maybe: v.nullable(v.object({ y: v.string() })),
    either: v.variant('kind', [v.object({ kind: v.literal('one'), one: v.string() }), v.object({ kind: v.literal('two'), two: v.string() })]),
    counts: v.record(v.string(), v.object({ n: v.number() })),
  });

  it('finds nothing in a value that fits', () => {
    expect(undocumentedFields(schema, { a: '', list: [{ x: 1 }], maybe: null, either: { kind: 'two', two: '' }, counts: { k: { n: 1 } } }, '')).toEqual([]);
  });

  it('names every field the schema has no place for, however deep', () => {
    const value = { a: '', b: 1, list: [{ x: 1, z: 2 }], maybe: { y: '', w: 3 }, either: { kind: 'one', one: '', two: '' }, counts: { k: { n: 1, m: 2 } } };
    expect(undocumentedFields(schema, value, '')).toEqual(['.b', '.list[0].z', '.maybe.w', '.either.two', '.counts.k.m']);
  });
});

describe('a handler', () => {
  it("must answer what its contract's response schema says (a compile-time check)", () => {
    // @ts-expect-error a task view is not what a claim answers with
    implement(routes.claimTask, async () => ({ status: 200, json: { taskId: 'x', outcome: 'approved' } }));
    // @ts-expect-error a status the contract does not list
    implement(routes.claimTask, async () => ({ status: 201, json: {} }));
    // @ts-expect-error a problem status the contract does not list
    implement(routes.me, async () => ({ problem: { status: 422, title: 'x', detail: 'y' } }));
    expect(true).toBe(true);
  });
});
