import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

async function say(businessPhone: string, from: string, text: string) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { message_id: string; conversation_id: string };
}

test('a running conversation follows its number to another channel type and another channel', async () => {
  const { businessPhone, widgetId, channelId } = await connectedWidget(stack.api, { channelType: 'web' });
  const customer = uniquePhone();
  const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
  await eventually(async () => (await outbox(stack.api, customer)).length === 1);
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversation_id).executeTakeFirstOrThrow();
  const handle = stack.client.workflow.getHandle(row.workflow_id);
  const { runId } = await handle.describe();

  // Outbound-only from now on: the same running conversation stops answering.
  const relinked = await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'notifications', phone: businessPhone });
  assert.equal(relinked.status, 201, JSON.stringify(relinked.body));
  assert.equal(relinked.body.deep_link, `https://wa.me/${businessPhone.slice(1)}?text=ref%3Aqr`, 'the chat link its QR encodes');
  await say(businessPhone, customer, 'cat dureaza livrarea?');
  await conversationSettled(stack, conversation_id, { customerMessages: 2 });
  assert.equal((await outbox(stack.api, customer)).length, 1, 'no answer on a notifications number');

  // The number moves to a new channel (logged out, scanned again) and answers again from there.
  assert.equal((await stack.api.request('DELETE', `/api/whatsapp/channels/${channelId}`)).status, 200);
  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  assert.equal((await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: businessPhone })).status, 200);
  assert.equal((await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: businessPhone })).status, 201);
  await say(businessPhone, customer, 'care este programul?');
  await eventually(async () => (await outbox(stack.api, customer)).length === 2, 10_000, 'answered again');
  const sent = await stack.db.selectFrom('sandbox_outbox').select('channel_id').where('to_phone', '=', customer).orderBy('sent_at', 'asc').execute();
  assert.deepEqual(sent.map((s) => s.channel_id), [channelId, channel.body.id]);
  assert.equal((await handle.describe()).runId, runId, 'the same run throughout');
  assert.equal((await handle.query(stateQuery)).customerMessages, 3, 'one conversation throughout');
});

test("a widget's send goes out from a number still in use, not from the oldest link whose channel was removed", async () => {
  const { widgetId, channelId: first } = await connectedWidget(stack.api);
  // A second number for the same widget; then the first one's channel is removed.
  const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
  const secondPhone = uniquePhone();
  assert.equal((await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: secondPhone })).status, 200);
  assert.equal((await stack.api.post('/api/whatsapp/links', { widget_id: widgetId, whatsapp_channel: 'web', phone: secondPhone })).status, 201);
  assert.equal((await stack.api.request('DELETE', `/api/whatsapp/channels/${first}`)).status, 200);

  const customer = uniquePhone();
  const sent = await stack.api.post('/api/whatsapp/send', { widget_id: widgetId, to: customer, message: 'Comanda dumneavoastra a plecat.' });
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  const delivered = await eventually(async () => (await outbox(stack.api, customer)).find((m) => m.text === 'Comanda dumneavoastra a plecat.'), 10_000, 'the send');
  assert.equal(delivered.from, secondPhone);
});
