import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { defaultCode } from '../../services/errors';
import type { InvalidParam } from './contract';

/**
 * RFC 9457 problem details; `detail` is written for the person who has to fix the request, `code`
 * (in `extra`, or the status's generic one) is what the desk translates.
 */
export function problem(c: Context, status: ContentfulStatusCode, title: string, detail: string, extra: Record<string, unknown> = {}) {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, detail, code: defaultCode(status), instance: c.req.path, ...extra }), status, {
    'content-type': 'application/problem+json',
  });
}

/** Names each offending field; an unknown field is reported as such rather than as a type error. */
export function invalidParams(issues: readonly v.BaseIssue<unknown>[]): InvalidParam[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? '(body)';
    if (issue.expected === 'never' && issue.kind === 'schema' && issue.type === 'strict_object') {
      return { name: path, reason: `unknown field "${path.split('.').pop()}"; remove it` };
    }
    if (issue.type !== 'check' && issue.kind === 'schema' && issue.received === 'undefined') {
      return { name: path, reason: 'is required' };
    }
    return { name: path, reason: issue.message };
  });
}

export function validationProblem(c: Context, issues: readonly v.BaseIssue<unknown>[]) {
  const params = invalidParams(issues);
  const detail = params.map((p) => `${p.name}: ${p.reason}`).join('; ');
  return problem(c, 400, 'Invalid request', detail, { invalidParams: params });
}
