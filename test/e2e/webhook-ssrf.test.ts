import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { emitEvent } from '../../activities/webhooks/emit-event.js';
import { newId } from '../../db/ids.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';
import { WebhookConsumer } from '../support/webhook-consumer.js';

// Production setting: webhooks may not reach private addresses.
let stack: TestStack;
let api: ApiClient;
let sink: WebhookConsumer;
before(async () => {
  stack = await startTestStack({ env: { CATY_ALLOW_PRIVATE_WEBHOOKS: '0', CATY_WEBHOOK_RETRY_INITIAL_MS: '1000', CATY_WEBHOOK_RETRY_MAX_MS: '1000' } });
  api = stack.api;
  sink = await WebhookConsumer.start();
});
after(async () => {
  await sink?.stop();
  await stack?.stop();
});

test('internal webhook URLs answer 422 with a clear message and store nothing', async () => {
  const widgetId = (await api.post('/api/widgets', { name: 'SSRF' })).body.id;
  for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:3000/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://localhost:3000/hook', sink.url]) {
    const response = await api.post(`/api/widgets/${widgetId}/webhooks`, { url });
    assert.equal(response.status, 422, `${url}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error.code, 'unprocessable');
    assert.match(response.body.error.message, /^url: .*(private, loopback, link-local or otherwise internal)/);
  }
  assert.deepEqual((await api.get(`/api/widgets/${widgetId}/webhooks`)).body, []);
  // A public address is accepted (an IP literal: no DNS needed).
  assert.equal((await api.post(`/api/widgets/${widgetId}/webhooks`, { url: 'https://93.184.215.14/hook' })).status, 201);
});

test('the address is checked again at delivery time: a webhook that now points inside is refused, and logged', async () => {
  const widgetId = (await api.post('/api/widgets', { name: 'SSRF later' })).body.id;
  const account = await stack.db.selectFrom('widgets').select('account_id').where('id', '=', widgetId).executeTakeFirstOrThrow();
  // As if DNS had changed after the check at creation: the stored URL reaches loopback.
  const webhookId = newId('whk');
  await stack.db.insertInto('webhooks').values({ id: webhookId, account_id: account.account_id, widget_id: widgetId, url: sink.url, events: null, secret: 'whsec_test_secret_0123456789' }).execute();
  const eventId = newId('evt');
  await emitEvent({ db: stack.db, client: stack.client, taskQueue: stack.config.TEMPORAL_TASK_QUEUE }, { id: eventId, widgetId, event: 'lead.captured', data: { name: 'Ion' } });
  const logged = await eventually(async () => {
    const [entry] = (await api.get(`/api/webhooks/${webhookId}/deliveries`)).body;
    return entry?.attempts >= 2 && entry;
  }, 10_000, 'two refused attempts');
  assert.equal(logged.status, 'pending');
  assert.equal(logged.last_status_code, null);
  assert.match(logged.last_error, /^refused: .*127\.0\.0\.1.*internal/);
  assert.equal(sink.requests.length, 0, 'nothing reached the internal address');
  await api.request('DELETE', `/api/webhooks/${webhookId}`);
});
