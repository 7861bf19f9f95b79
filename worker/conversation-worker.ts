import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workflowBundle } from './workflow-bundle.js';
import type { Kysely } from 'kysely';
import { createConversationActivities } from '../activities/conversation/index.js';
import { createComposeReplyActivities } from '../activities/conversation/compose-reply.js';
import { withErrorClassification } from '../activities/errors.js';
import { createEventActivities } from '../activities/webhooks/emit-event.js';
import { createWebhookDeliveryActivities } from '../activities/webhooks/delivery-activities.js';
import type { AiProvider } from '../activities/ai/provider.js';
import type { LanguageDetector } from '../activities/language/detector.js';
import { SandboxSession } from '../activities/whatsapp/sandbox/sandbox-session.js';
import { createSessionActivities } from '../activities/whatsapp/session-activities.js';
import { createChannelAlertActivities } from '../activities/whatsapp/channel-alerts.js';
import type { Database } from '../db/schema.js';
import type { WidgetCache } from '../db/widget-cache.js';
import type { WebhookDeliveryPolicy } from '../workflows/webhooks/policy.js';
import { createKnowledgeActivities, type KnowledgeActivityDeps } from '../activities/knowledge/source-activities.js';
import type { MediaLibrary } from '../media/library.js';
import { createMediaActivities } from '../activities/media/activities.js';
import { createMediaRetentionActivities } from '../activities/media/retention.js';
import { createRetentionActivities } from '../activities/lifecycle/retention.js';
import { createConversationCloseActivities } from '../activities/lifecycle/conversation-close.js';
import type { Transcriber } from '../activities/media/transcriber.js';
import type { Embedder } from '../activities/ai/embeddings/embedder.js';
import { createEmbeddingActivities } from '../activities/knowledge/embedding-activities.js';

export interface ConversationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Encrypts what goes to Temporal (config/payload-codec.ts); the same as the client's. */
  dataConverter: DataConverter;
  db: Kysely<Database>;
  ai: AiProvider;
  /** The knowledge-base provider `ai` falls back to (`ai` itself when omitted). */
  kb?: AiProvider;
  detector: LanguageDetector;
  /** Used by the `emitEvent` activity to hand deliveries to their workflows. */
  client: Client;
  webhooks: { policy: WebhookDeliveryPolicy; allowPrivateWebhooks: boolean };
  /** See CATY_CONVERSATION_IDLE_CLOSE; 0 or absent: conversations never close. */
  idleCloseMs?: number;
  /** See CATY_SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
  /** See CATY_WORKFLOW_CACHE_SIZE. */
  workflowCacheSize?: number;
  /** See CATY_STICKY_QUEUE_TIMEOUT_MS. */
  stickyQueueTimeoutMs?: number;
  /** Widgets kept in memory; without it every use reads the database. */
  widgets?: WidgetCache;
  /** How knowledge sources are crawled (CATY_CRAWL_*). */
  knowledge: KnowledgeActivityDeps['policy'];
  /** Vectors for entries and passages (EMBEDDINGS_PROVIDER); absent or null embedder: none. */
  embeddings?: { embedder: Embedder | null; batchSize: number };
  /** Media (photos for a vision model, voice notes for the transcriber). */
  media: MediaLibrary;
  /** TRANSCRIPTION_PROVIDER; absent: none. */
  transcriber?: Transcriber | undefined;
}

/** The worker that runs conversation workflows, their database activities and sandbox sends, webhook deliveries and knowledge-source crawls. */
export async function createConversationWorker(options: ConversationWorkerOptions): Promise<Worker> {
  const events = { db: options.db, client: options.client, taskQueue: options.taskQueue };
  const widgets = options.widgets ? (id: string) => options.widgets!.load(id) : undefined;
  // Sandbox numbers exist in every worker: their sessions are made on demand, with no lookup.
  const sessions = createSessionActivities({ db: options.db, sessions: async (channelId) => new SandboxSession(options.db, channelId), events });
  const activities = {
    // The conversation's own work: an error that can never succeed ends it instead of retrying forever.
    ...withErrorClassification(
      createConversationActivities({
        db: options.db,
        ai: options.ai,
        kb: options.kb,
        detector: options.detector,
        events,
        sendTimeoutMs: options.sendTimeoutMs,
        sendWhatsApp: sessions.sendWhatsAppMessage,
        widgets,
        seesImages: options.ai.seesImages === true,
      }),
    ),
    // Retryable AI failures pass through as they are (Temporal failures), so the bounded retries apply.
    ...withErrorClassification(createComposeReplyActivities({ db: options.db, ai: options.ai, kb: options.kb ?? options.ai, widgets, library: options.media })),
    ...withErrorClassification(createMediaActivities({ db: options.db, library: options.media, transcriber: options.transcriber })),
    ...createMediaRetentionActivities({ db: options.db, store: options.media.store }),
    ...createRetentionActivities({ db: options.db, store: options.media.store }),
    ...withErrorClassification(createConversationCloseActivities({ db: options.db, idleCloseMs: options.idleCloseMs ?? 0 })),
    ...withErrorClassification(sessions),
    ...createEventActivities(events),
    ...createChannelAlertActivities({ db: options.db }),
    ...createWebhookDeliveryActivities({ db: options.db, ...options.webhooks }),
    ...createKnowledgeActivities({ db: options.db, client: options.client, taskQueue: options.taskQueue, policy: options.knowledge, embeddings: !!options.embeddings?.embedder }),
    ...createEmbeddingActivities({ db: options.db, embedder: options.embeddings?.embedder ?? null, batchSize: options.embeddings?.batchSize ?? 64 }),
  };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    dataConverter: options.dataConverter,
    workflowBundle: { code: (await workflowBundle()).code },
    activities,
    // Every outstanding poll holds a workflow task slot, so slots = polls + tasks running at once.
    // The SDK's default (10 polls, 1 in 6 on the shared queue where new conversations' first tasks
    // wait) with 12 slots left a burst of first messages waiting in the server's backlog for two
    // pollers and a few free slots while a core sat idle: a task ran in 39 ms (p50) but waited 15 s.
    // 20 polls, half on each queue, and 40 slots, measured with npm run bench on 2 cores, runs
    // interleaved (A B A B): first messages 58 and 60.2 new/s against 38.9 and 48.4, p99 at 40 new/s
    // 83 and 78 ms against 212 and 255; returning conversations 168.8 and 174 replies/s against
    // 160.7 and 169, no task over a second either way. Earlier: 100 slots (with 10 polls) let
    // tasks queue inside the worker for 5 s and more.
    // 30 local activities (one per database connection). A second workflow thread was slower (the
    // cores are shared with the API and the servers).
    maxConcurrentWorkflowTaskExecutions: 40,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 20 },
    nonStickyToStickyPollRatio: 1,
    maxConcurrentLocalActivityExecutions: 30,
    maxCachedWorkflows: options.workflowCacheSize ?? 2000,
    stickyQueueScheduleToStartTimeout: options.stickyQueueTimeoutMs ?? 10_000,
  });
}
