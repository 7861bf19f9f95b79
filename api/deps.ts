import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Inbox } from '../activities/whatsapp/inbox.js';
import type { LanguageDetector } from '../activities/language/detector.js';
import type { LiveEvents } from './live/live-events.js';
import type { MediaLibrary } from '../media/library.js';
import type { KnowledgeBaseProvider } from '../activities/ai/kb/kb-provider.js';

/** Starts and stops the real WhatsApp connection of a channel (the Baileys gateway). */
export interface ChannelSessions {
  start(channelId: string): Promise<void>;
  /** Logs the number out and forgets its credentials. */
  logout(channelId: string): Promise<void>;
}

export interface ApiDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
  adminKey: string;
  /** Where inbound messages are stored before they are handed to their conversations. */
  inbox: Inbox;
  detector: LanguageDetector;
  /** Where uploads and received files are stored (MEDIA_STORE). */
  media: MediaLibrary;
  /** Absent where no gateway runs: `baileys` channels are then refused with a clear message. */
  channelSessions?: ChannelSessions;
  allowPrivateWebhooks: boolean;
  /**
   * Knowledge sources: websites on private networks allowed (CATY_ALLOW_PRIVATE_URLS), re-sync
   * interval; the knowledge-base provider that Try a question asks (the workers', so with the same
   * retrieval; a lexical one when absent); and, with embeddings, what to call when typed entries
   * are saved (their vectors are computed).
   */
  knowledge?: { allowPrivateUrls: boolean; resyncHours: number; kb?: KnowledgeBaseProvider; entriesSaved?: (widgetId: string) => void };
  /** The fan-out of live events (GET /api/events). */
  liveEvents: LiveEvents;
  /** What the dashboard needs to know about this deployment. */
  dashboard: DashboardSettings;
  log: (error: unknown) => void;
  /** Requests in progress past which new ones get 503 + Retry-After (CATY_MAX_REQUESTS_IN_FLIGHT). */
  maxRequestsInFlight?: number;
}

export interface DashboardSettings {
  /** Offer sandbox channels instead of real WhatsApp ones. */
  sandbox: boolean;
  temporalUiUrl: string | null;
  temporalNamespace: string;
}
