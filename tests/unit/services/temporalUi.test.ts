import { describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../services/context';
import { temporalProcessesLink, temporalProcessLink } from '../../../services/temporalUi';

const ctx = { temporalUi: { url: 'http://localhost:8233', namespace: 'a-kassa' } } as ServiceContext;

describe('links to the Temporal Web UI (decision 027)', () => {
  it('filters the process list by the search attributes', () => {
    const link = new URL(temporalProcessesLink(ctx, { kind: 'billing-run', key: '2026' })!);
    expect(link.pathname).toBe('/namespaces/a-kassa/workflows');
    expect(link.searchParams.get('query')).toBe('ProcessKind="billing-run" AND ProcessKey="2026"');
    expect(new URL(temporalProcessesLink(ctx, { memberId: '0f6c1f9e-3c1b-4c55-9d7e-5a8c7b2e1d00' })!).searchParams.get('query')).toBe('MemberId="0f6c1f9e-3c1b-4c55-9d7e-5a8c7b2e1d00"');
  });
  it('keeps a quote out of the query, and gives no link without a UI', () => {
    expect(new URL(temporalProcessesLink(ctx, { key: '20"26' })!).searchParams.get('query')).toBe('ProcessKey="2026"');
    expect(temporalProcessesLink({ ...ctx, temporalUi: null } as ServiceContext, { kind: 'reconcile' })).toBeNull();
    expect(temporalProcessLink(ctx, 'billing-run/a-kassa/2026')).toBe('http://localhost:8233/namespaces/a-kassa/workflows/billing-run%2Fa-kassa%2F2026');
  });
});
