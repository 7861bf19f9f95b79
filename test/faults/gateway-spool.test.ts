import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { replyKey } from '../../workflows/conversation/keys.js';
import { FAULTS_ADMIN_KEY, keepLogTail, OwnedPostgres, removeDir, scratchDir, serviceEnv, ServiceProcess, someTemporal } from '../support/faults.js';
import { demoKnowledge, uniquePhone } from '../support/scenario.js';
import { ApiClient, eventually } from '../support/stack.js';
import { fastGatewayEnv } from '../whatsapp/support/env.js';

/**
 * WhatsApp's messages while PostgreSQL is away: Baileys has acknowledged them, so the gateway's
 * local spool is all there is. They must reach their conversations once the database is back,
 * even when the gateway was killed meanwhile.
 */

/** The WhatsApp gateway as a process of its own, with a fake WhatsApp the test drives over stdin. */
class GatewayChild {
  readonly lines: Record<string, any>[] = [];
  /** The last lines of its log, for a failure message. */
  readonly log: string[] = [];
  private constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not one of ours.
      }
    });
    createInterface({ input: child.stderr! }).on('line', keepLogTail(this.log, `gateway ${child.pid}`));
  }

  static async start(env: Record<string, string>): Promise<GatewayChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../whatsapp/support/fake-gateway-process.ts', import.meta.url))], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const gateway = new GatewayChild(child);
    await eventually(async () => gateway.lines.some((l) => l.event === 'ready'), 30_000, 'the gateway process');
    return gateway;
  }

  async deliver(channelId: string, messages: { from: string; text: string; id: string }[]): Promise<void> {
    this.child.stdin!.write(`${JSON.stringify({ command: 'upsert', channelId, type: 'notify', messages })}\n`);
    const last = messages.at(-1)!.id;
    await eventually(async () => this.lines.some((l) => l.event === 'upserted' && l.ids.includes(last)), 5000, 'the gateway to take them');
  }

  /** Message ids sent to WhatsApp, as many times as each was sent. */
  sent(): string[] {
    return this.lines.filter((l) => l.event === 'sent').map((l) => l.messageId as string);
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    // Its stdin would keep it running after its workers stop.
    this.child.stdin!.end();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

let dir: string;
let postgres: OwnedPostgres;
let temporal: { address: string; stop(): Promise<void> };
let api: ServiceProcess;
let worker: ServiceProcess;
let gateway: GatewayChild;
let gatewayEnv: Record<string, string>;
let serviceEnvironment: Record<string, string>;
let db: Kysely<Database>;
let channelId: string;
const business = uniquePhone();
const spoolFile = () => path.join(dir, 'gateway', 'whatsapp-spool', 'whatsapp-inbound.jsonl');
const killed: GatewayChild[] = [];

before(async () => {
  dir = await scratchDir('caty-faults-spool-');
  postgres = await OwnedPostgres.start(dir);
  temporal = await someTemporal(dir);
  const env = (serviceEnvironment = { ...serviceEnv({ databaseUrl: postgres.url(), temporalAddress: temporal.address, dir }), ...fastGatewayEnv });
  api = await ServiceProcess.start('api', env);
  [worker, gateway] = await Promise.all([
    ServiceProcess.start('worker', env),
    GatewayChild.start((gatewayEnv = { ...env, CATY_DATA_DIR: path.join(dir, 'gateway'), FAKE_PHONE_DIGITS: business.slice(1) })),
  ]);
  db = createDatabase(postgres.url(), { maxConnections: 2 });

  const client = new ApiClient(api.url!, FAULTS_ADMIN_KEY);
  const widget = await client.post('/api/widgets', { name: 'Magazin', knowledge_base: demoKnowledge });
  const channel = await client.post('/api/whatsapp/channels', { provider: 'baileys' });
  channelId = channel.body.id;
  await eventually(async () => (await client.get(`/api/whatsapp/channels/${channelId}/status`)).body.status === 'connected', 20_000, 'the number connected');
  const link = await client.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone: business });
  assert.equal(link.status, 201, JSON.stringify(link.body));
});

after(async () => {
  await Promise.all([api?.stop(), worker?.stop(), gateway?.stop()]);
  await db?.destroy();
  await temporal?.stop();
  await postgres?.stop();
  await removeDir(dir);
});

/** What the spool file holds: message ids written, and ids marked stored. */
function spooled(): { messages: string[]; stored: string[] } {
  const lines = readFileSync(spoolFile(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: string; id?: string; message?: { key: { id: string } } });
  return { messages: lines.filter((l) => l.t === 'm').map((l) => l.message!.key.id), stored: lines.filter((l) => l.t === 'd').map((l) => l.id!) };
}

/** Waits until every message has its reply stored. */
async function answered(ids: string[], timeoutMs: number): Promise<void> {
  await eventually(async () => {
    const rows = await db.selectFrom('messages').select('external_id').where('direction', '=', 'outbound').where('external_id', 'in', ids.map(replyKey)).execute();
    return rows.length === ids.length;
  }, timeoutMs, `replies to ${ids.length} messages`);
}

async function storedTexts(customer: string): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.text')
    .where('conversations.customer', '=', customer)
    .where('messages.direction', '=', 'inbound')
    .orderBy('messages.at')
    .execute();
  return rows.map((r) => r.text);
}

test('PostgreSQL away and the gateway SIGKILLed: what WhatsApp delivered meanwhile is on disk, and the next gateway stores it; each answered once, in order', { timeout: 120_000 }, async () => {
  const customer = uniquePhone();
  await postgres.stopImmediate();
  const messages = ['unu', 'doi', 'trei', 'patru'].map((text, i) => ({ from: customer, text: `${text}: cat costa livrarea?`, id: `SPOOL-${i}` }));
  await gateway.deliver(channelId, messages);
  // On disk as soon as the gateway had them (Baileys has acknowledged them to WhatsApp by then).
  assert.deepEqual(spooled().messages.filter((id) => id.startsWith('SPOOL-')), messages.map((m) => m.id));
  await gateway.kill();
  killed.push(gateway);
  await postgres.restart();
  gateway = await GatewayChild.start(gatewayEnv);

  await answered(messages.map((m) => m.id), 60_000).catch((error: Error) => {
    // What each process said is what tells a stall from a slow machine.
    const tail = (name: string, lines: string[]) => `--- ${name}, last lines ---\n${lines.slice(-40).join('\n')}`;
    throw new Error([error.message, tail('gateway', gateway.log), tail('worker', worker.output), tail('api', api.output)].join('\n'));
  });
  assert.deepEqual(await storedTexts(customer), messages.map((m) => m.text), 'in the order WhatsApp delivered them');
  const inbox = await db.selectFrom('inbox').select('message_id').where('message_id', 'in', messages.map((m) => m.id)).execute();
  assert.equal(inbox.length, messages.length, 'each once in the inbox');
  await eventually(async () => messages.every((m) => spooled().stored.includes(m.id)), 10_000, 'the spool to mark them stored');
  const sent = [...killed.flatMap((g) => g.sent()), ...gateway.sent()];
  assert.equal(new Set(sent).size, sent.length, 'no reply sent twice to WhatsApp');
});

test('a worker started while PostgreSQL is away waits for it, then polls', { timeout: 120_000 }, async () => {
  await postgres.stopImmediate();
  // Resolves once the worker polls; rejects if it exits first.
  const starting = ServiceProcess.start('worker', serviceEnvironment);
  const late = await Promise.race([starting, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
  assert.equal(late, null, 'no worker polls without its database');
  await postgres.restart();
  const started = await starting;
  try {
    assert.ok(started.output.some((line) => line.includes('database not reachable yet')), `it met the outage: ${started.output.join('\n')}`);
  } finally {
    await started.stop();
  }
});
