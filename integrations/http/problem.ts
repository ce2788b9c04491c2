import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { defaultCode } from '../../services/errors';
import type { InvalidParam } from './contract';
import { checkCodes } from './contract/fields';

/**
 * RFC 9457 problem details; `detail` is written for the person who has to fix the request, `code`
 * (in `extra`, or the status's generic one) is what the desk translates.
 */
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail, code: defaultCode(status), instance: c.req.path, ...extra }), status, {
    'content-type': 'application/problem+json',
  });
}

/**
 * Names each offending field with a stable code the desk translates: required, unknown_field,
 * invalid_type, max_length / min_length (params max / min), control_characters, format, one_of,
 * or the code of a domain rule (email_format, contact_required, …); 'invalid' for the rest.
 * `where` names the part of the request when the issue has no path (a path parameter, the body).
 */
export function invalidParams(issues: readonly v.BaseIssue<unknown>[], where = '(body)'): InvalidParam[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? where;
    if (issue.expected === 'never' && issue.kind === 'schema' && issue.type === 'strict_object') {
      return { name: path, reason: `unknown field "${path.split('.').pop()}"; remove it`, code: 'unknown_field' };
    }
    if (issue.type !== 'check' && issue.kind === 'schema' && issue.received === 'undefined') {
      return { name: path, reason: 'is required', code: 'required' };
    }
    return { name: path, reason: issue.message, ...codeOf(issue) };
  });
}

function codeOf(issue: v.BaseIssue<unknown>): { code: string; params?: Record<string, string | number> } {
  const requirement = (issue as { requirement?: unknown }).requirement;
  const known = checkCodes.get(requirement);
  if (known) return { code: known };
  switch (issue.type) {
    case 'max_length':
      return { code: 'max_length', params: { max: Number(requirement) } };
    case 'min_length':
      return Number(requirement) === 1 ? { code: 'required' } : { code: 'min_length', params: { min: Number(requirement) } };
    // 'variant': a discriminator (a union event's `kind`) that names none of the variants.
    case 'picklist':
    case 'literal':
    case 'variant':
      return { code: 'one_of' };
    case 'regex':
    case 'uuid':
    case 'email':
      return { code: 'format' };
  }
  return issue.kind === 'schema' ? { code: 'invalid_type' } : { code: 'invalid' };
}

export function validationProblem(c: Context, issues: readonly v.BaseIssue<unknown>[]) {
  const params = invalidParams(issues);
  const detail = params.map((p) => `${p.name}: ${p.reason}`).join('; ');
  return problem(c, 400, 'Invalid request', detail, { invalidParams: params });
}
