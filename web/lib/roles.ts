/**
 * What each desk role uses, for the landing page and the navigation. The API decides every call;
 * this only keeps the desk from offering a page the user's roles may not open.
 */
type Roles = readonly string[];

const any = (roles: Roles, ...wanted: string[]) => wanted.some((r) => roles.includes(r));

/** The desk's areas, each with the roles that may use it. */
export const deskAreas = {
  queue: (r: Roles) => any(r, 'caseworker', 'supervisor', 'billing'),
  search: (r: Roles) => any(r, 'caseworker', 'supervisor', 'billing', 'admin'),
  billing: (r: Roles) => any(r, 'billing', 'admin'),
  payments: (r: Roles) => any(r, 'billing'),
  unions: (r: Roles) => any(r, 'caseworker', 'supervisor', 'billing', 'admin'),
  collection: (r: Roles) => any(r, 'caseworker', 'supervisor', 'billing', 'admin'),
  tax: (r: Roles) => any(r, 'billing', 'admin'),
  reports: (r: Roles) => any(r, 'billing', 'supervisor', 'admin'),
  admin: (r: Roles) => any(r, 'admin'),
  audit: (r: Roles) => any(r, 'auditor'),
} as const;

export type DeskArea = keyof typeof deskAreas;

/**
 * Where a user lands after login: caseworkers (and supervisors) on the work queue, billing users
 * on billing, administrators on the administration page, auditors on the audit log. A user with
 * several roles lands by the first in that order.
 */
export function landingFor(roles: Roles): string {
  if (any(roles, 'caseworker', 'supervisor')) return '/queue';
  if (any(roles, 'billing')) return '/billing';
  if (any(roles, 'admin')) return '/admin';
  if (any(roles, 'auditor')) return '/audit';
  return '/queue';
}
