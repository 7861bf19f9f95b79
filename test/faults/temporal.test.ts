import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { FAULTS_ADMIN_KEY, MessageLoad, OwnedTemporal, removeDir, scratchDir, serviceEnv, ServiceProcess, someDatabase, tallyReplies, warmUp } from '../support/faults.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { ApiClient, eventually } from '../support/stack.js';

/** How long Temporal stays away (`npm run bench:faults` uses 10 s). */
const OUTAGE_MS = 3000;

let dir: string;
let database: { url: string; stop(): Promise<void> };
let temporal: OwnedTemporal;
let db: Kysely<Database>;
let api: ServiceProcess;
let worker: ServiceProcess;

before(async () => {
  dir = await scratchDir('caty-faults-temporal-');
  [database, temporal] = await Promise.all([someDatabase(dir), OwnedTemporal.start(dir)]);
  const env = serviceEnv({ databaseUrl: database.url, temporalAddress: temporal.address, dir });
  // Concurrent migrations wait for each other (kysely's migration lock).
  [api, worker] = await Promise.all([ServiceProcess.start('api', env), ServiceProcess.start('worker', env)]);
  db = createDatabase(database.url, { maxConnections: 2 });
});

after(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await db?.destroy();
  await temporal?.stop();
  await database?.stop();
  await removeDir(dir);
});

test(`Temporal SIGKILLed under load and back ${OUTAGE_MS / 1000} s later: messages are stored and answered after, what needs Temporal answers 503, nothing lost or doubled`, { timeout: 120_000 }, async () => {
  const client = new ApiClient(api.url!, FAULTS_ADMIN_KEY);
  const { businessPhone } = await connectedWidget(client);
  const customers = Array.from({ length: 8 }, () => uniquePhone());
  const regular = uniquePhone();
  await warmUp(db, api.url!, businessPhone, regular);
  const conversation = (await client.get(`/api/widgets/${(await client.get('/api/widgets')).body.widgets[0].id}/whatsapp/conversations`)).body.conversations[0];
  assert.ok(conversation, 'the warm-up conversation is listed');

  const rate = 10;
  const load = new MessageLoad({ urls: [api.url!], key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix: 'tkill', total: Math.round((rate * (OUTAGE_MS + 3000)) / 1000), rate });
  await new Promise((r) => setTimeout(r, 1500));

  const downAt = Date.now();
  await temporal.kill();
  // What needs Temporal at once (a takeover is a signal) waits for it, within the client's retry
  // window: done if Temporal is back in time, else 503 with Retry-After; never a 500 or a hang.
  const started = Date.now();
  const takingOver = client.post(`/api/conversations/${conversation.id}/takeover`).then((response) => ({ response, ms: Date.now() - started }));
  const ready = await fetch(`${api.url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { checks: { temporal: string; database: string } } }));
  await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - downAt))));
  await temporal.restart();
  const upAt = Date.now();
  await load.done;

  const { response: takeover, ms: takeoverMs } = await takingOver;
  assert.ok(takeover.status === 202 || (takeover.status === 503 && takeover.headers.get('retry-after')), `${takeover.status} ${JSON.stringify(takeover.body)}`);
  assert.ok(takeoverMs < 15_000, `answered in ${takeoverMs} ms`);
  assert.equal(ready.status, 503);
  assert.match(ready.body.checks.temporal, /^failing/);
  assert.equal(ready.body.checks.database, 'ok');

  const refused = load.refusals();
  assert.deepEqual(Object.keys(refused).filter((k) => k !== '503 with Retry-After'), [], `nothing but 503 with Retry-After: ${JSON.stringify(refused)} ${load.bodies.join('\n')}`);
  assert.equal(load.accepted.size, load.options.total, 'the inbox took every message while Temporal was away');
  await eventually(async () => (await fetch(`${api.url}/readyz`)).status === 200, 30_000, '/readyz to recover');
  assert.equal((await client.post(`/api/conversations/${conversation.id}/resume`)).status, 202, 'what needs Temporal works again');
  assert.ok(api.alive && worker.alive, 'the API and the worker rode through it');

  const tally = await tallyReplies(db, load.ids, 90_000);
  assert.deepEqual(tally.lost, [], 'no message lost');
  assert.deepEqual(tally.doubled, [], 'no message answered twice');
  const caught = load.ids.filter((id) => load.accepted.get(id)! > downAt - 2000 && load.accepted.get(id)! < upAt + 1000);
  const longest = Math.max(0, ...caught.map((id) => tally.replies.get(id)!.firstAt - load.accepted.get(id)!));
  console.log(`# Temporal SIGKILLed for ${OUTAGE_MS} ms: inbound refused ${JSON.stringify(refused)}, slowest answer ${load.slowestAnswerMs()} ms; takeover ${takeover.status} in ${takeoverMs} ms; longest accept-to-reply of a message caught in it ${longest} ms; lost 0, doubled 0`);
});
