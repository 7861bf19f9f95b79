import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CatyLanguage, CatyLeadScore, CatyMode } from '../../workflows/conversation/search-attributes.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
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
  // Mode, language and lead all changed in the first task: one upsert carries them.
  const perTask = await upsertsPerTask(workflow_id);
  assert.equal(perTask[0], 1, `upserts per task: ${JSON.stringify(perTask)}`);
  assert.ok(perTask.every((n) => n <= 1), `upserts per task: ${JSON.stringify(perTask)}`);

  // A takeover shows at once in the UI's filters; nothing else is upserted again unchanged.
  assert.equal((await stack.api.post(`/api/conversations/${conversation_id}/takeover`)).status, 202);
  await eventually(async () => (await handle.describe()).typedSearchAttributes.get(CatyMode) === 'human', 15_000, 'CatyMode = human');
  const after = await upsertsPerTask(workflow_id);
  assert.ok(after.every((n) => n <= 1), `upserts per task: ${JSON.stringify(after)}`);
  assert.equal(after.reduce((a, b) => a + b, 0), 2, `the first task's upsert and the takeover's: ${JSON.stringify(after)}`);
});
