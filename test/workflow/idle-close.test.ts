import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { startTestStack, type TestStack } from '../support/stack.js';

/** The default idle close (7 days) at its real length, on Temporal's time-skipping test server. */
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ timeSkipping: true });
});
after(async () => {
  await stack?.stop();
});

test('a silent conversation runs for 7 days, then completes; its next message continues it with its language and lead', async () => {
  assert.equal(stack.config.CATY_CONVERSATION_IDLE_CLOSE, 7 * 86_400_000);
  const widget = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const first = await customerSays(stack.api, widget.businessPhone, customer, 'Hello, my name is Ana Pop, my email is ana@example.com');
  const before = await conversationSettled(stack, first.conversation_id, { customerMessages: 1 });
  assert.equal(before.lead?.email, 'ana@example.com');
  const handle = stack.client.workflow.getHandle(whatsappConversationWorkflowId(widget.widgetId, customer));

  await stack.skipTime('6d');
  assert.equal((await handle.describe()).status.name, 'RUNNING', 'six days of silence: still open');
  await stack.skipTime('25h');
  await handle.result();
  assert.equal((await handle.describe()).status.name, 'COMPLETED');

  await customerSays(stack.api, widget.businessPhone, customer, 'How much is shipping?');
  const after = await conversationSettled(stack, first.conversation_id, { customerMessages: 2 });
  assert.equal(after.mode, 'ai');
  assert.equal(after.language, before.language);
  // The lead goes on from what it knew: the new question adds the interest to the name and email.
  assert.equal(after.lead?.name, 'Ana Pop');
  assert.equal(after.lead?.email, 'ana@example.com');
  assert.equal(after.lead?.interest, 'How much is shipping?');
  assert.equal((await handle.describe()).status.name, 'RUNNING');
  assert.equal((await handle.query(stateQuery)).customerMessages, 2);
});
