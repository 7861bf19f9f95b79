import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import proto from '@temporalio/proto';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

const HISTORY_THRESHOLD = 200;
let stack: TestStack;

before(async () => {
  // Ask the server to suggest continue-as-new far earlier than its production default (4 Ki events).
  stack = await startTestStack({ temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': HISTORY_THRESHOLD } });
});
after(async () => {
  await stack?.stop();
});

test('a 1,500-message conversation continues as new and stays correct', { timeout: 300_000 }, async () => {
  const { businessPhone } = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const total = 1500;
  let conversationId = '';
  let workflowId = '';
  const queue = Array.from({ length: total }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat dureaza livrarea?', id: `can-${i}` });
        assert.equal(r.status, 202);
        conversationId = r.body.conversation_id;
      }
    }),
  );
  // Redelivering a few ids (a reconnecting socket replays recent messages) must not add replies,
  // even after their first delivery went to an earlier run.
  for (const i of [0, 1, 2, 750, 1499]) {
    await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat dureaza livrarea?', id: `can-${i}` });
  }

  const count = async () =>
    Number(
      (await stack.db.selectFrom('sandbox_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('to_phone', '=', customer).executeTakeFirstOrThrow()).n,
    );
  await eventually(async () => (await count()) >= total, 240_000, `${total} replies`);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await count(), total, 'one reply per message, none twice');

  const conversation = await stack.db.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirstOrThrow();
  workflowId = conversation.workflow_id;
  assert.equal(conversation.message_count, total * 2);

  const handle = stack.client.workflow.getHandle(workflowId);
  const state = await handle.query(stateQuery);
  assert.equal(state.customerMessages, total, `the message count survived every continue-as-new: ${JSON.stringify(state)}`);
  assert.equal(state.pending, 0);

  // Many runs, each well under the history limit.
  const runs: number[] = [];
  const forceClosed: string[] = [];
  for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push(execution.historyLength);
    const history = await stack.client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    for (const event of history.events ?? []) {
      if (event.workflowTaskFailedEventAttributes?.cause === proto.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND) {
        forceClosed.push(`${execution.runId}#${event.eventId}`);
      }
    }
  }
  // A burst into one chat is delivered in a few batched signals, so no workflow task ever sees
  // more than the server's limit of buffered signals (it would discard the task and its work).
  assert.deepEqual(forceClosed, [], 'no workflow task force-closed by buffered signals');
  assert.ok(runs.length >= 5, `continued as new several times (runs: ${runs.length})`);
  // Under this test's flood (hundreds of signals a second) a continue-as-new is refused while new
  // signals keep arriving, so a run can overshoot the suggestion; it must stay far from
  // Temporal's hard limit of 51,200 events.
  assert.ok(Math.max(...runs) < 10_000, `every run stayed far below the history limit (largest: ${Math.max(...runs)} events)`);
});
