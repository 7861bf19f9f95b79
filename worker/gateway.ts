import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config/index.js';
import { createDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { startGateway } from './gateway-worker.js';

/**
 * `npm run start:gateway`: a WhatsApp gateway process against an existing Temporal cluster and
 * PostgreSQL. Run as many as you like; each baileys session is held by exactly one of them.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(['DATABASE_URL and TEMPORAL_ADDRESS: both are required for a standalone gateway (npm start runs one in-process)']);
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const db = createDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const gateway = await startGateway({ connection: workerConnection, client, db, config, log });
  log(`gateway ${gateway.identity} polling ${config.WHATSAPP_SESSION_TASK_QUEUE}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: handing sessions over and stopping`);
    await gateway.stop();
    await workerConnection.close();
    await connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
