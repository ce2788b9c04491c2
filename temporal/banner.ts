import { devClients, devUsers } from '../integrations/dev-idp';

/** What `npm start` prints once everything answers: where the desk, the Temporal UI and the logins are. */
export function runningBanner(o: {
  fundName: string;
  publicBaseUrl: string;
  temporalUi: string | null;
  temporalNamespace: string;
  temporalAddress: string;
  issuer: string;
  /** An IdP of the fund's own (OIDC_ISSUER): its logins are not ours to print. */
  externalIdp: boolean;
  supervised: boolean;
}): string {
  return `
Jäsenrekisteri (${o.fundName}) is running.
  Desk and API     ${o.publicBaseUrl}          (API under ${o.publicBaseUrl}/api, docs ${o.publicBaseUrl}/api/docs)
  Join form        ${o.publicBaseUrl}/join
  Temporal UI      ${o.temporalUi ? `${o.temporalUi}/namespaces/${encodeURIComponent(o.temporalNamespace)}/workflows` : `(external Temporal at ${o.temporalAddress})`}
  Identity provider ${o.issuer}
  Desk logins (password = username): ${o.externalIdp ? '(your IdP)' : devUsers.map((u) => `${u.username} [${u.roles.join(',')}]`).join(', ')}
  API clients (client credentials): ${o.externalIdp ? '(your IdP)' : devClients.map((c) => `${c.clientId}/${c.clientSecret}`).join(', ')}
${o.supervised ? 'The web server and the worker run as supervised processes (restarted if they die). ' : ''}Press Ctrl-C to stop.`;
}
