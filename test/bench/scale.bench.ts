/**
 * `npm run bench:scale`: many open conversations. N customers (default 10,000) each write
 * BENCH_SCALE_ROUNDS times (2), one round of messages after another; the conversation worker runs
 * in its own process, as in production, so its memory is its own. Printed per round: how long it
 * took, replies per second, latency (accepted to reply sent) and the worker's resident memory, at
 * the round's end and BENCH_SCALE_SETTLE_MS (30 s) later, once V8 has given back the burst's
 * garbage, less the worker's own (a round of one conversation first) per conversation.
 * BENCH_CACHE sets the worker's workflow cache (CATY_WORKFLOW_CACHE_SIZE); `both` runs once with a
 * cache larger than N and once with one a tenth of N, where every later message replays its
 * conversation.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { startStack, type Stack } from '../../worker/stack.js';
import { connectedWidget } from '../support/scenario.js';
import { spawnWorkerProcess, stopProcess } from '../support/worker-process.js';
import { ApiClient, localServers, TEST_ENCRYPTION_KEY } from '../support/stack.js';
import { percentile, round } from './figures.js';

const conversations = Number(process.env.BENCH_SCALE_CONVERSATIONS ?? 10_000);
const concurrency = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 64);
const cacheChoice = process.env.BENCH_CACHE ?? 'both';
// Memory right after a burst holds its garbage too; V8 gives it back once allocation stops.
const settleMs = Number(process.env.BENCH_SCALE_SETTLE_MS ?? 30_000);
const roundCount = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);
// What customers write, round after round: a greeting, then questions the knowledge answers.
const ROUND_TEXTS = ['buna ziua', 'cat costa livrarea?', 'aveti program sambata?', 'multumesc!'];

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;


/** Resident memory of a process and its peak, from /proc (Linux). */
async function residentMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(/\d+/.exec(status.split('\n').find((l) => l.startsWith(field)) ?? '')?.[0] ?? NaN) * 1024;
  return { rss: kb('VmRSS:'), peak: kb('VmHWM:') };
}

async function runScale(cacheSize: number): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'caty-scale-'));
  await chmod(dataDir, 0o711);
  const config = loadConfig({ CATY_ADMIN_KEY: 'bench-admin-key-0123456789', CATY_SANDBOX: '1', TEMPORAL_TASK_QUEUE: 'caty-scale', CATY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY });
  let stack: Stack | null = null;
  let worker: ChildProcess | null = null;
  try {
    stack = await startStack({ config, dataDir, apiPort: 0, runWorker: false, gateway: false, ...localServers() });
    worker = spawnWorkerProcess(stack, { CATY_WORKFLOW_CACHE_SIZE: String(cacheSize), CATY_METRICS_PORT: '0' }, process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean));
    const workerPid = worker.pid!;
    const api = new ApiClient(stack.apiUrl!, stack.adminKey);
    const db = stack.db;
    const { businessPhone } = await connectedWidget(api);
    const customers = Array.from({ length: conversations }, (_, i) => `+4075${String(1_000_000 + i).slice(1)}0`);

    let peakRss = 0;
    const sampler = setInterval(() => {
      residentMemory(workerPid).then(({ rss }) => (peakRss = Math.max(peakRss, rss)), () => undefined);
    }, 500);

    async function roundOf(label: string, text: string, senders: string[] = customers) {
      const accepted = new Map<string, number>();
      const started = Date.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let n = next++; n < senders.length; n = next++) {
            const id = `${label}-${n}`;
            for (;;) {
              const r = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: senders[n], text, id });
              if (r.status === 202) break;
              if (r.status !== 503 && r.status !== 429) throw new Error(`sandbox message answered ${r.status}: ${JSON.stringify(r.body)}`);
              await new Promise((resolve) => setTimeout(resolve, Number(r.headers.get('retry-after') ?? 1) * 1000));
            }
            accepted.set(id, Date.now());
          }
        }),
      );
      const keys = new Map([...accepted.keys()].map((id) => [replyKey(id), id]));
      const replied = new Map<string, number>();
      const deadline = Date.now() + 30 * 60_000;
      while (replied.size < keys.size && Date.now() < deadline) {
        const rows = await db.selectFrom('sandbox_outbox').select(['idempotency_key', 'sent_at']).where('idempotency_key', 'like', `reply:${label}-%`).execute();
        for (const row of rows) if (keys.has(row.idempotency_key)) replied.set(keys.get(row.idempotency_key)!, row.sent_at.getTime());
        if (replied.size < keys.size) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const seconds = (Math.max(...replied.values()) - started) / 1000;
      const latencies = [...replied].map(([id, at]) => at - accepted.get(id)!).sort((a, b) => a - b);
      const memory = await residentMemory(workerPid);
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const settled = await residentMemory(workerPid);
      return {
        replies: `${replied.size}/${keys.size}`,
        seconds: round(seconds),
        replies_per_s: round(replied.size / seconds),
        latency_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
        worker_rss: mb(memory.rss),
        worker_rss_settled: mb(settled.rss),
        worker_rss_settled_bytes: settled.rss,
      };
    }

    // The worker with its code loaded and one conversation: what the rounds add is theirs.
    const baseline = await roundOf('warmup', 'buna ziua', ['+40759999991']);
    const rounds = [];
    for (let n = 1; n <= roundCount; n++) rounds.push(await roundOf(`round${n}`, ROUND_TEXTS[(n - 1) % ROUND_TEXTS.length]!));
    clearInterval(sampler);
    const perConversation = (round: { worker_rss_settled_bytes: number }) => `${Math.round((round.worker_rss_settled_bytes - baseline.worker_rss_settled_bytes) / conversations / 1024)} KB`;
    const result = {
      conversations,
      cache: cacheSize,
      worker_rss_one_conversation: baseline.worker_rss_settled,
      rounds: rounds.map((r) => ({ ...r, worker_rss_settled_per_conversation: perConversation(r) })),
      worker_peak_rss: mb(Math.max(peakRss, (await residentMemory(workerPid)).peak)),
    };
    console.log('');
    console.log(`${conversations} conversations, workflow cache ${cacheSize}; worker RSS with one conversation ${result.worker_rss_one_conversation}`);
    for (const [n, r] of result.rounds.entries()) {
      console.log(
        `  message ${String(n + 1).padEnd(3)} | ${r.replies} replies in ${r.seconds} s (${r.replies_per_s}/s) | p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms | worker RSS ${r.worker_rss}, ${r.worker_rss_settled} ${settleMs / 1000} s later: ${r.worker_rss_settled_per_conversation} a conversation`,
      );
    }
    console.log(`  worker peak RSS ${result.worker_peak_rss}`);
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await stopProcess(worker);
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const large = conversations + 1000;
  const small = Math.max(100, Math.round(conversations / 10));
  const sizes = cacheChoice === 'both' ? [large, small] : cacheChoice === 'small' ? [small] : cacheChoice === 'large' ? [large] : [Number(cacheChoice)];
  if (sizes.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`BENCH_CACHE is both, large, small or a number, not ${cacheChoice}`);
  for (const size of sizes) await runScale(size);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
