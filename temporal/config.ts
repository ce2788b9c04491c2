import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as v from 'valibot';
import { parseDuration } from '../domain/duration';
import { defaultOutboxSettings, subscribersSchema, type OutboxSettings } from '../domain/events';
import { getFundProfile, type FundId } from '../domain/fundProfile';
import { defaultSessionSettings, type SessionSettings } from '../services/sessions';
import { parsePayloadKeys, type PayloadKey } from './payloadCodec';

/**
 * Which process this is: `all` (`npm start`: everything on one machine, embedded PostgreSQL,
 * Temporal dev server and IdP unless told otherwise), `web` (`npm run web`: the desk and API) or
 * `worker` (`npm run worker`: the Temporal workers). Any number of web and worker processes may run
 * against one PostgreSQL and one Temporal.
 */
export type ProcessRole = 'all' | 'web' | 'worker';

/** A setting missing or contradicting another: the process refuses to start, naming it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** How the processes reach Temporal beyond its address (a cluster with TLS, Temporal Cloud). */
export interface TemporalConnectionSettings {
  /** Server TLS; with client certificate files for mTLS. false: plain (the dev server). */
  tls: false | { clientCertFile: string | null; clientKeyFile: string | null; serverRootCaFile: string | null };
  /** Temporal Cloud API key (implies TLS). */
  apiKey: string | null;
}

/** Everything the processes read from the environment, with the embedded defaults of `npm start`. */
export interface RuntimeConfig {
  role: ProcessRole;
  temporalConnection: TemporalConnectionSettings;
  dbPoolSize: number;
  /** Members per billing-run chunk (BILLING_CHUNK_SIZE); null: the workflow's default (5,000). */
  billingChunkSize: number | null;
  /** How long shutdown waits for running activities and open requests before it stops them. */
  shutdownGraceMs: number;
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
  /** Events out: subscribers (OUTBOX_SUBSCRIBERS) and retry settings (docs/decisions/018-outbox.md). */
  outbox: OutboxSettings;
  /** TEMPORAL_PAYLOAD_KEYS: the first encrypts Temporal payloads, all decrypt; empty: not encrypted. */
  payloadKeys: PayloadKey[];
  /** OpenTelemetry tracing's OTLP/HTTP traces endpoint (temporal/tracing.ts); null: tracing off, the default. */
  tracingEndpoint: string | null;
}

function intOf(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(name, `${name}=${raw} must be a positive whole number.`);
  return n;
}

function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  try {
    return parseDuration(raw);
  } catch (error) {
    throw new ConfigError(name, `${name}=${raw}: ${(error as Error).message}`);
  }
}

/**
 * OUTBOX_SUBSCRIBERS: a JSON array of `{ "id", "url", "types", "secret", "unionCode"? }` (domain/events
 * subscriberSchema); the other OUTBOX_* variables tune the retries.
 */
function outboxSettings(env: NodeJS.ProcessEnv): OutboxSettings {
  let subscribers: OutboxSettings['subscribers'] = [];
  const raw = env.OUTBOX_SUBSCRIBERS?.trim();
  if (raw) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ConfigError('OUTBOX_SUBSCRIBERS', 'OUTBOX_SUBSCRIBERS must be a JSON array of subscribers ({"id","url","types","secret"}).');
    }
    const parsed = v.safeParse(subscribersSchema, json);
    if (!parsed.success) {
      const issue = parsed.issues[0]!;
      throw new ConfigError('OUTBOX_SUBSCRIBERS', `OUTBOX_SUBSCRIBERS: ${v.getDotPath(issue) ?? 'value'} ${issue.message}`);
    }
    subscribers = parsed.output;
    const ids = subscribers.map((s) => s.id);
    if (new Set(ids).size !== ids.length) throw new ConfigError('OUTBOX_SUBSCRIBERS', 'OUTBOX_SUBSCRIBERS names a subscriber id twice.');
  }
  return {
    subscribers,
    maxAttempts: intOf(env, 'OUTBOX_MAX_ATTEMPTS', defaultOutboxSettings.maxAttempts),
    retryBaseMs: duration(env, 'OUTBOX_RETRY_BASE', defaultOutboxSettings.retryBaseMs),
    retryMaxMs: duration(env, 'OUTBOX_RETRY_MAX', defaultOutboxSettings.retryMaxMs),
    timeoutMs: duration(env, 'OUTBOX_TIMEOUT', defaultOutboxSettings.timeoutMs),
    pollEveryMs: duration(env, 'OUTBOX_POLL_EVERY', defaultOutboxSettings.pollEveryMs),
    retainDeliveredMs: duration(env, 'OUTBOX_RETAIN_DELIVERED', defaultOutboxSettings.retainDeliveredMs),
  };
}

interface DevSecrets {
  session: string;
  supplement: string;
  /** Base64 of 32 bytes: `npm start` encrypts Temporal payloads too (added to older files). */
  payloadKey: string;
}

/** Development secrets are generated once and kept in the data folder so sessions survive restarts. */
function devSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>) : {};
  const secrets: DevSecrets = {
    session: stored.session ?? randomBytes(32).toString('base64url'),
    supplement: stored.supplement ?? randomBytes(32).toString('base64url'),
    payloadKey: stored.payloadKey ?? randomBytes(32).toString('base64'),
  };
  if (secrets.session !== stored.session || secrets.supplement !== stored.supplement || secrets.payloadKey !== stored.payloadKey) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  }
  return secrets;
}

function payloadKeysOf(env: NodeJS.ProcessEnv): PayloadKey[] {
  try {
    return parsePayloadKeys(env.TEMPORAL_PAYLOAD_KEYS!);
  } catch (error) {
    throw new ConfigError('TEMPORAL_PAYLOAD_KEYS', `TEMPORAL_PAYLOAD_KEYS: ${(error as Error).message}.`);
  }
}

const DEV_CLIENT_SECRET = 'dev-desk-secret-change-me';

/**
 * Refuses a start whose settings are missing or contradict each other, naming the variable.
 * Separate web and worker processes share one PostgreSQL, one Temporal and one set of secrets, so
 * none of those may fall back to the embedded or generated development ones; a production start
 * (NODE_ENV=production) needs everything set explicitly.
 */
export function checkConfig(env: NodeJS.ProcessEnv, role: ProcessRole): void {
  const production = env.NODE_ENV === 'production';
  const set = (name: string) => Boolean(env[name]?.trim());
  const need = (name: string, because: string) => {
    if (!set(name)) throw new ConfigError(name, `${name} is not set: ${because}.`);
  };
  const why = production ? 'a production start needs it' : `a separate ${role} process shares it with the others`;
  const separate = role !== 'all';
  if (separate || production) {
    need('DATABASE_URL', why);
    need('TEMPORAL_ADDRESS', why);
    need('SUPPLEMENT_LINK_SECRET', why);
  }
  if ((separate && role === 'web') || production) {
    need('OIDC_ISSUER', why);
    need('SESSION_SECRET', why);
  }
  if (production) {
    need('PUBLIC_BASE_URL', why);
    if (!env.PUBLIC_BASE_URL!.startsWith('https://')) throw new ConfigError('PUBLIC_BASE_URL', `PUBLIC_BASE_URL=${env.PUBLIC_BASE_URL} must be an https:// address in production.`);
    need('OIDC_CLIENT_SECRET', why);
    if (env.OIDC_CLIENT_SECRET === DEV_CLIENT_SECRET) throw new ConfigError('OIDC_CLIENT_SECRET', 'OIDC_CLIENT_SECRET is the development default; set the secret your IdP issued.');
    if (env.SEED_DEMO_DATA === 'true') throw new ConfigError('SEED_DEMO_DATA', 'SEED_DEMO_DATA=true contradicts NODE_ENV=production: demo applications are for development only.');
    need('TEMPORAL_PAYLOAD_KEYS', 'a production start encrypts what workflows carry, so that Temporal\'s database holds no readable personal data');
  }
  if (set('TEMPORAL_PAYLOAD_KEYS')) payloadKeysOf(env);
  for (const [secret, min] of [['SESSION_SECRET', 32], ['SUPPLEMENT_LINK_SECRET', 32]] as const) {
    if (set(secret) && env[secret]!.length < min) throw new ConfigError(secret, `${secret} must be at least ${min} characters.`);
  }
  if (set('TEMPORAL_TLS_CERT') !== set('TEMPORAL_TLS_KEY')) {
    const missing = set('TEMPORAL_TLS_CERT') ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT';
    throw new ConfigError(missing, `${missing} is not set: mTLS to Temporal needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY.`);
  }
  if (set('TEMPORAL_API_KEY') && set('TEMPORAL_TLS_CERT')) {
    throw new ConfigError('TEMPORAL_API_KEY', 'TEMPORAL_API_KEY and TEMPORAL_TLS_CERT contradict each other: Temporal Cloud takes an API key or a client certificate, not both.');
  }
  if (env.TEMPORAL_TLS === 'false' && (set('TEMPORAL_API_KEY') || set('TEMPORAL_TLS_CERT'))) {
    throw new ConfigError('TEMPORAL_TLS', 'TEMPORAL_TLS=false contradicts TEMPORAL_API_KEY or TEMPORAL_TLS_CERT, which need TLS.');
  }
  for (const file of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA']) {
    if (set(file) && !existsSync(env[file]!)) throw new ConfigError(file, `${file}=${env[file]}: no such file.`);
  }
  if (set('METRICS_PORT')) {
    intOf(env, 'METRICS_PORT', 0);
    if (env.METRICS_PORT === (env.PORT || '3000')) throw new ConfigError('METRICS_PORT', `METRICS_PORT=${env.METRICS_PORT} is the public PORT: metrics are served on a port of their own.`);
  }
  if (set('TEMPORAL_METRICS_ADDRESS') && !/^[^\s:]+:\d+$/.test(env.TEMPORAL_METRICS_ADDRESS!)) {
    throw new ConfigError('TEMPORAL_METRICS_ADDRESS', `TEMPORAL_METRICS_ADDRESS=${env.TEMPORAL_METRICS_ADDRESS} must be host:port (e.g. 0.0.0.0:9464).`);
  }
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    if (set(name) && !/^https?:\/\/[^\s/]+/.test(env[name]!.trim())) throw new ConfigError(name, `${name}=${env[name]} must be an http:// or https:// address (OTLP over HTTP, e.g. http://collector:4318).`);
  }
  if (env.TEMPORAL_TLS !== undefined && !['true', 'false', ''].includes(env.TEMPORAL_TLS)) throw new ConfigError('TEMPORAL_TLS', `TEMPORAL_TLS=${env.TEMPORAL_TLS} must be true or false.`);
}

/**
 * The traces endpoint from the standard OpenTelemetry variables (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
 * or OTEL_EXPORTER_OTLP_ENDPOINT with /v1/traces appended), or null: tracing off. OTEL_SDK_DISABLED=true
 * turns it off whatever the endpoint.
 */
export function tracingEndpoint(env: NodeJS.ProcessEnv): string | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/$/, '')}/v1/traces` : null;
}

export function loadConfig(env = process.env, role: ProcessRole = 'all'): RuntimeConfig {
  checkConfig(env, role);
  const int = (name: string, fallback: number) => intOf(env, name, fallback);
  const fund = getFundProfile(env.FUND ?? 'a-kassa').id;
  const port = int('PORT', 3000);
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');
  const needSecrets = !env.SESSION_SECRET || !env.SUPPLEMENT_LINK_SECRET || (role === 'all' && !env.TEMPORAL_PAYLOAD_KEYS);
  const generated = needSecrets ? devSecrets(dataDir) : null;
  const tlsWanted = env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT);
  return {
    role,
    temporalConnection: {
      tls: tlsWanted ? { clientCertFile: env.TEMPORAL_TLS_CERT || null, clientKeyFile: env.TEMPORAL_TLS_KEY || null, serverRootCaFile: env.TEMPORAL_TLS_CA || null } : false,
      apiKey: env.TEMPORAL_API_KEY || null,
    },
    dbPoolSize: int('DATABASE_POOL_SIZE', 20),
    billingChunkSize: env.BILLING_CHUNK_SIZE ? int('BILLING_CHUNK_SIZE', 5_000) : null,
    shutdownGraceMs: duration(env, 'SHUTDOWN_GRACE', 30_000),
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
    oidcClientSecret: env.OIDC_CLIENT_SECRET ?? DEV_CLIENT_SECRET,
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
    // Never in production (checkConfig refuses SEED_DEMO_DATA=true there); a separate web process
    // only when told (npm start's supervisor tells its web child), a single process unless told not to.
    outbox: outboxSettings(env),
    // Separate processes in development without keys run unencrypted; `npm start` uses its generated key.
    payloadKeys: env.TEMPORAL_PAYLOAD_KEYS?.trim() ? payloadKeysOf(env) : role === 'all' && generated ? parsePayloadKeys(`dev=${generated.payloadKey}`) : [],
    tracingEndpoint: tracingEndpoint(env),
    seedDemoData: env.NODE_ENV !== 'production' && (role === 'all' ? env.SEED_DEMO_DATA !== 'false' : role === 'web' && env.SEED_DEMO_DATA === 'true'),
  };
}

/** Connection options for @temporalio/client's Connection and @temporalio/worker's NativeConnection. */
export function temporalConnectOptions(settings: TemporalConnectionSettings | undefined): { tls?: boolean | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer }; apiKey?: string } {
  if (!settings || settings.tls === false) return {};
  const { clientCertFile, clientKeyFile, serverRootCaFile } = settings.tls;
  const tls = {
    ...(clientCertFile && clientKeyFile ? { clientCertPair: { crt: readFileSync(clientCertFile), key: readFileSync(clientKeyFile) } } : {}),
    ...(serverRootCaFile ? { serverRootCACertificate: readFileSync(serverRootCaFile) } : {}),
  };
  return { tls: Object.keys(tls).length > 0 ? tls : true, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) };
}
