import { isIP } from 'node:net';
import { z } from 'zod';
import { KeyRing } from './key-ring.js';

/**
 * The one place configuration is read. Every process parses the environment here at start and
 * fails with a readable list of what is wrong instead of misbehaving later.
 */
const booleanFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** A list of 32-byte keys (config/key-ring.ts): checked here, parsed where it is used. */
const keyList = optionalString.superRefine((value, ctx) => {
  if (value === undefined) return;
  try {
    KeyRing.parse(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/**
 * Whom to believe about a client's address: nobody (false), the last `n` proxies in front of the
 * API (a hop count), or the proxies at these addresses and networks.
 */
export type TrustProxy = false | number | string[];

const trustProxy = optionalString.transform((value, ctx): TrustProxy => {
  if (value === undefined || ['0', 'false', 'no', 'off'].includes(value)) return false;
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    if (hops > 20) ctx.addIssue({ code: 'custom', message: 'a hop count is at most 20' });
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^[0-9]{1,3}$/.test(bits) && Number(bits) <= maxBits))) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not a hop count, an IP address or a network such as 10.0.0.0/8` });
    }
  }
  return entries;
});

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  CATY_DATA_DIR: z.string().default('.data'),
  /**
   * Conversations a worker keeps in memory between messages (Temporal's sticky cache). One beyond
   * it costs a replay of its history on its next message; each cached one costs memory.
   */
  CATY_WORKFLOW_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  /**
   * How long a conversation's next workflow task waits for the worker that has it cached before
   * any worker takes it (and replays its history). After a worker dies, this is how long its
   * conversations pause; shorter costs replays when a busy worker is merely slow to pick up.
   */
  CATY_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** Requests in progress past which the API answers 503 with Retry-After instead of queueing them. */
  CATY_MAX_REQUESTS_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(512),
  /** `GET /metrics` of a worker or gateway process (the API serves its own at PORT); 0 turns it off. */
  CATY_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  CATY_ALLOW_PRIVATE_WEBHOOKS: booleanFlag,
  /** Knowledge sources may be websites on private or loopback networks (demos, tests). */
  CATY_ALLOW_PRIVATE_URLS: booleanFlag,
  /** Least time between two requests to a site being crawled (robots.txt's Crawl-delay may ask for more). */
  CATY_CRAWL_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Pages of one source fetched at once at most. */
  CATY_CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** One page request's limit (connect, headers and body). */
  CATY_CRAWL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Pages one crawl workflow run fetches before it continues as new (its history stays small). */
  CATY_CRAWL_PAGES_PER_RUN: z.coerce.number().int().min(1).max(1000).default(200),
  /** How often a website source is fetched again (a Temporal schedule); 0: only on demand. */
  CATY_KNOWLEDGE_RESYNC_HOURS: z.coerce.number().int().min(0).max(24 * 365).default(168),
  /**
   * The sandbox WhatsApp provider (demos, tests): channels "scanned" through the API, outbox and
   * inbound routes. Off, the provider is refused and its routes do not exist: on a public service
   * any account could otherwise claim any number nobody holds yet.
   */
  CATY_SANDBOX: booleanFlag,
  /** Whose X-Forwarded-For to believe: nobody by default, else a hop count or the proxies' addresses. */
  CATY_TRUST_PROXY: trustProxy,
  /**
   * Seals WhatsApp credentials at rest and every payload handed to Temporal (AES-256-GCM); the
   * first key seals, all of them open. Every process of a deployment needs the same list.
   */
  CATY_ENCRYPTION_KEY: keyList,
  /**
   * Pages (the Temporal UI's origin) whose browsers may call /codec/encode and /codec/decode, a
   * comma-separated list; `npm start` adds its dev server's UI.
   */
  CATY_CODEC_CORS_ORIGINS: optionalString.transform((value, ctx) => {
    const origins = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const origin of origins) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = null;
      }
      if (!parsed || parsed.origin !== origin) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin such as https://temporal.example.com (scheme, host and port only)` });
    }
    return origins;
  }),
  /** Signs web visitors' tokens; the first key signs, all of them verify. */
  CATY_VISITOR_TOKEN_KEY: keyList,
  /** The bearer token /metrics asks for; without it, the operator key. */
  CATY_METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'CATY_METRICS_TOKEN must be at least 16 characters').optional()),
  /** Event streams one API process holds open at once, per account, per address and per web visitor. */
  CATY_STREAMS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  CATY_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(32),
  CATY_STREAMS_PER_VISITOR: z.coerce.number().int().min(1).max(1000).default(3),
  /**
   * The address people reach this service at (https://caty.example.com): the base of invitation
   * links, and, when https, session cookies are marked Secure. Without it, the request's own host.
   */
  CATY_PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, message: 'CATY_PUBLIC_URL must be an http(s):// URL' }).optional()),
  /** How long a dashboard sign-in lasts. */
  CATY_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
  /** Failed sign-ins within 15 minutes past which more are refused (429), per email and per client address. */
  CATY_LOGIN_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).max(10_000).default(5),
  CATY_LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Where the dashboard's "Open in Temporal UI" links point; `npm start` uses its dev server's UI. */
  TEMPORAL_UI_URL: optionalString,
  /** Connections each process keeps to PostgreSQL at most (its LISTEN connections come on top). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(30),
  DATABASE_URL: optionalString.pipe(z.url({ message: 'DATABASE_URL must be a postgres:// URL' }).optional()),
  /** Every query is bounded: a statement longer than this fails (and is retried where that is safe). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * Each connection prepares the statements it runs, so PostgreSQL plans them once. Off for a
   * pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['0', '1', 'true', 'false', 'yes', 'no', ''], { message: 'DATABASE_PREPARED_STATEMENTS is 1 or 0' })
    .optional()
    .transform((v) => v !== '0' && v !== 'false' && v !== 'no'),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /**
   * How long Temporal keeps a closed conversation's history (the namespace's retention): set on the
   * dev server at start; compose's setup job sets it on its server.
   */
  TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /**
   * gzip on every call to Temporal costs CPU on both ends and saves only bandwidth: worth it over
   * a slow link (Temporal Cloud across the internet), not to a server on the same host or network.
   */
  TEMPORAL_GRPC_COMPRESSION: z.enum(['none', 'gzip'], { message: 'TEMPORAL_GRPC_COMPRESSION is none or gzip' }).default('none'),
  TEMPORAL_TASK_QUEUE: z.string().default('caty-conversations'),
  TEMPORAL_CLI_PATH: optionalString,
  CATY_ADMIN_KEY: optionalString.pipe(z.string().min(16, 'CATY_ADMIN_KEY must be at least 16 characters').optional()),
  AI_PROVIDER: z.enum(['kb', 'openai']).default('kb'),
  OPENAI_BASE_URL: z.string().default('https://api.openai.com/v1'),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  /** Sent as the OpenAI-Organization / OpenAI-Project headers when set. */
  OPENAI_ORGANIZATION: optionalString,
  OPENAI_PROJECT: optionalString,
  /** Azure OpenAI: the API version (e.g. 2024-10-21); OPENAI_BASE_URL is then the resource endpoint and OPENAI_MODEL the deployment. */
  OPENAI_API_VERSION: optionalString,
  /** One request's limit; a slower answer counts as a transient failure and is retried by Temporal. */
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  /**
   * How the model says whether the knowledge base answers: `json_schema` (structured output),
   * `plain` (a sentinel in the text, for servers without structured output), or `auto` (structured
   * output until the server refuses it, then plain).
   */
  OPENAI_STRUCTURED_OUTPUT: z.enum(['auto', 'json_schema', 'plain']).default('auto'),
  /**
   * A vision model for photos (AI_PROVIDER=openai): a customer's photo goes to it with the
   * conversation. Without one, a photo without a caption gets the catalogue's acknowledgement.
   */
  OPENAI_VISION_MODEL: optionalString,
  /**
   * Semantic retrieval: `openai` (an OpenAI-compatible /embeddings endpoint: OpenAI, Azure, Ollama,
   * vLLM, llama.cpp, text-embeddings-inference...) gives entries, passages and questions vectors,
   * combined with the lexical score; `none` keeps retrieval lexical.
   */
  EMBEDDINGS_PROVIDER: z.enum(['none', 'openai']).default('none'),
  EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  /** Default to OPENAI_BASE_URL and OPENAI_API_KEY. */
  EMBEDDINGS_BASE_URL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  /** One request's limit; a customer's question that waits longer is answered lexically. */
  EMBEDDINGS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Texts sent in one request when entries and passages get their vectors. */
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Voice notes: `none` (Caty asks the customer to write) or `openai` (an OpenAI-compatible /audio/transcriptions). */
  TRANSCRIPTION_PROVIDER: z.enum(['none', 'openai']).default('none'),
  TRANSCRIPTION_MODEL: z.string().default('whisper-1'),
  /** Default to OPENAI_BASE_URL and OPENAI_API_KEY. */
  TRANSCRIPTION_BASE_URL: optionalString,
  TRANSCRIPTION_API_KEY: optionalString,
  TRANSCRIPTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(60_000),
  /** Where media bytes live: PostgreSQL (every process reaches it) or an S3-compatible bucket. */
  MEDIA_STORE: z.enum(['postgres', 's3']).default('postgres'),
  S3_BUCKET: optionalString,
  /** An S3-compatible endpoint (MinIO, Ceph, R2...); AWS itself when unset. */
  S3_ENDPOINT: optionalString.pipe(z.url({ message: 'S3_ENDPOINT must be an http(s):// URL' }).optional()),
  S3_REGION: z.string().default('us-east-1'),
  /** Without them, the AWS SDK's standard credential chain. */
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Media bytes older than this are deleted (a daily Temporal schedule); messages keep their metadata. */
  CATY_MEDIA_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /**
   * Silence after which a conversation's workflow completes (its state kept in PostgreSQL; the next
   * message starts a new run from it), so Temporal's retention can remove its history. Not while a
   * person holds it or a timer is pending. A number of ms or a duration such as 7d, 12h, 30m, 10s;
   * 0 never closes.
   */
  CATY_CONVERSATION_IDLE_CLOSE: z
    .string()
    .default('7d')
    .transform((value, ctx) => {
      const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/.exec(value);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'must be a duration such as 7d, 12h, 30m or 10s (or 0: never)' });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h' | 'd'];
      return Number(match[1]) * unit;
    }),
  /**
   * Retention (an hourly Temporal schedule deletes older rows in batches). Messages, and the media
   * they carry, are kept unless a number of days is set: the business chooses how long chat logs live.
   */
  CATY_MESSAGE_RETENTION_DAYS: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(36_500).optional()),
  /** WhatsApp messages received, once handed to their conversation (or given up on). */
  CATY_INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** Webhook events and their delivery log, once delivered or failed. */
  CATY_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** A conversation's mode changes, handoffs and leads' history. */
  CATY_CONVERSATION_EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Idempotency-Key answers: a retry later than this is a new request. */
  CATY_IDEMPOTENCY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(2),
  /** WhatsApp sends remembered so a retried send does not go out twice, and who wrote each reply sent through the API. */
  CATY_SENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** What the sandbox provider "sent". */
  CATY_SANDBOX_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(7),
  /** What the dashboard's streams replay; a stream resuming from an older event starts at the oldest kept. */
  CATY_LIVE_EVENTS_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24),
  /**
   * How long a received file that cannot be downloaded yet (WhatsApp's media servers or the store
   * away) keeps its message waiting in the inbox, retried; after it the message goes on with the
   * file marked unavailable. WhatsApp saying the file is gone ends the wait at once.
   */
  CATY_MEDIA_DOWNLOAD_WINDOW_MS: z.coerce.number().int().min(0).max(30 * 86_400_000).default(86_400_000),
  /** How long a chat's later messages wait behind a file still to be downloaded, so they do not overtake it; 0: never. */
  CATY_MEDIA_HOLD_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  LANGUAGE_DETECTOR: z.enum(['local', 'comprehend']).default('local'),
  AWS_REGION: optionalString,
  COMPREHEND_ENDPOINT: optionalString,
  // Webhook delivery retries: exponential from the initial interval, capped at the maximum, for the
  // whole window. Tests shorten them; production keeps trying for more than a day.
  CATY_WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  CATY_WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  CATY_WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().min(1_000).max(7 * 86_400_000).default(25 * 3_600_000),
  CATY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /**
   * How long a message may wait to go out (a channel offline, a phone re-pairing) before it is
   * recorded as failed and the conversation goes on without it.
   */
  CATY_SEND_TIMEOUT_MS: z.coerce.number().int().min(1000).max(7 * 86_400_000).default(86_400_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // WhatsApp gateway (baileys channels).
  WHATSAPP_SESSION_TASK_QUEUE: z.string().default('whatsapp-sessions'),
  /** How long a gateway worker may be silent before another one takes its sessions over. */
  WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  /** Pins the WhatsApp Web version ("2.3000.1023223821"); otherwise it is fetched at start. */
  WHATSAPP_WEB_VERSION: optionalString.pipe(z.string().regex(/^\d+\.\d+\.\d+$/, 'WHATSAPP_WEB_VERSION must look like 2.3000.1023223821').optional()),
  /** 0 skips the version request (offline); Baileys' bundled version is used then. */
  WHATSAPP_VERSION_FETCH_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** Another WebSocket endpoint than WhatsApp's (a proxy, or tests). */
  WHATSAPP_WS_URL: optionalString.pipe(z.url({ message: 'WHATSAPP_WS_URL must be a ws:// or wss:// URL' }).optional()),
  WHATSAPP_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(20_000),
  /** How long the phone may take to upload an expired file again before the download is tried later. */
  WHATSAPP_MEDIA_REUPLOAD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  WHATSAPP_RECONNECT_INITIAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  WHATSAPP_RECONNECT_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  /** Pacing: least time between two messages to one chat, the random extra, and new chats per minute. */
  WHATSAPP_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  WHATSAPP_SEND_JITTER_MS: z.coerce.number().int().min(0).max(60_000).default(400),
  WHATSAPP_NEW_CHATS_PER_MINUTE: z.coerce.number().int().min(0).max(1000).default(20),
  /**
   * How long a connected number may be away (reconnecting, the phone offline) before the business
   * is told: a dashboard banner, a channel.status_changed webhook, a WhatsApp alert. A logout is
   * told at once.
   */
  WHATSAPP_DISCONNECTED_ALERT_MS: z.coerce.number().int().min(100).max(86_400_000).default(300_000),
  /** First pause after a 429 rate-overlimit; it doubles while WhatsApp keeps refusing. */
  WHATSAPP_OVERLIMIT_BACKOFF_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  /** A received message the inbox refused in a way we cannot place waits this long in the spool before it is tried again. */
  WHATSAPP_SET_ASIDE_RETRY_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  if (config.AI_PROVIDER === 'openai' && !config.OPENAI_API_KEY) {
    throw new ConfigError(['OPENAI_API_KEY: required when AI_PROVIDER=openai']);
  }
  if (config.MEDIA_STORE === 's3' && !config.S3_BUCKET) {
    throw new ConfigError(['S3_BUCKET: required when MEDIA_STORE=s3']);
  }
  if (config.TRANSCRIPTION_PROVIDER === 'openai' && !(config.TRANSCRIPTION_API_KEY ?? config.OPENAI_API_KEY)) {
    throw new ConfigError(['TRANSCRIPTION_API_KEY: required when TRANSCRIPTION_PROVIDER=openai (or OPENAI_API_KEY)']);
  }
  if (config.EMBEDDINGS_PROVIDER === 'openai' && !(config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY)) {
    throw new ConfigError(['EMBEDDINGS_API_KEY: required when EMBEDDINGS_PROVIDER=openai (or OPENAI_API_KEY; any value for servers that ignore it)']);
  }
  if (config.CATY_WEBHOOK_RETRY_MAX_MS < config.CATY_WEBHOOK_RETRY_INITIAL_MS) {
    throw new ConfigError(['CATY_WEBHOOK_RETRY_MAX_MS: must not be below CATY_WEBHOOK_RETRY_INITIAL_MS']);
  }
  return config;
}
