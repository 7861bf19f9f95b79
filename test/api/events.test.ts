import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectedWidget, customerSays, uniquePhone } from '../support/scenario.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { openStream } from '../support/sse.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// GET /api/events across two API processes sharing one database: the second one hears what the
// first one (and the worker) wrote, through PostgreSQL LISTEN/NOTIFY.
let stack: TestStack;
let second: ApiProcess;

before(async () => {
  stack = await startTestStack();
  second = await startApiProcess(stack);
});
after(async () => {
  await second?.close();
  await stack?.stop();
});

/** Reads an SSE stream into `events` until closed. */
async function listen(url: string, key: string, lastEventId?: string) {
  const stream = await openStream(url, { authorization: `Bearer ${key}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type')!, /^text\/event-stream/);
  assert.equal(stream.headers.get('content-encoding'), null, 'no compression on the stream');
  return stream;
}

test('a message written through one API process streams from another; Last-Event-ID resumes without gaps or repeats', async () => {
  const { widgetId, businessPhone } = await connectedWidget(stack.api);
  const stream = await listen(`${second.url}/api/events?widget_id=${widgetId}`, stack.adminKey);
  try {
    const customer = uniquePhone();
    const { conversation_id } = await customerSays(stack.api, businessPhone, customer, 'cat costa livrarea?');
    // The customer's message and Caty's reply, and the conversation itself.
    await eventually(async () => stream.events.filter((e) => e.event === 'message.created').length >= 2, 15_000, 'two message.created events');
    const created = stream.events.filter((e) => e.event === 'message.created');
    assert.ok(created.every((e) => e.data.conversation_id === conversation_id && e.data.widget_id === widgetId && e.data.message_id));
    assert.ok(stream.events.some((e) => e.event === 'conversation.updated' && e.data.conversation_id === conversation_id));
    assert.deepEqual(Object.keys(created[0]!.data).sort(), ['conversation_id', 'message_id', 'widget_id'], 'ids only');
    const ids = stream.events.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in order');

    // Disconnected, the customer writes again; reconnecting with the last id gets exactly what was missed.
    stream.close();
    const lastSeen = stream.events.at(-1)!.id;
    await customerSays(stack.api, businessPhone, customer, 'si cat dureaza?');
    await eventually(async () => (await stack.api.get(`/api/conversations/${conversation_id}/messages`)).body.length === 4, 15_000, 'four messages');
    const resumed = await listen(`${second.url}/api/events?widget_id=${widgetId}`, stack.adminKey, lastSeen);
    try {
      await eventually(async () => resumed.events.filter((e) => e.event === 'message.created').length >= 2, 10_000, 'the missed messages');
      assert.ok(resumed.events.every((e) => Number(e.id) > Number(lastSeen)), 'nothing already seen is repeated');
    } finally {
      resumed.close();
    }
  } finally {
    stream.close();
  }
});

test("another account's events never reach a stream; another account's widget is a 404", async () => {
  const other = await stack.api.post('/api/accounts', { name: 'Elsewhere' });
  const otherKey = other.body.api_key as string;
  const { widgetId, businessPhone } = await connectedWidget(stack.api);
  assert.equal((await fetch(`${second.url}/api/events?widget_id=${widgetId}`, { headers: { authorization: `Bearer ${otherKey}` } })).status, 404);
  const stream = await listen(`${second.url}/api/events`, otherKey);
  try {
    await customerSays(stack.api, businessPhone, uniquePhone(), 'buna ziua');
    await eventually(async () => (await stack.db.selectFrom('messages').select('id').execute()).length > 0);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(stream.events, []);
  } finally {
    stream.close();
  }
});

test('a channel scanned through the API streams channel.status_changed', async () => {
  const stream = await listen(`${second.url}/api/events`, stack.adminKey);
  try {
    const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: uniquePhone() });
    await eventually(async () => stream.events.filter((e) => e.event === 'channel.status_changed' && e.data.channel_id === channel.body.id).length >= 2, 10_000, 'created and connected');
  } finally {
    stream.close();
  }
});
