/**
 * `npm run bench`: drives C concurrent conversations × M messages through the sandbox inbound
 * route of the embedded stack. After a warm-up that is not counted (BENCH_WARMUP_MESSAGES at
 * BENCH_WARMUP_RATE), two phases:
 *   1. paced at a fixed rate (default 50 messages/s): latency from "inbound accepted" (the 202)
 *      to "reply in the outbox" (the sandbox's sent_at), as percentiles;
 *   2. open loop: every message offered as fast as the API takes them; sustained throughput is
 *      replies per second from the first send to the last reply.
 *   3. first messages: every message from a new number (a new conversation, as a QR poster or a
 *      campaign brings), in the open loop (BENCH_NEW_MESSAGES) and paced at BENCH_NEW_RATE a
 *      second (BENCH_NEW_PACED_MESSAGES), with the history one such conversation recorded and,
 *      from a sample of 100 histories, where the open loop's wait went (the server's queue or the
 *      worker).
 * BENCH_SWEEP=20,30,40 first measures latency at other paced rates. Then overload (far more in
 * flight than the service can take), and the same per-message work without Temporal (the
 * activities called directly) as a baseline, for returning conversations and for new ones; the
 * ratio of each to its baseline is printed.
 * Prints a table, then one JSON line.
 */
import { appendFile, mkdtemp, rm, chmod } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createConversationActivities } from '../../activities/conversation/index.js';
import { createAiProvider } from '../../activities/ai/index.js';
import { createLanguageDetector } from '../../activities/language/index.js';
import { SandboxSession } from '../../activities/whatsapp/sandbox/sandbox-session.js';
import { createSessionActivities } from '../../activities/whatsapp/session-activities.js';
import { conversationIdFor } from '../../inbound/conversation.js';
import { loadConfig } from '../../config/index.js';
import type { Database } from '../../db/schema.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { ensureConversation } from '../../db/queries/conversations.js';
import { startStack } from '../../worker/stack.js';
import { freePort } from '../../config/ports.js';
import { connectedWidget } from '../support/scenario.js';
import { spawnWorkerProcess, stopProcess } from '../support/worker-process.js';
import { ApiClient, localServers, TEST_ENCRYPTION_KEY } from '../support/stack.js';
import { cpuPerMessage, cpuSnapshot, percentile, round } from './figures.js';

const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const messagesPerConversation = Number(process.env.BENCH_MESSAGES ?? 5);
const pacedRate = Number(process.env.BENCH_RATE ?? 50);
/** Extra paced rates measured first, e.g. BENCH_SWEEP=20,30,40, each with BENCH_SWEEP_MESSAGES messages. */
const sweepRates = (process.env.BENCH_SWEEP ?? '').split(',').filter(Boolean).map(Number);
const sweepMessages = Number(process.env.BENCH_SWEEP_MESSAGES ?? 600);
/**
 * Messages run before anything is measured, at a rate the stack sustains: a fresh process is 5 to
 * 10% costlier per message for its first thousand or so (code not yet optimised), and a paced
 * phase that starts cold measures that, not the steady state. 0 measures from a cold start.
 */
const warmupMessages = Number(process.env.BENCH_WARMUP_MESSAGES ?? 600);
const warmupRate = Number(process.env.BENCH_WARMUP_RATE ?? 30);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
/**
 * The conversation worker in its own process, as docker-compose runs it (the default), or beside
 * the API in one process (0). In one process, the open loop's flood of requests holds the event
 * loop that the worker's activities also need, and a few workflow tasks wait over a second.
 */
const separateWorker = (process.env.BENCH_WORKER_PROCESS ?? '1') === '1';
/** BENCH_PG_STATEMENTS=1: PostgreSQL's own account of the open loop, statement by statement (pg_stat_statements). */
const statementStats = process.env.BENCH_PG_STATEMENTS === '1';
/** A CSV of every paced message (phase, ms from the phase's start to its 202, latency ms), to see how latency builds up. */
const latencyFile = process.env.BENCH_LATENCY_FILE;

/**
 * Web visitors of the same account holding their event streams open through the whole run, each
 * from its own loopback address (127.0.x.y): every event of the account reaches every one of
 * them, as on a busy site where returning visitors keep the widget's stream open. 0 (the default) opens none.
 */
const visitorStreams = Number(process.env.BENCH_VISITOR_STREAMS ?? 0);

/** First messages: how many in the open loop, how many paced, and at what rate. */
const newMessages = Number(process.env.BENCH_NEW_MESSAGES ?? 1000);
const newPacedMessages = Number(process.env.BENCH_NEW_PACED_MESSAGES ?? 400);
const newRate = Number(process.env.BENCH_NEW_RATE ?? 40);
/**
 * The Temporal dev server keeps its state in a SQLite file, as `npm start` runs it (the default),
 * or in memory (0), which no deployment uses.
 */
const temporalFile = (process.env.BENCH_TEMPORAL_FILE ?? '1') === '1';

const overloadMessages = Number(process.env.BENCH_OVERLOAD_MESSAGES ?? 3000);
const overloadConcurrency = Number(process.env.BENCH_OVERLOAD_CONCURRENCY ?? 1000);

const questions = ['cat costa livrarea?', 'cat dureaza livrarea?', 'care este programul?', 'How much is shipping?', 'pot returna produsul?'];



/** The statements that took PostgreSQL longest since the last reset, in Caty's database, per message. */
async function topStatements(db: Kysely<Database>, messages: number) {
  const { rows } = await sql<{ calls: number; exec_ms: number; plan_ms: number; query: string }>`
    select calls, total_exec_time as exec_ms, total_plan_time as plan_ms, regexp_replace(query, '\\s+', ' ', 'g') as query
    from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
    order by total_exec_time + total_plan_time desc limit 12`.execute(db);
  return rows.map((r) => ({ calls: r.calls, exec_ms_per_message: round(r.exec_ms / messages, 3), plan_ms_per_message: round(r.plan_ms / messages, 3), query: r.query.slice(0, 120) }));
}

/** The cumulative buckets of a Prometheus histogram, summed over its label sets. */
function histogramBuckets(text: string, name: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const match of text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\d+)`, 'gm'))) {
    const le = match[1] === '+Inf' ? Infinity : Number(match[1]);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** The bucket bound under which a share `q` of the observations between two scrapes fell. */
function histogramQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of bounds) if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) return le;
  return Infinity;
}

/**
 * `count` visitors of a web widget of the API key's account, each with its session and its event
 * stream open, each from its own loopback address. Returns how many are open and the closer.
 */
async function openVisitorStreams(api: ApiClient, count: number): Promise<{ open: () => number; bytes: () => number; refused: number; close: () => void }> {
  const origin = 'https://bench.example';
  const widget = await api.post('/api/widgets', { name: 'Bench web shop', allowed_origins: [origin] });
  if (widget.status !== 201) throw new Error(`web widget: ${widget.status} ${JSON.stringify(widget.body)}`);
  const url = new URL(api.baseUrl);
  const requests: http.ClientRequest[] = [];
  let open = 0;
  let bytes = 0;
  let refused = 0;
  const request = (method: string, path: string, localAddress: string, headers: Record<string, string>) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path, localAddress, agent: false, headers: { origin, ...headers } }, (res) => {
        // A stream the server drops (it stopped, or shed it) ends here, not in an unhandled error.
        res.on('error', () => undefined);
        resolve(res);
      });
      req.on('error', reject);
      requests.push(req);
      req.end();
    });
  for (let i = 0; i < count; i++) {
    const localAddress = `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
    const created = await request('POST', `/public/widgets/${widget.body.id}/sessions`, localAddress, {});
    const body = await new Promise<string>((resolve) => {
      let text = '';
      created.on('data', (chunk: Buffer) => (text += chunk));
      created.on('end', () => resolve(text));
    });
    if (created.statusCode !== 201) throw new Error(`visitor session ${i}: ${created.statusCode} ${body}`);
    const { token } = JSON.parse(body) as { token: string };
    const stream = await request('GET', `/public/widgets/${widget.body.id}/stream`, localAddress, { authorization: `Bearer ${token}`, accept: 'text/event-stream' });
    if (stream.statusCode !== 200) {
      refused++;
      stream.resume();
      continue;
    }
    open++;
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.on('close', () => open--);
  }
  return { open: () => open, bytes: () => bytes, refused, close: () => requests.forEach((r) => r.destroy()) };
}

type Setup = 'dev' | 'production';
const SETUP_NAMES: Record<Setup, string> = { dev: 'Temporal dev server (SQLite)', production: 'Temporal server on PostgreSQL' };

async function runBench(setup: Setup): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'caty-bench-'));
  await chmod(dataDir, 0o711);
  const config = loadConfig({ CATY_ADMIN_KEY: 'bench-admin-key-0123456789', CATY_SANDBOX: '1', TEMPORAL_TASK_QUEUE: 'caty-bench', CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
  const stack = await startStack({ config, dataDir, apiPort: 0, runWorker: !separateWorker, gateway: false, ...localServers({ temporal: setup, persistTemporal: temporalFile, postgresStatementStats: statementStats }) });
  const api = new ApiClient(stack.apiUrl!, stack.adminKey);
  const workerMetricsPort = await freePort();
  const worker = separateWorker
    ? spawnWorkerProcess(stack, { CATY_METRICS_PORT: String(workerMetricsPort) }, process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean))
    : null;
  // The reply-latency histogram lives where the activities run: the worker's /metrics, or the API's.
  const metricsUrl = separateWorker ? `http://127.0.0.1:${workerMetricsPort}/metrics` : `${stack.apiUrl}/metrics`;
  const readMetrics = async () => (await fetch(metricsUrl, { headers: { authorization: `Bearer ${stack.adminKey}` } })).text();
  const scrape = async () => histogramBuckets(await readMetrics(), 'caty_reply_latency_seconds');
  // The SDK's own histogram of how long each workflow task took in the worker.
  const scrapeTasks = async () => histogramBuckets(await readMetrics(), 'temporal_workflow_task_execution_latency_seconds');
  const slowTasks = (before: Map<number, number>, after: Map<number, number>) => {
    const delta = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
    const withinOneSecond = Math.max(0, ...[...after.keys()].filter((le) => le <= 1));
    return { tasks: delta(Infinity), over_1s: delta(Infinity) - delta(withinOneSecond), bound_s: withinOneSecond };
  };
  let visitors: Awaited<ReturnType<typeof openVisitorStreams>> | null = null;
  try {
    const { businessPhone, widgetId } = await connectedWidget(api);
    if (visitorStreams > 0) visitors = await openVisitorStreams(api, visitorStreams);
    const customers = Array.from({ length: conversations }, (_, i) => `+4074${String(1_000_000 + i).slice(1)}0`);
    // A number never seen before for every first message: the open loop's, the paced phase's, the direct path's.
    let newCustomer = 0;
    const nextNewCustomer = () => `+4076${String(10_000_000 + newCustomer++).slice(1)}`;

    async function post(from: string, text: string, id: string): Promise<number> {
      const r = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text, id });
      if (r.status !== 202) throw new Error(`sandbox message answered ${r.status}: ${JSON.stringify(r.body)}`);
      return Date.now();
    }

    async function waitForReplies(ids: string[], timeoutMs: number): Promise<Map<string, number>> {
      const keys = ids.map(replyKey);
      const deadline = Date.now() + timeoutMs;
      const found = new Map<string, number>();
      if (keys.length === 0) return found;
      while (Date.now() < deadline) {
        const rows = await stack.db
          .selectFrom('sandbox_outbox')
          .select(['idempotency_key', 'sent_at'])
          .where('idempotency_key', 'in', keys.filter((k) => !found.has(k)).slice(0, 5000))
          .execute();
        for (const row of rows) found.set(row.idempotency_key, row.sent_at.getTime());
        if (found.size === keys.length) return found;
        await new Promise((r) => setTimeout(r, 250));
      }
      const missing = ids.filter((id) => !found.has(replyKey(id)));
      throw new Error(`only ${found.size} of ${keys.length} replies arrived in ${timeoutMs} ms; where the others are:\n${await whereAre(missing.slice(0, 10))}`);
    }

    /** What became of messages whose reply never came: their inbox row, stored message and the conversation's failures. */
    async function whereAre(ids: string[]): Promise<string> {
      const lines: string[] = [];
      for (const id of ids) {
        const inbox = await stack.db.selectFrom('inbox').select(['status', 'attempts', 'last_error', 'conversation_id']).where('message_id', '=', id).executeTakeFirst();
        const stored = await stack.db.selectFrom('messages').select(['conversation_id', 'failed_reason', 'language']).where('external_id', '=', id).executeTakeFirst();
        const conversationId = stored?.conversation_id ?? inbox?.conversation_id ?? null;
        const conversation = conversationId ? await stack.db.selectFrom('conversations').select(['mode', 'workflow_id']).where('id', '=', conversationId).executeTakeFirst() : undefined;
        const failures = conversationId
          ? await stack.db.selectFrom('conversation_events').select(['kind', 'reason']).where('conversation_id', '=', conversationId).where('kind', 'in', ['message.failed', 'work.failed']).execute()
          : [];
        let workflow = '';
        if (conversation) {
          const handle = stack.client.workflow.getHandle(conversation.workflow_id);
          const description = await handle.describe();
          const history = await handle.fetchHistory();
          const tail = (history.events ?? []).slice(-6).map((e) => Object.entries(e).find(([k, v]) => k.endsWith('EventAttributes') && v)?.[0].replace('EventAttributes', ''));
          const taskFailures = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).map((e) => e.workflowTaskFailedEventAttributes?.failure?.message);
          workflow = `workflow ${description.status.name}, ${description.historyLength} events, last ${tail.join(' ')}, task failures ${JSON.stringify(taskFailures)}`;
        }
        lines.push(`  ${id}: inbox ${JSON.stringify(inbox ?? null)}; stored ${JSON.stringify(stored ?? null)}; mode ${conversation?.mode}; ${workflow}; failures ${JSON.stringify(failures)}`);
      }
      return lines.join('\n');
    }

    /** The history of the conversation that answered message `id`. */
    async function historyOf(id: string) {
      const inbox = await stack.db.selectFrom('inbox').select('conversation_id').where('message_id', '=', id).executeTakeFirstOrThrow();
      const { workflow_id } = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', inbox.conversation_id!).executeTakeFirstOrThrow();
      return stack.client.workflow.getHandle(workflow_id).fetchHistory();
    }

    /** The events of the conversation that answered message `id`, by type, and what it set as search attributes. */
    async function historyProfile(id: string) {
      const history = await historyOf(id);
      const kinds = new Map<string, number>();
      let attributesAtStart = 0;
      let upserted = 0;
      for (const event of history.events ?? []) {
        const kind = Object.entries(event).find(([k, v]) => k.endsWith('EventAttributes') && v)?.[0].replace('EventAttributes', '') ?? '?';
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        attributesAtStart += Object.keys(event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ?? {}).length;
        upserted += Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).length;
      }
      const visibilityWrites = (kinds.get('workflowExecutionStarted') ?? 0) + (kinds.get('upsertWorkflowSearchAttributes') ?? 0);
      return { events: history.events?.length ?? 0, by_type: Object.fromEntries(kinds), attributes_at_start: attributesAtStart, attributes_upserted: upserted, visibility_writes: visibilityWrites };
    }

    /**
     * Where a first message's wait went, from a sample of its conversations' histories: from the
     * workflow's start to its first task being picked up (the server's queue and the worker's
     * pollers), that task's run in the worker, and from the start to the reply.
     */
    async function firstMessageStages(run: { ids: string[]; replies: Map<string, number> }, sample: number) {
      const step = Math.max(1, Math.floor(run.ids.length / sample));
      const stages = { start_to_task_started: [] as number[], task_run: [] as number[], start_to_reply: [] as number[] };
      const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
      for (let i = 0; i < run.ids.length; i += step) {
        const id = run.ids[i]!;
        const events = (await historyOf(id)).events ?? [];
        const start = ms(events.find((e) => e.workflowExecutionStartedEventAttributes)?.eventTime);
        const taskStarted = ms(events.find((e) => e.workflowTaskStartedEventAttributes)?.eventTime);
        const taskCompleted = ms(events.find((e) => e.workflowTaskCompletedEventAttributes)?.eventTime);
        stages.start_to_task_started.push(taskStarted - start);
        stages.task_run.push(taskCompleted - taskStarted);
        stages.start_to_reply.push((run.replies.get(replyKey(id)) ?? start) - start);
      }
      const sorted = (v: number[]) => summary(v.sort((a, b) => a - b));
      return { start_to_task_started: sorted(stages.start_to_task_started), task_run: sorted(stages.task_run), start_to_reply: sorted(stages.start_to_reply) };
    }

    // Warm-up: one message per conversation starts every workflow and loads the detector.
    const warm = await Promise.all(customers.map((c, i) => post(c, 'buna ziua', `warm-${i}`).then(() => `warm-${i}`)));
    await waitForReplies(warm, 120_000);

    /** Messages offered at a fixed rate; each one's latency from its 202 to its reply in the outbox, sorted. */
    async function paced(rate: number, total: number, prefix: string, from = (n: number) => customers[n % conversations]!): Promise<{ latencies: number[]; seconds: number }> {
      const accepted = new Map<string, number>();
      const started = Date.now();
      const inflight: Promise<void>[] = [];
      for (let n = 0; n < total; n++) {
        const due = started + (n * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const id = `${prefix}-${n}`;
        inflight.push(post(from(n), questions[n % questions.length]!, id).then((t) => void accepted.set(id, t)));
      }
      await Promise.all(inflight);
      const replies = await waitForReplies([...accepted.keys()], 120_000);
      const latencies = [...accepted].map(([id, at]) => replies.get(replyKey(id))! - at).sort((a, b) => a - b);
      if (latencyFile) {
        const rows = [...accepted].map(([id, at]) => `${prefix},${at - started},${replies.get(replyKey(id))! - at}`);
        await appendFile(latencyFile, rows.join('\n') + '\n');
      }
      return { latencies, seconds: (Date.now() - started) / 1000 };
    }

    const summary = (latencies: number[]) => ({ p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1]! });
    const warmup = warmupMessages > 0 ? summary((await paced(warmupRate, warmupMessages, 'warmup')).latencies) : null;

    // Optional: latency at other rates first (BENCH_SWEEP=20,30,40), to find where p99 stays low.
    const sweep: ({ rate: number } & ReturnType<typeof summary>)[] = [];
    for (const rate of sweepRates) sweep.push({ rate, ...summary((await paced(rate, sweepMessages, `sweep-${rate}`)).latencies) });

    // Phase 1: paced.
    const tasksBefore = await scrapeTasks();
    const histogramBefore = await scrape();
    const cpuBeforePaced = await cpuSnapshot();
    const pacedTotal = conversations * messagesPerConversation;
    const { latencies, seconds: pacedSeconds } = await paced(pacedRate, pacedTotal, 'paced');
    const pacedCpu = cpuPerMessage(cpuBeforePaced, await cpuSnapshot(), pacedTotal, worker?.pid);
    const histogramAfter = await scrape();
    const tasksAfterPaced = await scrapeTasks();
    const fromHistogram = { p50: histogramQuantile(histogramBefore, histogramAfter, 0.5), p99: histogramQuantile(histogramBefore, histogramAfter, 0.99) };

    /**
     * `total` messages offered by `concurrency` senders as fast as the API takes them; replies a
     * second from the first send to the last reply, and each message's latency from its 202.
     */
    async function openLoop(total: number, prefix: string, from: (n: number) => string) {
      const accepted = new Map<string, number>();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let n = next++; n < total; n = next++) {
            const id = `${prefix}-${n}`;
            accepted.set(id, await post(from(n), questions[n % questions.length]!, id));
          }
        }),
      );
      const offeredSeconds = (Date.now() - started) / 1000;
      const replies = await waitForReplies([...accepted.keys()], 300_000);
      const throughput = accepted.size / ((Math.max(...replies.values()) - started) / 1000);
      const latencies = [...accepted].map(([id, at]) => replies.get(replyKey(id))! - at).sort((a, b) => a - b);
      return { ids: [...accepted.keys()], replies, started, offeredSeconds, throughput, latencies };
    }

    // Phase 2: open loop.
    if (statementStats) await sql`select pg_stat_statements_reset()`.execute(stack.db);
    const cpuBeforeOpen = await cpuSnapshot();
    const { ids: openIds, started: openStart, offeredSeconds, throughput } = await openLoop(pacedTotal, 'open', (n) => customers[n % conversations]!);
    const openCpu = cpuPerMessage(cpuBeforeOpen, await cpuSnapshot(), openIds.length, worker?.pid);
    // How much of the machine the stack and the client got: on a shared host it varies, and
    // throughput with it (throughput ≈ cores busy ÷ CPU a message).
    const coresBusy = round((openCpu.total * openIds.length) / (Date.now() - openStart), 2);
    const statements = statementStats ? await topStatements(stack.db, openIds.length) : [];
    const tasksAfterOpen = await scrapeTasks();
    const tasks = { ...slowTasks(tasksBefore, tasksAfterOpen), paced: slowTasks(tasksBefore, tasksAfterPaced), open_loop: slowTasks(tasksAfterPaced, tasksAfterOpen) };

    // Phase 3: first messages, each from a new number: the open loop, then paced.
    const cpuBeforeNew = await cpuSnapshot();
    const fresh = newMessages > 0 ? await openLoop(newMessages, 'new', () => nextNewCustomer()) : null;
    const newCpu = fresh ? cpuPerMessage(cpuBeforeNew, await cpuSnapshot(), newMessages, worker?.pid) : null;
    const freshPaced = newPacedMessages > 0 ? await paced(newRate, newPacedMessages, 'new-paced', () => nextNewCustomer()) : null;
    // What one new conversation recorded: its history's events by type, and the visibility
    // writes among them (the start, and each search-attribute upsert).
    const firstHistory = fresh ? await historyProfile(fresh.ids[0]!) : null;
    const firstStages = fresh ? await firstMessageStages(fresh, 100) : null;

    // Phase 3: overload. Far more at once than the service can take: every request must get an
    // answer (202, or 429/503 with Retry-After), no connection may be reset, and every accepted
    // message must be answered.
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const overloadAccepted: string[] = [];
    let nextOverload = 0;
    const overloadStart = Date.now();
    await Promise.all(
      Array.from({ length: overloadConcurrency }, async () => {
        for (let n = nextOverload++; n < overloadMessages; n = nextOverload++) {
          const id = `overload-${n}`;
          try {
            const r = await fetch(`${stack.apiUrl}/api/whatsapp/sandbox/messages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json' },
              body: JSON.stringify({ to: businessPhone, from: customers[n % conversations], text: questions[n % questions.length], id }),
            });
            await r.arrayBuffer();
            if (r.status === 202) overloadAccepted.push(id);
            count(r.status === 429 || r.status === 503 ? `${r.status}${r.headers.get('retry-after') ? ' with Retry-After' : ' WITHOUT Retry-After'}` : String(r.status));
          } catch (error) {
            const cause = (error as { cause?: { code?: string } }).cause;
            count(`network error ${cause?.code ?? String(error)}`);
          }
        }
      }),
    );
    const overloadSeconds = (Date.now() - overloadStart) / 1000;
    const overloadReplies = await waitForReplies(overloadAccepted, 600_000);

    // History size per message, from the workflows' own histories.
    let events = 0;
    for await (const execution of stack.client.workflow.list({ query: `CatyWidgetId = '${widgetId}'` })) {
      // Visibility lags for running workflows; describe() reads the run's own history length.
      events += (await stack.client.workflow.getHandle(execution.workflowId, execution.runId).describe()).historyLength;
    }
    const totalMessages = conversations + (warmup ? warmupMessages : 0) + sweepRates.length * sweepMessages + pacedTotal * 2 + newMessages + newPacedMessages + overloadAccepted.length;
    const historyPerMessage = events / totalMessages;

    // Baseline: the same activities, called directly, with the same concurrency.
    const detector = createLanguageDetector(config);
    const eventDeps = { db: stack.db, client: stack.client, taskQueue: config.TEMPORAL_TASK_QUEUE };
    const conversation = createConversationActivities({ db: stack.db, ai: createAiProvider(config), detector, events: eventDeps });
    const session = createSessionActivities({ db: stack.db, sessions: async (id) => new SandboxSession(stack.db, id), events: eventDeps });
    const channel = await stack.db.selectFrom('links').select('channel_id').where('widget_id', '=', widgetId).executeTakeFirstOrThrow();
    let b = 0;
    const baselineStart = Date.now();
    await Promise.all(
      Array.from({ length: conversations }, async (_, c) => {
        const customer = customers[c]!;
        const conversationId = conversationIdFor(`conversation:${widgetId}:whatsapp:${customer}`);
        for (let m = 0; m < messagesPerConversation; m++) {
          const id = `base-${c}-${m}`;
          const handled = await conversation.handleCustomerMessage({
            ingestKey: `baseline:${id}`,
            customerPhone: customer,
            conversationId,
            widgetId,
            message: { id, text: questions[(b++) % questions.length]!, fromMe: false, at: new Date().toISOString() },
            previousLanguage: 'ro',
            route: 'answer',
          });
          await session.sendWhatsAppMessage({ channelId: channel.channel_id, to: customer, text: handled.reply!.text, idempotencyKey: replyKey(id), author: 'ai', conversationId, widgetId });
        }
      }),
    );
    const baseline = pacedTotal / ((Date.now() - baselineStart) / 1000);

    // The direct path's own first message: the conversation's row, its settings, the message and
    // the reply, for new numbers, with as many at once as the open loop had in flight.
    let baselineNew = NaN;
    if (newMessages > 0) {
      const link = await stack.db.selectFrom('links').innerJoin('channels', 'channels.id', 'links.channel_id').select(['links.account_id', 'links.phone', 'links.channel_type', 'channels.provider']).where('links.widget_id', '=', widgetId).executeTakeFirstOrThrow();
      let n = 0;
      const baselineNewStart = Date.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let m = n++; m < newMessages; m = n++) {
            const customer = nextNewCustomer();
            const workflowId = `bench-direct:${widgetId}:${customer}`;
            const conversationId = conversationIdFor(workflowId);
            await ensureConversation(stack.db, { conversationId, workflowId, accountId: link.account_id, widgetId, kind: 'whatsapp', customer, channelId: channel.channel_id, provider: link.provider, businessPhone: link.phone, channelType: link.channel_type });
            await conversation.loadConversationSettings({ widgetId });
            const id = `base-new-${m}`;
            const handled = await conversation.handleCustomerMessage({
              ingestKey: `baseline:${id}`,
              customerPhone: customer,
              conversationId,
              widgetId,
              message: { id, text: questions[m % questions.length]!, fromMe: false, at: new Date().toISOString() },
              previousLanguage: null,
              route: 'answer',
            });
            await session.sendWhatsAppMessage({ channelId: channel.channel_id, to: customer, text: handled.reply!.text, idempotencyKey: replyKey(id), author: 'ai', conversationId, widgetId });
          }
        }),
      );
      baselineNew = newMessages / ((Date.now() - baselineNewStart) / 1000);
    }
    const stats = await sql<{ n: number }>`select count(*)::int as n from sandbox_outbox`.execute(stack.db);

    const result = {
      conversations,
      messages: pacedTotal * 2,
      throughput_per_s: round(throughput),
      latency_ms: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) },
      latency_histogram_s: fromHistogram,
      cpu_ms_per_message: { paced: pacedCpu, open_loop: openCpu },
      open_loop_cores_busy: coresBusy,
      warmup: warmup ? { messages: warmupMessages, rate: warmupRate, ...warmup } : null,
      ...(sweep.length ? { sweep } : {}),
      workflow_tasks: tasks,
      overload: { offered: overloadMessages, in_flight: overloadConcurrency, outcomes: Object.fromEntries(outcomes), accepted_answered: `${overloadReplies.size}/${overloadAccepted.length}` },
      new_conversations: fresh
        ? {
            open_loop: { messages: newMessages, throughput_per_s: round(fresh.throughput), p50: percentile(fresh.latencies, 50), p99: percentile(fresh.latencies, 99), cpu_ms_per_message: newCpu },
            paced: freshPaced ? { rate: newRate, messages: newPacedMessages, ...summary(freshPaced.latencies) } : null,
            baseline_throughput_per_s: round(baselineNew),
            ratio_to_direct_path: round(fresh.throughput / baselineNew, 2),
            first_history: firstHistory,
            stages_ms: firstStages,
          }
        : null,
      baseline_throughput_per_s: round(baseline),
      ratio_to_direct_path: round(throughput / baseline, 2),
      history_events_per_message: round(historyPerMessage, 2),
      visitor_streams: visitors ? { opened: visitorStreams, open_at_end: visitors.open(), refused: visitors.refused } : 0,
      ...(statementStats ? { postgres_statements: statements } : {}),
    };
    console.log('');
    console.log(`${SETUP_NAMES[setup]}`);
    console.log(`phase                      | messages | figure`);
    console.log(`---------------------------|----------|------------------------------------------`);
    if (warmup) console.log(`warm-up at ${String(warmupRate).padEnd(3)} msg/s      | ${String(warmupMessages).padEnd(8)} | not counted: p50 ${warmup.p50} ms, p99 ${warmup.p99} ms, max ${warmup.max} ms (the process starting cold)`);
    for (const r of sweep) console.log(`paced at ${String(r.rate).padEnd(3)} msg/s          | ${String(sweepMessages).padEnd(8)} | p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms`);
    console.log(`paced at ${String(pacedRate).padEnd(3)} msg/s          | ${String(pacedTotal).padEnd(8)} | p50 ${result.latency_ms.p50} ms, p95 ${result.latency_ms.p95} ms, p99 ${result.latency_ms.p99} ms, max ${latencies[latencies.length - 1]} ms (${round(pacedSeconds)} s)`);
    console.log(`open loop (${String(concurrency).padEnd(3)} in flight)   | ${String(openIds.length).padEnd(8)} | ${result.throughput_per_s} replies/s sustained (offered in ${round(offeredSeconds)} s)`);
    const cpuLine = (c: typeof openCpu) => `${c.total} ms (Node ${c.node}${c.worker === undefined ? '' : ` of which the worker ${c.worker}`}, Temporal ${c.temporal}, PostgreSQL ${c.postgres})`;
    console.log(`CPU per message            | ${String(pacedTotal).padEnd(8)} | paced ${cpuLine(pacedCpu)}; open loop ${cpuLine(openCpu)}, ${coresBusy} cores busy`);
    console.log(`same, from /metrics        | ${String(pacedTotal).padEnd(8)} | caty_reply_latency_seconds: p50 <= ${fromHistogram.p50} s, p99 <= ${fromHistogram.p99} s (bucket bounds)`);
    console.log(`workflow tasks (both)      | ${String(tasks.tasks).padEnd(8)} | ${tasks.over_1s} took over ${tasks.bound_s} s (temporal_workflow_task_execution_latency_seconds): ${tasks.paced.over_1s} of ${tasks.paced.tasks} paced, ${tasks.open_loop.over_1s} of ${tasks.open_loop.tasks} open loop`);
    console.log(`overload (${String(overloadConcurrency).padEnd(4)} in flight)  | ${String(overloadMessages).padEnd(8)} | ${[...outcomes].map(([k, v]) => `${v} × ${k}`).join(', ')} in ${round(overloadSeconds)} s; accepted and answered ${result.overload.accepted_answered}`);
    const nc = result.new_conversations;
    if (nc) {
      console.log(`first messages, open loop  | ${String(newMessages).padEnd(8)} | ${nc.open_loop.throughput_per_s} new conversations/s answered, p50 ${nc.open_loop.p50} ms, p99 ${nc.open_loop.p99} ms; CPU a message ${cpuLine(nc.open_loop.cpu_ms_per_message!)}`);
      if (nc.paced) console.log(`first messages at ${String(newRate).padEnd(3)} /s   | ${String(newPacedMessages).padEnd(8)} | p50 ${nc.paced.p50} ms, p99 ${nc.paced.p99} ms, max ${nc.paced.max} ms`);
      const st = nc.stages_ms;
      if (st) console.log(`first messages, where      | ${String(Math.min(100, newMessages)).padEnd(8)} | from the start: first task picked up p50 ${st.start_to_task_started.p50} ms, p99 ${st.start_to_task_started.p99} ms; that task ran p50 ${st.task_run.p50} ms, p99 ${st.task_run.p99} ms; reply p50 ${st.start_to_reply.p50} ms`);
      const h = nc.first_history;
      if (h) console.log(`one new conversation       | 1        | ${h.events} history events (${Object.entries(h.by_type).map(([k, v]) => `${v} ${k}`).join(', ')}); ${h.visibility_writes} visibility writes, ${h.attributes_at_start} search attributes at start, ${h.attributes_upserted} upserted`);
    }
    console.log(`baseline without Temporal  | ${String(pacedTotal).padEnd(8)} | ${result.baseline_throughput_per_s} messages/s returning${nc ? `, ${nc.baseline_throughput_per_s} first messages/s` : ''}`);
    console.log(`ratio to the direct path   |          | returning ${result.ratio_to_direct_path} (${result.throughput_per_s} / ${result.baseline_throughput_per_s})${nc ? `; first messages ${nc.ratio_to_direct_path} (${nc.open_loop.throughput_per_s} / ${nc.baseline_throughput_per_s})` : ''}`);
    console.log(`history                    | ${String(totalMessages).padEnd(8)} | ${result.history_events_per_message} events per message`);
    if (visitors) console.log(`visitor streams            | ${String(visitorStreams).padEnd(8)} | ${visitors.open()} still open at the end (${visitors.refused} refused), ${visitors.bytes()} bytes received`);
    console.log(`topology                   | worker ${separateWorker ? 'in its own process' : 'in the API process'}, ${SETUP_NAMES[setup]}, embedded PostgreSQL, all on this machine`);
    console.log(`outbox rows                | ${stats.rows[0]?.n}`);
    for (const st of statements) {
      console.log(`PostgreSQL, open loop      | ${String(st.calls).padEnd(8)} | ${st.exec_ms_per_message} ms run + ${st.plan_ms_per_message} ms planning a message: ${st.query}`);
    }
    console.log(JSON.stringify({ setup, ...result }));
    return result;
  } finally {
    visitors?.close();
    await stopProcess(worker);
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** BENCH_TEMPORAL=dev (default), production, or both (then side by side). */
async function main(): Promise<void> {
  const choice = process.env.BENCH_TEMPORAL ?? 'dev';
  if (!['dev', 'production', 'both'].includes(choice)) throw new Error(`BENCH_TEMPORAL is dev, production or both, not ${choice}`);
  const setups: Setup[] = choice === 'both' ? ['dev', 'production'] : [choice as Setup];
  const results = new Map<Setup, Record<string, unknown>>();
  for (const setup of setups) results.set(setup, await runBench(setup));
  if (results.size < 2) return;
  const figure = (r: Record<string, any>) => ({
    'replies/s (open loop)': r.throughput_per_s,
    [`p50 at ${pacedRate} msg/s (ms)`]: r.latency_ms.p50,
    [`p99 at ${pacedRate} msg/s (ms)`]: r.latency_ms.p99,
    'history events/message': r.history_events_per_message,
    'ratio to direct, returning': r.ratio_to_direct_path,
    'new conversations/s': r.new_conversations?.open_loop.throughput_per_s,
    [`p99 at ${newRate} new/s (ms)`]: r.new_conversations?.paced?.p99,
    'ratio to direct, new': r.new_conversations?.ratio_to_direct_path,
    'workflow tasks over 1 s': `${r.workflow_tasks.over_1s} of ${r.workflow_tasks.tasks}`,
    'overload answered': r.overload.accepted_answered,
  });
  const dev = figure(results.get('dev')!);
  const production = figure(results.get('production')!);
  console.log('');
  console.log(`${'figure'.padEnd(28)} | ${SETUP_NAMES.dev.padEnd(30)} | ${SETUP_NAMES.production}`);
  console.log(`${'-'.repeat(28)}-|-${'-'.repeat(30)}-|-${'-'.repeat(30)}`);
  for (const key of Object.keys(dev)) console.log(`${key.padEnd(28)} | ${String(dev[key]).padEnd(30)} | ${production[key]}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
