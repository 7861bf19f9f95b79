import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { spawnWorkerProcess } from '../support/worker-process.js';

let stack: TestStack;

before(async () => {
  // The API and servers run here; the worker runs in a child process that the test can kill -9.
  stack = await startTestStack({ runWorker: false });
});
after(async () => {
  await stack?.stop();
});

function startWorkerProcess(): ChildProcess {
  return spawnWorkerProcess(stack, { CATY_METRICS_PORT: '0' }, [], process.env.CATY_TEST_LOG ? 'inherit' : 'ignore');
}

async function outboxCount(): Promise<number> {
  const row = await stack.db.selectFrom('sandbox_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

test('a worker killed mid-conversation loses no message and duplicates no reply', { timeout: 120_000 }, async () => {
  const { businessPhone } = await connectedWidget(stack.api);
  const customers = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
  const perCustomer = 15;
  let worker = startWorkerProcess();

  // Messages keep arriving while the worker is killed and replaced.
  const sending = (async () => {
    for (let i = 0; i < perCustomer; i++) {
      await Promise.all(
        customers.map((from) => stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text: `cat costa livrarea? (${i})`, id: `crash-${from}-${i}` })),
      );
      await new Promise((r) => setTimeout(r, 60));
    }
  })();

  await eventually(async () => (await outboxCount()) >= 8, 60_000, 'the first replies');
  const repliesBeforeKill = await outboxCount();
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));
  await sending;
  assert.ok(repliesBeforeKill < customers.length * perCustomer, 'the worker died with work left to do');

  worker = startWorkerProcess();
  try {
    const total = customers.length * perCustomer;
    await eventually(async () => (await outboxCount()) >= total, 90_000, `all ${total} replies`);
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await stack.db.selectFrom('sandbox_outbox').select(['to_phone', 'idempotency_key']).execute();
    assert.equal(rows.length, total, 'exactly one reply per message');
    assert.equal(new Set(rows.map((r) => r.idempotency_key)).size, total);
    for (const customer of customers) {
      const keys = rows.filter((r) => r.to_phone === customer).map((r) => r.idempotency_key).sort();
      const expected = Array.from({ length: perCustomer }, (_, i) => `reply:crash-${customer}-${i}`).sort();
      assert.deepEqual(keys, expected, `every message of ${customer} answered once`);
    }
    const inbound = await stack.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('direction', '=', 'inbound').executeTakeFirstOrThrow();
    assert.equal(Number(inbound.n), total, 'every inbound message stored once');
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
  }
});
