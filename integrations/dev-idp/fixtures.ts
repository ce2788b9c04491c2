// Fixed test identities of the development IdP. Everything here is public on
// purpose: these credentials only ever exist in local development and tests.

export const WEB_CLIENT_ID = 'jasenrekisteri-desk';
export const API_AUDIENCE = 'urn:jasenrekisteri:api';
export const DEFAULT_WEB_CLIENT_SECRET = 'dev-desk-secret-change-me';

/** Scopes the desk client may request; `roles` is our own claim-bearing scope. */
export const WEB_CLIENT_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'roles'] as const;

/**
 * What each scope lets a client do (integrations/http/contract names the operations; the
 * authorisation matrix in tests/integration proves it): applications:write submits applications
 * and supplements, applications:read reads the client's own submissions, members:write sends
 * resignations and fund switches, members:read reads a member's fee statement and certificate
 * (e-services: its logged-in member; a union: its own members), payments:write sends bank files, reports:read reads the fee
 * income and receivables reports.
 */
export const API_SCOPES = ['applications:write', 'applications:read', 'members:read', 'members:write', 'payments:write', 'reports:read'] as const;

export interface DevUser {
  username: string;
  password: string;
  name: string;
  roles: string[];
}

export interface DevClient {
  clientId: string;
  clientSecret: string;
  channel: string;
  scopes: string[];
  /** A union client's union code, sent as the `union_code` claim of its access tokens. */
  unionCode?: string;
}

export const devUsers: DevUser[] = [
  { username: 'caseworker', password: 'caseworker', name: 'Kaisa Käsittelijä', roles: ['caseworker'] },
  { username: 'billing', password: 'billing', name: 'Laura Laskuttaja', roles: ['billing'] },
  // A second billing user: billing runs need four eyes (one starts, another approves).
  { username: 'billing2', password: 'billing2', name: 'Lasse Laskuttaja', roles: ['billing'] },
  { username: 'admin', password: 'admin', name: 'Antti Ylläpitäjä', roles: ['admin'] },
  // Reads the audit log (its own operation); no member data, no work queue.
  { username: 'auditor', password: 'auditor', name: 'Tuula Tarkastaja', roles: ['auditor'] },
  {
    username: 'supervisor',
    password: 'supervisor',
    name: 'Esko Esihenkilö',
    roles: ['caseworker', 'supervisor'],
  },
];

export const devClients: DevClient[] = [
  {
    clientId: 'eservices',
    clientSecret: 'eservices-secret',
    channel: 'e-services',
    scopes: ['applications:write', 'applications:read', 'members:read', 'members:write'],
  },
  {
    clientId: 'union-015',
    clientSecret: 'union-015-secret',
    channel: 'union',
    // The union's own code: it may act only on members of this union (claim `union_code`).
    unionCode: '015',
    scopes: ['applications:write', 'applications:read', 'members:read', 'members:write'],
  },
  {
    // The fund's bank connection: posts camt.054 and KTL files to POST /api/v1/payment-files.
    clientId: 'bank-gateway',
    clientSecret: 'bank-gateway-secret',
    channel: 'bank',
    scopes: ['payments:write'],
  },
  {
    clientId: 'readonly-reporting',
    clientSecret: 'readonly-reporting-secret',
    channel: 'reporting',
    // Aggregate figures only: no member's data.
    scopes: ['reports:read'],
  },
];

export function findDevClient(clientId: string): DevClient | undefined {
  return devClients.find((c) => c.clientId === clientId);
}

/** The e-mail address is synthetic so the `email` scope has something to release. */
export function devUserEmail(user: DevUser): string {
  return `${user.username}@kassa.example`;
}
