import { describe, expect, it } from 'vitest';
import { allows, whoMay } from '../../../integrations/http/access';
import type { Access } from '../../../integrations/http/contract';

const reports: Access = { kind: 'restricted', roles: ['billing', 'supervisor', 'admin'], scopes: ['reports:read'] };

describe('allows', () => {
  it('lets anyone use a public form and any signed-in caller a signedIn operation', () => {
    expect(allows({ kind: 'public', note: '' }, undefined)).toBe(true);
    expect(allows({ kind: 'signedIn' }, { kind: 'client', id: 'x', channel: 'c', scopes: [] })).toBe(true);
    expect(allows({ kind: 'signedIn' }, undefined)).toBe(false);
    expect(allows({ kind: 'signedIn' }, { kind: 'public' })).toBe(false);
  });

  it('lets a desk user in by role and a client by scope, never the other way round', () => {
    expect(allows(reports, { kind: 'user', id: 'u', name: 'U', roles: ['supervisor', 'caseworker'] })).toBe(true);
    expect(allows(reports, { kind: 'user', id: 'u', name: 'U', roles: ['caseworker', 'auditor'] })).toBe(false);
    expect(allows(reports, { kind: 'client', id: 'r', channel: 'reporting', scopes: ['reports:read'] })).toBe(true);
    expect(allows(reports, { kind: 'client', id: 'e', channel: 'e-services', scopes: ['applications:read'] })).toBe(false);
    // A client whose scope happens to be named like a role gets nothing from it.
    expect(allows(reports, { kind: 'client', id: 'x', channel: 'c', scopes: ['billing'] })).toBe(false);
    expect(allows({ kind: 'restricted', roles: ['admin'] }, { kind: 'client', id: 'x', channel: 'c', scopes: ['admin'] })).toBe(false);
  });
});

describe('whoMay', () => {
  it('says who may, for the 403', () => {
    expect(whoMay(reports)).toBe('desk users with the role billing, supervisor or admin and clients with the scope reports:read');
    expect(whoMay({ kind: 'restricted', roles: ['admin'] })).toBe('desk users with the role admin');
  });
});
