import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { crashEverything, describeFigures, FaultRig, killTemporal, stopPostgres } from '../support/fault-scenarios.js';

// The service's API and worker processes on a PostgreSQL and a Temporal dev server they do not own,
// which these tests kill. Small and short here; `npm run bench:faults` runs the same faults larger
// and longer (10 s away, the default sticky-queue timeout).
const OUTAGE_MS = 3000;

let rig: FaultRig;
before(async () => {
  // A killed worker's conversations resume after this; the default (10 s) would only make the tests wait.
  rig = await FaultRig.start({ temporal: 'dev', env: { CATY_STICKY_QUEUE_TIMEOUT_MS: '2000' } });
});
after(async () => {
  await rig?.stop();
});

test('PostgreSQL, the API and the worker SIGKILLed mid-burst: delivered again, every message is answered exactly once', { timeout: 120_000 }, async () => {
  // 60 messages offered at once, so that many conversations are committing when the crash comes:
  // with synchronous_commit=off this lost messages in 2 runs of 3.
  const f = await crashEverything(rig, { total: 60, customers: 20, killAfterReplies: 15 });
  console.log(describeFigures(f).map((l) => `# ${l}`).join('\n'));
  assert.ok(f.answeredBeforeCrash < f.acceptedBeforeCrash, `the crash caught accepted messages not yet answered (${f.answeredBeforeCrash} of ${f.acceptedBeforeCrash})`);
  assert.equal(f.accepted, f.offered, 'every message accepted when delivered again');
  assert.deepEqual(f.lost, [], 'no message lost');
  assert.deepEqual(f.doubled, [], 'no message answered or stored twice');
  // The property this rests on, checked directly too: a crash loses no commit the server acknowledged.
  const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(rig.db);
  assert.equal(rows[0]!.synchronous_commit, 'on');
});

test(`PostgreSQL stopped (pg_ctl -m immediate) under load for ${OUTAGE_MS / 1000} s: 503 with Retry-After meanwhile, /readyz says so, nothing lost or doubled`, { timeout: 120_000 }, async () => {
  const f = await stopPostgres(rig, { rate: 10, customers: 8, outageMs: OUTAGE_MS });
  console.log(describeFigures(f).map((l) => `# ${l}`).join('\n'));
  assert.deepEqual(Object.keys(f.refused), ['503 with Retry-After'], `only 503 with Retry-After, never 500 nor a hang: ${JSON.stringify(f.refused)}`);
  assert.ok(f.slowestAnswerMs < 15_000, `no request hung: ${f.slowestAnswerMs} ms`);
  assert.ok(f.readyDuring.some((r) => r.status === 503 && r.database.startsWith('failing')), `/readyz said the database was away: ${JSON.stringify(f.readyDuring.slice(0, 3))}`);
  assert.equal(f.accepted, f.offered, 'every message accepted in the end');
  assert.ok(rig.processes.every((p) => p.alive), 'the processes rode through it');
  assert.deepEqual(f.lost, [], 'no message lost');
  assert.deepEqual(f.doubled, [], 'no message answered twice');
});

test(`Temporal SIGKILLed under load and back ${OUTAGE_MS / 1000} s later: messages are stored meanwhile and answered after; what needs Temporal answers 202 or 503; nothing lost or doubled`, { timeout: 120_000 }, async () => {
  const f = await killTemporal(rig, { rate: 10, customers: 8, outageMs: OUTAGE_MS });
  console.log(describeFigures(f).map((l) => `# ${l}`).join('\n'));
  // The inbox takes every message while Temporal is away (a 202 within the inline wait).
  assert.deepEqual(f.refused, {}, `inbound never refused: ${JSON.stringify(f.refused)}`);
  assert.equal(f.accepted, f.offered);
  // A takeover is a signal: done once Temporal is back within the client's retries, else 503 with Retry-After; never a 500 or a hang.
  assert.ok(f.takeover.status === 202 || (f.takeover.status === 503 && f.takeover.retryAfter), JSON.stringify(f.takeover));
  assert.ok(f.takeover.ms < 15_000, `answered in ${f.takeover.ms} ms`);
  assert.equal(f.readyDuring.status, 503);
  assert.match(f.readyDuring.checks.temporal!, /^failing/);
  assert.equal(f.readyDuring.checks.database, 'ok');
  assert.ok(rig.processes.every((p) => p.alive), 'the API and the worker rode through it');
  assert.deepEqual(f.lost, [], 'no message lost');
  assert.deepEqual(f.doubled, [], 'no message answered twice');
});
