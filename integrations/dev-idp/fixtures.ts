// Fixed test identities of the development IdP. Everything here is public on
// purpose: these credentials only ever exist in local development and tests.

export const WEB_CLIENT_ID = 'jasenrekisteri-desk';
export const API_AUDIENCE = 'urn:jasenrekisteri:api';
export const DEFAULT_WEB_CLIENT_SECRET = 'dev-desk-secret-change-me';

/** Scopes the desk client may request; `roles` is our own claim-bearing scope. */
export const WEB_CLIENT_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'roles'] as const;

export const API_SCOPES = ['applications:write', 'applications:read', 'members:write', 'members:read', 'payments:write'] as const;

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
  { username: 'admin', password: 'admin', name: 'Antti Ylläpitäjä', roles: ['admin'] },
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
    scopes: ['applications:write', 'applications:read', 'members:write', 'members:read'],
  },
  {
    clientId: 'union-015',
    clientSecret: 'union-015-secret',
    channel: 'union',
    // The union's own code: it may act only on members of this union (claim `union_code`).
    unionCode: '015',
    scopes: ['applications:write', 'applications:read', 'members:write', 'members:read'],
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
    scopes: ['applications:read'],
  },
];

export function findDevClient(clientId: string): DevClient | undefined {
  return devClients.find((c) => c.clientId === clientId);
}

/** The e-mail address is synthetic so the `email` scope has something to release. */
export function devUserEmail(user: DevUser): string {
  return `${user.username}@kassa.example`;
}
