import type { DevUser } from './fixtures';

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// Inline styles only: the IdP must work offline and the default oidc-provider
// pages pull fonts from a CDN.
const STYLE = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; background: #f4f5f7; color: #1b1f24; }
  main {
    max-width: 40rem; margin: 2rem auto; padding: 1.5rem 2rem;
    background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.2);
  }
  h1 { font-size: 1.4rem; margin-top: 0; }
  h2 { font-size: 1.1rem; }
  label { display: block; font-weight: 600; margin-top: 1rem; }
  input {
    font: inherit; width: 100%; box-sizing: border-box; padding: 0.5rem;
    border: 1px solid #6b7280; border-radius: 4px;
  }
  button {
    font: inherit; margin-top: 1.25rem; padding: 0.5rem 1.25rem; border: 0; border-radius: 4px;
    background: #0b4f8a; color: #fff; cursor: pointer;
  }
  button.secondary { background: #e5e7eb; color: #1b1f24; margin-left: 0.5rem; }
  :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .alert { border-left: 4px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 0.5rem 0.75rem; }
  .note { color: #4b5563; font-size: 0.9rem; }
  table { border-collapse: collapse; width: 100%; margin-top: 0.5rem; font-size: 0.95rem; }
  caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
  th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #d1d5db; }
  code { font-size: 0.95em; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export interface LoginPageOptions {
  uid: string;
  users: readonly DevUser[];
  clientName: string;
  username?: string;
  error?: string;
}

export function loginPage({ uid, users, clientName, username, error }: LoginPageOptions): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  const abort = `/interaction/${encodeURIComponent(uid)}/abort`;

  return layout(
    'Kehityskirjautuminen – Jäsenrekisteri',
    `<h1>Jäsenrekisteri – kehityskirjautuminen / <span lang="en">Development login</span></h1>
<p class="note">Kirjautuminen palveluun ${escapeHtml(clientName)}. Vain kehityskäyttöön.
<span lang="en">Signing in to ${escapeHtml(clientName)}. For development only.</span></p>
${error ? `<p class="alert" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
  <label for="username">Käyttäjätunnus / <span lang="en">Username</span></label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
    spellcheck="false" required value="${escapeHtml(username ?? '')}"${username ? '' : ' autofocus'}>
  <label for="password">Salasana / <span lang="en">Password</span></label>
  <input id="password" name="password" type="password" autocomplete="current-password"
    required${username ? ' autofocus' : ''}>
  <button type="submit">Kirjaudu / <span lang="en">Log in</span></button>
</form>
<form method="post" action="${escapeHtml(abort)}">
  <button type="submit" class="secondary">Peruuta / <span lang="en">Cancel</span></button>
</form>
${testLogins(users)}`,
  );
}

/** The test logins, shown on the login page and on the IdP's front page. */
function testLogins(users: readonly DevUser[]): string {
  const rows = users
    .map(
      (u) =>
        `<tr><td><code>${escapeHtml(u.username)}</code></td><td><code>${escapeHtml(u.password)}</code></td>` +
        `<td>${escapeHtml(u.name)}</td><td>${escapeHtml(u.roles.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<h2>Testitunnukset / <span lang="en">Test logins</span></h2>
<table>
<caption>Salasana on sama kuin käyttäjätunnus. / <span lang="en">The password equals the username.</span></caption>
<thead><tr>
  <th scope="col">Käyttäjätunnus</th><th scope="col">Salasana</th><th scope="col">Nimi</th><th scope="col">Roolit</th>
</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export interface HomePageOptions {
  issuer: string;
  users: readonly DevUser[];
  clients: { clientId: string; clientSecret: string; scopes: readonly string[] }[];
}

/** The IdP's root: what this server is, its test logins and API clients, where the desk is. */
export function homePage({ issuer, users, clients }: HomePageOptions): string {
  const clientRows = clients
    .map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.clientId)}</code></td><td><code>${escapeHtml(c.clientSecret)}</code></td>` +
        `<td>${escapeHtml(c.scopes.join(' '))}</td></tr>`,
    )
    .join('\n');
  return layout(
    'Kehitys-IdP – Jäsenrekisteri',
    `<h1>Jäsenrekisterin kehitys-IdP / <span lang="en">Development identity provider</span></h1>
<p class="note">Vain kehityskäyttöön: tuotannossa käytetään kassan omaa OpenID Connect -palvelua (<code>OIDC_ISSUER</code>).
<span lang="en">For development only: production uses the fund's own OpenID Connect issuer (<code>OIDC_ISSUER</code>).</span></p>
<p>Issuer: <code>${escapeHtml(issuer)}</code> · <a href="/.well-known/openid-configuration">openid-configuration</a></p>
${testLogins(users)}
<h2>API-asiakkaat / <span lang="en">API clients</span> (client credentials)</h2>
<table>
<thead><tr><th scope="col">client_id</th><th scope="col">client_secret</th><th scope="col">scope</th></tr></thead>
<tbody>
${clientRows}
</tbody>
</table>`,
  );
}

export function messagePage(title: string, message: string, details?: Record<string, unknown>): string {
  const list = details
    ? `<dl>${Object.entries(details)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`)
        .join('')}</dl>`
    : '';
  return layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${list}`);
}

/** `form` is oidc-provider's hidden logout form (it carries the xsrf token). */
export function logoutPage(form: string, host: string): string {
  return layout(
    'Uloskirjautuminen – Jäsenrekisteri',
    `<h1>Kirjaudutaanko ulos? / <span lang="en">Sign out?</span></h1>
<p>Kirjaudutaan ulos kehitys-IdP:stä ${escapeHtml(host)}. / <span lang="en">Signing out of the development IdP.</span></p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Kirjaudu ulos / <span lang="en">Sign out</span></button>
<button type="submit" form="op.logoutForm" class="secondary">Pysy kirjautuneena / <span lang="en">Stay signed in</span></button>`,
  );
}
