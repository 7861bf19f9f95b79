import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { startTemporalProductionServer, type TemporalProductionServer } from '../../worker/infra/temporal-production-server.js';
import { FAULTS_ADMIN_KEY, MessageLoad, OwnedPostgres, removeDir, scratchDir, serviceEnv, ServiceProcess, tallyReplies, warmUp } from '../support/faults.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { ApiClient } from '../support/stack.js';

/**
 * The production setup on one machine: the Temporal server with its PostgreSQL persistence (built
 * from the Go module proxy by scripts/build-temporal-server.sh, once), two API processes and two
 * conversation workers. One worker is SIGKILLed under load.
 */

let dir: string;
let postgres: OwnedPostgres;
let temporal: TemporalProductionServer;
let db: Kysely<Database>;
let apis: ServiceProcess[] = [];
let workers: ServiceProcess[] = [];

before(async () => {
  dir = await scratchDir('caty-faults-workers-');
  postgres = await OwnedPostgres.start(dir);
  temporal = await startTemporalProductionServer({
    pg: { host: '127.0.0.1', port: postgres.port, user: 'caty', password: 'caty' },
    dataDir: path.join(dir, 'temporal'),
    log: process.env.CATY_TEST_LOG ? (line) => process.stderr.write(`[temporal] ${line}\n`) : undefined,
  });
  const env = serviceEnv({ databaseUrl: postgres.url(), temporalAddress: temporal.address, dir });
  apis = [await ServiceProcess.start('api', env)];
  [apis[1], workers[0], workers[1]] = await Promise.all([ServiceProcess.start('api', env), ServiceProcess.start('worker', env), ServiceProcess.start('worker', env)]);
  db = createDatabase(postgres.url(), { maxConnections: 2 });
}, { timeout: 600_000 });

after(async () => {
  await Promise.all([...apis, ...workers].map((p) => p.stop()));
  await db?.destroy();
  await temporal?.stop();
  await postgres?.stop();
  await removeDir(dir);
});

test('one conversation worker of two SIGKILLed under load: nothing lost or doubled; its conversations answer again after the sticky timeout', { timeout: 180_000 }, async () => {
  const client = new ApiClient(apis[0]!.url!, FAULTS_ADMIN_KEY);
  const { businessPhone } = await connectedWidget(client);
  const customers = Array.from({ length: 16 }, () => uniquePhone());
  await warmUp(db, apis[0]!.url!, businessPhone, uniquePhone());
  const rate = 15;
  const load = new MessageLoad({ urls: apis.map((a) => a.url!), key: FAULTS_ADMIN_KEY, businessPhone, customers, prefix: 'wkill', total: rate * 8, rate });
  await new Promise((r) => setTimeout(r, 2500));
  const killedAt = Date.now();
  await workers[0]!.kill();
  await load.done;

  assert.deepEqual(load.refusals(), {}, 'the API never refused: a worker is not on its path');
  assert.equal(load.accepted.size, load.options.total);
  const tally = await tallyReplies(db, load.ids, 90_000);
  assert.deepEqual(tally.lost, [], 'no message lost');
  assert.deepEqual(tally.doubled, [], 'no message answered twice');
  assert.ok(workers[1]!.alive);

  // Per conversation: from the kill to its first reply to a message accepted after it.
  const resumed = customers.map((customer) => {
    const after = load.ids.filter((id, n) => customers[n % customers.length] === customer && load.accepted.get(id)! > killedAt);
    return Math.min(...after.map((id) => tally.replies.get(id)!.firstAt)) - killedAt;
  });
  const sorted = [...resumed].sort((a, b) => a - b);
  const longest = Math.max(...load.ids.filter((id) => load.accepted.get(id)! > killedAt - 5000).map((id) => tally.replies.get(id)!.firstAt - load.accepted.get(id)!));
  // Tasks its conversations had on the dead worker's sticky queue go to the shared queue after the
  // SDK's sticky schedule-to-start timeout (10 s): that, not a retry backoff, bounds the pause.
  assert.ok(sorted.at(-1)! < 30_000, `every conversation answered again within 30 s: ${sorted.at(-1)} ms`);
  console.log(
    `# one worker of two SIGKILLed: ${load.accepted.size} messages, lost 0, doubled 0; conversations answered again after the kill in ` +
      `p50 ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms (${sorted.join(', ')}); longest accept-to-reply ${longest} ms`,
  );
});
