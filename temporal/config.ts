import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../domain/duration';
import { getFundProfile, type FundId } from '../domain/fundProfile';
import { defaultSessionSettings, type SessionSettings } from '../services/sessions';

/** Everything the processes read from the environment, with the embedded defaults of `npm start`. */
export interface RuntimeConfig {
  fund: FundId;
  port: number;
  /** The address the web server listens on: loopback unless told otherwise. */
  host: string;
  publicBaseUrl: string;
  dataDir: string;
  databaseUrl: string | null;
  embeddedPostgresPort: number;
  temporalAddress: string | null;
  temporalNamespace: string;
  temporalPort: number;
  temporalUiPort: number;
  oidcIssuer: string | null;
  oidcClientId: string;
  oidcClientSecret: string;
  devIdpPort: number;
  devIdpHost: string;
  sessionSecret: string;
  sessions: SessionSettings;
  supplementLinkSecret: string;
  /** Signs public resignation confirmation links; null: derived from the supplement link secret. */
  resignationLinkSecret: string | null;
  /** Minimum answer time of the public resignation form, in milliseconds. */
  publicAnswerFloorMs: number;
  seedDemoData: boolean;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive whole number.`);
  return n;
}

function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  try {
    return parseDuration(raw);
  } catch (error) {
    throw new Error(`${name}=${raw}: ${(error as Error).message}`);
  }
}

/** Development secrets are generated once and kept in the data folder so sessions survive restarts. */
function devSecrets(dataDir: string): { session: string; supplement: string } {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { session: string; supplement: string };
  mkdirSync(dataDir, { recursive: true });
  const secrets = { session: randomBytes(32).toString('base64url'), supplement: randomBytes(32).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export function loadConfig(env = process.env): RuntimeConfig {
  const fund = getFundProfile(env.FUND ?? 'a-kassa').id;
  const port = int('PORT', 3000);
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  const needSecrets = !env.SESSION_SECRET || !env.SUPPLEMENT_LINK_SECRET;
  const generated = needSecrets ? devSecrets(dataDir) : null;
  return {
    fund,
    port,
    host: env.HOST || '127.0.0.1',
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    embeddedPostgresPort: int('EMBEDDED_PG_PORT', 54329),
    temporalAddress: env.TEMPORAL_ADDRESS || null,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? fund,
    temporalPort: int('TEMPORAL_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    oidcIssuer: env.OIDC_ISSUER || null,
    oidcClientId: env.OIDC_CLIENT_ID ?? 'jasenrekisteri-desk',
    oidcClientSecret: env.OIDC_CLIENT_SECRET ?? 'dev-desk-secret-change-me',
    devIdpPort: int('DEV_IDP_PORT', 3001),
    devIdpHost: env.DEV_IDP_HOST || '127.0.0.1',
    sessionSecret: env.SESSION_SECRET ?? generated!.session,
    supplementLinkSecret: env.SUPPLEMENT_LINK_SECRET ?? generated!.supplement,
    resignationLinkSecret: env.RESIGNATION_LINK_SECRET || null,
    publicAnswerFloorMs: int('PUBLIC_ANSWER_FLOOR_MS', 600),
    sessions: {
      idleTimeoutMs: duration(env, 'SESSION_IDLE_TIMEOUT', defaultSessionSettings.idleTimeoutMs),
      maxAgeMs: duration(env, 'SESSION_MAX_AGE', defaultSessionSettings.maxAgeMs),
      refreshEveryMs: duration(env, 'SESSION_REFRESH_EVERY', defaultSessionSettings.refreshEveryMs),
    },
    seedDemoData: env.SEED_DEMO_DATA !== 'false',
  };
}
