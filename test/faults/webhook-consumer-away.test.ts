import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort } from '../../config/ports.js';
import { connectedWidget, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

// The production ceiling is an hour (CATY_WEBHOOK_RETRY_MAX_MS); here 1.5 s, and the consumer stays
// away for several of them. Temporal retries an activity at most once a second.
const RETRY = { initial: 1000, max: 1500, window: 120_000, timeout: 1000 };
const AWAY_MS = 4 * RETRY.max;

let stack: TestStack;
let consumer: WebhookConsumer | undefined;
before(async () => {
  stack = await startTestStack({
    env: {
      CATY_WEBHOOK_RETRY_INITIAL_MS: String(RETRY.initial),
      CATY_WEBHOOK_RETRY_MAX_MS: String(RETRY.max),
      CATY_WEBHOOK_RETRY_WINDOW_MS: String(RETRY.window),
      CATY_WEBHOOK_TIMEOUT_MS: String(RETRY.timeout),
    },
  });
});
after(async () => {
  await consumer?.stop();
  await stack?.stop();
});

test(`a webhook consumer away for ${AWAY_MS / RETRY.max} times the backoff ceiling gets every event afterwards, in order per conversation, once each`, { timeout: 90_000 }, async () => {
  const { widgetId, businessPhone } = await connectedWidget(stack.api);
  // Subscribed while nothing listens there: every attempt is refused.
  const port = await freePort();
  const hook = await stack.api.post(`/api/widgets/${widgetId}/webhooks`, { url: `http://127.0.0.1:${port}/hooks/caty`, events: ['whatsapp.message.received', 'whatsapp.message.sent'] });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  const awayFrom = Date.now();

  const customers = [uniquePhone(), uniquePhone(), uniquePhone()];
  for (let i = 0; i < 4; i++) {
    for (const from of customers) {
      const sent = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text: `cat costa livrarea? (${i})`, id: `away-${from}-${i}` });
      assert.equal(sent.status, 202);
    }
  }
  const events = await eventually(async () => {
    const rows = await stack.db.selectFrom('events').select(['id', 'conversation_id', 'created_at']).where('widget_id', '=', widgetId).where('event', 'in', ['whatsapp.message.received', 'whatsapp.message.sent']).orderBy('created_at').orderBy('id').execute();
    return rows.length === customers.length * 4 * 2 && rows;
  }, 30_000, 'a received and a sent event for every message');

  // Away long enough that the pause between attempts has been at its ceiling several times.
  await new Promise((r) => setTimeout(r, Math.max(0, AWAY_MS - (Date.now() - awayFrom))));
  const log = (await stack.api.get(`/api/webhooks/${hook.body.id}/deliveries`)).body as { event_id: string; status: string; attempts: number; last_error?: string }[];
  const heads = log.filter((d) => d.attempts > 0);
  assert.ok(heads.length > 0 && heads.every((d) => d.status === 'pending'), 'still trying, none given up');
  assert.ok(Math.max(...heads.map((d) => d.attempts)) >= 4, `retried past the ceiling: ${heads.map((d) => d.attempts).join(', ')} attempts`);
  assert.ok(heads.some((d) => /ECONNREFUSED|refused/i.test(d.last_error ?? '')), `refused: ${heads[0]?.last_error}`);

  consumer = await WebhookConsumer.start(() => 200, port);
  const backAt = Date.now();
  await eventually(async () => new Set(consumer!.accepted()).size === events.length, 30_000, `all ${events.length} events`);
  const caughtUpMs = Date.now() - backAt;
  await new Promise((r) => setTimeout(r, 1500));

  const accepted = consumer.accepted();
  assert.equal(accepted.length, events.length, 'each event delivered once');
  assert.deepEqual(new Set(accepted), new Set(events.map((e) => e.id)));
  for (const conversationId of new Set(events.map((e) => e.conversation_id))) {
    const expected = events.filter((e) => e.conversation_id === conversationId).map((e) => e.id);
    assert.deepEqual(accepted.filter((id) => expected.includes(id)), expected, `conversation ${conversationId} in order`);
  }
  const final = (await stack.api.get(`/api/webhooks/${hook.body.id}/deliveries`)).body as { status: string }[];
  assert.ok(final.every((d) => d.status === 'delivered'));
  console.log(`# consumer away ${Date.now() - awayFrom - caughtUpMs} ms (ceiling ${RETRY.max} ms): ${events.length} events delivered once each, in order per conversation, ${caughtUpMs} ms after it came back`);
});
