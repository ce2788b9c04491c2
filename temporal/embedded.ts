// The embedded development services of `npm start` (temporal/supervise.ts) and of a single-process
// start (temporal/start.ts): one place for how they are started from the configuration.
import path from 'node:path';
import { startDevIdp } from '../integrations/dev-idp';
import type { RuntimeConfig } from './config';
import { startTemporalDevServer } from './devServer';

/** The Temporal dev server with its history in DATA_DIR and its UI decoding through the register's codec endpoint. */
export function startEmbeddedTemporal(config: RuntimeConfig, log: (line: string) => void) {
  return startTemporalDevServer({
    port: config.temporalPort,
    uiPort: config.temporalUiPort,
    namespace: config.temporalNamespace,
    dbFile: path.join(config.dataDir, 'temporal.db'),
    codecEndpoint: `${config.publicBaseUrl}/api/v1/temporal-codec`,
    log,
  });
}

/** The development identity provider, its signing keys kept in DATA_DIR. */
export function startEmbeddedIdp(config: RuntimeConfig) {
  return startDevIdp({
    port: config.devIdpPort,
    host: config.devIdpHost,
    webRedirectUris: [`${config.publicBaseUrl}/auth/callback`],
    webClientSecret: config.oidcClientSecret,
    keysFile: path.join(config.dataDir, 'dev-idp-keys.json'),
  });
}
