import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import type { ApiDeps } from '../../api/deps.js';
import { KeyRing } from '../../config/key-ring.js';
import { freePort } from '../../config/ports.js';
import { startMetricsServer } from '../../observability/metrics-server.js';
import { connectedWidget, customerSays, demoKnowledge, outbox, uniquePhone } from '../support/scenario.js';
import { openStream, type OpenStream } from '../support/sse.js';
import { startApiProcess, type ApiProcess } from '../support/api-process.js';
import { type ApiClient, eventually, startTestStack, type TestStack } from '../support/stack.js';

// The attacks a security read of the API found, each tried against the running service: the
// test stack's own API, and, where a setting must differ, a second API process of the same
// stack (its own app, limits and settings; the same database and Temporal).
let stack: TestStack;
const extras: { close(): Promise<void> }[] = [];
const SHOP = 'https://shop.example';

before(async () => {
  stack = await startTestStack();
});
after(async () => {
  for (const extra of extras) await extra.close();
  await stack?.stop();
});

/** Another API process of the stack, with some settings of its own; closed after the file. */
async function apiProcess(overrides: Partial<ApiDeps> = {}, liveDb = stack.db): Promise<ApiProcess> {
  const started = await startApiProcess(stack, overrides, liveDb);
  extras.push(started);
  return started;
}

async function webWidget(api: ApiClient = stack.api): Promise<string> {
  const widget = await api.post('/api/widgets', { name: 'Web shop', knowledge_base: demoKnowledge, allowed_origins: [SHOP] });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  return widget.body.id;
}

function newVisitor(base: string, widgetId: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/public/widgets/${widgetId}/sessions`, { method: 'POST', headers: { origin: SHOP, ...headers } });
}

const streams: OpenStream[] = [];
async function stream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const opened = await openStream(url, headers);
  streams.push(opened);
  return opened;
}
after(() => {
  for (const s of streams) s.close();
});

describe('client addresses', () => {
  test('X-Forwarded-For from a client is not believed: new visitors are limited per real address', async () => {
    const widgetId = await webWidget();
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await newVisitor(stack.apiUrl!, widgetId, { 'x-forwarded-for': `198.51.100.${i + 1}` }));
    assert.deepEqual(answers.slice(0, 20).map((r) => r.status), Array(20).fill(201));
    assert.equal(answers[20]!.status, 429, 'the 21st visitor in a minute from one address');
    assert.match(answers[20]!.headers.get('retry-after')!, /^[1-9][0-9]*$/);
    assert.equal(answers[20]!.headers.get('access-control-allow-origin'), SHOP, 'the page can read why');
  });

  test('behind a trusted proxy (CATY_TRUST_PROXY=1) each client has its own limit, and what a client writes in the header is ignored', async () => {
    const proxied = await apiProcess({ trustProxy: 1 });
    const widgetId = await webWidget();
    // The proxy appends the address it saw; anything left of it is the client's own writing.
    const from = (client: string, i: number) => newVisitor(proxied.url, widgetId, { 'x-forwarded-for': `10.${i}.0.1, ${client}` });
    for (let i = 0; i < 20; i++) assert.equal((await from('203.0.113.7', i)).status, 201);
    assert.equal((await from('203.0.113.7', 99)).status, 429);
    assert.equal((await from('203.0.113.8', 0)).status, 201, 'another client behind the same proxy');
  });
});

describe('event streams', () => {
  test('streams are capped per account, per address and per visitor (429), and a closed one frees its slot', async () => {
    const capped = await apiProcess({ streamLimits: { perAccount: 3, perAddress: 5, perVisitor: 1 } });
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const opened: OpenStream[] = [];
    for (let i = 0; i < 3; i++) opened.push(await stream(`${capped.url}/api/events`, admin));
    assert.deepEqual(opened.map((s) => s.status), [200, 200, 200]);
    const fourth = await stream(`${capped.url}/api/events`, admin);
    assert.equal(fourth.status, 429);
    assert.match(fourth.events[0]!.data.error.message, /this account already has 3 event streams open/);
    assert.ok(fourth.headers.get('retry-after'));
    opened[0]!.close();
    await eventually(async () => (await stream(`${capped.url}/api/events`, admin)).status === 200, 5000, 'the slot freed');

    // Two more from this address (another account's), then the address is full.
    const other = (await stack.api.post('/api/accounts', { name: 'Streams' })).body.api_key as string;
    const otherKey = { authorization: `Bearer ${other}` };
    assert.equal((await stream(`${capped.url}/api/events`, otherKey)).status, 200);
    assert.equal((await stream(`${capped.url}/api/events`, otherKey)).status, 200);
    const third = (await stack.api.post('/api/accounts', { name: 'Streams too' })).body.api_key as string;
    const refused = await stream(`${capped.url}/api/events`, { authorization: `Bearer ${third}` });
    assert.equal(refused.status, 429);
    assert.match(refused.events[0]!.data.error.message, /your address already has 5/);
  });

  test('one visitor holds one stream at a time', async () => {
    const capped = await apiProcess({ streamLimits: { perAccount: 100, perAddress: 100, perVisitor: 1 } });
    const widgetId = await webWidget();
    const visitor = (await (await newVisitor(capped.url, widgetId)).json()) as { token: string };
    const headers = { origin: SHOP, authorization: `Bearer ${visitor.token}` };
    assert.equal((await stream(`${capped.url}/public/widgets/${widgetId}/stream`, headers)).status, 200);
    assert.equal((await stream(`${capped.url}/public/widgets/${widgetId}/stream`, headers)).status, 429);
  });

  test('each event is read once per account and process, however many streams are open', async () => {
    let liveEventReads = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node).includes('"live_events"')) liveEventReads++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const keys = KeyRing.parse(KeyRing.generate());
    const process2 = await apiProcess({ visitorTokenKeys: keys }, stack.db.withPlugin(counting));
    const { businessPhone, widgetId } = await connectedWidget(stack.api, { widget: { allowed_origins: [SHOP] } });
    const admin = { authorization: `Bearer ${stack.adminKey}` };
    const dashboards: OpenStream[] = [];
    for (let i = 0; i < 5; i++) dashboards.push(await stream(`${process2.url}/api/events?widget_id=${widgetId}`, admin));
    const visitors = [];
    for (let i = 0; i < 10; i++) {
      const visitor = (await (await newVisitor(process2.url, widgetId)).json()) as { token: string };
      visitors.push({ token: visitor.token, stream: await stream(`${process2.url}/public/widgets/${widgetId}/stream`, { origin: SHOP, authorization: `Bearer ${visitor.token}` }) });
    }
    assert.ok([...dashboards, ...visitors.map((v) => v.stream)].every((s) => s.status === 200));

    const firstEvent = Number((await stack.db.selectFrom('live_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
    const readsBefore = liveEventReads;
    await customerSays(stack.api, businessPhone, uniquePhone(), 'cat costa livrarea?');
    await eventually(async () => dashboards.every((s) => s.events.filter((e) => e.event === 'message.created').length >= 2), 15_000, 'the message and the reply on every dashboard stream');
    await new Promise((r) => setTimeout(r, 500));
    const events = await stack.db.selectFrom('live_events').select('id').where('id', '>', firstEvent).execute();
    const reads = liveEventReads - readsBefore;
    // Before: every stream read every event itself (15 streams × the events).
    assert.ok(reads <= events.length, `${reads} reads of live_events for ${events.length} events and 15 streams`);
    assert.ok(dashboards.every((s) => s.events.length === dashboards[0]!.events.length), 'every dashboard got every event');
    assert.ok(visitors.every((v) => v.stream.events.length === 0), "a visitor's stream shows nothing of other conversations");

    // A visitor's own conversation still streams to it, and only to it.
    const writer = visitors[0]!;
    await fetch(`${process2.url}/public/widgets/${widgetId}/messages`, {
      method: 'POST',
      headers: { origin: SHOP, authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Cat costa livrarea?' }),
    });
    await eventually(async () => writer.stream.events.filter((e) => e.event === 'message').length >= 2, 15_000, "the visitor's message and its answer");
    assert.deepEqual(writer.stream.events.filter((e) => e.event === 'message').map((e) => e.data.author), ['customer', 'ai']);
    assert.ok(visitors.slice(1).every((v) => v.stream.events.length === 0));
  });

  test('load shedding exempts the stream routes, not whatever says Accept: text/event-stream', async () => {
    const shedding = await apiProcess({ maxRequestsInFlight: 1 });
    // One request in progress: its body is still on its way.
    const held = http.request(`${shedding.url}/api/widgets`, { method: 'POST', headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'application/json', 'content-length': '100' } });
    held.on('error', () => undefined);
    held.write('{"name":');
    const busy = await eventually(async () => {
      const r = await fetch(`${shedding.url}/api/widgets`, { headers: { authorization: `Bearer ${stack.adminKey}`, accept: 'text/event-stream' } });
      await r.arrayBuffer();
      return r.status === 503 && r;
    }, 5000, 'a 503 for a route that only claims to want a stream');
    assert.equal(busy.headers.get('retry-after'), '1');
    const events = await stream(`${shedding.url}/api/events`, { authorization: `Bearer ${stack.adminKey}` });
    assert.equal(events.status, 200, 'the event stream is not shed');
    held.destroy();
  });
});

describe('the sandbox', () => {
  test('off (CATY_SANDBOX unset, as in production): the provider is refused and its routes do not exist', async () => {
    const production = await apiProcess({ sandbox: false });
    const created = await production.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    assert.equal(created.status, 422);
    assert.match(created.body.error.message, /sandbox provider is off/);
    const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    assert.equal((await production.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone: uniquePhone() })).status, 404);
    assert.equal((await production.api.post('/api/whatsapp/sandbox/messages', { to: uniquePhone(), from: uniquePhone(), text: 'hi' })).status, 404);
    assert.equal((await production.api.get(`/api/whatsapp/sandbox/outbox?phone=${encodeURIComponent(uniquePhone())}`)).status, 404);
    const paths = Object.keys((await production.api.get('/openapi.json')).body.paths);
    assert.deepEqual(paths.filter((p) => p.includes('sandbox')), []);
    assert.equal((await production.api.get('/api/dashboard/config')).body.sandbox, false);
  });
});

describe('numbers and links', () => {
  test('a link needs a connected channel of the account', async () => {
    const widget = await stack.api.post('/api/widgets', { name: 'Linker' });
    const channel = await stack.api.post('/api/whatsapp/channels', { provider: 'sandbox' });
    const phone = uniquePhone();
    await stack.api.post(`/api/whatsapp/sandbox/channels/${channel.body.id}/scan`, { phone });
    assert.equal((await stack.api.request('DELETE', `/api/whatsapp/channels/${channel.body.id}`)).status, 200);
    const link = await stack.api.post('/api/whatsapp/links', { widget_id: widget.body.id, whatsapp_channel: 'web', phone });
    assert.equal(link.status, 422, JSON.stringify(link.body));
  });

  test('two accounts linking one number at once: the account that holds it gets it, the other a refusal, never a mix', async () => {
    const holder = stack.api.withKey((await stack.api.post('/api/accounts', { name: 'Holder' })).body.api_key);
    const squatter = stack.api.withKey((await stack.api.post('/api/accounts', { name: 'Squatter' })).body.api_key);
    const holderWidget = (await holder.post('/api/widgets', { name: 'Holder shop' })).body.id as string;
    const squatterWidget = (await squatter.post('/api/widgets', { name: 'Squatter shop' })).body.id as string;
    const phones = Array.from({ length: 8 }, () => uniquePhone());
    for (const phone of phones) {
      // The squatter had the number on a channel once; the holder has it connected now.
      const old = (await squatter.post('/api/whatsapp/channels', { provider: 'sandbox' })).body.id;
      assert.equal((await squatter.post(`/api/whatsapp/sandbox/channels/${old}/scan`, { phone })).status, 200);
      assert.equal((await squatter.request('DELETE', `/api/whatsapp/channels/${old}`)).status, 200);
      const current = (await holder.post('/api/whatsapp/channels', { provider: 'sandbox' })).body.id;
      assert.equal((await holder.post(`/api/whatsapp/sandbox/channels/${current}/scan`, { phone })).status, 200);
    }
    const answers = await Promise.all(
      phones.flatMap((phone) => [
        holder.post('/api/whatsapp/links', { widget_id: holderWidget, whatsapp_channel: 'web', phone }),
        squatter.post('/api/whatsapp/links', { widget_id: squatterWidget, whatsapp_channel: 'web', phone }),
      ]),
    );
    for (const [i, phone] of phones.entries()) {
      assert.equal(answers[2 * i]!.status, 201, `${phone}: the holder links it`);
      assert.ok([409, 422].includes(answers[2 * i + 1]!.status), `${phone}: the squatter is refused, not ${answers[2 * i + 1]!.status}`);
      const link = await stack.db.selectFrom('links').innerJoin('widgets', 'widgets.id', 'links.widget_id').select(['links.account_id', 'links.widget_id', 'widgets.account_id as widget_account']).where('links.phone', '=', phone).executeTakeFirstOrThrow();
      assert.equal(link.widget_id, holderWidget);
      assert.equal(link.widget_account, link.account_id, "a link never points at another account's widget");
    }
  });
});

describe('keys', () => {
  test("an account replaces its API key; the old one works for the grace period it chose, then is refused", async () => {
    const created = await stack.api.post('/api/accounts', { name: 'Rotating' });
    const oldKey = created.body.api_key as string;
    const account = stack.api.withKey(oldKey);
    assert.equal((await account.get('/api/widgets')).status, 200);
    const rotated = await account.post('/api/accounts/me/keys', { grace_seconds: 2 });
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal(rotated.body.id, created.body.id);
    const newKey = rotated.body.api_key as string;
    assert.notEqual(newKey, oldKey);
    const expires = Date.parse(rotated.body.previous_key_expires_at);
    assert.ok(Math.abs(expires - Date.now() - 2000) < 1500, rotated.body.previous_key_expires_at);
    assert.equal((await stack.api.withKey(newKey).get('/api/widgets')).status, 200);
    assert.equal((await account.get('/api/widgets')).status, 200, 'the old key, within its grace');
    await new Promise((r) => setTimeout(r, Math.max(0, expires - Date.now()) + 300));
    assert.equal((await account.get('/api/widgets')).status, 401, 'the old key, after it');
    assert.equal((await stack.api.withKey(newKey).get('/api/widgets')).status, 200);

    // A leaked key: no grace at all.
    const again = await stack.api.withKey(newKey).post('/api/accounts/me/keys', { grace_seconds: 0 });
    assert.equal((await stack.api.withKey(newKey).get('/api/widgets')).status, 401);
    assert.equal((await stack.api.withKey(again.body.api_key).get('/api/widgets')).status, 200);
    assert.equal((await stack.api.post('/api/accounts/me/keys', { grace_seconds: 0 })).status, 422, 'the operator key is changed in its setting');
    assert.equal((await stack.api.withKey(again.body.api_key).post('/api/accounts/me/keys', { grace_seconds: -1 })).status, 400);
  });

  test("visitors' tokens have their own key: another operator key does not log them out", async () => {
    const visitorKeys = KeyRing.parse(KeyRing.generate());
    const first = await apiProcess({ visitorTokenKeys: visitorKeys });
    const rotated = await apiProcess({ visitorTokenKeys: visitorKeys, adminKey: 'a-new-operator-key-0123456789' });
    const widgetId = await webWidget();
    const visitor = (await (await newVisitor(first.url, widgetId)).json()) as { token: string; expires_at: string };
    const thread = await fetch(`${rotated.url}/public/widgets/${widgetId}/messages`, { headers: { origin: SHOP, authorization: `Bearer ${visitor.token}` } });
    assert.equal(thread.status, 200);
    assert.ok(Date.parse(visitor.expires_at) > Date.now() + 29 * 86_400_000, 'it expires, in 30 days');
  });
});

describe('operator surfaces', () => {
  test('/metrics asks for its token (CATY_METRICS_TOKEN, else the operator key), on the API and on a worker', async () => {
    assert.equal((await stack.api.withKey('').get('/metrics')).status, 401);
    assert.equal((await stack.api.withKey('not-the-key').get('/metrics')).status, 401);
    assert.equal((await stack.api.get('/metrics')).status, 200);
    const tokened = await apiProcess({ metricsToken: 'a-metrics-token-0123456789' });
    assert.equal((await tokened.api.withKey('a-metrics-token-0123456789').get('/metrics')).status, 200);
    assert.equal((await tokened.api.get('/metrics')).status, 401, 'with a metrics token set, the operator key is not needed there and not taken');

    const port = await freePort();
    const server = await startMetricsServer(port, '127.0.0.1', ['a-metrics-token-0123456789']);
    try {
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401);
      const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-0123456789' } });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /caty_messages_total|# HELP/);
    } finally {
      server.close();
    }
  });

  test('the conversations gauge is counted at most once per interval, not on every scrape', async () => {
    const metered = await apiProcess({ conversationCountsMs: 1500 });
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const { conversation_id } = await customerSays(stack.api, businessPhone, customer, 'salut');
    // Answered: the conversation's work is done, nothing else writes its mode.
    await eventually(async () => (await outbox(stack.api, customer)).length > 0, 15_000, 'the reply');
    const humans = async () => Number(/^caty_conversations\{mode="human",channel="whatsapp"\} (\d+)$/m.exec((await metered.api.get('/metrics')).body)?.[1] ?? 0);
    const before = await humans();
    await stack.db.updateTable('conversations').set({ mode: 'human' }).where('id', '=', conversation_id).execute();
    for (let i = 0; i < 5; i++) assert.equal(await humans(), before, 'scrapes within the interval read the last count');
    await eventually(async () => (await humans()) === before + 1, 10_000, 'the next count, once the interval has passed');
  });
});

describe('paths', () => {
  test('a path in the wrong case or with a malformed escape is a 4xx, never a 500', async () => {
    const widgetId = await webWidget();
    const cases = [
      ['POST', `/PUBLIC/widgets/${widgetId}/sessions`],
      ['GET', `/Public/widgets/${widgetId}`],
      ['GET', '/public/widgets/%E0/messages'],
      ['POST', '/public/widgets/%E0%A4%A/sessions'],
      ['GET', '/dashboard/%E0'],
      ['GET', '/api/widgets/%E0'],
      ['GET', '/API/widgets'],
    ] as const;
    for (const [method, path] of cases) {
      const r = await fetch(`${stack.apiUrl}${path}`, { method, headers: { origin: SHOP, authorization: `Bearer ${stack.adminKey}` } });
      assert.ok(r.status >= 400 && r.status < 500, `${method} ${path}: ${r.status}`);
      const body = (await r.json()) as { error: { code: string } };
      assert.ok(body.error.code, `${method} ${path}: an error in the usual shape`);
    }
  });
});
