import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Inbox } from '../inbound/inbox.js';
import type { LanguageDetector } from '../activities/language/detector.js';
import type { LiveEvents } from './live/live-events.js';
import type { MediaLibrary } from '../media/library.js';
import type { KnowledgeBaseProvider } from '../activities/ai/kb/kb-provider.js';
import type { StreamLimits } from './live/stream-slots.js';
import type { KeyRing } from '../config/key-ring.js';
import type { TrustProxy } from '../config/index.js';

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
  /** Signs web visitors' tokens (CATY_VISITOR_TOKEN_KEY). */
  visitorTokenKeys: KeyRing;
  /** The sandbox provider and its routes (CATY_SANDBOX); off, they do not exist. */
  sandbox: boolean;
  /** Whose X-Forwarded-For to believe (CATY_TRUST_PROXY); nobody's by default. */
  trustProxy?: TrustProxy;
  /** What /metrics asks for as a bearer token besides the operator key (CATY_METRICS_TOKEN). */
  metricsToken?: string | undefined;
  /**
   * The payload codec the Temporal UI (or CLI) borrows through /codec/encode and /codec/decode,
   * and the pages whose browsers may call them. Absent: no codec endpoints.
   */
  codec?: { codec: PayloadCodec; corsOrigins: string[] };
  /** How old the conversation counts in /metrics may get (30 s by default). */
  conversationCountsMs?: number;
  /** Event streams this process holds open at once (CATY_STREAMS_PER_*). */
  streamLimits?: StreamLimits;
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
  /** People and their sign-ins (DESIGN §13); defaults when absent. */
  team?: Partial<TeamSettings>;
  /** Requests in progress past which new ones get 503 + Retry-After (CATY_MAX_REQUESTS_IN_FLIGHT). */
  maxRequestsInFlight?: number;
}

export interface DashboardSettings {
  temporalUiUrl: string | null;
  temporalNamespace: string;
}

export interface TeamSettings {
  /** CATY_PUBLIC_URL: base of invitation links; https makes cookies Secure. */
  publicUrl: string | null;
  sessionHours: number;
  failuresPerEmail: number;
  failuresPerAddress: number;
}

export const DEFAULT_TEAM: TeamSettings = { publicUrl: null, sessionHours: 168, failuresPerEmail: 5, failuresPerAddress: 30 };

export function teamSettings(deps: ApiDeps): TeamSettings {
  return { ...DEFAULT_TEAM, ...deps.team };
}
