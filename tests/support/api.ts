import { eq } from 'drizzle-orm';
import { inject, vi } from 'vitest';
import { tasks } from '../../db/schema';
import type { Stack } from './stack';

export interface ApiInit extends RequestInit {
  cookie?: string;
  token?: string;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON (so a test can assert on it). */
  body: any;
  text: string;
  headers: Headers;
}

export interface Credentials {
  token?: string;
  cookie?: string;
}

/**
 * Drives the stack's Hono app in-process (no listening server). `as` is whom waitForStatus polls
 * as; it is separate from `api` so a test never sends credentials it did not ask for.
 */
export function apiClient(stack: Pick<Stack, 'app' | 'db'>, opts: { as?: Credentials } = {}) {
  async function api(path: string, init: ApiInit = {}): Promise<ApiResponse> {
    const { cookie, token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    if (token) headers.set('authorization', `Bearer ${token}`);
    if (cookie) headers.set('cookie', cookie);
    // As a browser on the desk's own pages does; a test of a cross-site request sends its own Origin.
    if (cookie && rest.method && !['GET', 'HEAD'].includes(rest.method.toUpperCase()) && !headers.has('origin')) headers.set('origin', inject('webOrigin'));
    const res = await stack.app.request(`http://localhost${path}`, { ...rest, headers });
    const text = await res.text();
    let body: any = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body, text, headers: res.headers };
  }

  /** Polls GET /api/v1/applications/:id until its status is one of `wanted`; returns the view. */
  async function waitForStatus(id: string, wanted: string[], o: { timeoutMs?: number; as?: Credentials } = {}) {
    const as = o.as ?? opts.as ?? {};
    return vi.waitFor(
      async () => {
        const res = await api(`/api/v1/applications/${id}`, as);
        if (!wanted.includes(res.body?.status)) throw new Error(`application ${id} stayed ${res.body?.status ?? res.status}, wanted ${wanted.join('|')}`);
        return res.body;
      },
      { timeout: o.timeoutMs ?? 30_000, interval: 100 },
    );
  }

  /** The open review task of an application, once the workflow has opened it. */
  async function openTaskFor(applicationId: string, timeoutMs = 20_000) {
    return vi.waitFor(
      async () => {
        const [row] = await stack.db.select().from(tasks).where(eq(tasks.subjectId, applicationId));
        if (row?.status !== 'open') throw new Error(`no open task for ${applicationId}`);
        return row;
      },
      { timeout: timeoutMs, interval: 100 },
    );
  }

  return { api, waitForStatus, openTaskFor };
}

export type ApiClient = ReturnType<typeof apiClient>;
