/**
 * Each fault as one function: the service's own processes under a steady load of customer
 * messages, the fault, the recovery, and what the customers saw. The tests in test/faults/ run
 * them small and assert on the figures; `npm run bench:faults` runs them larger and prints them.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { startTemporalProductionServer, type TemporalProductionServer } from './temporal-production-server.js';
import { FAULTS_ADMIN_KEY, MessageLoad, OwnedPostgres, OwnedTemporal, removeDir, scratchDir, serviceEnv, ServiceProcess, someTemporal, tallyReplies, warmUp, type Tally } from './faults.js';
import { connectedWidget, uniquePhone } from './scenario.js';
import { ApiClient } from './stack.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RigOptions {
  /** `dev`: a dev server this rig can kill and restart on its file; `any`: the run's when there is one; `production`: the Temporal server on PostgreSQL. */
  temporal: 'any' | 'dev' | 'production';
  apis?: number;
  workers?: number;
  /** More settings for the service's processes. */
  env?: Record<string, string>;
}

/** A PostgreSQL and a Temporal the rig owns, and the service's processes on them. */
export class FaultRig {
  apis: ServiceProcess[] = [];
  workers: ServiceProcess[] = [];
  db!: Kysely<Database>;
  env!: Record<string, string>;
  private temporalStop: () => Promise<void> = async () => undefined;
  ownedTemporal: OwnedTemporal | null = null;

  private constructor(
    readonly dir: string,
    readonly postgres: OwnedPostgres,
  ) {}

  static async start(options: RigOptions): Promise<FaultRig> {
    const dir = await scratchDir('caty-faults-');
    const rig = new FaultRig(dir, await OwnedPostgres.start(dir));
    let temporalAddress: string;
    if (options.temporal === 'production') {
      const server: TemporalProductionServer = await startTemporalProductionServer({
        pg: { host: '127.0.0.1', port: rig.postgres.port, user: 'caty', password: 'caty' },
        dataDir: path.join(dir, 'temporal'),
        log: process.env.CATY_TEST_LOG ? (line) => process.stderr.write(`[temporal] ${line}\n`) : undefined,
      });
      temporalAddress = server.address;
      rig.temporalStop = () => server.stop();
    } else if (options.temporal === 'dev') {
      rig.ownedTemporal = await OwnedTemporal.start(dir);
      temporalAddress = rig.ownedTemporal.address;
      rig.temporalStop = () => rig.ownedTemporal!.stop();
    } else {
      const temporal = await someTemporal(dir);
      temporalAddress = temporal.address;
      rig.temporalStop = () => temporal.stop();
    }
    rig.env = serviceEnv({ databaseUrl: rig.postgres.url(), temporalAddress, dir, ...(options.env ? { env: options.env } : {}) });
    // The first API migrates the database; the others may then start at once.
    rig.apis.push(await ServiceProcess.start('api', rig.env));
    const rest = await Promise.all([
      ...Array.from({ length: (options.apis ?? 1) - 1 }, () => ServiceProcess.start('api', rig.env)),
      ...Array.from({ length: options.workers ?? 1 }, () => ServiceProcess.start('worker', rig.env)),
    ]);
    rig.apis.push(...rest.filter((p) => p.kind === 'api'));
    rig.workers.push(...rest.filter((p) => p.kind === 'worker'));
    rig.db = createDatabase(rig.postgres.url(), { maxConnections: 2, connectTimeoutMs: 2000 });
    return rig;
  }

  get urls(): string[] {
    return this.apis.map((a) => a.url!);
  }

  /** The rig's own connection pool is closed while PostgreSQL is away, and opened again after. */
  async disconnect(): Promise<void> {
    await this.db.destroy();
  }

  reconnect(): void {
    this.db = createDatabase(this.postgres.url(), { maxConnections: 2, connectTimeoutMs: 2000 });
  }

  get processes(): ServiceProcess[] {
    return [...this.apis, ...this.workers];
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop()));
    await this.db?.destroy();
    await this.temporalStop();
    await this.postgres.stop();
    await removeDir(this.dir);
  }
}

export interface FaultFigures {
  fault: string;
  offered: number;
  accepted: number;
  /** Answers other than 202, by status (all of them came while the fault lasted). */
  refused: Record<string, number>;
  /** The slowest answer of any kind (a request is given 15 s). */
  slowestAnswerMs: number;
  /** The longest wait, from 202 to reply, of a message accepted shortly before the fault or during it. */
  longestCaughtMs: number;
  lost: string[];
  doubled: string[];
  /** Other figures the fault has, as text. */
  notes: string[];
}

/** A widget with a connected sandbox number, and one message answered (the worker is ready). */
async function prepare(rig: FaultRig, customers: number): Promise<{ widgetId: string; businessPhone: string; customers: string[] }> {
  const { widgetId, businessPhone } = await connectedWidget(new ApiClient(rig.urls[0]!, FAULTS_ADMIN_KEY));
  await warmUp(rig.db, rig.urls[0]!, businessPhone, uniquePhone());
  return { widgetId, businessPhone, customers: Array.from({ length: customers }, () => uniquePhone()) };
}

/**
 * The worker that completed the latest workflow task of most of these conversations, so holds
 * them in its cache and on its sticky queue, and how many. Which worker a conversation lands on
 * is Temporal's choice; killing one that held none would test nothing.
 */
async function busiestWorker(rig: FaultRig, widgetId: string, customers: string[]): Promise<{ worker: ServiceProcess; holds: number }> {
  const connection = await Connection.connect({ address: rig.env.TEMPORAL_ADDRESS! });
  try {
    const client = new Client({ connection, namespace: rig.env.TEMPORAL_NAMESPACE ?? 'default' });
    const held = new Map<string, number>();
    for (const customer of customers) {
      const { events } = await client.workflow.getHandle(whatsappConversationWorkflowId(widgetId, customer)).fetchHistory();
      // The SDK's default identity is `pid@host`.
      const completed = (events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes);
      const identity = completed.at(-1)?.workflowTaskCompletedEventAttributes?.identity ?? '';
      const pid = identity.split('@')[0]!;
      held.set(pid, (held.get(pid) ?? 0) + 1);
    }
    const holds = (worker: ServiceProcess) => held.get(String(worker.pid)) ?? 0;
    const worker = rig.workers.reduce((best, w) => (holds(w) > holds(best) ? w : best));
    return { worker, holds: holds(worker) };
  } finally {
    await connection.close();
  }
}

function longestWait(load: MessageLoad, tally: Tally & { replies: Map<string, { firstAt: number }> }, from: number, to: number): number {
  const caught = load.ids.filter((id) => {
    const at = load.accepted.get(id);
    return at !== undefined && at >= from && at <= to;
  });
  return Math.max(0, ...caught.map((id) => (tally.replies.get(id)?.firstAt ?? Infinity) - load.accepted.get(id)!).filter(Number.isFinite));
}

function figures(fault: string, load: MessageLoad, tally: Tally, longestCaughtMs: number, notes: string[]): FaultFigures {
  return {
    fault,
    offered: load.options.total,
    accepted: load.accepted.size,
    refused: load.refusals(),
    slowestAnswerMs: load.slowestAnswerMs(),
    longestCaughtMs,
    lost: tally.lost,
    doubled: tally.doubled,
    notes,
  };
}

/**
 * PostgreSQL, every API and every worker SIGKILLed at once mid-burst (the whole host losing
 * power, as far as processes go), started again, and every message delivered again, as WhatsApp
 * does for what it is not sure we have. The burst is offered all at once, so that many
 * conversations are committing when the crash comes.
 */
export async function crashEverything(
  rig: FaultRig,
  options: { total: number; customers: number; killAfterReplies: number },
): Promise<FaultFigures & { acceptedBeforeCrash: number; answeredBeforeCrash: number }> {
  const { businessPhone, customers } = await prepare(rig, options.customers);
  const prefix = `crash-${Date.now()}`;
  const first = new MessageLoad({ urls: rig.urls, key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix, total: options.total, rate: 1000 });
  for (;;) {
    const replies = await rig.db.selectFrom('sandbox_outbox').select('id').where('idempotency_key', 'like', `reply:${prefix}-%`).execute();
    if (replies.length >= options.killAfterReplies) break;
    await sleep(50);
  }
  const answeredBeforeCrash = (await rig.db.selectFrom('sandbox_outbox').select('id').where('idempotency_key', 'like', `reply:${prefix}-%`).execute()).length;
  await rig.disconnect();
  const crashAt = Date.now();
  const acceptedBeforeCrash = first.accepted.size;
  await Promise.all([rig.postgres.kill(), ...rig.processes.map((p) => p.kill())]);
  await rig.postgres.restart();
  rig.reconnect();
  await Promise.all(rig.processes.map((p) => p.restart()));
  const upAt = Date.now();
  // The first client keeps offering what it has not had accepted; WhatsApp delivers everything again.
  const again = new MessageLoad({ urls: rig.urls, key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix, total: options.total, rate: 200 });
  await Promise.all([first.done, again.done]);
  const tally = await tallyReplies(rig.db, again.ids, 120_000, options.total);
  const longest = longestWait(first, tally, 0, crashAt);
  return {
    ...figures('PostgreSQL, APIs and workers SIGKILLed mid-burst, all messages delivered again', first, tally, longest, [
      `${acceptedBeforeCrash} accepted and ${answeredBeforeCrash} answered before the crash; everything running again ${upAt - crashAt} ms after it`,
    ]),
    accepted: again.accepted.size,
    acceptedBeforeCrash,
    answeredBeforeCrash,
  };
}

/** `pg_ctl stop -m immediate` under a steady load, started again `outageMs` later; /readyz polled throughout. */
export async function stopPostgres(rig: FaultRig, options: { rate: number; customers: number; outageMs: number }): Promise<FaultFigures & { readyDuring: { status: number; database: string }[] }> {
  const { businessPhone, customers } = await prepare(rig, options.customers);
  const lead = 1500;
  const load = new MessageLoad({ urls: rig.urls, key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix: `pgstop-${Date.now()}`, total: Math.round((options.rate * (lead + options.outageMs + 1500)) / 1000), rate: options.rate });
  await sleep(lead);
  const readiness: { at: number; status: number; database: string }[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const r = await fetch(`${rig.urls[0]}/readyz`).then(async (res) => ({ status: res.status, body: (await res.json()) as { checks: { database: string } } }));
      readiness.push({ at: Date.now(), status: r.status, database: r.body.checks.database });
      await sleep(200);
    }
  })();
  await rig.disconnect();
  const downAt = Date.now();
  await rig.postgres.stopImmediate();
  await sleep(options.outageMs);
  await rig.postgres.restart();
  const upAt = Date.now();
  rig.reconnect();
  await load.done;
  while (readiness.at(-1)?.status !== 200 && Date.now() - upAt < 30_000) await sleep(200);
  watching = false;
  await watch;
  const tally = await tallyReplies(rig.db, load.ids, 120_000);
  return {
    ...figures(`PostgreSQL stopped (pg_ctl -m immediate) for ${options.outageMs / 1000} s under ${options.rate} msg/s`, load, tally, longestWait(load, tally, downAt - 2000, upAt + 1000), [
      `/readyz during the outage: ${[...new Set(readiness.filter((r) => r.at > downAt + 200 && r.at < upAt).map((r) => `${r.status} (database ${r.database.split(':')[0]})`))].join(', ')}`,
    ]),
    readyDuring: readiness.filter((r) => r.at > downAt + 200 && r.at < upAt),
  };
}

/**
 * The Temporal server SIGKILLed under a steady load and started again on its database
 * `outageMs` later; meanwhile a takeover (a signal: it needs Temporal at once) and /readyz.
 */
export async function killTemporal(
  rig: FaultRig,
  options: { rate: number; customers: number; outageMs: number },
): Promise<FaultFigures & { takeover: { status: number; retryAfter: string | null; ms: number }; readyDuring: { status: number; checks: Record<string, string> } }> {
  const temporal = rig.ownedTemporal;
  if (!temporal) throw new Error('killTemporal needs a rig with its own Temporal dev server');
  const { businessPhone, customers } = await prepare(rig, options.customers);
  const client = new ApiClient(rig.urls[0]!, FAULTS_ADMIN_KEY);
  const widgetId = (await client.get('/api/widgets')).body.widgets.at(-1).id as string;
  const conversation = (await client.get(`/api/widgets/${widgetId}/whatsapp/conversations`)).body.conversations[0] as { id: string };
  const lead = 1500;
  const load = new MessageLoad({ urls: rig.urls, key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix: `tkill-${Date.now()}`, total: Math.round((options.rate * (lead + options.outageMs + 1500)) / 1000), rate: options.rate });
  await sleep(lead);
  const downAt = Date.now();
  await temporal.kill();
  const takingOver = client.post(`/api/conversations/${conversation.id}/takeover`).then((r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), ms: Date.now() - downAt }));
  const ready = await fetch(`${rig.urls[0]}/readyz`).then(async (r) => ({ status: r.status, checks: ((await r.json()) as { checks: Record<string, string> }).checks }));
  await sleep(Math.max(0, options.outageMs - (Date.now() - downAt)));
  await temporal.restart();
  const upAt = Date.now();
  await load.done;
  const takeover = await takingOver;
  // Leave the conversation as it was for whatever runs next.
  if (takeover.status === 202) await client.post(`/api/conversations/${conversation.id}/resume`);
  const tally = await tallyReplies(rig.db, load.ids, 120_000);
  return {
    ...figures(`Temporal SIGKILLed for ${options.outageMs / 1000} s under ${options.rate} msg/s`, load, tally, longestWait(load, tally, downAt - 2000, upAt + 1000), [
      `inbound messages are stored in the inbox and accepted meanwhile; a takeover (needs Temporal) answered ${takeover.status}${takeover.retryAfter ? ` with Retry-After ${takeover.retryAfter}` : ''} after ${takeover.ms} ms`,
      `/readyz while away: ${ready.status} ${JSON.stringify(ready.checks)}`,
    ]),
    takeover,
    readyDuring: ready,
  };
}

/** One conversation worker of several SIGKILLed under a steady load; the others carry on. */
export async function killOneWorker(rig: FaultRig, options: { rate: number; customers: number; seconds: number }): Promise<FaultFigures & { resumedMs: number[]; killed: ServiceProcess }> {
  const { widgetId, businessPhone, customers } = await prepare(rig, options.customers);
  const load = new MessageLoad({ urls: rig.urls, key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix: `wkill-${Date.now()}`, total: Math.round(options.rate * options.seconds), rate: options.rate });
  await sleep(Math.min(2500, (options.seconds * 1000) / 3));
  const victim = await busiestWorker(rig, widgetId, customers);
  const killedAt = Date.now();
  await victim.worker.kill();
  await load.done;
  const tally = await tallyReplies(rig.db, load.ids, 120_000);
  // Per conversation: how long its first message accepted after the kill waited for its reply.
  const resumedMs = customers
    .map((customer) => {
      const first = load.ids.find((id, n) => customers[n % customers.length] === customer && (load.accepted.get(id) ?? 0) > killedAt);
      return first ? (tally.replies.get(first)?.firstAt ?? Infinity) - load.accepted.get(first)! : 0;
    })
    .sort((a, b) => a - b);
  const p50 = resumedMs[Math.floor(resumedMs.length / 2)];
  await victim.worker.restart();
  return {
    ...figures(`one conversation worker of ${rig.workers.length} SIGKILLed under ${options.rate} msg/s`, load, tally, longestWait(load, tally, killedAt - 5000, Infinity), [
      `the killed worker held ${victim.holds} of the ${customers.length} conversations`,
      `each conversation's first message after the kill answered in: p50 ${p50} ms, max ${resumedMs.at(-1)} ms; ${resumedMs.filter((ms) => ms > 1000).length} of ${resumedMs.length} over a second ` +
        `(the dead worker's: a task queued for it waits for CATY_STICKY_QUEUE_TIMEOUT_MS, ${rig.env.CATY_STICKY_QUEUE_TIMEOUT_MS ?? 10_000} ms; one it had started, for the workflow task timeout, 10 s)`,
    ]),
    resumedMs,
    killed: victim.worker,
  };
}

/** The figures as the lines `npm run bench:faults` prints. */
export function describeFigures(f: FaultFigures): string[] {
  const refused = Object.entries(f.refused).map(([status, n]) => `${n} x ${status}`).join(', ') || 'none';
  return [
    f.fault,
    `  offered ${f.offered}, accepted ${f.accepted}; refused while it lasted: ${refused}; slowest answer ${f.slowestAnswerMs} ms`,
    `  longest accept-to-reply of a message caught in it: ${f.longestCaughtMs} ms; lost ${f.lost.length}, doubled ${f.doubled.length}`,
    ...f.notes.map((n) => `  ${n}`),
  ];
}
