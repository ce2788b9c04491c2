/** Who is calling: a desk user (OIDC session), an integration (bearer token), or the public forms. */
export type Principal =
  | { kind: 'user'; id: string; name: string; roles: string[] }
  | { kind: 'client'; id: string; channel: string; scopes: string[]; /** A union client's own union (token claim `union_code`). */ unionCode?: string }
  | { kind: 'public' };

export const roles = ['caseworker', 'supervisor', 'billing', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

export function hasRole(p: Principal, ...wanted: Role[]): boolean {
  return p.kind === 'user' && wanted.some((r) => p.roles.includes(r));
}

export function hasScope(p: Principal, scope: string): boolean {
  return p.kind === 'client' && p.scopes.includes(scope);
}

export function actorOf(p: Principal): { actor: string; actorKind: 'user' | 'client' | 'public' } {
  return p.kind === 'public' ? { actor: 'public', actorKind: 'public' } : { actor: p.id, actorKind: p.kind };
}

/** Roles whose work needs the full identity code; everyone else sees it masked. */
export function seesFullIdentityCode(p: Principal): boolean {
  return hasRole(p, 'caseworker', 'supervisor');
}

export function maskIdentityCode(code: string): string {
  return code.length === 11 ? `${code.slice(0, 7)}****` : '***********';
}
