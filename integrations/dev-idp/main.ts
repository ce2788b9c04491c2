// Development entry point: node --import tsx integrations/dev-idp/main.ts
import { API_AUDIENCE, WEB_CLIENT_ID, devClients, devUsers, startDevIdp } from './index';

const port = Number(process.env.DEV_IDP_PORT ?? 3001);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  throw new Error(`DEV_IDP_PORT must be a port number, got ${process.env.DEV_IDP_PORT}`);
}

const idp = await startDevIdp({
  port,
  ...(process.env.DEV_IDP_HOST ? { host: process.env.DEV_IDP_HOST } : {}),
  webRedirectUris: ['http://localhost:3000/auth/callback'],
});

console.log(`[dev-idp] issuer ${idp.issuer}`);
console.log(`[dev-idp] discovery ${idp.issuer}/.well-known/openid-configuration`);
console.log(`[dev-idp] web client ${WEB_CLIENT_ID}, redirect http://localhost:3000/auth/callback`);
console.log('[dev-idp] test logins (password = username):');
for (const u of devUsers) console.log(`  ${u.username.padEnd(12)} ${u.name.padEnd(20)} ${u.roles.join(', ')}`);
console.log(`[dev-idp] client-credentials clients (audience ${API_AUDIENCE}):`);
for (const c of devClients) {
  console.log(`  ${c.clientId.padEnd(20)} secret ${c.clientSecret.padEnd(28)} ${c.channel.padEnd(12)} ${c.scopes.join(' ')}`);
}

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  idp.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('[dev-idp] close failed', err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
