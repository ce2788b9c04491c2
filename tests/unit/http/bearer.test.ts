import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwtBearerVerifier } from '../../../integrations/http/auth';

/** A minimal issuer: discovery and a JWKS on a local port, counting how often the keys are fetched. */
let server: Server;
let issuer: string;
let privateKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const audience = 'api';
/** A client-credentials access token as the IdP issues it, expiring `expiresIn` s after `nowMs`. */
function token(nowMs: number, expiresIn: number | null, { key = privateKey, aud = audience } = {}) {
  const jwt = new SignJWT({ client_id: 'ekj', scope: 'membership:read', channel: 'benefits' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuer)
    .setAudience(aud)
    .setIssuedAt(Math.floor(nowMs / 1000));
  if (expiresIn !== null) jwt.setExpirationTime(Math.floor(nowMs / 1000) + expiresIn);
  return jwt.sign(key);
}

describe('jwtBearerVerifier', () => {
  it('answers a verified token from memory until its exp, and refuses it after', async () => {
    let now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const verify = jwtBearerVerifier({ issuer, audience, now: () => now });
    const t = await token(now, 600);
    const first = await verify(t);
    expect(first).toEqual({ kind: 'client', id: 'ekj', channel: 'benefits', scopes: ['membership:read'] });
    now += 599_000;
    expect(await verify(t)).toBe(first);
    now += 1_000;
    expect(await verify(t)).toBeNull();
    // Forgotten, not revived: still refused.
    expect(await verify(t)).toBeNull();
  });

  it('remembers nothing of a token that failed: a bad signature, another audience, an expired one', async () => {
    const now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const verify = jwtBearerVerifier({ issuer, audience, now: () => now });
    const forged = await token(now, 600, { key: otherKey });
    expect(await verify(forged)).toBeNull();
    expect(await verify(forged)).toBeNull();
    expect(await verify(await token(now, 600, { aud: 'other' }))).toBeNull();
    expect(await verify(await token(now - 700_000, 600))).toBeNull();
  });

  it('checks a token without exp every time, and a token differing in one byte is verified anew', async () => {
    const now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const verify = jwtBearerVerifier({ issuer, audience, now: () => now });
    const t = await token(now, null);
    const a = await verify(t);
    expect(a).not.toBeNull();
    expect(await verify(t)).not.toBe(a);
    const good = await token(now, 600);
    expect(await verify(good)).not.toBeNull();
    const tampered = `${good.slice(0, -2)}${good.at(-2) === 'A' ? 'B' : 'A'}${good.at(-1)}`;
    expect(await verify(tampered)).toBeNull();
  });

  it('hands out a frozen principal, so no request can change what the next one sees', async () => {
    const now = Date.UTC(2026, 11, 5, 12, 0, 0);
    const verify = jwtBearerVerifier({ issuer, audience, now: () => now });
    const p = await verify(await token(now, 600));
    expect(Object.isFrozen(p)).toBe(true);
    expect(p?.kind === 'client' && Object.isFrozen(p.scopes)).toBe(true);
  });
});
