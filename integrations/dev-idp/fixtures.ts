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
 * resignations and fund switches, payments:write sends bank files, reports:read reads the fee
 * income and receivables reports, membership:read reads membership on a date (single and batch;
 * the service narrows it to the client's rows: a union to its own members), own-data:read and
 * own-data:write read and change the data of the member logged in to the e-service
 * (docs/decisions/016-member-read-api.md), bookkeeping:read reads the journal and its
 * reconciliation with the ledger (docs/decisions/025-finance-and-bi.md).
 */
export const API_SCOPES = [
  'applications:write',
  'applications:read',
  'members:write',
  'payments:write',
  'reports:read',
  'membership:read',
  'own-data:read',
  'own-data:write',
  'union-batches:write',
  'union-members:read',
  'bookkeeping:read',
] as const;

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
    // Own data: only the member logged in to the e-service (subjectIdentityCode), never another.
    scopes: ['applications:write', 'applications:read', 'members:write', 'own-data:read', 'own-data:write'],
  },
  {
    clientId: 'union-015',
    clientSecret: 'union-015-secret',
    channel: 'union',
    // The union's own code: it may act only on members of this union (claim `union_code`).
    unionCode: '015',
    // membership:read sees only members of union 015 (the row filter is in the service).
    scopes: ['applications:write', 'applications:read', 'members:write', 'membership:read', 'union-batches:write', 'union-members:read'],
  },
  {
    // The benefit system (EKJ, etuuskäsittelyjärjestelmä): membership on a date for any member,
    // one at a time or 1,000 identity codes per request for its nightly checks.
    clientId: 'ekj',
    clientSecret: 'ekj-secret',
    channel: 'benefits',
    scopes: ['membership:read'],
  },
  {
    // The fund's bank connection: posts camt.054 and KTL files to POST /api/v1/payment-files.
    clientId: 'bank-gateway',
    clientSecret: 'bank-gateway-secret',
    channel: 'bank',
    scopes: ['payments:write'],
  },
  {
    // The fund's finance system: pulls the bookkeeping journal (per day, CSV or JSON) and reads
    // whether each day's journal equals the ledger. No member's data.
    clientId: 'finance',
    clientSecret: 'finance-secret',
    channel: 'finance',
    scopes: ['bookkeeping:read'],
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
