import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeFigures, FaultRig, killOneWorker } from '../support/fault-scenarios.js';

/**
 * The production setup on one machine: the Temporal server with its PostgreSQL persistence (built
 * from the Go module proxy by scripts/build-temporal-server.sh, once), two API processes and two
 * conversation workers. One worker is SIGKILLed under load.
 */
let rig: FaultRig;
before(async () => {
  // A killed worker's conversations resume after the sticky-queue timeout: 2 s here, 10 s by default
  // (`npm run bench:faults` measures that).
  rig = await FaultRig.start({ temporal: 'production', apis: 2, workers: 2, env: { CATY_STICKY_QUEUE_TIMEOUT_MS: '2000' } });
}, { timeout: 600_000 });
after(async () => {
  await rig?.stop();
});

test('one conversation worker of two SIGKILLed under load: nothing lost or doubled; its conversations answer again after the sticky-queue timeout', { timeout: 180_000 }, async () => {
  const f = await killOneWorker(rig, { rate: 15, customers: 12, seconds: 4 });
  console.log(describeFigures(f).map((l) => `# ${l}`).join('\n'));
  assert.deepEqual(f.refused, {}, 'the API never refused: a worker is not on its path');
  assert.equal(f.accepted, f.offered);
  assert.deepEqual(f.lost, [], 'no message lost');
  assert.deepEqual(f.doubled, [], 'no message answered twice');
  assert.ok(rig.workers.filter((w) => w !== f.killed).every((w) => w.alive), 'the other worker carried on');
  // Its conversations' tasks waiting on its sticky queue move to the shared queue after the
  // sticky-queue timeout; one it had started times out after the workflow task timeout (10 s).
  // Those, not a retry backoff, bound the pause.
  assert.ok(f.resumedMs.some((ms) => ms > 1000), `some conversations were the dead worker's: ${f.resumedMs.join(', ')}`);
  assert.ok(f.resumedMs.at(-1)! < 20_000, `every conversation answered again within 20 s: ${f.resumedMs.join(', ')} ms`);
});
