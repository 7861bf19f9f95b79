import type { Server } from 'node:http';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createAiProviders } from '../activities/ai/index.js';
import { createLanguageDetector } from '../activities/language/index.js';
import { deliveryPolicyFromConfig } from '../activities/webhooks/delivery-activities.js';
import { createInboundDelivery } from '../activities/whatsapp/inbound-delivery.js';
import { Inbox } from '../activities/whatsapp/inbox.js';
import { ChannelWatch } from '../activities/whatsapp/channel-watch.js';
import { createApp } from '../api/app.js';
import { LiveEvents } from '../api/live/live-events.js';
import type { Config } from '../config/index.js';
import { createDatabase } from '../db/connection.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { ensureDefaultAccount, resolveAdminKey } from './accounts.js';
import { createConversationWorker } from './conversation-worker.js';
import { WidgetCache } from '../activities/persistence/widget-cache.js';
import { installTemporalRuntime } from '../observability/temporal-runtime.js';
import { createChannelSessions, startGateway, type Gateway, type GatewayOptions } from './gateway-worker.js';
import { startTemporalDevServer, type TemporalDevServer } from './infra/temporal-dev-server.js';
import { startTemporalProductionServer } from './infra/temporal-production-server.js';

export interface StackOptions {
  config: Config;
  /** Where embedded PostgreSQL, the dev server's SQLite file and the generated admin key live. */
  dataDir: string;
  /** Keep the dev server's workflows on disk (npm start) rather than in memory (tests). */
  persistTemporal?: boolean;
  temporalPort?: number;
  temporalUiPort?: number;
  headless?: boolean;
  temporalDynamicConfig?: Record<string, string | number | boolean>;
  /**
   * Without TEMPORAL_ADDRESS: the CLI's dev server (SQLite; the default), or the Temporal server
   * itself with its PostgreSQL persistence on this stack's database server (`npm run bench` compares them).
   */
  temporal?: 'dev' | 'production';
  /** 0 picks a free port; undefined starts no API. */
  apiPort?: number;
  runWorker?: boolean;
  /** The WhatsApp gateway in this process (baileys channels); false leaves it to a separate process. */
  gateway?: false | Pick<GatewayOptions, 'socketFactory' | 'identity'>;
  /** Embedded PostgreSQL keeps pg_stat_statements (`npm run bench` with BENCH_PG_STATEMENTS=1). */
  postgresStatementStats?: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  config: Config;
  adminKey: string;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  apiUrl: string | null;
  db: Kysely<Database>;
  client: Client;
  connection: NativeConnection;
  gateway: Gateway | null;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything the service needs, started in order and stopped in reverse: PostgreSQL (embedded
 * unless DATABASE_URL is set), Temporal (a dev server unless TEMPORAL_ADDRESS is set), the
 * conversation worker and the API. `npm start`, the tests and the benchmark all use this.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const fn of cleanup.reverse()) await fn().catch((error: unknown) => log(`shutdown: ${String(error)}`));
    cleanup.length = 0;
  };
  await installTemporalRuntime(log);

  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'postgres'), statementStats: options.postgresStatementStats ?? false });
      cleanup.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    const db = createDatabase(databaseUrl, {
      maxConnections: 30,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
    cleanup.push(() => db.destroy());
    await migrateToLatest(db);
    await ensureDefaultAccount(db);

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    if (!temporalAddress && options.temporal === 'production') {
      const url = new URL(databaseUrl);
      const server = await startTemporalProductionServer({
        pg: { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
        dataDir: path.join(options.dataDir, 'temporal-production'),
        namespace: config.TEMPORAL_NAMESPACE,
        log,
      });
      cleanup.push(() => server.stop());
      temporalAddress = server.address;
    } else if (!temporalAddress) {
      const server: TemporalDevServer = await startTemporalDevServer({
        ...(options.persistTemporal ? { dbFile: path.resolve(options.dataDir, 'temporal.db') } : {}),
        ...(options.temporalPort !== undefined ? { port: options.temporalPort } : {}),
        ...(options.temporalUiPort !== undefined ? { uiPort: options.temporalUiPort } : {}),
        headless: options.headless ?? false,
        namespace: config.TEMPORAL_NAMESPACE,
        ...(options.temporalDynamicConfig ? { dynamicConfig: options.temporalDynamicConfig } : {}),
        ...(config.TEMPORAL_CLI_PATH ? { cliPath: config.TEMPORAL_CLI_PATH } : {}),
        log,
      });
      cleanup.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }

    // One connection, the SDK's native (Rust) one, for the client and the workers alike: the
    // client's calls (a signal per inbound message) then cost far less of this process's CPU than
    // through the JavaScript gRPC stack.
    const connection = await NativeConnection.connect({ address: temporalAddress, grpcCompression: { codec: config.TEMPORAL_GRPC_COMPRESSION } });
    cleanup.push(() => connection.close());
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

    const ai = createAiProviders(config, { log });
    const detector = createLanguageDetector(config);
    let worker: Worker | null = null;
    let running: Promise<void> | null = null;
    const stopWorker = async () => {
      if (!worker) return;
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      worker = null;
      running = null;
    };
    // Every message reads its widget: workers keep them, told of each change by the database.
    const widgets = new WidgetCache({ db, databaseUrl, log });
    await widgets.start();
    cleanup.push(() => widgets.stop());
    const startWorker = async () => {
      await stopWorker();
      const created = await createConversationWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        db,
        ai: ai.configured,
        kb: ai.kb,
        detector,
        client,
        webhooks: { policy: deliveryPolicyFromConfig(config), allowPrivateWebhooks: config.CATY_ALLOW_PRIVATE_WEBHOOKS },
        sendTimeoutMs: config.CATY_SEND_TIMEOUT_MS,
        workflowCacheSize: config.CATY_WORKFLOW_CACHE_SIZE,
        stickyQueueTimeoutMs: config.CATY_STICKY_QUEUE_TIMEOUT_MS,
        widgets,
      });
      worker = created;
      running = created.run().catch((error: unknown) => log(`worker stopped: ${String(error)}`));
      return created;
    };
    cleanup.push(stopWorker);
    if (options.runWorker ?? true) await startWorker();

    // Every process relays stored inbound messages Temporal does not have yet (several may: rows are claimed).
    const inbox = new Inbox({ db, deliverInbound: createInboundDelivery({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE }), log });
    inbox.start();
    cleanup.push(() => inbox.stop());
    // Every process also watches for numbers away too long, and for announcements nobody started.
    const channelWatch = new ChannelWatch({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE, thresholdMs: config.WHATSAPP_DISCONNECTED_ALERT_MS, log });
    channelWatch.start();
    cleanup.push(() => channelWatch.stop());

    let gateway: Gateway | null = null;
    if (options.gateway !== false) {
      const started = await startGateway({ connection, client, db, config, inbox, spoolDir: path.join(options.dataDir, 'whatsapp-spool'), ...options.gateway, log });
      gateway = started;
      cleanup.push(() => started.stop());
    }

    const adminKey = await resolveAdminKey(config.CATY_ADMIN_KEY, options.dataDir);
    let apiUrl: string | null = null;
    if (options.apiPort !== undefined) {
      const liveEvents = new LiveEvents({ databaseUrl, db, log });
      await liveEvents.start();
      cleanup.push(() => liveEvents.stop());
      const app = createApp({
        db,
        liveEvents,
        client,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        adminKey,
        inbox,
        detector,
        // Starting a session only needs Temporal: a gateway process anywhere picks it up.
        channelSessions: gateway?.channelSessions ?? createChannelSessions({ client, db, config }),
        allowPrivateWebhooks: config.CATY_ALLOW_PRIVATE_WEBHOOKS,
        maxRequestsInFlight: config.CATY_MAX_REQUESTS_IN_FLIGHT,
        dashboard: { sandbox: config.CATY_DASHBOARD_SANDBOX, temporalUiUrl: config.TEMPORAL_UI_URL ?? temporalUiUrl, temporalNamespace: config.TEMPORAL_NAMESPACE },
        log: (error) => log(`api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      });
      const server: Server = await new Promise((resolve, reject) => {
        // A burst of new connections waits in the kernel's accept queue while the event loop is
        // busy. Node's default of 511 overflowed at 1,000 at once in npm run bench, and an
        // overflowed connection ends in a reset; 4,096 is Linux's default ceiling (somaxconn).
        const s = app.listen({ port: options.apiPort!, host: config.HOST, backlog: 4096 }, () => resolve(s));
        s.once('error', reject);
      });
      server.keepAliveTimeout = 30_000;
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.apiPort;
      apiUrl = `http://${config.HOST}:${port}`;
      cleanup.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
    }

    return {
      config,
      adminKey,
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      apiUrl,
      db,
      client,
      connection,
      gateway,
      startWorker,
      stopWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
