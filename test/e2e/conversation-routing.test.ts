import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

describe('a customer message on a web-linked number', () => {
  test('is answered from the knowledge base and recorded both ways', async () => {
    const { widgetId, businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const sent = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'Buna ziua, cat costa livrarea?' });
    assert.equal(sent.status, 202);
    assert.match(sent.body.conversation_id, /^cnv_/);

    const replies = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length > 0 && out;
    });
    assert.equal(replies.length, 1);
    assert.equal(replies[0]!.text, 'Livrarea costă 15 lei, gratuită peste 200 lei.');
    assert.equal(replies[0]!.from, businessPhone);

    const messages = await eventually(async () => {
      const r = await stack.api.get(`/api/conversations/${sent.body.conversation_id}/messages`);
      return r.body.length === 2 && r.body;
    });
    assert.deepEqual(
      messages.map((m: { direction: string; author: string }) => [m.direction, m.author]),
      [
        ['inbound', 'customer'],
        ['outbound', 'ai'],
      ],
    );

    const list = await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`);
    assert.equal(list.status, 200);
    const conversation = list.body.conversations.find((c: { id: string }) => c.id === sent.body.conversation_id);
    assert.equal(conversation.customer_phone, customer);
    assert.equal(conversation.channel_type, 'web');
    assert.equal(conversation.mode, 'ai');
    assert.equal(conversation.message_count, 2);
    assert.equal(conversation.workflow_id, `conversation:${widgetId}:whatsapp:${customer}`);
  });

  test('an unknown question gets the polite fallback, not a random entry', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'Aveti pisici de vanzare?' });
    const [reply] = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length > 0 && out;
    });
    assert.match(reply!.text, /Îmi pare rău/);
  });

  test('the same provider message id delivered twice is processed once', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const message = { to: businessPhone, from: customer, text: 'cat dureaza livrarea?', id: 'wamid.DUPLICATE-1' };
    const first = await stack.api.post('/api/whatsapp/sandbox/messages', message);
    const second = await stack.api.post('/api/whatsapp/sandbox/messages', message);
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    await eventually(async () => (await outbox(stack.api, customer)).length > 0);
    // A later message proves the workflow has moved past both deliveries.
    await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'care este programul?' });
    const out = await eventually(async () => {
      const o = await outbox(stack.api, customer);
      return o.length >= 2 && o;
    });
    await conversationSettled(stack, first.body.conversation_id, { customerMessages: 2 });
    const final = await outbox(stack.api, customer);
    assert.equal(final.length, 2, JSON.stringify(final));
    assert.deepEqual(
      out.map((o) => o.text),
      ['Livrarea durează 1-3 zile lucrătoare.', 'Suntem deschiși luni-vineri, 9:00-18:00.'],
    );
    const messages = await stack.api.get(`/api/conversations/${first.body.conversation_id}/messages`);
    assert.equal(messages.body.filter((m: { direction: string }) => m.direction === 'inbound').length, 2);
  });
});

describe('channel types route messages differently', () => {
  test('notifications: the message is stored but never answered', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { channelType: 'notifications' });
    const customer = uniquePhone();
    const sent = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?' });
    await eventually(async () => {
      const r = await stack.api.get(`/api/conversations/${sent.body.conversation_id}/messages`);
      return r.body.length === 1;
    });
    await conversationSettled(stack, sent.body.conversation_id, { customerMessages: 1 });
    assert.deepEqual(await outbox(stack.api, customer), []);
  });

  test('qr_first: greets and asks who is writing first, records the QR source, then answers', async () => {
    const { widgetId, businessPhone } = await connectedWidget(stack.api, { channelType: 'qr_first' });
    const customer = uniquePhone();
    const first = await stack.api.post('/api/whatsapp/sandbox/messages', {
      to: businessPhone,
      from: customer,
      text: 'Buna! Am scanat codul (ref: flyer-mai)',
    });
    const [greeting] = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length > 0 && out;
    });
    assert.match(greeting!.text, /Caty/);
    assert.match(greeting!.text, /Magazin Test/);
    await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?' });
    const out = await eventually(async () => {
      const o = await outbox(stack.api, customer);
      return o.length >= 2 && o;
    });
    assert.equal(out[1]!.text, 'Livrarea costă 15 lei, gratuită peste 200 lei.');
    const list = await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`);
    const conversation = list.body.conversations.find((c: { id: string }) => c.id === first.body.conversation_id);
    assert.equal(conversation.source, 'flyer-mai');
  });

  test('a conversation ended in the Temporal UI starts again on the next message, and answers it', async () => {
    const { widgetId, businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const ask = (id: string) => stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?', id });
    assert.equal((await ask('wamid-ended-1')).status, 202);
    await eventually(async () => (await outbox(stack.api, customer)).length === 1, 30_000, 'the first reply');
    // This process started it, so its next message goes as a plain signal, which now finds no running conversation.
    const handle = stack.client.workflow.getHandle(whatsappConversationWorkflowId(widgetId, customer));
    const ended = (await handle.describe()).runId;
    await handle.terminate('ended by an operator');

    const again = await ask('wamid-ended-2');
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await eventually(async () => (await outbox(stack.api, customer)).length === 2, 30_000, 'the reply after the restart');
    const restarted = await handle.describe();
    assert.notEqual(restarted.runId, ended);
    assert.equal(restarted.status.name, 'RUNNING');
    const inbox = await stack.db.selectFrom('inbox').select(['status', 'attempts']).where('message_id', '=', 'wamid-ended-2').executeTakeFirstOrThrow();
    assert.deepEqual(inbox, { status: 'delivered', attempts: 1 }, 'delivered on its first hand-over');
  });
});
