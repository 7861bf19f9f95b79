import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { connectedWidget, customerSays, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';

let stack: TestStack;
let api: ApiClient;
before(async () => {
  stack = await startTestStack();
  api = stack.api;
});
after(async () => {
  await stack?.stop();
});

async function count(table: 'widgets' | 'conversations' | 'messages' | 'links' | 'channels'): Promise<number> {
  const row = await stack.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

function assertError(response: { status: number; body: any }, status: number, pattern: RegExp): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal(typeof response.body.error.code, 'string');
  assert.match(response.body.error.message, pattern);
  assert.doesNotMatch(JSON.stringify(response.body), /at .*\.ts:\d+/, 'no stack traces in errors');
}

describe('authentication and tenancy', () => {
  test('missing, malformed and unknown keys answer 401', async () => {
    assertError(await api.withKey('').get('/api/widgets/wgt_x'), 401, /Bearer/);
    assertError(await api.get('/api/widgets/wgt_x').then(() => api.withKey('nope').get('/api/widgets/wgt_x')), 401, /unknown API key/);
  });

  test("an account sees only its own widgets, channels and conversations; others' ids answer 404", async () => {
    const created = await api.post('/api/accounts', { name: 'Other shop' });
    assert.equal(created.status, 201);
    assert.match(created.body.api_key, /^caty_/);
    const other = api.withKey(created.body.api_key);
    const { widgetId, channelId, businessPhone } = await connectedWidget(api);
    const customer = uniquePhone();
    const sent = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'salut' });

    assertError(await other.get(`/api/widgets/${widgetId}`), 404, /not found/);
    assertError(await other.patch(`/api/widgets/${widgetId}`, { name: 'stolen' }), 404, /not found/);
    assertError(await other.get(`/api/whatsapp/channels/${channelId}/status`), 404, /not found/);
    assertError(await other.get(`/api/conversations/${sent.body.conversation_id}/messages`), 404, /not found/);
    assertError(await other.get(`/api/widgets/${widgetId}/whatsapp/conversations`), 404, /not found/);
    assertError(await other.post(`/api/conversations/${sent.body.conversation_id}/takeover`), 404, /not found/);
    assertError(await other.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'x' }), 404, /not found/);
    assert.deepEqual((await other.get(`/api/whatsapp/sandbox/outbox?phone=${encodeURIComponent(customer)}`)).body, []);
    // The other account's own widget works with its key, and only accounts' operators create accounts.
    assert.equal((await other.post('/api/widgets', { name: 'Mine' })).status, 201);
    assertError(await other.post('/api/accounts', { name: 'x' }), 403, /operator key/);
  });
});

describe('bad input answers 4xx with a clear message and writes nothing', () => {
  test('widgets', async () => {
    const before = await count('widgets');
    assertError(await api.post('/api/widgets', { name: '' }), 400, /name: must not be empty/);
    assertError(await api.post('/api/widgets', {}), 400, /name/);
    assertError(await api.post('/api/widgets', { name: 'x', admin_phones: ['0721234567'] }), 400, /E\.164/);
    assertError(await api.post('/api/widgets', { name: 'x', default_language: 'romanian' }), 400, /ISO 639-1/);
    assertError(await api.post('/api/widgets', { name: 'x', notifications: { alert_channel: 'sms' } }), 400, /notifications\.alert_channel/);
    assertError(await api.post('/api/widgets', { name: 'x', unknown_field: 1 }), 400, /unknown_field|Unrecognized/i);
    assertError(await api.post('/api/widgets', '{"name": "x",'), 400, /not valid JSON/);
    assertError(await api.post('/api/widgets', undefined), 400, /body is required/);
    assertError(await api.put('/api/widgets/wgt_missing/knowledge', []), 404, /widget wgt_missing not found/);
    assert.equal(await count('widgets'), before);
  });

  test('messages: wrong numbers, unknown widget, empty and over-long text', async () => {
    const { widgetId, businessPhone } = await connectedWidget(api);
    const customer = uniquePhone();
    // Scoped to this widget: other tests' replies may still be landing in the shared tables.
    const widgetRows = async () => {
      const conversations = await stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).execute();
      const messages = conversations.length
        ? await stack.db.selectFrom('messages').select('id').where('conversation_id', 'in', conversations.map((c) => c.id)).execute()
        : [];
      return { conversations: conversations.length, messages: messages.length };
    };
    const before = await widgetRows();
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: '0721234567', text: 'hi' }), 400, /from: .*E\.164/);
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: '+4072', from: customer, text: 'hi' }), 400, /to: /);
    // Blank text and nothing attached: nothing to deliver (a rule between text and the attachments).
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: '   ' }), 422, /text: is required unless/);
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'x'.repeat(4097) }), 400, /at most 4096/);
    // Text is required unless the message carries a file, a location or a contact: a rule between fields.
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer }), 422, /text: is required unless/);
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: uniquePhone(), from: customer, text: 'hi' }), 404, /sandbox channel/);
    assertError(await api.post('/api/whatsapp/send', { to: customer, widget_id: 'wgt_nope', message: 'hi' }), 404, /widget wgt_nope not found/);
    assertError(await api.post('/api/whatsapp/send', { to: 'abc', widget_id: widgetId, message: 'hi' }), 400, /to: /);
    assertError(await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: '' }), 400, /message/);
    assertError(await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'y'.repeat(4097) }), 400, /4096/);
    assert.deepEqual(await widgetRows(), before);
  });

  test('channels and links', async () => {
    assertError(await api.post('/api/whatsapp/channels', { provider: 'telegram' }), 400, /provider/);
    const channel = await api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    assertError(await api.post('/api/whatsapp/sandbox/channels/chn_missing/scan', { phone: uniquePhone() }), 404, /channel chn_missing not found/);
    assertError(await api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: '12' }), 400, /phone/);
    const widget = await api.post('/api/widgets', { name: 'Links' });
    const beforeLinks = await count('links');
    assertError(await api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone: uniquePhone() }), 422, /connect it first/);
    assertError(await api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'sms', phone: uniquePhone() }), 400, /whatsapp_channel/);
    assertError(await api.post('/api/whatsapp/links', { widget_id: 'wgt_nope', whatsapp_channel: 'web', phone: uniquePhone() }), 404, /widget/);
    assert.equal(await count('links'), beforeLinks);
    // A number linked to nothing yet cannot receive messages.
    const phone = uniquePhone();
    await api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone });
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: phone, from: uniquePhone(), text: 'hi' }), 422, /not linked/);
  });

  test('unknown routes and queries', async () => {
    assertError(await api.get('/api/nothing-here'), 404, /no route/);
    assertError(await api.get('/api/whatsapp/sandbox/outbox'), 400, /phone/);
    const widget = await api.post('/api/widgets', { name: 'Q' });
    assertError(await api.get(`/api/widgets/${widget.body.id}/whatsapp/conversations?limit=0`), 400, /limit/);
    assertError(await api.get(`/api/widgets/${widget.body.id}/whatsapp/conversations?mode=sleepy`), 400, /mode/);
    assertError(await api.get(`/api/widgets/${widget.body.id}/whatsapp/conversations?cursor=garbage`), 400, /cursor/);
    assertError(await api.get(`/api/widgets/${widget.body.id}/whatsapp/conversations?cursor=${'9'.repeat(30)}.x`), 400, /cursor/);
  });

  test('a method a route lacks answers 405 with Allow; OPTIONS lists the methods', async () => {
    const widget = await api.post('/api/widgets', { name: 'M' });
    for (const method of ['PUT', 'POST']) {
      const r = await api.request(method, `/api/widgets/${widget.body.id}`);
      assertError(r, 405, /not supported.*use GET/);
      const allowed = r.headers.get('allow')!.split(/,\s*/);
      assert.ok(allowed.includes('GET') && allowed.includes('PATCH') && !allowed.includes(method), allowed.join(', '));
    }
    // fetch refuses to send TRACE, so it goes over node:http.
    const trace = await new Promise<{ status: number; allow: string }>((resolve, reject) => {
      const req = httpRequest(`${api.baseUrl}/api/widgets/${widget.body.id}`, { method: 'TRACE', headers: { authorization: `Bearer ${api.key}` } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode!, allow: String(res.headers.allow) });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(trace.status, 405);
    assert.match(trace.allow, /GET/);
    const options = await api.request('OPTIONS', `/api/widgets/${widget.body.id}`);
    assert.equal(options.status, 204);
    assert.match(options.headers.get('allow')!, /GET/);
  });

  test('a sender number libphonenumber calls possible is accepted, even where its metadata knows no such range', async () => {
    const { businessPhone } = await connectedWidget(api);
    const r = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: '+447700900123', text: 'hello' });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assertError(await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: '+44', text: 'hello' }), 400, /from/);
  });
});

describe('widgets, channels and links', () => {
  test('create, get, patch merges settings, knowledge replaced', async () => {
    const created = await api.post('/api/widgets', { name: 'Shop', admin_phones: ['+40 721 234 567'] });
    assert.equal(created.status, 201);
    assert.equal(created.body.default_language, 'ro');
    assert.equal(created.body.assistant_name, 'Caty');
    assert.deepEqual(created.body.admin_phones, ['+40721234567']);
    const id = created.body.id;
    const patched = await api.patch(`/api/widgets/${id}`, { notifications: { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: '+40721234567' } });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.notifications, { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: '+40721234567' });
    const merged = await api.patch(`/api/widgets/${id}`, { notifications: { lead_alerts: false }, name: 'Shop 2' });
    assert.deepEqual(merged.body.notifications, { lead_alerts: false, alert_channel: 'whatsapp', alert_phone: '+40721234567' });
    const cleared = await api.patch(`/api/widgets/${id}`, { notifications: { alert_phone: null } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual(cleared.body.notifications, { lead_alerts: false, alert_channel: 'whatsapp' }, 'null removes the alert phone');
    assert.equal(merged.body.name, 'Shop 2');
    assert.deepEqual(merged.body.admin_phones, ['+40721234567']);
    const kb = await api.put(`/api/widgets/${id}/knowledge`, [{ question: 'Q?', answer: 'A.' }]);
    assert.deepEqual(kb.body.knowledge_base, [{ question: 'Q?', answer: 'A.' }]);
    assert.deepEqual((await api.get(`/api/widgets/${id}`)).body.knowledge_base, [{ question: 'Q?', answer: 'A.' }]);
  });

  test('a sandbox channel shows a QR until scanned, then is connected with its number', async () => {
    const channel = await api.post('/api/whatsapp/channels', { provider: 'sandbox', name: 'Front desk' });
    assert.equal(channel.status, 201);
    assert.deepEqual(Object.keys(channel.body).sort(), ['id', 'provider', 'status']);
    const status = await api.get(`/api/whatsapp/channels/${channel.body.id}/status`);
    assert.equal(status.body.status, 'qr');
    assert.match(status.body.qr, /^caty-sandbox:/);
    const svg = await api.get(`/api/whatsapp/channels/${channel.body.id}/qr.svg`);
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/);
    assert.match(svg.body, /^<svg[\s\S]*<\/svg>\s*$/);
    const phone = uniquePhone();
    const scanned = await api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone });
    assert.equal(scanned.body.status, 'connected');
    assert.equal(scanned.body.phone, phone);
    assert.equal(scanned.body.qr, undefined);
    assertError(await api.get(`/api/whatsapp/channels/${channel.body.id}/qr.svg`), 409, /no QR code/);
    const second = await api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    assertError(await api.post(`/api/whatsapp/sandbox/channels/${second.body.id}/scan`, { phone }), 409, /already connected/);
  });
});

describe('sending and taking over through the API', () => {
  test('POST /api/whatsapp/send is delivered in order and recorded; Idempotency-Key sends once', async () => {
    const { widgetId } = await connectedWidget(api);
    const customer = uniquePhone();
    const first = await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Comanda a fost expediată!' }, { 'Idempotency-Key': 'order-42' });
    assert.equal(first.status, 202);
    assert.equal(first.body.status, 'queued');
    const again = await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: 'Comanda a fost expediată!' }, { 'Idempotency-Key': 'order-42' });
    assert.equal(again.body.id, first.body.id);
    await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: { text: 'Al doilea mesaj' } });
    const out = await eventually(async () => {
      const o = await outbox(api, customer);
      return o.length >= 2 && o;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await outbox(api, customer)).map((o) => o.text),
      ['Comanda a fost expediată!', 'Al doilea mesaj'],
    );
    assert.equal(out.length, 2);
    const messages = await api.get(`/api/conversations/${first.body.conversation_id}/messages`);
    assert.deepEqual(
      messages.body.map((m: { author: string; direction: string }) => `${m.direction}/${m.author}`),
      ['outbound/agent', 'outbound/agent'],
    );
  });

  test('takeover silences Caty and the mode is listed; resume brings her back', async () => {
    const { widgetId, businessPhone } = await connectedWidget(api);
    const customer = uniquePhone();
    const sent = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?' });
    await eventually(async () => (await outbox(api, customer)).length === 1);
    assert.equal((await api.post(`/api/conversations/${sent.body.conversation_id}/takeover`)).status, 202);
    const human = await eventually(async () => {
      const list = await api.get(`/api/widgets/${widgetId}/whatsapp/conversations?mode=human`);
      return list.body.conversations.length === 1 && list.body.conversations[0];
    });
    assert.equal(human.id, sent.body.conversation_id);
    await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat dureaza livrarea?' });
    await eventually(async () => (await api.get(`/api/conversations/${sent.body.conversation_id}/messages`)).body.length === 3);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await outbox(api, customer)).length, 1, 'no AI reply while a human has the conversation');
    await api.post(`/api/conversations/${sent.body.conversation_id}/resume`);
    await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'care este programul?' });
    const out = await eventually(async () => {
      const o = await outbox(api, customer);
      return o.length === 2 && o;
    });
    assert.equal(out[1]!.text, 'Suntem deschiși luni-vineri, 9:00-18:00.');
  });

  test('takeover with an Idempotency-Key: a retried call is one event and one webhook', async () => {
    const { widgetId, businessPhone } = await connectedWidget(api);
    const customer = uniquePhone();
    const sent = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text: 'cat costa livrarea?' });
    await eventually(async () => (await outbox(api, customer)).length === 1);
    const conversationId = sent.body.conversation_id as string;
    const retries = await Promise.all([1, 2, 3].map(() => api.post(`/api/conversations/${conversationId}/takeover`, undefined, { 'Idempotency-Key': `take-${conversationId}` })));
    assert.deepEqual(retries.map((r) => r.status), [202, 202, 202]);
    assertError(await api.post(`/api/conversations/${conversationId}/takeover`, undefined, { 'Idempotency-Key': 'bad key with spaces' }), 400, /Idempotency-Key/);
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversationId).executeTakeFirstOrThrow()).mode === 'human');
    await new Promise((r) => setTimeout(r, 1000));
    const takeovers = await stack.db.selectFrom('conversation_events').select('kind').where('conversation_id', '=', conversationId).where('kind', '=', 'mode.human').execute();
    assert.equal(takeovers.length, 1, 'one takeover event for three calls with one key');
    const webhookEvents = await stack.db.selectFrom('events').select('event').where('widget_id', '=', widgetId).where('event', '=', 'conversation.taken_over').execute();
    assert.equal(webhookEvents.length, 1, 'one conversation.taken_over webhook event');
  });

  test('conversations are paginated with a cursor', async () => {
    const { widgetId, businessPhone } = await connectedWidget(api, { channelType: 'notifications' });
    const customers = [uniquePhone(), uniquePhone(), uniquePhone()];
    for (const from of customers) await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text: 'hello' });
    await eventually(async () => {
      const rows = await stack.db.selectFrom('conversations').select('last_message_at').where('widget_id', '=', widgetId).execute();
      return rows.length === 3 && rows.every((r) => r.last_message_at !== null);
    });
    const page1 = await api.get(`/api/widgets/${widgetId}/whatsapp/conversations?limit=2`);
    assert.equal(page1.body.conversations.length, 2);
    assert.ok(page1.body.next_cursor);
    const page2 = await api.get(`/api/widgets/${widgetId}/whatsapp/conversations?limit=2&cursor=${page1.body.next_cursor}`);
    assert.equal(page2.body.conversations.length, 1);
    assert.equal(page2.body.next_cursor, null);
    const seen = [...page1.body.conversations, ...page2.body.conversations].map((c: { customer_phone: string }) => c.customer_phone).sort();
    assert.deepEqual(seen, [...customers].sort());
  });
});

describe('operations', () => {
  test('health, readiness, metrics', async () => {
    assert.deepEqual((await api.withKey('').get('/healthz')).body, { status: 'ok' });
    const ready = await api.withKey('').get('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { database: 'ok', temporal: 'ok' });
    assert.equal((await api.withKey('').get('/metrics')).status, 401, 'metrics need a token');
    const metrics = await api.get('/metrics');
    assert.match(metrics.body, /caty_http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/);
  });

  test("metrics: the service's own figures and the Temporal SDK's worker metrics", async () => {
    const scrape = async () => (await api.get('/metrics')).body as string;
    const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const before = await scrape();
    const { businessPhone, widgetId } = await connectedWidget(api);
    const customer = uniquePhone();
    const { conversation_id } = await customerSays(api, businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await outbox(api, customer)).length === 1);
    assert.equal((await api.post(`/api/conversations/${conversation_id}/takeover`)).status, 202);
    await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversation_id).executeTakeFirstOrThrow()).mode === 'human');
    const after = await scrape();
    assert.equal(value(after, 'caty_messages_total{direction="in",channel="whatsapp"}') - value(before, 'caty_messages_total{direction="in",channel="whatsapp"}'), 1);
    assert.equal(value(after, 'caty_messages_total{direction="out",channel="whatsapp"}') - value(before, 'caty_messages_total{direction="out",channel="whatsapp"}'), 1);
    assert.equal(value(after, 'caty_reply_latency_seconds_count{channel="whatsapp"}') - value(before, 'caty_reply_latency_seconds_count{channel="whatsapp"}'), 1);
    // Conversations by mode are counted at most every 30 s (test/api/hardening.test.ts shows them counted and cached).
    assert.match(after, /^# TYPE caty_conversations gauge$/m);
    assert.ok(widgetId);
    // The SDK's own worker metrics, from this process's worker.
    assert.match(after, /^temporal_workflow_task_schedule_to_start_latency_seconds_bucket\{/m);
    assert.match(after, /^temporal_sticky_cache_size\{/m);
    assert.match(after, /^temporal_worker_task_slots_available\{/m);
  });

  test('the OpenAPI document describes every route', async () => {
    const doc = (await api.withKey('').get('/openapi.json')).body;
    assert.equal(doc.openapi, '3.1.0');
    const expected = [
      'post /api/accounts',
      'post /api/widgets',
      'get /api/widgets/{widgetId}',
      'patch /api/widgets/{widgetId}',
      'put /api/widgets/{widgetId}/knowledge',
      'post /api/whatsapp/channels',
      'get /api/whatsapp/channels/{channelId}/status',
      'get /api/whatsapp/channels/{channelId}/qr.svg',
      'post /api/whatsapp/sandbox/channels/{channelId}/scan',
      'post /api/whatsapp/links',
      'post /api/whatsapp/sandbox/messages',
      'get /api/whatsapp/sandbox/outbox',
      'post /api/whatsapp/send',
      'get /api/widgets/{widgetId}/whatsapp/conversations',
      'get /api/conversations/{conversationId}/messages',
      'post /api/conversations/{conversationId}/takeover',
      'post /api/conversations/{conversationId}/resume',
      'get /healthz',
      'get /readyz',
      'get /metrics',
      'get /openapi.json',
      'get /public/widgets/{widgetId}',
    ];
    for (const route of expected) {
      const [method, path] = route.split(' ') as [string, string];
      assert.ok(doc.paths[path]?.[method], `${route} is documented`);
    }
    const widgetBody = doc.paths['/api/widgets'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(widgetBody.required, ['name']);
    assert.equal(widgetBody.properties.default_language.default, 'ro');
    const sandboxBody = doc.paths['/api/whatsapp/sandbox/messages'].post.requestBody.content['application/json'].schema;
    // Text is the caption of a file, so it is optional there (required unless media, a location or a contact).
    assert.deepEqual([...sandboxBody.required].sort(), ['from', 'to']);
    assert.ok(sandboxBody.properties.media && sandboxBody.properties.location && sandboxBody.properties.contact);
  });
});
