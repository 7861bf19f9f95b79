import { z } from 'zod';

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
  /** The dashboard offers sandbox channels (demos, tests) instead of real WhatsApp ones. */
  CATY_DASHBOARD_SANDBOX: booleanFlag,
  /** Where the dashboard's "Open in Temporal UI" links point; `npm start` uses its dev server's UI. */
  TEMPORAL_UI_URL: optionalString,
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
  if (config.CATY_WEBHOOK_RETRY_MAX_MS < config.CATY_WEBHOOK_RETRY_INITIAL_MS) {
    throw new ConfigError(['CATY_WEBHOOK_RETRY_MAX_MS: must not be below CATY_WEBHOOK_RETRY_INITIAL_MS']);
  }
  return config;
}
