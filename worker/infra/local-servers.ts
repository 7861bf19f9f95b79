import path from 'node:path';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import type { StartPostgres, StartTemporal } from '../stack.js';
import { startTemporalDevServer } from './temporal-dev-server.js';

/**
 * The servers `npm start` runs on this machine when DATABASE_URL or TEMPORAL_ADDRESS is unset
 * (the tests' fixture uses them too). Production processes never import this: they need both
 * addresses, and start nothing of their own.
 */

/** Embedded PostgreSQL in the stack's data directory. */
export function embeddedPostgres(options: { statementStats?: boolean } = {}): StartPostgres {
  return async ({ dataDir }) => {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), statementStats: options.statementStats ?? false });
    return { url: pg.url, stop: () => pg.stop() };
  };
}

export interface DevServerOptions {
  /** Keep the dev server's workflows on disk (npm start) rather than in memory (tests). */
  persist?: boolean;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  dynamicConfig?: Record<string, string | number | boolean>;
}

/** The Temporal CLI's dev server (SQLite), with its Web UI unless headless. */
export function temporalDevServer(options: DevServerOptions = {}): StartTemporal {
  return async ({ config, dataDir, log }) => {
    const server = await startTemporalDevServer({
      ...(options.persist ? { dbFile: path.resolve(dataDir, 'temporal.db') } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.uiPort !== undefined ? { uiPort: options.uiPort } : {}),
      headless: options.headless ?? false,
      namespace: config.TEMPORAL_NAMESPACE,
      retentionDays: config.TEMPORAL_RETENTION_DAYS,
      ...(options.dynamicConfig ? { dynamicConfig: options.dynamicConfig } : {}),
      ...(config.TEMPORAL_CLI_PATH ? { cliPath: config.TEMPORAL_CLI_PATH } : {}),
      log,
    });
    return { address: server.address, uiUrl: server.uiUrl, stop: () => server.stop() };
  };
}
