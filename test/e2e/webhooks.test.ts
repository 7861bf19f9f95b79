import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { emitEvent, type EventName } from '../../activities/webhooks/emit-event.js';
import { newId } from '../../db/ids.js';
import { verifyCatySignature } from '../../activities/webhooks/signature.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';
import { WebhookConsumer, type Behaviour } from '../support/webhook-consumer.js';
import { EVENT_NAMES } from '../../workflows/webhooks/events.js';

// Short retries so a failing consumer recovers within a test: 1 s doubling to 4 s, for 8 s; one
// attempt may take 1.5 s. (Temporal does not retry activities faster than once a second.)
const RETRY = { initial: 1_000, max: 4_000, window: 8_000, timeout: 1_500 };

let stack: TestStack;
let api: ApiClient;
const consumers: WebhookConsumer[] = [];
before(async () => {
  stack = await startTestStack({
    env: {
      CATY_WEBHOOK_RETRY_INITIAL_MS: String(RETRY.initial),
      CATY_WEBHOOK_RETRY_MAX_MS: String(RETRY.max),
      CATY_WEBHOOK_RETRY_WINDOW_MS: String(RETRY.window),
      CATY_WEBHOOK_TIMEOUT_MS: String(RETRY.timeout),
    },
  });
  api = stack.api;
});
after(async () => {
  for (const consumer of consumers) await consumer.stop();
  await stack?.stop();
});

async function consumer(behaviour?: Behaviour): Promise<WebhookConsumer> {
  const started = await WebhookConsumer.start(behaviour);
  consumers.push(started);
  return started;
}

async function widget(): Promise<string> {
  const created = await api.post('/api/widgets', { name: 'Webhook shop' });
  assert.equal(created.status, 201);
  return created.body.id;
}

async function subscribe(widgetId: string, url: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const created = await api.post(`/api/widgets/${widgetId}/webhooks`, { url, ...body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

async function emit(widgetId: string, event: EventName, data: Record<string, unknown>, conversationId: string | null = null, id = newId('evt')): Promise<string> {
  await emitEvent({ db: stack.db, client: stack.client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }, { id, widgetId, event, data, conversationId });
  return id;
}

async function deliveries(webhookId: string): Promise<any[]> {
  const response = await api.get(`/api/webhooks/${webhookId}/deliveries`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

describe('webhook subscriptions', () => {
  test('create returns a generated whsec_ secret once; lists hide it; bad input answers 400', async () => {
    const widgetId = await widget();
    const created = await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/x', events: ['lead.captured', 'whatsapp.message.received'] });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^whk_/);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9_-]{43,}$/, '32 random bytes or more');
    assert.deepEqual(created.body.events, ['lead.captured', 'whatsapp.message.received']);
    const all = await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/y', secret: 'my-own-secret-0123456789' });
    assert.equal(all.body.secret, 'my-own-secret-0123456789');
    assert.deepEqual(all.body.events, [...EVENT_NAMES], 'no filter: every event');
    assert.ok(all.body.events.includes('whatsapp.message.failed'));
    assert.notEqual(created.body.secret, (await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/z' })).body.secret);

    const list = await api.get(`/api/widgets/${widgetId}/webhooks`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((w: any) => w.id).slice(0, 2), [created.body.id, all.body.id]);
    assert.ok(list.body.every((w: any) => !('secret' in w)), 'no secrets in lists');
    assert.doesNotMatch(JSON.stringify(list.body), /whsec_|my-own-secret/);

    const unknown = await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/x', events: ['lead.captured', 'order.paid'] });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error.message, /^events\.1: /);
    assert.equal((await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/x', events: [] })).status, 400);
    assert.match((await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'ftp://example.com/x' })).body.error.message, /url: .*http or https/);
    assert.match((await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'https://user:pw@example.com/x' })).body.error.message, /credentials/);
    assert.equal((await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/x', secret: 'short' })).status, 400);
    assert.equal((await api.post('/api/widgets/wgt_nope/webhooks', { url: 'http://127.0.0.1:9/x' })).status, 404);
  });

  test("another account's webhooks answer 404; delete removes a webhook and its log", async () => {
    const widgetId = await widget();
    const hook = await subscribe(widgetId, 'http://127.0.0.1:9/x');
    const other = api.withKey((await api.post('/api/accounts', { name: 'Other' })).body.api_key);
    assert.equal((await other.post(`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/x' })).status, 404);
    assert.equal((await other.get(`/api/widgets/${widgetId}/webhooks`)).status, 404);
    assert.equal((await other.get(`/api/webhooks/${hook.id}/deliveries`)).status, 404);
    assert.equal((await other.request('DELETE', `/api/webhooks/${hook.id}`)).status, 404);
    const eventId = await emit(widgetId, 'lead.captured', { name: 'Ion' });
    assert.equal((await other.post(`/api/webhooks/${hook.id}/deliveries/${eventId}/redeliver`)).status, 404);

    assert.equal((await api.request('DELETE', `/api/webhooks/${hook.id}`)).status, 204);
    assert.equal((await api.get(`/api/webhooks/${hook.id}/deliveries`)).status, 404);
    assert.deepEqual((await api.get(`/api/widgets/${widgetId}/webhooks`)).body, []);
  });
});

describe('delivery', () => {
  test('body, headers and signature are exactly as documented (checked with an independent HMAC)', async () => {
    const widgetId = await widget();
    const sink = await consumer();
    const hook = await subscribe(widgetId, sink.url);
    const conversationId = `cnv_${newId('t')}`;
    const data = { from: '+40721234567', text: 'Bună ziua', timestamp: '2026-04-20T10:30:00Z', conversation_id: conversationId };
    const eventId = await emit(widgetId, 'whatsapp.message.received', data, conversationId);
    const [received] = await eventually(async () => sink.requests.length > 0 && sink.requests, 10_000, 'a delivery');

    const body = JSON.parse(received!.rawBody);
    assert.deepEqual(Object.keys(body), ['id', 'event', 'created_at', 'widget_id', 'data']);
    assert.equal(body.id, eventId);
    assert.equal(body.event, 'whatsapp.message.received');
    assert.equal(body.widget_id, widgetId);
    assert.deepEqual(body.data, data);
    assert.ok(Math.abs(Date.parse(body.created_at) - Date.now()) < 60_000 && body.created_at.endsWith('Z'));
    assert.equal(received!.headers['content-type'], 'application/json');
    assert.equal(received!.headers['x-caty-event'], 'whatsapp.message.received');
    assert.equal(received!.headers['x-caty-delivery'], eventId);

    const signature = String(received!.headers['x-caty-signature']);
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature);
    assert.ok(match, signature);
    const [, t, v1] = match;
    assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 60);
    const expected = createHmac('sha256', hook.secret).update(`${t}.${received!.rawBody}`).digest('hex');
    assert.equal(v1, expected);

    // The helper the README shows consumers agrees, and refuses what it should.
    assert.equal(verifyCatySignature(hook.secret, signature, received!.rawBody, 300), true);
    assert.equal(verifyCatySignature('whsec_wrong', signature, received!.rawBody, 300), false);
    assert.equal(verifyCatySignature(hook.secret, signature, received!.rawBody.replace('Bună', 'Buna'), 300), false);
    assert.equal(verifyCatySignature(hook.secret, signature, received!.rawBody, 300, Number(t) + 301), false, 'too old');
    assert.equal(verifyCatySignature(hook.secret, `t=${t}`, received!.rawBody, 300), false);

    const [logged] = await eventually(async () => {
      const log = await deliveries(hook.id);
      return log[0]?.status === 'delivered' && log;
    });
    assert.equal(logged!.event_id, eventId);
    assert.equal(logged!.attempts, 1);
    assert.equal(logged!.last_status_code, 200);
    assert.equal(logged!.next_attempt_at, null);
    assert.ok(logged!.delivered_at);
  });

  test('only subscribed events are delivered; emitting the same event id twice is a no-op', async () => {
    const widgetId = await widget();
    const sink = await consumer();
    const hook = await subscribe(widgetId, sink.url, { events: ['lead.captured'] });
    await emit(widgetId, 'whatsapp.message.sent', { text: 'x' });
    const id = newId('evt');
    await emit(widgetId, 'lead.captured', { name: 'Ion' }, null, id);
    await emit(widgetId, 'lead.captured', { name: 'changed on retry' }, null, id);
    await eventually(async () => sink.requests.length > 0, 10_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(sink.accepted(), [id]);
    assert.equal(JSON.parse(sink.requests[0]!.rawBody).data.name, 'Ion', 'the first version is the event');
    assert.equal((await deliveries(hook.id)).length, 1);
  });

  test('a consumer that fails then recovers gets every event once, in order; every attempt is logged', async () => {
    const widgetId = await widget();
    let healthy = false;
    const sink = await consumer(() => (healthy ? 200 : 500));
    const hook = await subscribe(widgetId, sink.url);
    const conversationId = `cnv_${newId('t')}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await emit(widgetId, 'whatsapp.message.received', { text: `message ${i}`, conversation_id: conversationId }, conversationId));

    // While it fails, the first event is retried with backoff and the next ones wait behind it.
    const failing = await eventually(async () => {
      const first = (await deliveries(hook.id)).find((d) => d.event_id === ids[0]);
      return first && first.attempts >= 3 && first;
    }, 10_000, 'three failed attempts');
    assert.equal(failing.status, 'pending');
    assert.equal(failing.last_status_code, 500);
    assert.match(failing.last_error, /HTTP 500/);
    assert.ok(failing.next_attempt_at && Date.parse(failing.next_attempt_at) > Date.now() - 1_000, 'the next attempt is announced');
    assert.deepEqual(new Set(sink.requests.map((r) => r.headers['x-caty-delivery'])), new Set([ids[0]]), 'strictly in order');
    const gaps = sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
    assert.ok(gaps[1]! > gaps[0]! * 1.3, `backoff grows: ${gaps.join(', ')} ms`);

    healthy = true;
    const recoveredAt = Date.now();
    await eventually(async () => sink.accepted().length >= 5, 10_000, 'all five delivered');
    const caughtUp = Date.now() - recoveredAt;
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(sink.accepted(), ids, 'each event exactly once, in order');
    const log = await deliveries(hook.id);
    assert.ok(log.every((d) => d.status === 'delivered' && d.last_status_code === 200 && d.next_attempt_at === null));
    const first = log.find((d) => d.event_id === ids[0])!;
    assert.equal(first.attempts, sink.requests.filter((r) => r.headers['x-caty-delivery'] === ids[0]).length);
    assert.ok(first.attempts >= 4);
    assert.ok(log.filter((d) => d.event_id !== ids[0]).every((d) => d.attempts === 1));
    console.log(`# failing consumer: ${first.attempts} attempts of the first event, gaps ${gaps.join(', ')} ms; caught up ${caughtUp} ms after recovery`);
  });

  test('a hanging consumer does not slow another consumer, nor the emitter', async () => {
    const widgetId = await widget();
    const stuck = await consumer(() => 'hang');
    const fine = await consumer(() => 200);
    await subscribe(widgetId, stuck.url);
    const good = await subscribe(widgetId, fine.url);
    const conversationId = `cnv_${newId('t')}`;
    const started = Date.now();
    const emitTimes: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const t = Date.now();
      ids.push(await emit(widgetId, 'whatsapp.message.received', { text: `m${i}` }, conversationId));
      emitTimes.push(Date.now() - t);
    }
    await eventually(async () => fine.accepted().length === 3, 5_000, 'the healthy consumer');
    const elapsed = Date.now() - started;
    assert.deepEqual(fine.accepted(), ids);
    assert.ok(elapsed < RETRY.timeout, `the healthy consumer had everything in ${elapsed} ms, before the hanging one timed out once`);
    assert.ok(Math.max(...emitTimes) < 1_000, `emitEvent never waits for a consumer: ${emitTimes.join(', ')} ms`);
    assert.equal(stuck.requests.length, 1, 'the hanging consumer holds only its own queue');
    await eventually(async () => (await deliveries(good.id)).every((d) => d.status === 'delivered'));
    console.log(`# hanging consumer: healthy consumer got 3 events in ${elapsed} ms; emitEvent took ${emitTimes.join(', ')} ms`);
  });

  test('redeliver sends a delivered event again, and a failed one after the retry window', async () => {
    const widgetId = await widget();
    let up = true;
    const sink = await consumer(() => (up ? 200 : 503));
    const hook = await subscribe(widgetId, sink.url);
    const delivered = await emit(widgetId, 'conversation.taken_over', { by: 'api' });
    await eventually(async () => sink.accepted().length === 1, 10_000, 'first delivery');
    const redeliver = await api.post(`/api/webhooks/${hook.id}/deliveries/${delivered}/redeliver`);
    assert.equal(redeliver.status, 202);
    await eventually(async () => sink.accepted().length === 2, 10_000, 'redelivery');
    assert.deepEqual(sink.accepted(), [delivered, delivered]);
    await eventually(async () => (await deliveries(hook.id))[0]?.attempts === 2 && true);
    assert.equal((await api.post(`/api/webhooks/${hook.id}/deliveries/evt_nope/redeliver`)).status, 404);

    up = false;
    const startedFailing = Date.now();
    const failed = await emit(widgetId, 'conversation.resumed', { by: 'api' });
    const entry = await eventually(async () => {
      const d = (await deliveries(hook.id)).find((x) => x.event_id === failed);
      return d?.status === 'failed' && d;
    }, RETRY.window + 10_000, 'the retry window to end');
    const gaveUpAfter = Date.now() - startedFailing;
    // Temporal stops as soon as the next attempt would fall outside the window.
    assert.ok(gaveUpAfter > RETRY.window / 2 && gaveUpAfter < RETRY.window + 5_000, `gave up after ${gaveUpAfter} ms`);
    assert.equal(entry.last_status_code, 503);
    assert.equal(entry.next_attempt_at, null);
    assert.match(entry.last_error, /gave up/);
    const attempts = entry.attempts;
    assert.ok(attempts >= 3, `attempts: ${attempts}`);

    up = true;
    assert.equal((await api.post(`/api/webhooks/${hook.id}/deliveries/${failed}/redeliver`)).status, 202);
    const after = await eventually(async () => {
      const d = (await deliveries(hook.id)).find((x) => x.event_id === failed);
      return d?.status === 'delivered' && d;
    }, 10_000, 'the redelivered failure');
    assert.equal(after.attempts, attempts + 1);
    assert.deepEqual(sink.accepted(), [delivered, delivered, failed]);
    console.log(`# retry window: gave up after ${gaveUpAfter} ms and ${attempts} attempts (window ${RETRY.window} ms)`);
  });
});
