import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Inbox } from '../activities/whatsapp/inbox.js';
import type { LanguageDetector } from '../activities/language/detector.js';
import type { LiveEvents } from './live/live-events.js';

/** Starts and stops the real WhatsApp connection of a channel (the Baileys gateway). */
export interface ChannelSessions {
  start(channelId: string): Promise<void>;
  /** Logs the number out and forgets its credentials. */
  logout(channelId: string): Promise<void>;
  /** Logs the number out if it still has a session, then starts a new one: a fresh QR to scan. */
  rescan(channelId: string): Promise<void>;
}

export interface ApiDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
  adminKey: string;
  /** Where inbound messages are stored before they are handed to their conversations. */
  inbox: Inbox;
  detector: LanguageDetector;
  /** Absent where no gateway runs: `baileys` channels are then refused with a clear message. */
  channelSessions?: ChannelSessions;
  allowPrivateWebhooks: boolean;
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
