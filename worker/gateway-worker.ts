import { hostname } from 'node:os';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { Inbox } from '../inbound/inbox.js';
import { createInboundDelivery } from '../inbound/deliver.js';
import { sealAuthState } from '../activities/whatsapp/baileys/auth-store.js';
import type { BaileysSession } from '../activities/whatsapp/baileys/baileys-session.js';
import type { LogLine } from '../activities/whatsapp/baileys/logger.js';
import { InboundProcessor } from '../activities/whatsapp/baileys/inbound.js';
import { InboundSpool } from '../activities/whatsapp/baileys/inbound-spool.js';
import { BaileysProvider } from '../activities/whatsapp/baileys/provider.js';
import { createGatewayActivities, type RoutedQueue } from '../activities/whatsapp/baileys/session-activity.js';
import type { SocketFactory } from '../activities/whatsapp/baileys/socket.js';
import { createVersionSource } from '../activities/whatsapp/baileys/version.js';
import { createSessionActivities } from '../activities/whatsapp/session-activities.js';
import type { ChannelSessions } from '../api/deps.js';
import type { Config } from '../config/index.js';
import type { KeyRing } from '../config/key-ring.js';
import { encryptingDataConverter } from '../config/payload-codec.js';
import type { Database } from '../db/schema.js';
import { sessionTaskQueue } from '../workflows/conversation/session-queue.js';
import { createChannelSessions } from './channel-sessions.js';
import { workflowBundle } from './workflow-bundle.js';
import type { MediaLibrary } from '../media/library.js';

export interface GatewayOptions {
  connection: NativeConnection;
  client: Client;
  db: Kysely<Database>;
  config: Config;
  /** Seals WhatsApp credentials and Signal keys at rest (CATY_ENCRYPTION_KEY). */
  encryptionKeys: KeyRing;
  namespace?: string;
  /** Tests inject a fake socket; production uses Baileys' makeWASocket. */
  socketFactory?: SocketFactory;
  /** Names this process in leases and in the Temporal UI; defaults to host and pid. */
  identity?: string;
  /** Where received messages are stored first; one of its own (without a relay) when absent. */
  inbox?: Inbox;
  /** Files of outgoing media messages. */
  media?: MediaLibrary;
  /** This gateway's own directory (one per gateway process) for the local spool of received messages. */
  spoolDir: string;
  log?: (line: string) => void;
}

export interface Gateway {
  identity: string;
  channelSessions: ChannelSessions;
  /** Sessions whose socket lives in this process, by channel id. */
  sessions: ReadonlyMap<string, BaileysSession>;
  /** Received messages not yet in the inbox. */
  spool: InboundSpool;
  stop(): Promise<void>;
}

/**
 * The WhatsApp gateway: a worker on the sessions queue that runs session workflows and holds the
 * sockets of the sessions it was given, plus, per held socket, a worker on that channel's own queue
 * so sends reach the process that has the socket. Any number of gateways can run; each session has
 * one owner at a time.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { config, db, client, connection } = options;
  const namespace = options.namespace ?? config.TEMPORAL_NAMESPACE;
  const identity = options.identity ?? `gateway@${hostname()}:${process.pid}`;
  const print = options.log ?? (() => undefined);
  const log: LogLine = (level, message) => print(`${level}: ${message}`);
  const sessions = new Map<string, BaileysSession>();
  const spool = InboundSpool.open(options.spoolDir);
  const inbox = options.inbox ?? new Inbox({ db, deliverInbound: createInboundDelivery({ db, client, taskQueue: config.TEMPORAL_TASK_QUEUE }) });

  // Rows written in plain text before values were sealed, or with a key being retired, are sealed
  // with the current key; sessions read either meanwhile.
  void sealAuthState(db, options.encryptionKeys).then(
    ({ sealed, unreadable }) => {
      if (sealed > 0) print(`sealed ${sealed} WhatsApp credential rows with the current encryption key`);
      if (unreadable > 0) log('error', `${unreadable} WhatsApp credential rows open with none of the keys in CATY_ENCRYPTION_KEY`);
    },
    (error: unknown) => log('warn', `sealing WhatsApp credentials failed (the next start tries again): ${String(error)}`),
  );

  const provider = new BaileysProvider({
    db,
    keys: options.encryptionKeys,
    spool,
    version: createVersionSource({ pinned: config.WHATSAPP_WEB_VERSION, fetchTimeoutMs: config.WHATSAPP_VERSION_FETCH_TIMEOUT_MS }),
    reconnect: { initialMs: config.WHATSAPP_RECONNECT_INITIAL_MS, maxMs: config.WHATSAPP_RECONNECT_MAX_MS },
    pacing: { perChatIntervalMs: config.WHATSAPP_CHAT_INTERVAL_MS, jitterMs: config.WHATSAPP_SEND_JITTER_MS, newChatsPerMinute: config.WHATSAPP_NEW_CHATS_PER_MINUTE },
    log,
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    waWebSocketUrl: config.WHATSAPP_WS_URL,
    connectTimeoutMs: config.WHATSAPP_CONNECT_TIMEOUT_MS,
    // Within one send activity (60 s): past this budget the activity fails and Temporal retries it.
    overlimit: { initialMs: config.WHATSAPP_OVERLIMIT_BACKOFF_MS, maxMs: 30_000, budgetMs: 40_000 },
    library: options.media,
    setAsideRetryMs: config.WHATSAPP_SET_ASIDE_RETRY_MS,
  });

  const sessionActivities = createSessionActivities({
    db,
    events: { db, client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    sessions: async (channelId) => {
      const session = sessions.get(channelId);
      return session?.isOpen ? session : undefined;
    },
  });

  const dataConverter = encryptingDataConverter(options.encryptionKeys);
  const routeChannel = async (channelId: string): Promise<RoutedQueue> => {
    const worker = await Worker.create({
      connection,
      namespace,
      taskQueue: sessionTaskQueue('baileys', channelId)!,
      identity,
      dataConverter,
      activities: sessionActivities,
      maxConcurrentActivityTaskExecutions: 20,
      shutdownGraceTime: '2s',
    });
    const running = worker.run();
    return {
      stop: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch((error: unknown) => log('warn', `channel queue worker of ${channelId}: ${String(error)}`));
      },
    };
  };

  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: config.WHATSAPP_SESSION_TASK_QUEUE,
    identity,
    dataConverter,
    workflowBundle: await workflowBundle(),
    activities: createGatewayActivities({
      db,
      provider,
      inbox,
      events: { db, client, taskQueue: config.TEMPORAL_TASK_QUEUE },
      sessions,
      routeChannel,
      identity,
      leaseTtlMs: config.WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS,
      log,
    }),
    // Each held session occupies an activity slot for as long as it is connected.
    maxConcurrentActivityTaskExecutions: 500,
  });
  const running = worker.run().catch((error: unknown) => log('error', `gateway worker stopped: ${String(error)}`));

  // Spooled messages of a channel are stored when its session opens here. A channel another gateway
  // took over while this one was down would never open here again: once a session has had time to
  // come back, what is left of such channels is stored from here.
  const orphans = setTimeout(() => {
    for (const channelId of spool.channels()) {
      if (sessions.has(channelId)) continue;
      log('warn', `storing ${spool.pending(channelId).length} spooled message(s) of channel ${channelId}, which this gateway does not hold`);
      new InboundProcessor({ db, channelId, store: (message) => inbox.accept(message), spool, keys: options.encryptionKeys, log });
    }
  }, 2 * config.WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS);
  orphans.unref();

  return {
    identity,
    channelSessions: createChannelSessions({ client, db, config }),
    sessions,
    spool,
    stop: async () => {
      // Shutting down cancels the held sessions (WORKER_SHUTDOWN): sockets close, leases are released
      // and Temporal hands the sessions to the remaining gateways at once.
      clearTimeout(orphans);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      spool.close();
    },
  };
}
