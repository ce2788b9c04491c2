/**
 * The contract's `access` enforced at the edge, before the request's input is read: a caller who
 * may not use an operation learns nothing of its input rules (a 403 before any 400). The services
 * check again, with what only they know (a client sees only its own submissions).
 */
import type { Principal } from '../../services/principal';
import type { Access } from './contract/define';

export function allows(access: Access, principal: Principal | undefined): boolean {
  switch (access.kind) {
    case 'public':
      return true;
    case 'signedIn':
      return principal !== undefined && principal.kind !== 'public';
    case 'restricted':
      if (principal?.kind === 'user') return access.roles.some((r) => principal.roles.includes(r));
      if (principal?.kind === 'client') return (access.scopes ?? []).some((s) => principal.scopes.includes(s));
      return false;
  }
}

/** Who may, in words, for the 403's detail. */
export function whoMay(access: Access): string {
  if (access.kind !== 'restricted') return 'signed-in callers';
  const roles = access.roles.length ? `desk users with the role ${anyOf(access.roles)}` : '';
  const scopes = access.scopes?.length ? `clients with the scope ${anyOf(access.scopes)}` : '';
  return [roles, scopes].filter(Boolean).join(' and ') || 'no one';
}

function anyOf(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
