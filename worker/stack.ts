import type { Server } from 'node:http';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createAiProviders } from '../activities/ai/index.js';
import { createEmbedder } from '../activities/ai/embeddings/embedder.js';
import { requestEmbeddings } from '../activities/knowledge/request-embeddings.js';
import { createLanguageDetector } from '../activities/language/index.js';
import { deliveryPolicyFromConfig } from '../activities/webhooks/delivery-activities.js';
import { knowledgePolicyFromConfig } from '../activities/knowledge/policy.js';
import { createInboundDelivery } from '../inbound/deliver.js';
import { Inbox } from '../inbound/inbox.js';
import { ChannelWatch } from '../activities/whatsapp/channel-watch.js';
import type { Config } from '../config/index.js';
import { createDatabase } from '../db/connection.js';
import { migrateWhenReachable } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { ensureDefaultAccount, resolveAdminKey } from './accounts.js';
import { resolveKeyRing } from './secrets.js';
import type { KeyRing } from '../config/key-ring.js';
import { EncryptionCodec, encryptingDataConverter } from '../config/payload-codec.js';
import { WidgetCache } from '../db/widget-cache.js';
import { installTemporalRuntime } from '../observability/temporal-runtime.js';
import type { Gateway, GatewayOptions } from './gateway-worker.js';
import { createChannelSessions } from './channel-sessions.js';
import { createMediaLibrary } from '../media/index.js';
import type { MediaLibrary } from '../media/library.js';
import { WhatsAppMediaDownloads } from '../activities/whatsapp/baileys/media-download.js';
import { OpenAiTranscriber, type Transcriber } from '../activities/media/transcriber.js';
import { ensureMediaRetentionSchedule } from './media-retention-schedule.js';
import { ensureDataRetentionSchedule } from './data-retention-schedule.js';

/** TRANSCRIPTION_PROVIDER=openai: base URL and key default to the OPENAI_* ones. */
function createTranscriber(config: Config): Transcriber | undefined {
  if (config.TRANSCRIPTION_PROVIDER !== 'openai') return undefined;
  return new OpenAiTranscriber({
    baseUrl: config.TRANSCRIPTION_BASE_URL ?? config.OPENAI_BASE_URL,
    apiKey: (config.TRANSCRIPTION_API_KEY ?? config.OPENAI_API_KEY)!,
    model: config.TRANSCRIPTION_MODEL,
    timeoutMs: config.TRANSCRIPTION_TIMEOUT_MS,
  });
}

/** A server a stack started, and stops with it. */
export interface StartedServer {
  stop(): Promise<void>;
}

export interface LocalServerContext {
  config: Config;
  dataDir: string;
  log: (line: string) => void;
}

export type StartPostgres = (context: LocalServerContext) => Promise<StartedServer & { url: string }>;
export type StartTemporal = (context: LocalServerContext & { databaseUrl: string }) => Promise<StartedServer & { address: string; uiUrl: string | null }>;

export interface StackOptions {
  config: Config;
  /** Where embedded PostgreSQL, the dev server's SQLite file and the generated admin key live. */
  dataDir: string;
  /**
   * Starts PostgreSQL when DATABASE_URL is unset (`npm start` and the tests: worker/infra/local-servers.ts).
   * Production processes pass none, so they never load a launcher.
   */
  startPostgres?: StartPostgres;
  /** Starts Temporal when TEMPORAL_ADDRESS is unset; as `startPostgres`. */
  startTemporal?: StartTemporal;
  /** 0 picks a free port; undefined starts no API. */
  apiPort?: number;
  runWorker?: boolean;
  /** The WhatsApp gateway in this process (baileys channels); false leaves it to a separate process. */
  gateway?: false | Pick<GatewayOptions, 'socketFactory' | 'identity'>;
  /** The fetch dispatcher for WhatsApp's media servers (tests route them to a loopback server). */
  mediaDispatcher?: unknown;
  /**
   * Create the deployment's Temporal schedules (media retention) when the worker starts; off only
   * where the server has none (Temporal's time-skipping test server).
   */
  schedules?: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  config: Config;
  adminKey: string;
  /** Seals secrets at rest (CATY_ENCRYPTION_KEY, or the key generated into the data directory). */
  encryptionKeys: KeyRing;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  apiUrl: string | null;
  db: Kysely<Database>;
  client: Client;
  connection: NativeConnection;
  gateway: Gateway | null;
  media: MediaLibrary;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything the service needs, started in order and stopped in reverse: PostgreSQL (DATABASE_URL,
 * else `startPostgres`), Temporal (TEMPORAL_ADDRESS, else `startTemporal`), the conversation
 * worker and the API. `npm start`, the tests and the benchmark all use this.
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
      if (!options.startPostgres) throw new Error('DATABASE_URL is not set, and this process starts no PostgreSQL of its own');
      const pg = await options.startPostgres({ config, dataDir: options.dataDir, log });
      cleanup.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    const db = createDatabase(databaseUrl, {
      maxConnections: config.DATABASE_POOL_SIZE,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
    cleanup.push(() => db.destroy());
    await migrateWhenReachable(db, log, () => ensureDefaultAccount(db));

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    if (!temporalAddress) {
      if (!options.startTemporal) throw new Error('TEMPORAL_ADDRESS is not set, and this process starts no Temporal server of its own');
      const server = await options.startTemporal({ config, dataDir: options.dataDir, databaseUrl, log });
      cleanup.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }

    // One connection, the SDK's native (Rust) one, for the client and the workers alike: the
    // client's calls (a signal per inbound message) then cost far less of this process's CPU than
    // through the JavaScript gRPC stack.
    const connection = await NativeConnection.connect({ address: temporalAddress, grpcCompression: { codec: config.TEMPORAL_GRPC_COMPRESSION } });
    cleanup.push(() => connection.close());
    // Every payload this deployment hands Temporal is encrypted with CATY_ENCRYPTION_KEY.
    const encryptionKeys = await resolveKeyRing(config.CATY_ENCRYPTION_KEY, options.dataDir, 'encryption-key');
    const dataConverter = encryptingDataConverter(encryptionKeys);
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });

    const adminKey = await resolveAdminKey(config.CATY_ADMIN_KEY, options.dataDir);

    const embedder = createEmbedder(config);
    // A widget whose vectors are missing (saved while Temporal was away, seeded, another model) asks for them.
    const askForVectors = (widgetId: string) => void requestEmbeddings(client, config.TEMPORAL_TASK_QUEUE, widgetId).catch((error: unknown) => log(`knowledge vectors of ${widgetId} not requested: ${String(error)}`));
    const ai = createAiProviders(config, { log, db, onMissingVectors: askForVectors });
    const media = await createMediaLibrary(config, db);
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
      // Each role imports its own code when it starts, so a worker-only process never holds the
      // API's or Baileys' modules (about 75 MB of RSS between them, measured by importing them).
      const { createConversationWorker } = await import('./conversation-worker.js');
      const created = await createConversationWorker({
        connection,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        dataConverter,
        db,
        ai: ai.configured,
        kb: ai.kb,
        detector,
        client,
        webhooks: { policy: deliveryPolicyFromConfig(config), allowPrivateWebhooks: config.CATY_ALLOW_PRIVATE_WEBHOOKS },
        sendTimeoutMs: config.CATY_SEND_TIMEOUT_MS,
        idleCloseMs: config.CATY_CONVERSATION_IDLE_CLOSE,
        workflowCacheSize: config.CATY_WORKFLOW_CACHE_SIZE,
        stickyQueueTimeoutMs: config.CATY_STICKY_QUEUE_TIMEOUT_MS,
        widgets,
        knowledge: knowledgePolicyFromConfig(config),
        embeddings: { embedder, batchSize: config.EMBEDDINGS_BATCH_SIZE },
        media,
        transcriber: createTranscriber(config),
      });
      worker = created;
      running = created.run().catch((error: unknown) => log(`worker stopped: ${String(error)}`));
      return created;
    };
    cleanup.push(stopWorker);
    if (options.runWorker ?? true) {
      await startWorker();
      if (options.schedules ?? true) {
        await ensureMediaRetentionSchedule(client, config.TEMPORAL_TASK_QUEUE, config.CATY_MEDIA_RETENTION_DAYS);
        await ensureDataRetentionSchedule(client, config);
      }
    }

    // Every process relays stored inbound messages Temporal does not have yet (several may: rows are
    // claimed), downloading a received file first where that is still to be done.
    const downloads = new WhatsAppMediaDownloads({
      db,
      library: media,
      log,
      reuploadTimeoutMs: config.WHATSAPP_MEDIA_REUPLOAD_TIMEOUT_MS,
      ...(options.mediaDispatcher ? { dispatcher: options.mediaDispatcher } : {}),
    });
    const inbox = new Inbox({
      db,
      deliverInbound: createInboundDelivery({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE }),
      fetchMedia: downloads.fetch,
      mediaDownloadWindowMs: config.CATY_MEDIA_DOWNLOAD_WINDOW_MS,
      mediaHoldMs: config.CATY_MEDIA_HOLD_MS,
      log,
    });
    inbox.start();
    cleanup.push(() => inbox.stop());
    // Every process also watches for numbers away too long, and for announcements nobody started.
    const channelWatch = new ChannelWatch({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE, thresholdMs: config.WHATSAPP_DISCONNECTED_ALERT_MS, log });
    channelWatch.start();
    cleanup.push(() => channelWatch.stop());

    let gateway: Gateway | null = null;
    if (options.gateway !== false) {
      const { startGateway } = await import('./gateway-worker.js');
      const started = await startGateway({ connection, client, db, config, inbox, media, encryptionKeys, spoolDir: path.join(options.dataDir, 'whatsapp-spool'), ...options.gateway, log });
      gateway = started;
      downloads.attach(started.sessions);
      cleanup.push(() => started.stop());
    }

    let apiUrl: string | null = null;
    if (options.apiPort !== undefined) {
      const visitorTokenKeys = await resolveKeyRing(config.CATY_VISITOR_TOKEN_KEY, options.dataDir, 'visitor-token-key');
      const [{ createApp }, { LiveEvents }] = await Promise.all([import('../api/app.js'), import('../api/live/live-events.js')]);
      const liveEvents = new LiveEvents({ databaseUrl, db, log });
      await liveEvents.start();
      cleanup.push(() => liveEvents.stop());
      const app = createApp({
        db,
        liveEvents,
        client,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        adminKey,
        visitorTokenKeys,
        sandbox: config.CATY_SANDBOX,
        trustProxy: config.CATY_TRUST_PROXY,
        metricsToken: config.CATY_METRICS_TOKEN,
        codec: { codec: new EncryptionCodec(encryptionKeys), corsOrigins: [...config.CATY_CODEC_CORS_ORIGINS, ...(temporalUiUrl ? [new URL(temporalUiUrl).origin] : [])] },
        streamLimits: { perAccount: config.CATY_STREAMS_PER_ACCOUNT, perAddress: config.CATY_STREAMS_PER_ADDRESS, perVisitor: config.CATY_STREAMS_PER_VISITOR },
        inbox,
        detector,
        media,
        // Starting a session only needs Temporal: a gateway process anywhere picks it up.
        channelSessions: gateway?.channelSessions ?? createChannelSessions({ client, db, config }),
        allowPrivateWebhooks: config.CATY_ALLOW_PRIVATE_WEBHOOKS,
        knowledge: {
          allowPrivateUrls: config.CATY_ALLOW_PRIVATE_URLS,
          resyncHours: config.CATY_KNOWLEDGE_RESYNC_HOURS,
          kb: ai.kb,
          ...(embedder ? { entriesSaved: askForVectors } : {}),
        },
        maxRequestsInFlight: config.CATY_MAX_REQUESTS_IN_FLIGHT,
        team: {
          publicUrl: config.CATY_PUBLIC_URL ?? null,
          sessionHours: config.CATY_SESSION_HOURS,
          failuresPerEmail: config.CATY_LOGIN_FAILURES_PER_EMAIL,
          failuresPerAddress: config.CATY_LOGIN_FAILURES_PER_ADDRESS,
        },
        dashboard: { temporalUiUrl: config.TEMPORAL_UI_URL ?? temporalUiUrl, temporalNamespace: config.TEMPORAL_NAMESPACE },
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
      encryptionKeys,
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      apiUrl,
      db,
      client,
      connection,
      gateway,
      media,
      startWorker,
      stopWorker,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
