import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { embeddedPostgres, temporalDevServer } from '../../worker/infra/local-servers.js';
import { startStack, type Stack, type StackOptions, type StartTemporal } from '../../worker/stack.js';
import { startTemporalProductionServer } from './temporal-production-server.js';
import { sharedInfra } from './shared-infra.js';
import { startTimeSkippingServer } from './time-skipping.js';
import type { Duration } from '@temporalio/common';

/** The key test stacks seal WhatsApp credentials with (32 bytes, base64). */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestStack extends Stack {
  dataDir: string;
  api: ApiClient;
  /** With `timeSkipping`: moves Temporal's clock forward, firing every timer due meanwhile. */
  skipTime(duration: Duration): Promise<void>;
  /** With `timeSkipping`: Temporal's clock (epoch ms), which workflows read as their time. */
  temporalNow(): Promise<number>;
}

/** How tests and benches run PostgreSQL and Temporal on this machine when the stack's config names neither. */
export interface LocalServerOptions {
  /**
   * The CLI's dev server (SQLite; the default), or the Temporal server itself with its PostgreSQL
   * persistence on the stack's database server (`npm run bench` compares them).
   */
  temporal?: 'dev' | 'production';
  /** Keep the dev server's workflows on disk rather than in memory. */
  persistTemporal?: boolean;
  temporalPort?: number;
  temporalUiPort?: number;
  temporalDynamicConfig?: Record<string, string | number | boolean>;
  /** Embedded PostgreSQL keeps pg_stat_statements (`npm run bench` with BENCH_PG_STATEMENTS=1). */
  postgresStatementStats?: boolean;
  /** The dev server without its Web UI (the default here). */
  headless?: boolean;
}

/** The Temporal server with PostgreSQL persistence, on the stack's own database server. */
function temporalProductionServer(): StartTemporal {
  return async ({ config, dataDir, databaseUrl, log }) => {
    const url = new URL(databaseUrl);
    const server = await startTemporalProductionServer({
      pg: { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
      dataDir: path.join(dataDir, 'temporal-production'),
      namespace: config.TEMPORAL_NAMESPACE,
      log,
    });
    return { address: server.address, uiUrl: null, stop: () => server.stop() };
  };
}

/** The launchers startStack uses when the config names no PostgreSQL or Temporal: embedded ones on this machine. */
export function localServers(options: LocalServerOptions = {}): Pick<StackOptions, 'startPostgres' | 'startTemporal'> {
  return {
    startPostgres: embeddedPostgres({ statementStats: options.postgresStatementStats ?? false }),
    startTemporal:
      options.temporal === 'production'
        ? temporalProductionServer()
        : temporalDevServer({
            persist: options.persistTemporal ?? false,
            headless: options.headless ?? true,
            ...(options.temporalPort !== undefined ? { port: options.temporalPort } : {}),
            ...(options.temporalUiPort !== undefined ? { uiPort: options.temporalUiPort } : {}),
            ...(options.temporalDynamicConfig ? { dynamicConfig: options.temporalDynamicConfig } : {}),
          }),
  };
}

export interface TestStackOptions extends Partial<StackOptions>, LocalServerOptions {
  env?: Record<string, string>;
  /** Temporal's time-skipping test server instead of the run's dev server: for timers of minutes and days. */
  timeSkipping?: boolean;
}

/**
 * The one fixture that starts the real stack for tests: PostgreSQL, a Temporal dev server (in
 * memory), the conversation worker and the API on free ports, in a fresh directory. Under
 * `npm test` (test/run.ts) PostgreSQL and Temporal are the run's, with a fresh database and task
 * queues for this stack; a test that configures Temporal itself, or a file run on its own, starts
 * both here.
 */
export async function startTestStack({
  timeSkipping,
  temporal,
  persistTemporal,
  temporalPort,
  temporalUiPort,
  temporalDynamicConfig,
  postgresStatementStats,
  headless,
  ...overrides
}: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'caty-test-'));
  // Embedded PostgreSQL runs as the `postgres` user when tests run as root: it must traverse this.
  await chmod(dataDir, 0o711);
  const shared = temporalDynamicConfig || persistTemporal ? null : await sharedInfra();
  const clock = timeSkipping ? await startTimeSkippingServer() : null;
  const config = loadConfig({
    CATY_ADMIN_KEY: 'test-admin-key-0123456789',
    CATY_ALLOW_PRIVATE_WEBHOOKS: '1',
    CATY_ALLOW_PRIVATE_URLS: '1',
    // Crawls of the tests' loopback sites take seconds, not a second per page.
    CATY_CRAWL_DELAY_MS: '50',
    CATY_SANDBOX: '1',
    // Fixed, so a gateway or another process a test starts opens what this stack sealed.
    CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    TEMPORAL_TASK_QUEUE: `caty-test-${path.basename(dataDir)}`,
    // A gateway polls only its own stack's sessions, even on a Temporal server shared by the run.
    WHATSAPP_SESSION_TASK_QUEUE: `caty-test-sessions-${path.basename(dataDir)}`,
    ...(shared ? { DATABASE_URL: shared.databaseUrl, TEMPORAL_ADDRESS: shared.temporalAddress } : {}),
    ...(clock ? { TEMPORAL_ADDRESS: clock.address } : {}),
    ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
    ...overrides.env,
  });
  const stack = await startStack({
    config,
    dataDir,
    apiPort: 0,
    ...localServers({ temporal, persistTemporal, temporalPort, temporalUiPort, temporalDynamicConfig, postgresStatementStats, headless }),
    log: process.env.CATY_TEST_LOG ? (line) => process.stderr.write(`${line}\n`) : undefined,
    // The time-skipping server implements no schedules.
    ...(clock ? { schedules: false } : {}),
    ...overrides,
  }).catch(async (error: unknown) => {
    await clock?.stop();
    await shared?.release();
    throw error;
  });
  const stop = stack.stop;
  return {
    ...stack,
    dataDir,
    api: new ApiClient(stack.apiUrl!, stack.adminKey),
    skipTime: async (duration) => {
      if (!clock) throw new Error('skipTime needs startTestStack({ timeSkipping: true })');
      await clock.skip(duration);
    },
    temporalNow: async () => (clock ? clock.now() : Date.now()),
    stop: async () => {
      await stop();
      await clock?.stop();
      await shared?.release();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

const keptAlive = new http.Agent({ keepAlive: true });

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  withKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  /**
   * One request over a kept-alive connection. node:http rather than fetch: the bench sends
   * thousands of requests from the machine it measures, and fetch spent several times the CPU per
   * request, CPU the stack under test then lacked.
   */
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const response = await new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
      const req = http.request(
        `${this.baseUrl}${path}`,
        {
          method,
          agent: keptAlive,
          headers: {
            ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const received = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2) received.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            resolve({ status: res.statusCode!, headers: received, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    let parsed: unknown = response.text;
    if (response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(response.text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  patch<T = any>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
}

/** Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}
