import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inboundSignal, stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

// A send gives up after 2 s here (a day in production), so a failure is seen within the test.
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ env: { CATY_SEND_TIMEOUT_MS: '2000' } });
});
after(async () => {
  await stack?.stop();
});

async function say(businessPhone: string, from: string, text: string) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { message_id: string; conversation_id: string };
}

async function workflowOf(conversationId: string) {
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return stack.client.workflow.getHandle(row.workflow_id);
}

const messages = async (conversationId: string) => (await stack.api.get(`/api/conversations/${conversationId}/messages`)).body as { text: string; author: string; status: string; error?: string }[];

test('a send that cannot go out is recorded as failed, and the conversation goes on', async () => {
  const consumer = await WebhookConsumer.start();
  try {
    const { businessPhone, widgetId, channelId } = await connectedWidget(stack.api);
    await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: consumer.url, events: ['whatsapp.message.failed'] });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await outbox(stack.api, customer)).length === 1);
    const { runId } = await (await workflowOf(conversation_id)).describe();

    // The phone goes offline (the sandbox's stand-in: its channel row says so): nothing reaches the customer.
    const setStatus = (status: 'connected' | 'disconnected') => stack.db.updateTable('channels').set({ status }).where('id', '=', channelId).execute();
    await setStatus('disconnected');
    const sent = await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Comanda dumneavoastră a plecat.' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));

    const failed = await eventually(async () => (await messages(conversation_id)).find((m) => m.status === 'failed'), 20_000, 'the send recorded as failed');
    assert.equal(failed.text, 'Comanda dumneavoastră a plecat.');
    assert.equal(failed.author, 'agent');
    assert.match(failed.error!, /timeout|session/i);
    const event = await eventually(async () => consumer.requests.find((r) => JSON.parse(r.rawBody).event === 'whatsapp.message.failed'), 20_000, 'the webhook');
    assert.equal(JSON.parse(event.rawBody).data.text, 'Comanda dumneavoastră a plecat.');
    const recorded = await stack.db.selectFrom('conversation_events').select('kind').where('conversation_id', '=', conversation_id).where('kind', '=', 'message.failed').execute();
    assert.equal(recorded.length, 1);

    // The same run goes on: a takeover is recorded, and once the number is back, messages go out.
    const handle = await workflowOf(conversation_id);
    assert.equal((await stack.api.post(`/api/conversations/${conversation_id}/takeover`)).status, 202);
    await eventually(async () => (await handle.query(stateQuery)).mode === 'human' && (await handle.query(stateQuery)).pending === 0);
    await setStatus('connected');
    await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Ne-am întors!' });
    await eventually(async () => (await outbox(stack.api, customer)).some((m) => m.text === 'Ne-am întors!'), 20_000, 'a send after the failure');

    // A removed channel never comes back: its send fails at once, without waiting out the timeout.
    assert.equal((await stack.api.request('DELETE', `/api/whatsapp/channels/${channelId}`)).status, 200);
    await stack.api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Mai e cineva?' });
    const removed = await eventually(async () => (await messages(conversation_id)).find((m) => m.text === 'Mai e cineva?' && m.status === 'failed'), 20_000, 'the send on a removed channel');
    assert.match(removed.error!, /removed/);
    const description = await handle.describe();
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(description.runId, runId, 'the conversation never failed or restarted');
  } finally {
    await consumer.stop();
  }
});

test('a message whose handling can never succeed is marked failed and skipped; the next one is answered', async () => {
  const { businessPhone } = await connectedWidget(stack.api);
  const customer = uniquePhone();
  const first = await say(businessPhone, customer, 'cat costa livrarea?');
  await eventually(async () => (await outbox(stack.api, customer)).length === 1);
  const handle = await workflowOf(first.conversation_id);
  await stack.api.post(`/api/conversations/${first.conversation_id}/takeover`);
  await stack.api.post(`/api/conversations/${first.conversation_id}/resume`);

  // A malformed signal (a gateway bug, say): its time is not a time, so storing it can never succeed.
  await handle.signal(inboundSignal, { id: 'wamid-poison', text: 'cat dureaza livrarea?', fromMe: false, at: 'not a time' });
  const failed = await eventually(async () => (await messages(first.conversation_id)).find((m) => m.status === 'failed'), 20_000, 'the message marked failed');
  assert.equal(failed.text, 'cat dureaza livrarea?');
  assert.equal(failed.author, 'customer');
  assert.match(failed.error!, /time|date/i);
  const skipped = await stack.db.selectFrom('conversation_events').select('reason').where('conversation_id', '=', first.conversation_id).where('kind', '=', 'work.failed').execute();
  assert.equal(skipped.length, 1);

  // The next message is answered, in the same run, with what the conversation knew before.
  await say(businessPhone, customer, 'care este programul?');
  await eventually(async () => (await outbox(stack.api, customer)).some((m) => m.text === 'Suntem deschiși luni-vineri, 9:00-18:00.'), 20_000, 'the next message answered');
  const state = await handle.query(stateQuery);
  assert.equal(state.mode, 'ai');
  assert.equal(state.customerMessages, 2, 'the skipped message is not counted; the others are');
  assert.equal((await handle.describe()).status.name, 'RUNNING');
});
