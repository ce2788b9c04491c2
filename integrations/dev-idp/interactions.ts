import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { errors, type default as Provider } from 'oidc-provider';
import type { DevUser } from './fixtures';
import { loginPage, messagePage } from './pages';

type Env = { Bindings: HttpBindings };
type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * The login UI that oidc-provider delegates to (`interactions.url`).
 *
 * We use `interactionResult` + our own 303 rather than `interactionFinished`:
 * they do the same thing, but the latter writes straight to the raw Node
 * response, which Hono would then try to write again.
 */
export function createInteractionApp(provider: Provider, users: readonly DevUser[]): Hono<Env> {
  const app = new Hono<Env>();

  const details = async (c: Context<Env>): Promise<Interaction> => {
    const interaction = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
    // The cookie decides which interaction is live; a stale tab must not act on another one.
    if (interaction.uid !== c.req.param('uid')) {
      throw new errors.SessionNotFound('interaction does not match the current browser session');
    }
    return interaction;
  };

  const clientName = async (interaction: Interaction): Promise<string> => {
    const clientId = String(interaction.params.client_id ?? '');
    const client = await provider.Client.find(clientId);
    return client?.clientName ?? clientId;
  };

  const finish = async (c: Context<Env>, result: Parameters<Provider['interactionResult']>[2]) => {
    const returnTo = await provider.interactionResult(c.env.incoming, c.env.outgoing, result, {
      mergeWithLastSubmission: false,
    });
    return c.redirect(returnTo, 303);
  };

  app.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/interaction/:uid', async (c) => {
    const interaction = await details(c);
    switch (interaction.prompt.name) {
      case 'login':
        return c.html(
          loginPage({ uid: interaction.uid, users, clientName: await clientName(interaction) }),
        );
      case 'consent':
        return finish(c, { consent: { grantId: await grantEverythingAsked(provider, interaction) } });
      default:
        return c.html(
          messagePage('Tuntematon vaihe', `Unsupported interaction prompt: ${interaction.prompt.name}`),
          400,
        );
    }
  });

  app.post('/interaction/:uid/login', async (c) => {
    const interaction = await details(c);
    if (interaction.prompt.name !== 'login') {
      return c.html(messagePage('Virheellinen pyyntö', 'This interaction is not waiting for a login.'), 400);
    }
    const form = await c.req.parseBody();
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const user = users.find((u) => u.username === username);
    if (!user || user.password !== password) {
      return c.html(
        loginPage({
          uid: interaction.uid,
          users,
          clientName: await clientName(interaction),
          username,
          error: 'Väärä käyttäjätunnus tai salasana. / Wrong username or password.',
        }),
        401,
      );
    }
    return finish(c, { login: { accountId: user.username } });
  });

  app.post('/interaction/:uid/abort', async (c) => {
    await details(c);
    return finish(c, { error: 'access_denied', error_description: 'End-User aborted interaction' });
  });

  app.onError((err, c) => {
    if (err instanceof errors.SessionNotFound) {
      return c.html(
        messagePage(
          'Kirjautuminen vanhentui / Login expired',
          'Aloita kirjautuminen uudelleen sovelluksesta. / Start the login again from the application.',
        ),
        400,
      );
    }
    console.error('[dev-idp] interaction failed', err);
    return c.html(messagePage('Virhe / Error', 'Unexpected error in the development IdP.'), 500);
  });

  return app;
}

/**
 * Fallback for a consent prompt that `loadExistingGrant` did not pre-empt: the
 * dev IdP only has first-party clients, so whatever was asked is granted.
 */
async function grantEverythingAsked(provider: Provider, interaction: Interaction): Promise<string> {
  const accountId = interaction.session?.accountId;
  if (!accountId) throw new errors.SessionNotFound('no authenticated session for consent');

  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId, clientId: String(interaction.params.client_id) });
  if (!grant) throw new errors.SessionNotFound('grant not found');

  const missing = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope);
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes);
  }
  return grant.save();
}
