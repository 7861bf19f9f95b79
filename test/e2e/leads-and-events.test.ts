import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

let stack: TestStack;
const consumers: WebhookConsumer[] = [];
before(async () => {
  stack = await startTestStack({ env: { CATY_WEBHOOK_TIMEOUT_MS: '3000' } });
});
after(async () => {
  for (const consumer of consumers) await consumer.stop();
  await stack?.stop();
});

const texts = async (phone: string) => (await outbox(stack.api, phone)).map((m) => m.text);

async function say(to: string, from: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to, from, text, ...extra });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { message_id: string; conversation_id: string };
}

async function leadAlertWidget() {
  const admin = uniquePhone();
  const setup = await connectedWidget(stack.api);
  const patched = await stack.api.patch(`/api/widgets/${setup.widgetId}`, {
    notifications: { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: admin },
  });
  assert.equal(patched.status, 200);
  return { ...setup, admin };
}

describe('leads', () => {
  test('a captured lead alerts the business in the seed layout, once, even across a worker restart', async () => {
    const { businessPhone, admin, widgetId } = await leadAlertWidget();
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'Buna ziua, cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 1);
    await say(businessPhone, customer, 'Mă numesc Ion Popescu, email ion@example.com');
    // The worker goes down right as the lead is captured; the alert must still go out exactly once.
    await new Promise((r) => setTimeout(r, 150));
    await stack.stopWorker();
    await stack.startWorker();
    const [alert] = await eventually(async () => {
      const t = await texts(admin);
      return t.length >= 1 && t;
    }, 30_000, 'the lead alert');
    const lines = alert!.split('\n');
    assert.equal(lines[0], 'New Lead Captured!');
    assert.equal(lines[1], '━'.repeat(17));
    assert.equal(lines[2], 'Name: Ion Popescu');
    assert.equal(lines[3], `Phone: ${customer}`);
    assert.equal(lines[4], 'Email: ion@example.com');
    assert.equal(lines[5], 'Interest: Cat costa livrarea?');
    assert.match(lines[6]!, /^Score: [1-5]\/5$/);
    assert.equal(lines[7], '━'.repeat(17));
    assert.equal(lines[8], 'Reply CALL to schedule');
    assert.equal(lines.length, 9);

    // A message that changes nothing about the lead alerts nobody.
    await say(businessPhone, customer, 'care este programul?');
    await eventually(async () => (await texts(customer)).length >= 3);
    await conversationSettled(stack, conversation_id, { customerMessages: 3 });
    assert.equal((await texts(admin)).length, 1, 'one alert, never a duplicate');

    const list = await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`);
    const conversation = list.body.conversations.find((c: { id: string }) => c.id === conversation_id);
    assert.equal(conversation.lead.name, 'Ion Popescu');
    assert.equal(conversation.lead.email, 'ion@example.com');
    assert.equal(conversation.lead.status, 'new');
  });

  test('CALL from the alert phone schedules the call, tells the customer and confirms to the admin', async () => {
    const { businessPhone, admin, widgetId } = await leadAlertWidget();
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'My name is Jane Doe, how much is shipping?');
    await eventually(async () => (await texts(admin)).length === 1, 15_000, 'the lead alert');
    await say(businessPhone, admin, 'CALL');
    await eventually(async () => (await texts(customer)).some((t) => /colleague will call|coleg vă va suna/.test(t)), 15_000, 'the customer is told');
    await eventually(async () => (await texts(admin)).length === 2);
    assert.match((await texts(admin))[1]!, /Jane Doe/);
    const list = await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`);
    const conversation = list.body.conversations.find((c: { id: string }) => c.id === conversation_id);
    assert.equal(conversation.lead.status, 'call_scheduled');
    // The admin's CALL is not a conversation of its own.
    assert.equal(list.body.conversations.filter((c: { customer_phone: string }) => c.customer_phone === admin).length, 0);
  });
});

describe('conversation events reach webhooks', () => {
  test('received, sent, taken over and lead captured, signed, with the contract fields', async () => {
    const hook = await WebhookConsumer.start();
    consumers.push(hook);
    const { businessPhone, widgetId } = await connectedWidget(stack.api);
    const created = await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: hook.url });
    assert.equal(created.status, 201);
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'Hello, my name is Ana Pop');
    await eventually(async () => (await texts(customer)).length === 1);
    await stack.api.post(`/api/conversations/${conversation_id}/takeover`);
    const parsed = () => hook.requests.map((r) => ({ headers: r.headers, body: JSON.parse(r.rawBody) }));
    const events = await eventually(async () => {
      const all = parsed();
      const names = all.map((r) => r.body.event as string);
      return ['whatsapp.message.received', 'whatsapp.message.sent', 'conversation.taken_over', 'lead.captured'].every((n) => names.includes(n)) && all;
    }, 20_000, 'all four events');
    const received = events.find((r) => r.body.event === 'whatsapp.message.received')!;
    assert.equal(received.body.widget_id, widgetId);
    assert.match(received.body.id, /^evt_/);
    assert.equal(received.headers['x-caty-delivery'], received.body.id);
    assert.equal(received.headers['x-caty-event'], 'whatsapp.message.received');
    assert.match(received.headers['x-caty-signature'] as string, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.deepEqual(
      { from: received.body.data.from, text: received.body.data.text, conversation_id: received.body.data.conversation_id },
      { from: customer, text: 'Hello, my name is Ana Pop', conversation_id },
    );
    assert.ok(!Number.isNaN(Date.parse(received.body.data.timestamp)));
    const sent = events.find((r) => r.body.event === 'whatsapp.message.sent')!;
    assert.equal(sent.body.data.to, customer);
    assert.equal(sent.body.data.author, 'ai');
    const lead = events.find((r) => r.body.event === 'lead.captured')!;
    assert.equal(lead.body.data.name, 'Ana Pop');
    // Every conversation event says its channel.
    assert.deepEqual([...new Set(events.map((r) => r.body.data.channel))], ['whatsapp']);
  });

  test('a hanging consumer does not slow replies', async () => {
    const { businessPhone, widgetId } = await connectedWidget(stack.api);
    const latency = async (label: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        const customer = uniquePhone();
        const started = Date.now();
        await say(businessPhone, customer, 'cat costa livrarea?');
        await eventually(async () => (await texts(customer)).length === 1, 15_000);
        samples.push(Date.now() - started);
      }
      samples.sort((a, b) => a - b);
      console.log(`reply latency ${label}: median ${samples[2]} ms, max ${samples[4]} ms`);
      return samples[2]!;
    };
    const without = await latency('without a webhook');
    const hanging = await WebhookConsumer.start(() => 'hang');
    consumers.push(hanging);
    await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: hanging.url });
    const withHanging = await latency('with a hanging webhook');
    assert.ok(hanging.requests.length > 0, 'the hanging consumer was being called');
    assert.ok(withHanging < without + 1000, `replies stay as fast (${without} ms vs ${withHanging} ms)`);
  });
});
