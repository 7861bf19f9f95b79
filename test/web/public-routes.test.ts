import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectedWidget, customerSays, demoKnowledge, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// The web widget's public routes, as a browser on an allowed page calls them.
let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => {
  await stack?.stop();
});

const SHOP = 'https://shop.example';

async function call(method: string, path: string, options: { origin?: string | null; token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(options.origin === null ? {} : { origin: options.origin ?? SHOP }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function webWidget(allowed: string[] = [SHOP]): Promise<string> {
  const widget = await stack.api.post('/api/widgets', { name: 'Web shop', assistant_name: 'Ana', knowledge_base: demoKnowledge, allowed_origins: allowed });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  assert.deepEqual(widget.body.allowed_origins, allowed);
  return widget.body.id;
}

async function session(widgetId: string) {
  const r = await call('POST', `/public/widgets/${widgetId}/sessions`);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.headers.get('access-control-allow-origin'), SHOP);
  return r.body as { session_id: string; token: string; assistant_name: string };
}

test('a visitor asks on the website and gets the knowledge-base answer, once, in its own thread', async () => {
  const widgetId = await webWidget();
  const visitor = await session(widgetId);
  assert.equal(visitor.assistant_name, 'Ana');
  const first = await call('POST', `/public/widgets/${widgetId}/messages`, { token: visitor.token, body: { text: 'Cat costa livrarea?', id: 'm-1' } });
  assert.equal(first.status, 202, JSON.stringify(first.body));
  // The browser retries: the same id is the same message.
  const retry = await call('POST', `/public/widgets/${widgetId}/messages`, { token: visitor.token, body: { text: 'Cat costa livrarea?', id: 'm-1' } });
  assert.equal(retry.status, 202);
  assert.equal(retry.body.message_id, first.body.message_id);
  const thread = await eventually(async () => {
    const r = await call('GET', `/public/widgets/${widgetId}/messages`, { token: visitor.token });
    return r.body.messages.length >= 2 && r.body.messages;
  }, 15_000, 'the reply');
  await conversationSettled(stack, first.body.conversation_id, { customerMessages: 1 });
  const final = (await call('GET', `/public/widgets/${widgetId}/messages`, { token: visitor.token })).body.messages;
  assert.deepEqual(final.map((m: { author: string }) => m.author), ['customer', 'ai'], 'one message, one reply');
  assert.equal(thread[1].text, 'Livrarea costă 15 lei, gratuită peste 200 lei.');

  // The same question on WhatsApp gets the same words: one assistant, two channels.
  const conversation = await stack.db.selectFrom('conversations').select(['kind', 'workflow_id']).where('id', '=', first.body.conversation_id).executeTakeFirstOrThrow();
  assert.equal(conversation.kind, 'web');
  assert.equal(conversation.workflow_id, `conversation:${widgetId}:web:${visitor.session_id}`);
  // Beside the WhatsApp ones in the widget's list (what the dashboard shows), marked as the website's.
  const listed = (await stack.api.get(`/api/widgets/${widgetId}/conversations`)).body.conversations;
  assert.deepEqual(listed.map((c: { channel: string; last_message: string }) => [c.channel, c.last_message]), [['web', 'Livrarea costă 15 lei, gratuită peste 200 lei.']]);
  assert.deepEqual((await stack.api.get(`/api/widgets/${widgetId}/conversations?channel=whatsapp`)).body.conversations, []);
  assert.deepEqual((await stack.api.get(`/api/widgets/${widgetId}/whatsapp/conversations`)).body.conversations, []);
});

test('pages not allowed get nothing; preflights are answered for allowed ones', async () => {
  const widgetId = await webWidget();
  const stranger = await call('POST', `/public/widgets/${widgetId}/sessions`, { origin: 'https://evil.example' });
  assert.equal(stranger.status, 403);
  assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  assert.equal((await call('POST', `/public/widgets/${widgetId}/sessions`, { origin: null })).status, 403);
  const preflight = await call('OPTIONS', `/public/widgets/${widgetId}/messages`, { headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
  assert.match(preflight.headers.get('access-control-allow-headers')!, /Authorization/);
  const anyPage = await webWidget(['*']);
  assert.equal((await call('POST', `/public/widgets/${anyPage}/sessions`, { origin: 'https://anywhere.example' })).status, 201);
  assert.equal((await call('POST', '/public/widgets/wgt_nothing/sessions')).status, 404);
});

test("a visitor cannot read another visitor's thread, nor use its token on another widget", async () => {
  const widgetId = await webWidget();
  const alice = await session(widgetId);
  const bob = await session(widgetId);
  await call('POST', `/public/widgets/${widgetId}/messages`, { token: alice.token, body: { text: 'secretul meu', id: 'a-1' } });
  await eventually(async () => (await call('GET', `/public/widgets/${widgetId}/messages`, { token: alice.token })).body.messages.length >= 1);
  assert.deepEqual((await call('GET', `/public/widgets/${widgetId}/messages`, { token: bob.token })).body.messages, []);
  const other = await webWidget();
  assert.equal((await call('GET', `/public/widgets/${other}/messages`, { token: alice.token })).status, 401);
  assert.equal((await call('GET', `/public/widgets/${widgetId}/messages`, { token: `${alice.session_id}.${'A'.repeat(43)}` })).status, 401);
  assert.equal((await call('GET', `/public/widgets/${widgetId}/messages`)).status, 401);
});

test('a flood of posts gets 429 with Retry-After, and every accepted message is kept', async () => {
  const widgetId = await webWidget();
  const visitor = await session(widgetId);
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => call('POST', `/public/widgets/${widgetId}/messages`, { token: visitor.token, body: { text: `mesaj ${i}`, id: `f-${i}` } })));
  const accepted = answers.filter((a) => a.status === 202);
  const limited = answers.filter((a) => a.status === 429);
  assert.ok(limited.length > 0, 'some posts are refused');
  assert.equal(accepted.length + limited.length, 30);
  assert.match(limited[0]!.headers.get('retry-after')!, /^[0-9]+$/);
  const conversationId = accepted[0]!.body.conversation_id as string;
  await eventually(async () => {
    const rows = await stack.db.selectFrom('messages').select('text').where('conversation_id', '=', conversationId).where('author', '=', 'customer').execute();
    return rows.length === accepted.length;
  }, 20_000, 'every accepted message stored');
});

test("a website visitor's lead and handoff alert the business on WhatsApp, and a bare PREIA takes the web conversation over", async () => {
  const admin = uniquePhone();
  const { widgetId, businessPhone } = await connectedWidget(stack.api, {
    widget: { allowed_origins: [SHOP], admin_phones: [admin], notifications: { lead_alerts: true, alert_channel: 'whatsapp', alert_phone: admin } },
  });
  const visitor = await session(widgetId);
  const post = async (text: string, id: string) => {
    const r = await call('POST', `/public/widgets/${widgetId}/messages`, { token: visitor.token, body: { text, id } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    return r.body as { conversation_id: string };
  };
  const { conversation_id } = await post('Ma numesc Ion Popescu, ion@example.com, cat costa livrarea?', 'lead-1');
  const [leadAlert] = await eventually(async () => {
    const sent = await outbox(stack.api, admin);
    return sent.length > 0 && sent;
  }, 15_000, 'the lead alert');
  assert.equal(leadAlert!.from, businessPhone, "sent from the widget's linked number");
  assert.match(leadAlert!.text, /New Lead Captured!/);
  assert.match(leadAlert!.text, /Ion Popescu/);

  await post('Vreau sa vorbesc cu un om', 'handoff-1');
  await eventually(async () => (await outbox(stack.api, admin)).some((m) => /vizitator al site-ului/.test(m.text)), 15_000, 'the handoff alert');
  await customerSays(stack.api, businessPhone, admin, 'PREIA');
  await eventually(async () => (await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversation_id).executeTakeFirstOrThrow()).mode === 'human', 15_000, 'the takeover');
  await eventually(async () => (await outbox(stack.api, admin)).length === 3, 15_000, 'the confirmation to the admin');
  // The admin's PREIA opened no WhatsApp conversation of its own, and the visitor never saw the command.
  assert.equal((await stack.db.selectFrom('conversations').select('id').where('widget_id', '=', widgetId).where('customer', '=', admin).execute()).length, 0);
  const thread = (await call('GET', `/public/widgets/${widgetId}/messages`, { token: visitor.token })).body.messages as { text: string }[];
  assert.ok(!thread.some((m) => /PREIA/.test(m.text)));

  // Webhooks hear the web conversation's messages, marked with their channel.
  const events = await stack.db.selectFrom('events').select(['event', 'data']).where('conversation_id', '=', conversation_id).execute();
  const names = new Set(events.map((e) => e.event));
  for (const name of ['whatsapp.message.received', 'whatsapp.message.sent', 'lead.captured', 'conversation.handoff_requested', 'conversation.taken_over']) assert.ok(names.has(name), `${name} in ${[...names]}`);
  assert.deepEqual([...new Set(events.map((e) => e.data.channel))], ['web']);
});

test("the widget's public face: its assistant's name and greeting before any session", async () => {
  const widgetId = await webWidget();
  const r = await call('GET', `/public/widgets/${widgetId}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, {
    widget_id: widgetId,
    assistant_name: 'Ana',
    title: 'Web shop',
    greeting: { language: 'ro', text: 'Bună ziua! Sunt Ana, asistentul virtual Web shop. Vă pot răspunde la întrebări despre produsele și serviciile noastre sau vă pot pune în legătură cu un coleg. Cu ce vă pot ajuta?' },
  });
  assert.equal((await call('GET', `/public/widgets/${widgetId}`, { origin: 'https://evil.example' })).status, 403);
});

test("a page on Caty's own origin (the demo page) is allowed where that origin is: its GETs carry no Origin", async () => {
  const own = new URL(stack.apiUrl!).origin;
  const demo = await webWidget([own]);
  const elsewhere = await webWidget([SHOP]);
  const sameOrigin = { origin: null, headers: { 'sec-fetch-site': 'same-origin' } };
  const visitor = await call('POST', `/public/widgets/${demo}/sessions`, { origin: own });
  assert.equal(visitor.status, 201);
  // The GETs a browser sends from the page itself, without Origin: answered, with no CORS headers needed.
  const face = await call('GET', `/public/widgets/${demo}`, sameOrigin);
  assert.equal(face.status, 200, JSON.stringify(face.body));
  assert.equal(face.headers.get('access-control-allow-origin'), null);
  assert.equal((await call('GET', `/public/widgets/${demo}/messages`, { ...sameOrigin, token: visitor.body.token })).status, 200);
  const controller = new AbortController();
  const stream = await fetch(`${stack.apiUrl}/public/widgets/${demo}/stream`, { headers: { 'sec-fetch-site': 'same-origin', authorization: `Bearer ${visitor.body.token}` }, signal: controller.signal });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type')!, /text\/event-stream/);
  controller.abort();
  // A browser too old for Fetch Metadata sends neither header from the page itself.
  assert.equal((await call('GET', `/public/widgets/${demo}`, { origin: null })).status, 200);
  // Forwarded headers count only from a proxy named in CATY_TRUST_PROXY (none here): a client's
  // own X-Forwarded-Host does not change which origin the page is on.
  assert.equal((await call('GET', `/public/widgets/${demo}`, { ...sameOrigin, headers: { ...sameOrigin.headers, 'x-forwarded-host': 'caty.example', 'x-forwarded-proto': 'https' } })).status, 200);

  // Same-origin is not a pass: a widget that does not list Caty's origin refuses its pages.
  const refused = await call('GET', `/public/widgets/${elsewhere}`, sameOrigin);
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, new RegExp(`the page ${own} is not allowed`));
  // A request the browser marks as coming from another site, without an Origin (an image, a link): refused.
  for (const site of ['cross-site', 'same-site', 'none']) {
    const r = await call('GET', `/public/widgets/${demo}`, { origin: null, headers: { 'sec-fetch-site': site } });
    assert.equal(r.status, 403, site);
    assert.match(r.body.error.message, /must carry its Origin/);
  }
  // An Origin always decides, whatever the rest says.
  assert.equal((await call('GET', `/public/widgets/${demo}`, { origin: 'https://evil.example', headers: { 'sec-fetch-site': 'same-origin' } })).status, 403);
});

test("the greeting: the widget's own in the page's language when the widget speaks it, else its default language, else the catalogue's", async () => {
  const greet = async (widgetId: string, lang?: string) => (await call('GET', `/public/widgets/${widgetId}${lang === undefined ? '' : `?lang=${encodeURIComponent(lang)}`}`)).body.greeting;
  const catalogueRo = 'Bună ziua! Sunt Ana, asistentul virtual Web shop. Vă pot răspunde la întrebări despre produsele și serviciile noastre sau vă pot pune în legătură cu un coleg. Cu ce vă pot ajuta?';
  const french = "Bonjour ! Je suis Ana, l'assistant virtuel de Web shop. Je peux répondre à vos questions sur nos produits et services, ou vous mettre en relation avec un collègue. Comment puis-je vous aider ?";
  // Only Romanian: every page gets the Romanian catalogue greeting, whatever it says its language is.
  const romanian = await webWidget();
  for (const lang of ['fr', undefined, '', 'not a language tag', '<script>']) assert.deepEqual(await greet(romanian, lang), { language: 'ro', text: catalogueRo }, lang);

  // A knowledge base translated into French makes it speak French: the French catalogue greeting, for fr and fr-CA pages.
  const knowledge = [{ question: 'Cat costa livrarea?', answer: 'Livrarea costă 15 lei.', translations: { fr: { answer: 'La livraison coûte 15 lei.' } } }];
  const bilingual = (await stack.api.post('/api/widgets', { name: 'Web shop', assistant_name: 'Ana', knowledge_base: knowledge, allowed_origins: [SHOP] })).body.id;
  assert.deepEqual(await greet(bilingual, 'fr-CA'), { language: 'fr', text: french });
  assert.deepEqual(await greet(bilingual, 'de'), { language: 'ro', text: catalogueRo });

  // The widget's own greeting, and its translation, take the catalogue's place; it has no French one, so French stays the catalogue's.
  const greeting = { text: 'Bună! Sunt Ana: întrebați-mă despre livrare.', translations: { en: "Hi! I'm Ana: ask me about delivery." } };
  const own = await stack.api.post('/api/widgets', { name: 'Web shop', assistant_name: 'Ana', knowledge_base: knowledge, allowed_origins: [SHOP], greeting });
  assert.deepEqual(own.body.greeting, greeting);
  assert.deepEqual(await greet(own.body.id, 'ro-RO'), { language: 'ro', text: greeting.text });
  assert.deepEqual(await greet(own.body.id, 'EN'), { language: 'en', text: greeting.translations.en });
  assert.deepEqual(await greet(own.body.id, 'fr'), { language: 'fr', text: french });
  assert.deepEqual(await greet(own.body.id, 'de'), { language: 'ro', text: greeting.text });
  assert.deepEqual(await greet(own.body.id), { language: 'ro', text: greeting.text });

  // PATCH changes it, and null goes back to the catalogue's.
  const changed = await stack.api.patch(`/api/widgets/${own.body.id}`, { greeting: { text: 'Salut!' } });
  assert.deepEqual(changed.body.greeting, { text: 'Salut!' });
  assert.equal((await stack.api.patch(`/api/widgets/${own.body.id}`, { greeting: null })).body.greeting, null);
  assert.equal((await stack.api.get(`/api/widgets/${own.body.id}`)).body.greeting, null);
});

test('a greeting is refused with a message that names the field: empty, too long, a translation into the default language', async () => {
  const widgetId = await webWidget();
  const refusals: [unknown, number, RegExp][] = [
    [{ text: '   ' }, 400, /greeting\.text/],
    [{ text: 'x'.repeat(1001) }, 400, /greeting\.text/],
    [{ text: 'Bună!', translations: { english: 'Hi!' } }, 400, /greeting\.translations/],
    [{ text: 'Bună!', extra: true }, 400, /greeting/],
    [{ text: 'Bună!', translations: { ro: 'Salut!' } }, 422, /greeting\.translations\.ro/],
  ];
  for (const [greeting, status, field] of refusals) {
    const r = await stack.api.patch(`/api/widgets/${widgetId}`, { greeting });
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body.error), field);
  }
  assert.equal((await stack.api.get(`/api/widgets/${widgetId}`)).body.greeting, null, 'nothing saved');
  // Changing the default language to one the greeting is translated into is refused too.
  await stack.api.patch(`/api/widgets/${widgetId}`, { greeting: { text: 'Bună!', translations: { en: 'Hi!' } } });
  assert.equal((await stack.api.patch(`/api/widgets/${widgetId}`, { default_language: 'en' })).status, 422);
  const created = await stack.api.post('/api/widgets', { name: 'Greeted', greeting: { text: 'Bună!' } });
  assert.equal(created.status, 201);
  assert.deepEqual(created.body.greeting, { text: 'Bună!' });
  // The OpenAPI document states it, with its limits.
  const openapi = (await stack.api.get('/openapi.json')).body;
  const documented = openapi.paths['/api/widgets/{widgetId}'].patch.requestBody.content['application/json'].schema.properties.greeting;
  assert.match(JSON.stringify(documented), /"maxLength":1000/);
  assert.match(JSON.stringify(documented), /null removes it/);
  assert.ok(openapi.paths['/public/widgets/{widgetId}'].get.parameters.some((p: { name: string }) => p.name === 'lang'));
});
