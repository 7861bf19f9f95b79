import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { FAULTS_ADMIN_KEY as ADMIN_KEY, MessageLoad, OwnedPostgres, removeDir, scratchDir, serviceEnv, ServiceProcess, someTemporal, tallyReplies, warmUp } from '../support/faults.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { ApiClient, eventually } from '../support/stack.js';

/** How long PostgreSQL stays away in the second test (`npm run bench:faults` uses 10 s). */
const OUTAGE_MS = 3000;

let dir: string;
let postgres: OwnedPostgres;
let temporal: { address: string; stop(): Promise<void> };
let db: Kysely<Database>;
let api: ServiceProcess;
let worker: ServiceProcess;
let env: Record<string, string>;

before(async () => {
  dir = await scratchDir('caty-faults-pg-');
  postgres = await OwnedPostgres.start(dir);
  temporal = await someTemporal(dir);
  env = serviceEnv({ databaseUrl: postgres.url(), temporalAddress: temporal.address, dir });
  // The API first: it migrates the database the worker then finds ready.
  api = await ServiceProcess.start('api', env);
  worker = await ServiceProcess.start('worker', env);
  db = createDatabase(postgres.url(), { maxConnections: 2, connectTimeoutMs: 2000 });
});

after(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await db?.destroy();
  await temporal?.stop();
  await postgres?.stop();
  await removeDir(dir);
});

test('PostgreSQL, the API and the worker SIGKILLed mid-burst: redelivered, every message is answered exactly once', { timeout: 120_000 }, async () => {
  const client = new ApiClient(api.url!, ADMIN_KEY);
  const { businessPhone } = await connectedWidget(client);
  const customers = Array.from({ length: 20 }, () => uniquePhone());
  await warmUp(db, api.url!, businessPhone, uniquePhone());
  const total = 60;
  // Offered all at once, so that many conversations are committing their messages when the crash
  // comes: a commit acknowledged before it is on disk shows then (with synchronous_commit=off it did).
  const first = new MessageLoad({ urls: [api.url!], key: ADMIN_KEY, businessPhone, customers, prefix: 'sigkill', total, rate: 200 });
  // Some answered, some accepted but not yet answered, some not yet offered: the crash catches all three.
  await eventually(async () => (await db.selectFrom('sandbox_outbox').select('id').where('idempotency_key', 'like', 'reply:sigkill-%').execute()).length >= 15, 30_000, 'the first replies');
  first.stop();
  const answeredBeforeCrash = (await db.selectFrom('sandbox_outbox').select('id').where('idempotency_key', 'like', 'reply:sigkill-%').execute()).length;
  await db.destroy();
  await Promise.all([postgres.kill(), api.kill(), worker.kill()]);
  const acceptedBeforeCrash = first.accepted.size;
  assert.ok(answeredBeforeCrash < acceptedBeforeCrash, `the crash caught accepted messages not yet answered (${answeredBeforeCrash} of ${acceptedBeforeCrash})`);

  await postgres.restart();
  db = createDatabase(postgres.url(), { maxConnections: 2, connectTimeoutMs: 2000 });
  // The schema is there now: both may start at once.
  [api, worker] = await Promise.all([ServiceProcess.start('api', env), ServiceProcess.start('worker', env)]);
  // WhatsApp delivers again whatever it is not sure we have: here, every message.
  const again = new MessageLoad({ urls: [api.url!], key: ADMIN_KEY, businessPhone, customers, prefix: 'sigkill', total, rate: 50 });
  await again.done;
  assert.equal(again.accepted.size, total, 'every redelivered message accepted');
  const tally = await tallyReplies(db, again.ids, 60_000);
  assert.deepEqual(tally.lost, [], 'no message lost');
  assert.deepEqual(tally.doubled, [], 'no message answered or stored twice');
  // The property this rests on, checked directly too: a crash loses no commit the server acknowledged.
  const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
  assert.equal(rows[0]!.synchronous_commit, 'on');
  const outbox = await db.selectFrom('sandbox_outbox').select('idempotency_key').where('idempotency_key', 'like', 'reply:sigkill-%').execute();
  assert.equal(outbox.length, total, 'exactly one reply per message');
  console.log(`# SIGKILL: ${acceptedBeforeCrash} of ${total} accepted and ${answeredBeforeCrash} answered before the crash; after restart and redelivery ${tally.answered}/${total} answered once`);
});

test(`PostgreSQL stopped (pg_ctl -m immediate) under load for ${OUTAGE_MS / 1000} s: 503 with Retry-After meanwhile, /readyz says so, nothing lost or doubled`, { timeout: 120_000 }, async () => {
  const client = new ApiClient(api.url!, ADMIN_KEY);
  const { businessPhone } = await connectedWidget(client);
  const customers = Array.from({ length: 8 }, () => uniquePhone());
  await warmUp(db, api.url!, businessPhone, uniquePhone());
  const rate = 10;
  const load = new MessageLoad({ urls: [api.url!], key: ADMIN_KEY, businessPhone, customers, prefix: 'pgstop', total: Math.round((rate * (OUTAGE_MS + 3000)) / 1000), rate, requestTimeoutMs: 15_000 });
  await new Promise((r) => setTimeout(r, 1500));

  const readiness: { at: number; status: number; database: string }[] = [];
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const response = await fetch(`${api.url}/readyz`).then(async (r) => ({ status: r.status, body: (await r.json()) as { checks: { database: string } } }));
      readiness.push({ at: Date.now(), status: response.status, database: response.body.checks.database });
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  const downAt = Date.now();
  await db.destroy();
  await postgres.stopImmediate();
  await new Promise((r) => setTimeout(r, OUTAGE_MS));
  await postgres.restart();
  const upAt = Date.now();
  db = createDatabase(postgres.url(), { maxConnections: 2, connectTimeoutMs: 2000 });
  await load.done;
  await eventually(async () => readiness.at(-1)?.status === 200, 20_000, '/readyz to recover');
  watching = false;
  await watch;

  const refused = load.refusals();
  assert.equal(refused['500'], undefined, `no 500: ${load.bodies.join('\n')}`);
  assert.deepEqual(Object.keys(refused).filter((k) => k !== '503 with Retry-After'), [], `only 503 with Retry-After while it was away: ${JSON.stringify(refused)}`);
  assert.ok((refused['503 with Retry-After'] ?? 0) > 0, 'requests during the outage were refused, not accepted blindly');
  const duringOutage = readiness.filter((r) => r.at > downAt + 200 && r.at < upAt);
  assert.ok(duringOutage.some((r) => r.status === 503 && r.database.startsWith('failing')), `/readyz said the database was away: ${JSON.stringify(duringOutage.slice(0, 3))}`);
  assert.equal(load.accepted.size, load.options.total, 'every message accepted in the end');
  assert.ok(api.alive && worker.alive, 'the processes rode through it');

  const tally = await tallyReplies(db, load.ids, 90_000);
  assert.deepEqual(tally.lost, [], 'no message lost');
  assert.deepEqual(tally.doubled, [], 'no message answered twice');
  const caught = load.ids.filter((id) => (load.accepted.get(id) ?? 0) > downAt - 2000 && (load.accepted.get(id) ?? 0) < upAt + 1000);
  const longest = Math.max(0, ...caught.map((id) => tally.replies.get(id)!.firstAt - load.accepted.get(id)!));
  console.log(`# pg_ctl stop -m immediate for ${OUTAGE_MS} ms: refused ${JSON.stringify(refused)}; slowest answer ${load.slowestAnswerMs()} ms; longest accept-to-reply of a message caught in it ${longest} ms; lost 0, doubled 0`);
});
