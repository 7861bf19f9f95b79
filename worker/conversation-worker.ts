import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workflowBundle } from './workflow-bundle.js';
import type { Kysely } from 'kysely';
import { createConversationActivities } from '../activities/conversation/activities.js';
import { createComposeReplyActivities } from '../activities/conversation/compose-reply.js';
import { withErrorClassification } from '../activities/errors.js';
import { createEventActivities } from '../activities/events/emit-event.js';
import { createWebhookDeliveryActivities } from '../activities/webhooks/delivery-activities.js';
import type { AiProvider } from '../activities/ai/provider.js';
import type { LanguageDetector } from '../activities/language/detector.js';
import { SandboxSession } from '../activities/whatsapp/sandbox/sandbox-session.js';
import { createSessionActivities } from '../activities/whatsapp/session-activities.js';
import type { Database } from '../db/schema.js';
import type { WidgetCache } from '../activities/persistence/widget-cache.js';
import type { WebhookDeliveryPolicy } from '../workflows/webhooks/policy.js';

export interface ConversationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  ai: AiProvider;
  /** The knowledge-base provider `ai` falls back to (`ai` itself when omitted). */
  kb?: AiProvider;
  detector: LanguageDetector;
  /** Used by the `emitEvent` activity to hand deliveries to their workflows. */
  client: Client;
  webhooks: { policy: WebhookDeliveryPolicy; allowPrivateWebhooks: boolean };
  /** See CATY_SEND_TIMEOUT_MS. */
  sendTimeoutMs?: number;
  /** See CATY_WORKFLOW_CACHE_SIZE. */
  workflowCacheSize?: number;
  /** Widgets kept in memory; without it every use reads the database. */
  widgets?: WidgetCache;
}

/** The worker that runs conversation workflows, their database activities and sandbox sends. */
export async function createConversationWorker(options: ConversationWorkerOptions): Promise<Worker> {
  const events = { db: options.db, client: options.client, taskQueue: options.taskQueue };
  const widgets = options.widgets ? (id: string) => options.widgets!.load(id) : undefined;
  // Sandbox numbers exist in every worker: their sessions are made on demand, with no lookup.
  const sessions = createSessionActivities({ db: options.db, sessions: async (channelId) => new SandboxSession(options.db, channelId), events });
  const activities = {
    // The conversation's own work: an error that can never succeed ends it instead of retrying forever.
    ...withErrorClassification(
      createConversationActivities({ db: options.db, ai: options.ai, kb: options.kb, detector: options.detector, events, sendTimeoutMs: options.sendTimeoutMs, sendWhatsApp: sessions.sendWhatsAppMessage, widgets }),
    ),
    // Retryable AI failures pass through as they are (Temporal failures), so the bounded retries apply.
    ...withErrorClassification(createComposeReplyActivities({ db: options.db, ai: options.ai, kb: options.kb ?? options.ai, widgets })),
    ...withErrorClassification(sessions),
    ...createEventActivities(events),
    ...createWebhookDeliveryActivities({ db: options.db, ...options.webhooks }),
  };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: { code: (await workflowBundle()).code },
    activities,
    // Measured with npm run bench on 2 cores: 20 workflow tasks and 30 local activities at a time
    // (one per database connection) kept every workflow task under a second where 100 of each let
    // them queue inside the worker for 5 s and more, and gave more replies a second, not fewer.
    // A second workflow thread was slower (the cores are shared with the API and the servers).
    maxConcurrentWorkflowTaskExecutions: 20,
    maxConcurrentLocalActivityExecutions: 30,
    maxCachedWorkflows: options.workflowCacheSize ?? 2000,
  });
}
