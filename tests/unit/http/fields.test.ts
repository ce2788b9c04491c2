import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { routes, type RouteContract } from '../../../integrations/http/contract';
import { applicationDataExample, applicationDataSchema } from '../../../integrations/http/contract/applications';
import { addressSchema } from '../../../integrations/http/contract/fields';
import { noControlCharacters, noControlCharactersMultiline } from '../../../integrations/http/contract/fields';
import { invalidParams } from '../../../integrations/http/problem';

type AnySchema = v.GenericSchema & {
  type: string;
  kind: string;
  pipe?: readonly (AnySchema | { kind: string; type: string })[];
  entries?: Record<string, AnySchema>;
  wrapped?: AnySchema;
  item?: AnySchema;
  options?: readonly AnySchema[];
  rest?: AnySchema;
  key?: AnySchema;
  value?: AnySchema;
};

const guards: unknown[] = [noControlCharacters, noControlCharactersMultiline];

/** Does this (possibly piped) string schema refuse control characters? */
function guarded(schema: AnySchema): boolean {
  if (!schema.pipe) return false;
  return schema.pipe.some((item) => guards.includes(item) || (item !== schema.pipe![0] && 'pipe' in item && guarded(item as AnySchema))) || guarded(schema.pipe[0] as AnySchema);
}

/** Paths of every string in a request schema that takes control characters. */
function unguardedStrings(schema: AnySchema, path: string): string[] {
  if (schema.type === 'string') return guarded(schema) ? [] : [path];
  const inner = schema.pipe?.[0] as AnySchema | undefined;
  if (inner && inner !== schema) return unguardedStrings(inner, path);
  const out: string[] = [];
  if (schema.entries) for (const [key, entry] of Object.entries(schema.entries)) out.push(...unguardedStrings(entry, path ? `${path}.${key}` : key));
  if (schema.wrapped) out.push(...unguardedStrings(schema.wrapped, path));
  if (schema.item) out.push(...unguardedStrings(schema.item, `${path}[]`));
  if (schema.options) for (const o of schema.options) out.push(...unguardedStrings(o, path));
  if (schema.rest) out.push(...unguardedStrings(schema.rest, `${path}.*`));
  if (schema.key) out.push(...unguardedStrings(schema.key, `${path}{key}`));
  if (schema.value) out.push(...unguardedStrings(schema.value, `${path}{}`));
  return out;
}

describe('request strings refuse control characters', () => {
  const contracts = Object.values(routes) as RouteContract[];

  it('every string field of every path, query and body is a str() or multilineStr()', () => {
    const found: string[] = [];
    for (const c of contracts) {
      for (const [part, schema] of [['path', c.params], ['query', c.query], ['body', c.body?.kind === 'json' ? c.body.schema : undefined]] as const) {
        if (schema) found.push(...unguardedStrings(schema as unknown as AnySchema, '').map((p) => `${c.operationId} ${part} ${p}`));
      }
    }
    expect(found).toEqual([]);
  });

  it('the walk finds a bare string (it can fail)', () => {
    expect(unguardedStrings(v.strictObject({ a: v.optional(v.pipe(v.string(), v.maxLength(3))) }) as unknown as AnySchema, '')).toEqual(['a']);
  });

  it('names the field and the code control_characters', () => {
    for (const bad of ['Vir\u0000tanen', 'Vir\u0007tanen', 'Virtanen\n', 'Vir\u009Btanen']) {
      const r = v.safeParse(applicationDataSchema, { ...applicationDataExample, lastName: bad });
      expect(r.success).toBe(false);
      expect(invalidParams(r.issues!)).toContainEqual(expect.objectContaining({ name: 'lastName', code: 'control_characters' }));
    }
  });

  it('lets a multi-line reason keep its line breaks but not NUL', () => {
    const change = routes.changeMemberContact.body.schema;
    expect(v.safeParse(change, { reason: 'Member called.\nNew address.' }).success).toBe(true);
    const r = v.safeParse(change, { reason: 'Member\u0000called' });
    expect(invalidParams(r.issues!)).toEqual([expect.objectContaining({ name: 'reason', code: 'control_characters' })]);
  });
});

describe('invalidParams codes', () => {
  const issuesOf = (data: unknown) => {
    const r = v.safeParse(applicationDataSchema, data);
    expect(r.success).toBe(false);
    return invalidParams(r.issues!);
  };

  it('says "at most 100 characters" for a long name, with max', () => {
    expect(issuesOf({ ...applicationDataExample, firstNames: 'A'.repeat(101) })).toEqual([
      { name: 'firstNames', reason: 'must be at most 100 characters', code: 'max_length', params: { max: 100 } },
    ]);
  });

  it('codes required, unknown_field, email_format, phone_format, postal_code_format, contact_required', () => {
    const { lastName: _l, ...noLastName } = applicationDataExample;
    expect(issuesOf(noLastName)).toContainEqual(expect.objectContaining({ name: 'lastName', code: 'required' }));
    expect(issuesOf({ ...applicationDataExample, shoeSize: 42 })).toContainEqual(expect.objectContaining({ name: 'shoeSize', code: 'unknown_field' }));
    expect(issuesOf({ ...applicationDataExample, email: 'not-an-email' })).toEqual([expect.objectContaining({ name: 'email', code: 'email_format' })]);
    expect(issuesOf({ ...applicationDataExample, phone: 'abc' })).toEqual([expect.objectContaining({ name: 'phone', code: 'phone_format' })]);
    expect(issuesOf({ ...applicationDataExample, address: { street: 'Katu 1', postalCode: '0010000', city: 'Helsinki' } })).toEqual([
      expect.objectContaining({ name: 'address.postalCode', code: 'postal_code_format' }),
    ]);
    const { email: _e, phone: _p, address: _a, ...noContact } = applicationDataExample;
    expect(issuesOf(noContact)).toEqual([expect.objectContaining({ name: 'email', code: 'contact_required' })]);
  });

  it('accepts a foreign postal code with its country', () => {
    expect(v.safeParse(addressSchema, { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'SE' }).success).toBe(true);
  });

  it('names a bad path parameter, not (body)', () => {
    const r = v.safeParse(routes.getMember.params, { id: 'nope' });
    expect(invalidParams(r.issues!, '(path)')).toEqual([expect.objectContaining({ name: 'id', code: 'format' })]);
  });
});
