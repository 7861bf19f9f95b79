import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { startStack, type Stack, type StackOptions } from './stack.js';
import { startMetricsServer } from '../observability/metrics-server.js';

/**
 * Production processes run against an existing Temporal cluster and PostgreSQL: nothing embedded,
 * so a missing address is a configuration error rather than a surprise local database.
 */
export async function startProductionProcess(name: string, options: Omit<StackOptions, 'config' | 'dataDir'>): Promise<Stack> {
  let config: Config;
  try {
    config = loadConfig();
    // Secrets are not generated here as under `npm start`: a file in a container's data directory
    // is neither shared with the other processes nor kept across a redeploy.
    const missing = [
      !config.DATABASE_URL && 'DATABASE_URL',
      !config.TEMPORAL_ADDRESS && 'TEMPORAL_ADDRESS',
      // Every process encrypts and decrypts what it hands Temporal.
      !config.CATY_ENCRYPTION_KEY && 'CATY_ENCRYPTION_KEY',
      options.apiPort !== undefined && !config.CATY_VISITOR_TOKEN_KEY && 'CATY_VISITOR_TOKEN_KEY',
    ].filter(Boolean);
    if (missing.length) throw new ConfigError(missing.map((m) => `${m}: required by the ${name} process (use \`npm start\` for the embedded stack)`));
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const stack = await startStack({ config, dataDir: config.CATY_DATA_DIR, log: (line) => console.error(line), ...options });
  // The API process serves /metrics itself; the others on their own port.
  const metrics =
    options.apiPort === undefined && config.CATY_METRICS_PORT > 0
      ? await startMetricsServer(config.CATY_METRICS_PORT, config.HOST, [config.CATY_METRICS_TOKEN ?? stack.adminKey]).catch((error: unknown) => {
          // Metrics are worth a warning, not an outage: two processes on one host need two ports.
          console.error(`no /metrics for the ${name}: port ${config.CATY_METRICS_PORT}: ${String(error)} (set CATY_METRICS_PORT)`);
          return null;
        })
      : null;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    metrics?.close();
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  return stack;
}
