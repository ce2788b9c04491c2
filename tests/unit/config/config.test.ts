import { describe, expect, it } from 'vitest';
import { checkConfig, ConfigError, loadConfig, type ProcessRole } from '../../../temporal/config';

const shared = {
  DATABASE_URL: 'postgres://register@db.fund.example:5432/register?sslmode=require',
  TEMPORAL_ADDRESS: 'temporal.fund.example:7233',
  SUPPLEMENT_LINK_SECRET: 's'.repeat(40),
  SESSION_SECRET: 't'.repeat(40),
  OIDC_ISSUER: 'https://idp.fund.example',
};
const production = { ...shared, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://register.fund.example', OIDC_CLIENT_SECRET: 'issued-by-the-idp', TEMPORAL_PAYLOAD_KEYS: `k1=${Buffer.alloc(32, 1).toString('base64')}` };

function refusal(env: NodeJS.ProcessEnv, role: ProcessRole): ConfigError {
  try {
    checkConfig(env, role);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('checkConfig', () => {
  it('accepts npm start with nothing set (the embedded development defaults)', () => {
    expect(() => checkConfig({}, 'all')).not.toThrow();
  });

  it('accepts separate web and worker processes and a production start with everything set', () => {
    expect(() => checkConfig(shared, 'web')).not.toThrow();
    expect(() => checkConfig({ ...shared, OIDC_ISSUER: '', SESSION_SECRET: '' }, 'worker')).not.toThrow();
    expect(() => checkConfig(production, 'all')).not.toThrow();
  });

  it.each([
    ['web', 'DATABASE_URL'],
    ['worker', 'DATABASE_URL'],
    ['web', 'TEMPORAL_ADDRESS'],
    ['worker', 'TEMPORAL_ADDRESS'],
    ['worker', 'SUPPLEMENT_LINK_SECRET'],
    ['web', 'OIDC_ISSUER'],
    ['web', 'SESSION_SECRET'],
  ] as const)('refuses a separate %s process without %s, naming it', (role, variable) => {
    const error = refusal({ ...shared, [variable]: '' }, role);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it.each(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'OIDC_ISSUER', 'SESSION_SECRET', 'PUBLIC_BASE_URL', 'OIDC_CLIENT_SECRET', 'TEMPORAL_PAYLOAD_KEYS'])('refuses a production start without %s', (variable) => {
    expect(refusal({ ...production, [variable]: '' }, 'all').variable).toBe(variable);
  });

  it('refuses contradictory settings, naming them', () => {
    expect(refusal({ ...production, SEED_DEMO_DATA: 'true' }, 'all').variable).toBe('SEED_DEMO_DATA');
    expect(refusal({ ...production, PUBLIC_BASE_URL: 'http://register.fund.example' }, 'all').variable).toBe('PUBLIC_BASE_URL');
    expect(refusal({ ...production, OIDC_CLIENT_SECRET: 'dev-desk-secret-change-me' }, 'all').variable).toBe('OIDC_CLIENT_SECRET');
    expect(refusal({ ...shared, TEMPORAL_TLS_CERT: '/etc/hostname' }, 'web').variable).toBe('TEMPORAL_TLS_KEY');
    expect(refusal({ ...shared, TEMPORAL_TLS_KEY: '/etc/hostname' }, 'web').variable).toBe('TEMPORAL_TLS_CERT');
    expect(refusal({ ...shared, TEMPORAL_API_KEY: 'key', TEMPORAL_TLS_CERT: '/etc/hostname', TEMPORAL_TLS_KEY: '/etc/hostname' }, 'web').variable).toBe('TEMPORAL_API_KEY');
    expect(refusal({ ...shared, TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'key' }, 'web').variable).toBe('TEMPORAL_TLS');
    expect(refusal({ ...shared, TEMPORAL_TLS_CA: '/no/such/ca.pem' }, 'web').variable).toBe('TEMPORAL_TLS_CA');
    expect(refusal({ ...shared, SESSION_SECRET: 'short' }, 'web').variable).toBe('SESSION_SECRET');
    expect(refusal({ ...shared, METRICS_PORT: '3000' }, 'web').variable).toBe('METRICS_PORT');
    expect(refusal({ ...shared, METRICS_PORT: 'yes' }, 'web').variable).toBe('METRICS_PORT');
    expect(refusal({ ...shared, TEMPORAL_METRICS_ADDRESS: '9464' }, 'worker').variable).toBe('TEMPORAL_METRICS_ADDRESS');
    expect(() => checkConfig({ ...shared, METRICS_PORT: '9100', TEMPORAL_METRICS_ADDRESS: '0.0.0.0:9464' }, 'all')).not.toThrow();
  });

  it('names a malformed number', () => {
    expect(() => loadConfig({ ...shared, DATABASE_POOL_SIZE: 'many' }, 'web')).toThrow(/DATABASE_POOL_SIZE=many/);
    expect(() => loadConfig({ ...shared, BILLING_CHUNK_SIZE: '0' }, 'worker')).toThrow(/BILLING_CHUNK_SIZE=0/);
    expect(loadConfig({ ...shared, BILLING_CHUNK_SIZE: '250' }, 'web').billingChunkSize).toBe(250);
    expect(loadConfig(shared, 'web').billingChunkSize).toBeNull();
  });

  it('reads the Temporal connection: an API key implies TLS; the dev server none', () => {
    expect(loadConfig({ ...shared, TEMPORAL_API_KEY: 'key' }, 'web').temporalConnection).toEqual({ tls: { clientCertFile: null, clientKeyFile: null, serverRootCaFile: null }, apiKey: 'key' });
    expect(loadConfig(shared, 'worker').temporalConnection).toEqual({ tls: false, apiKey: null });
    expect(loadConfig(shared, 'web').seedDemoData).toBe(false);
  });
});

describe('tracing (decision 027)', () => {
  it('is off by default and on with an OTLP endpoint, the traces path appended to the base', () => {
    expect(loadConfig(shared, 'worker').tracingEndpoint).toBeNull();
    expect(loadConfig({ ...shared, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'worker').tracingEndpoint).toBe('http://collector:4318/v1/traces');
    expect(loadConfig({ ...shared, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/traces' }, 'web').tracingEndpoint).toBe('https://otel.example/traces');
    expect(loadConfig({ ...shared, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, 'web').tracingEndpoint).toBeNull();
  });
  it('refuses an endpoint that is not an http address, naming it', () => {
    expect(() => checkConfig({ ...shared, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' }, 'web')).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317 must be an http/);
  });
});

describe('OUTBOX_SUBSCRIBERS', () => {
  const sub = { id: 'ekj', url: 'https://ekj.fund.example/hooks', types: ['membership.*'], secret: 'w'.repeat(32) };
  it('reads the subscribers and the retry settings', () => {
    const c = loadConfig({ ...shared, OUTBOX_SUBSCRIBERS: JSON.stringify([sub, { ...sub, id: 'union-015', unionCode: '015' }]), OUTBOX_MAX_ATTEMPTS: '5', OUTBOX_RETRY_BASE: '2s' }, 'worker');
    expect(c.outbox.subscribers.map((s) => [s.id, s.unionCode])).toEqual([['ekj', null], ['union-015', '015']]);
    expect(c.outbox).toMatchObject({ maxAttempts: 5, retryBaseMs: 2000 });
    expect(loadConfig(shared, 'worker').outbox.subscribers).toEqual([]);
  });
  it('refuses a start with a bad subscriber, naming the variable', () => {
    expect(() => loadConfig({ ...shared, OUTBOX_SUBSCRIBERS: 'not json' }, 'worker')).toThrow(/OUTBOX_SUBSCRIBERS must be a JSON array/);
    expect(() => loadConfig({ ...shared, OUTBOX_SUBSCRIBERS: JSON.stringify([{ ...sub, secret: 'short' }]) }, 'worker')).toThrow(/OUTBOX_SUBSCRIBERS: 0\.secret must be at least 32/);
    expect(() => loadConfig({ ...shared, OUTBOX_SUBSCRIBERS: JSON.stringify([sub, sub]) }, 'worker')).toThrow(/twice/);
  });
});
