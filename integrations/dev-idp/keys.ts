import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

interface KeyFile {
  keys: JWK[];
}

async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/**
 * Loads the signing JWKS from `keysFile` (creating it on first use) or, without a
 * file, generates a throwaway key. Persisting is optional because a restart
 * normally also restarts the app, but it lets sessions and API tokens survive
 * an IdP-only restart during manual testing.
 */
export async function loadSigningKeys(keysFile?: string): Promise<JWK[]> {
  if (!keysFile) return [await generateSigningJwk()];

  try {
    const parsed = JSON.parse(await readFile(keysFile, 'utf8')) as KeyFile;
    if (Array.isArray(parsed.keys) && parsed.keys.length > 0) return parsed.keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }

  const keys = [await generateSigningJwk()];
  await mkdir(dirname(keysFile), { recursive: true });
  await writeFile(keysFile, JSON.stringify({ keys } satisfies KeyFile, null, 2), { mode: 0o600 });
  return keys;
}
