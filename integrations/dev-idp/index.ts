import { randomBytes } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import Provider, {
  errors,
  type Account,
  type ClientMetadata,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import {
  API_AUDIENCE,
  DEFAULT_WEB_CLIENT_SECRET,
  WEB_CLIENT_ID,
  WEB_CLIENT_SCOPES,
  devClients,
  devUserEmail,
  devUsers,
  findDevClient,
  type DevUser,
} from './fixtures';
import { createInteractionApp } from './interactions';
import { loadSigningKeys } from './keys';
import { homePage, logoutPage, messagePage } from './pages';

export {
  API_AUDIENCE,
  API_SCOPES,
  WEB_CLIENT_ID,
  DEFAULT_WEB_CLIENT_SECRET,
  devClients,
  devUsers,
  type DevClient,
  type DevUser,
} from './fixtures';

export interface DevIdpOptions {
  /** 0 picks a free port; the issuer then uses the port actually bound. */
  port: number;
  /** Defaults to `http://localhost:<port>`. */
  issuer?: string;
  webRedirectUris: string[];
  webClientSecret?: string;
  /** Where to persist the signing key; defaults to env `DEV_IDP_KEYS_FILE`, else in-memory. */
  keysFile?: string;
  /** The address to listen on; loopback unless asked (`DEV_IDP_HOST`), so the test logins stay on this machine. */
  host?: string;
  /** The logins; the fixtures unless a test brings its own (whose roles it may then change). */
  users?: readonly DevUser[];
}

export interface DevIdp {
  issuer: string;
  close(): Promise<void>;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export async function startDevIdp(opts: DevIdpOptions): Promise<DevIdp> {
  if (opts.webRedirectUris.length === 0) throw new Error('dev-idp: webRedirectUris must not be empty');

  // The issuer must contain the real port, which for port 0 is known only
  // after listening, so the provider is attached to an already bound server.
  let handle: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handle) return handle(req, res);
    res.statusCode = 503;
    res.end();
  });
  await listen(server, opts.port, opts.host ?? '127.0.0.1');

  try {
    const { port } = server.address() as AddressInfo;
    const issuer = (opts.issuer ?? `http://localhost:${port}`).replace(/\/+$/, '');
    const users = opts.users ?? devUsers;
    const provider = await createProvider(issuer, opts, users);

    const providerListener = provider.callback();
    const interactionListener = getRequestListener(createInteractionApp(provider, users).fetch, {
      // Otherwise @hono/node-server swaps the process-wide Request/Response,
      // which would leak into tests that share the process with the IdP.
      overrideGlobalObjects: false,
    });
    handle = (req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
      if (path.startsWith('/interaction/')) void interactionListener(req, res);
      else if (path === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : homePage({ issuer, users, clients: devClients }));
      } else void providerListener(req, res);
    };

    return { issuer, close: () => closeServer(server) };
  } catch (err) {
    await closeServer(server);
    throw err;
  }
}

async function createProvider(issuer: string, opts: DevIdpOptions, users: readonly DevUser[]): Promise<Provider> {
  const keys = await loadSigningKeys(opts.keysFile ?? process.env.DEV_IDP_KEYS_FILE);
  const webOrigins = [...new Set(opts.webRedirectUris.map((uri) => new URL(uri).origin))];

  const deskClient: ClientMetadata = {
    client_id: WEB_CLIENT_ID,
    client_secret: opts.webClientSecret ?? DEFAULT_WEB_CLIENT_SECRET,
    client_name: 'Jäsenrekisteri',
    // 'web' with the code flow accepts http://localhost redirect URIs as is;
    // only implicit-flow web clients are forced onto https.
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: opts.webRedirectUris,
    // Both spellings, since post_logout_redirect_uri is compared as a plain string.
    post_logout_redirect_uris: webOrigins.flatMap((origin) => [origin, `${origin}/`]),
    // The registered method is only nominal: oidc-provider treats
    // client_secret_basic and client_secret_post as interchangeable.
    token_endpoint_auth_method: 'client_secret_basic',
    scope: WEB_CLIENT_SCOPES.join(' '),
  };

  const integrationClients: ClientMetadata[] = devClients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    client_name: `${c.clientId} (${c.channel})`,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_basic',
    // No `scope` metadata: it may only list OIDC scopes. API scopes are
    // enforced per client in getResourceServerInfo instead.
  }));

  const configuration: Configuration = {
    clients: [deskClient, ...integrationClients],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    // Code flow only: nothing here should ever receive tokens in a URL.
    responseTypes: ['code'],
    jwks: { keys },
    cookies: {
      // Sessions live in memory, so rotating the cookie key per start costs nothing.
      keys: [randomBytes(32).toString('base64url')],
      // `secure` is left unset on purpose: oidc-provider then sets it only when
      // the request itself is https, which keeps plain http://localhost working.
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'roles'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      roles: ['roles'],
    },
    // By default claims granted via scopes only reach the userinfo endpoint;
    // session-cookie apps (e.g. @hono/oidc-auth) read the ID token only.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => findAccount(users, sub),
    loadExistingGrant,
    issueRefreshToken: (_ctx, client) =>
      client.clientId === WEB_CLIENT_ID && client.grantTypeAllowed('refresh_token'),
    // @hono/oidc-auth always sends S256 PKCE, but other confidential clients
    // (curl, scripts) should not need to.
    pkce: { required: () => false },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'ClientCredentials' || !token.clientId) return undefined;
      const client = findDevClient(token.clientId);
      return client ? { channel: client.channel, ...(client.unionCode ? { union_code: client.unionCode } : {}) } : undefined;
    },
    clientBasedCORS: (_ctx, origin) => webOrigins.includes(origin),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, client, oneOf) => {
          if (oneOf) return oneOf;
          // Integration clients only ever talk to the API; the desk client's
          // access token must stay a userinfo token.
          return findDevClient(client.clientId) ? API_AUDIENCE : undefined;
        },
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, resourceIndicator, client) => {
          if (resourceIndicator !== API_AUDIENCE) throw new errors.InvalidTarget();
          const devClient = findDevClient(client.clientId);
          if (!devClient) throw new errors.InvalidTarget('client is not allowed to access the API');
          return {
            // Per client, so e.g. readonly-reporting cannot obtain applications:write.
            scope: devClient.scopes.join(' '),
            audience: API_AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 10 * MINUTE,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form, ctx.host);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('Uloskirjauduttu / Signed out', 'Olet kirjautunut ulos. / You have signed out.');
        },
      },
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Virhe / Error', 'The development IdP could not process the request.', { ...out });
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: MINUTE,
      ClientCredentials: 10 * MINUTE,
      IdToken: HOUR,
      RefreshToken: 14 * DAY,
      Interaction: HOUR,
      Session: 14 * DAY,
      Grant: 14 * DAY,
    },
  };

  const provider = new Provider(issuer, configuration);
  // Development only runs directly on http; trusting X-Forwarded-* here would
  // let any caller spoof the issuer-relative URLs.
  provider.proxy = false;
  provider.on('server_error', (_ctx: unknown, err: unknown) => {
    console.error('[dev-idp] server_error', err);
  });
  return provider;
}

/** Read at every login and every refresh, so a changed user's next refresh carries the change. */
function findAccount(users: readonly DevUser[], sub: string): Account | undefined {
  const user = users.find((u) => u.username === sub);
  if (!user) return undefined;
  return {
    accountId: user.username,
    // oidc-provider filters these down to what the granted scopes release.
    claims: () => ({
      sub: user.username,
      name: user.name,
      preferred_username: user.username,
      email: devUserEmail(user),
      email_verified: true,
      roles: [...user.roles],
    }),
  };
}

/**
 * The desk is a first-party client, so instead of a consent screen we top up
 * its grant with whatever OIDC scopes it asked for (within its allow-list).
 * Topping up on every request also covers a later request for more scopes.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client;
  const session = oidc.session;
  if (!client || !session) return undefined;

  const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (client.clientId !== WEB_CLIENT_ID) return existing;

  const grant = existing ?? new oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  const allowed = new Set<string>(WEB_CLIENT_SCOPES);
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].filter((s) => allowed.has(s)));
  if (oidc.requestParamClaims.size > 0) grant.addOIDCClaims(oidc.requestParamClaims);
  await grant.save();
  return grant;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive sockets (fetch reuses them) would otherwise hold close() open.
    server.closeAllConnections();
  });
}
