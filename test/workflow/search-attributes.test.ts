import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { conversationIdFor } from '../../inbound/conversation.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { CatyLanguage, CatyLeadScore, CatyMode } from '../../workflows/conversation/search-attributes.js';
import type { ConversationInput } from '../../workflows/conversation/state.js';
import { connectedWidget, conversationSettled, customerSays, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;

before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

/** Upserts of search attributes in each workflow task of a history, in order. */
async function upsertsPerTask(workflowId: string): Promise<number[]> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const perTask: number[] = [];
  for (const event of history.events ?? []) {
    if (event.workflowTaskCompletedEventAttributes) perTask.push(0);
    else if (event.upsertWorkflowSearchAttributesEventAttributes) perTask[perTask.length - 1]! += 1;
  }
  return perTask;
}

test('the Temporal UI shows a conversation’s mode, language and lead, with one upsert per workflow task at most', async () => {
  const { businessPhone } = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const { conversation_id } = await customerSays(stack.api, businessPhone, customer, 'Hello, my name is Ana Popescu and my email is ana@example.com. How much is shipping?');
  await conversationSettled(stack, conversation_id, { customerMessages: 1 });
  const { workflow_id, language } = await stack.db.selectFrom('conversations').select(['workflow_id', 'language']).where('id', '=', conversation_id).executeTakeFirstOrThrow();
  const handle = stack.client.workflow.getHandle(workflow_id);

  const shown = (await handle.describe()).typedSearchAttributes;
  assert.equal(shown.get(CatyMode), 'ai');
  assert.equal(shown.get(CatyLanguage), language, 'the language the conversation recorded');
  const score = shown.get(CatyLeadScore);
  assert.ok(score !== undefined && score > 0, `a lead score once a name and an email were given: ${score}`);
  // Mode, language and lead all changed with the first message: one upsert carries them, when
  // its work is done. (Usually that is the first task; a query answered while that task's local
  // activities run, as conversationSettled's can be, makes the SDK end it early and go on in a
  // new one: with the CPU saturated, 0 to 3 first messages in 25 settled by query, none in 50
  // settled without one.)
  const perTask = await upsertsPerTask(workflow_id);
  assert.equal(perTask.reduce((a, b) => a + b, 0), 1, `upserts per task: ${JSON.stringify(perTask)}`);
  assert.ok(perTask.every((n) => n <= 1), `upserts per task: ${JSON.stringify(perTask)}`);

  // A takeover shows at once in the UI's filters; nothing else is upserted again unchanged.
  assert.equal((await stack.api.post(`/api/conversations/${conversation_id}/takeover`)).status, 202);
  await eventually(async () => (await handle.describe()).typedSearchAttributes.get(CatyMode) === 'human', 15_000, 'CatyMode = human');
  const after = await upsertsPerTask(workflow_id);
  assert.ok(after.every((n) => n <= 1), `upserts per task: ${JSON.stringify(after)}`);
  assert.equal(after.reduce((a, b) => a + b, 0), 2, `the first task's upsert and the takeover's: ${JSON.stringify(after)}`);

  // The UI's filters are visibility queries: the server must know every attribute by name (the
  // dev server keeps them cached, not re-read on every request) and find the conversation by them.
  const { widget_id, channel_type } = await stack.db.selectFrom('links').select(['widget_id', 'channel_type']).where('phone', '=', businessPhone).executeTakeFirstOrThrow();
  const query = `CatyWidgetId = '${widget_id}' AND CatyCustomerPhone = '${customer}' AND CatyChannelType = '${channel_type}' AND CatyMode = 'human' AND CatyLanguage = '${language}' AND CatyLeadScore = ${score}`;
  await eventually(
    async () => {
      const found: string[] = [];
      for await (const execution of stack.client.workflow.list({ query })) found.push(execution.workflowId);
      return found.length === 1 && found[0] === workflow_id;
    },
    15_000,
    `the conversation listed by ${query}`,
  );
});

test('a conversation started before conversationWorkflowV2 goes on as the type it started with', async () => {
  const { widgetId, channelId, businessPhone } = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const { account_id, channel_type } = await stack.db.selectFrom('links').select(['account_id', 'channel_type']).where('phone', '=', businessPhone).executeTakeFirstOrThrow();
  // Started by the release before: the old type, with the input the inbound pipeline gives it.
  const workflowId = whatsappConversationWorkflowId(widgetId, customer);
  const input: ConversationInput = {
    conversationId: conversationIdFor(workflowId),
    accountId: account_id,
    widgetId,
    kind: 'whatsapp',
    customer,
    channelId,
    provider: 'sandbox',
    businessPhone,
    channelType: channel_type,
  };
  await stack.client.workflow.start('conversationWorkflow', { workflowId, taskQueue: stack.config.TEMPORAL_TASK_QUEUE, args: [input] });

  // This release signals it with start as V2: the running conversation takes the message and answers.
  const { conversation_id } = await customerSays(stack.api, businessPhone, customer, 'How much is shipping?');
  assert.equal(conversation_id, input.conversationId);
  await conversationSettled(stack, conversation_id, { customerMessages: 1 });
  assert.equal((await outbox(stack.api, customer)).length, 1, 'one answer');
  const described = await stack.client.workflow.getHandle(workflowId).describe();
  assert.equal(described.type, 'conversationWorkflow');
  // The old type publishes as it always did: one upsert per attribute, patch markers included.
  assert.ok((await upsertsPerTask(workflowId)).some((n) => n > 1), 'the old type\'s upserts, unchanged');
});
