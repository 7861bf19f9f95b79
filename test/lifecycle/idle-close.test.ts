import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

/**
 * A conversation's workflow completes after CATY_CONVERSATION_IDLE_CLOSE of silence, its state in
 * PostgreSQL, and the customer's next message starts a new run of the same workflow id from it.
 * Here with a short setting, on the run's dev server.
 */
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ env: { CATY_CONVERSATION_IDLE_CLOSE: '3s' } });
});
after(async () => {
  await stack?.stop();
});

test('after the idle setting of silence the run completes with its state saved; the next message resumes its mode and lead under the same workflow id', async () => {
  // No follow-up while the customer waits for a person: no timer holds the conversation open.
  const widget = await connectedWidget(stack.api, { widget: { handoff: { response_timeout: null } } });
  const customer = uniquePhone();
  const first = await customerSays(stack.api, widget.businessPhone, customer, 'Buna ziua, cat costa livrarea?');
  await customerSays(stack.api, widget.businessPhone, customer, 'Mă numesc Ion Popescu, email ion@example.com');
  await customerSays(stack.api, widget.businessPhone, customer, 'Vreau sa vorbesc cu un om');
  const before = await conversationSettled(stack, first.conversation_id, { customerMessages: 3 });
  assert.equal(before.mode, 'handoff_requested');
  assert.equal(before.lead?.email, 'ion@example.com');
  assert.equal(before.nextDeadline, null);

  const handle = stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer));
  const closedRun = (await handle.describe()).runId;
  // The run ends by itself: its result is the event waited on.
  await handle.result();
  assert.equal((await handle.describe()).status.name, 'COMPLETED');
  const row = await stack.db.selectFrom('conversations').select(['resume_state', 'closed_at', 'mode']).where('id', '=', first.conversation_id).executeTakeFirstOrThrow();
  assert.ok(row.closed_at);
  assert.equal(row.resume_state!.mode, 'handoff_requested');
  assert.equal((row.resume_state!.lead as { email: string }).email, 'ion@example.com');
  assert.match(String(row.resume_state!.summary), /handoff_requested/);

  await customerSays(stack.api, widget.businessPhone, customer, 'Mai sunt aici, astept');
  const after = await conversationSettled(stack, first.conversation_id, { customerMessages: 4 });
  const resumed = await handle.describe();
  assert.notEqual(resumed.runId, closedRun, 'a new run');
  assert.equal(after.mode, 'handoff_requested', 'still waiting for a person');
  assert.deepEqual(after.lead, before.lead);
  assert.equal(after.customerMessages, 4);
  assert.equal(after.greeted, before.greeted);
  // One conversation, its whole thread.
  const messages = (await stack.api.get(`/api/conversations/${first.conversation_id}/messages`)).body as { author: string; text: string }[];
  assert.deepEqual(messages.filter((m) => m.author === 'customer').map((m) => m.text), ['Buna ziua, cat costa livrarea?', 'Mă numesc Ion Popescu, email ion@example.com', 'Vreau sa vorbesc cu un om', 'Mai sunt aici, astept']);
});

test('a conversation a person holds stays open however long it is silent; it closes once Caty has it back', async () => {
  const widget = await connectedWidget(stack.api, { widget: { handoff: { auto_resume_after: null } } });
  const customer = uniquePhone();
  const first = await customerSays(stack.api, widget.businessPhone, customer, 'Buna ziua');
  await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
  assert.equal((await stack.api.post(`/api/conversations/${first.conversation_id}/takeover`, {})).status, 202);
  const handle = stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer));
  await eventually(async () => (await handle.query(stateQuery)).mode === 'human', 10_000, 'taken over');
  // A conversation that closes does so within its 3 s; this one is checked after a closing one of
  // its own age has closed (the event waited on), and three times the setting.
  const other = uniquePhone();
  const control = await customerSays(stack.api, widget.businessPhone, other, 'Salut');
  await conversationSettled(stack, control.conversation_id, { customerMessages: 1 });
  await stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, other)).result();
  assert.equal((await handle.describe()).status.name, 'RUNNING');
  assert.equal((await handle.query(stateQuery)).mode, 'human');

  assert.equal((await stack.api.post(`/api/conversations/${first.conversation_id}/resume`, {})).status, 202);
  await handle.result();
  const row = await stack.db.selectFrom('conversations').select('resume_state').where('id', '=', first.conversation_id).executeTakeFirstOrThrow();
  assert.equal(row.resume_state!.mode, 'ai');
});

test("a web visitor's closed conversation takes a person's message from the API: it starts again and delivers it", async () => {
  const shop = 'https://shop.example';
  const widget = await stack.api.post('/api/widgets', { name: 'Web shop', allowed_origins: [shop] });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  const publicCall = (path: string, body: unknown, token?: string) =>
    stack.api.withKey('').request('POST', path, body, { origin: shop, ...(token ? { authorization: `Bearer ${token}` } : {}) });
  const visitor = (await publicCall(`/public/widgets/${widget.body.id}/sessions`, undefined)).body as { session_id: string; token: string };
  const sent = await publicCall(`/public/widgets/${widget.body.id}/messages`, { text: 'Buna, aveti livrare?', id: 'w-1' }, visitor.token);
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  await conversationSettled(stack, sent.body.conversation_id, { customerMessages: 1 });
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', sent.body.conversation_id).executeTakeFirstOrThrow();
  const handle = stack.client.workflow.getHandle(row.workflow_id);
  await handle.result();

  const agent = await stack.api.post(`/api/conversations/${sent.body.conversation_id}/messages`, { text: 'Da, livram in toata tara' });
  assert.equal(agent.status, 202, JSON.stringify(agent.body));
  await eventually(async () => {
    const messages = (await stack.api.get(`/api/conversations/${sent.body.conversation_id}/messages`)).body as { author: string; text: string }[];
    return messages.some((m) => m.author === 'agent' && m.text === 'Da, livram in toata tara');
  }, 15_000, "the person's message in the thread");
  assert.equal((await handle.query(stateQuery)).customerMessages, 1, 'the resumed run knows the earlier message');
});

test('a takeover that comes with the message reopening a closed conversation holds: Caty stays silent and the workflow agrees with the database', async () => {
  const widget = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const first = await customerSays(stack.api, widget.businessPhone, customer, 'Buna ziua, cat costa livrarea?');
  await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
  const handle = stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer));
  const closedRun = (await handle.describe()).runId;
  await handle.result();
  const repliesBefore = (await stack.db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', customer).execute()).length;

  // The reopening message and the takeover wait for the worker: the new run's first task sees both.
  await stack.stopWorker();
  await customerSays(stack.api, widget.businessPhone, customer, 'Mai am o intrebare');
  await eventually(async () => (await handle.describe()).runId !== closedRun, 10_000, 'the new run');
  const takeover = await stack.api.post(`/api/conversations/${first.conversation_id}/takeover`);
  assert.ok(takeover.status < 300, JSON.stringify(takeover.body));
  await stack.startWorker();

  const state = await conversationSettled(stack, first.conversation_id, { customerMessages: 2 });
  assert.equal(state.mode, 'human', 'the saved mode of the closed run does not undo the takeover');
  const row = await stack.db.selectFrom('conversations').select('mode').where('id', '=', first.conversation_id).executeTakeFirstOrThrow();
  assert.equal(row.mode, 'human');
  assert.equal((await stack.db.selectFrom('sandbox_outbox').select('id').where('to_phone', '=', customer).execute()).length, repliesBefore, 'no reply after the takeover');
});
