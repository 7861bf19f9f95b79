import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { emitEvent } from '../../activities/webhooks/emit-event.js';
import { newId } from '../../db/ids.js';
import { webhookDeliveryWorkflowId } from '../../workflows/webhooks/signals.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

let stack: TestStack;
let sink: WebhookConsumer;
before(async () => {
  // Continue-as-new is suggested after 60 history events instead of thousands.
  stack = await startTestStack({ temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 60 } });
  sink = await WebhookConsumer.start();
});
after(async () => {
  await sink?.stop();
  await stack?.stop();
});

test('a delivery queue continues as new and still delivers every event once, in order', { timeout: 45_000 }, async () => {
  const widgetId = (await stack.api.post('/api/widgets', { name: 'Busy' })).body.id;
  const hook = (await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: sink.url })).body;
  const conversationId = `cnv_${newId('t')}`;
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = newId('evt');
    ids.push(id);
    await emitEvent({ db: stack.db, client: stack.client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }, { id, widgetId, event: 'whatsapp.message.received', data: { i }, conversationId });
  }
  await eventually(async () => sink.accepted().length >= 40, 30_000, 'forty deliveries');
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(sink.accepted(), ids);
  const description = await stack.client.workflow.getHandle(webhookDeliveryWorkflowId(hook.id, conversationId)).describe();
  const firstRunId = description.raw.workflowExecutionInfo?.firstRunId;
  assert.ok(firstRunId, 'the server reports the first run');
  assert.notEqual(description.runId, firstRunId, 'the queue continued as new at least once');
});
