import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';
import { answerFromFirstEntry, startFakeOpenAi, type FakeOpenAi } from '../support/openai-server.js';
import { gradientPng } from '../support/png.js';
import { connectedWidget, outbox, uniquePhone, conversationSettled } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let fake: FakeOpenAi;
const logged: string[] = [];

before(async () => {
  fake = await startFakeOpenAi();
  const env = { AI_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_TIMEOUT_MS: '500', OPENAI_VISION_MODEL: 'vision-test' };
  stack = await startTestStack({ env, log: (line) => logged.push(line) });
});

after(async () => {
  await stack?.stop();
  await fake?.close();
});

describe('knowledge base over the API', () => {
  test('entries with alternatives and translations are stored and returned; the OpenAPI document describes them', async () => {
    const created = await stack.api.post('/api/widgets', { name: 'Multi', knowledge_base: DEMO_KNOWLEDGE });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.knowledge_base, DEMO_KNOWLEDGE);
    const replaced = await stack.api.request('PUT', `/api/widgets/${created.body.id}/knowledge`, [
      { question: 'Q?', answer: 'A.', alternatives: ['Other Q?'], translations: { en: { answer: 'EN A.' } } },
    ]);
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(replaced.body.knowledge_base, [{ question: 'Q?', answer: 'A.', alternatives: ['Other Q?'], translations: { en: { answer: 'EN A.' } } }]);
    const openapi = await stack.api.get('/openapi.json');
    const text = JSON.stringify(openapi.body);
    assert.ok(text.includes('"translations"') && text.includes('"alternatives"'));
  });

  test('bad entries and business hours get a 400 that says what is wrong', async () => {
    const widget = await stack.api.post('/api/widgets', { name: 'Checks' });
    const put = (body: unknown) => stack.api.request('PUT', `/api/widgets/${widget.body.id}/knowledge`, body);
    // Malformed (what the OpenAPI document forbids) is a 400; well-formed but against the widget (a
    // translation into its own default language) is a 422.
    const cases: [unknown, RegExp, number][] = [
      [[{ question: 'Q', answer: 'A', translations: { EN: { answer: 'x' } } }], /ISO 639-1/, 400],
      [[{ question: 'Q', answer: 'A', translations: { english: { answer: 'x' } } }], /ISO 639-1/, 400],
      [[{ question: 'Q', answer: 'A', translations: { en: { question: 'Q' } } }], /answer/, 400],
      [[{ question: 'Q', answer: 'A', translations: { en: { answer: '  ' } } }], /must not be empty/, 400],
      [[{ question: 'Q', answer: 'A', alternatives: Array.from({ length: 21 }, (_, i) => `q${i}`) }], /at most 20 alternatives/, 400],
      [[{ question: 'Q', answer: 'A', translation: { en: { answer: 'x' } } }], /translation/, 400],
      [[{ question: 'Q', answer: 'A', translations: { ro: { answer: 'x' } } }], /default language/, 422],
    ];
    for (const [body, message, status] of cases) {
      const response = await put(body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.match(JSON.stringify(response.body.error), message, JSON.stringify(response.body));
    }
    const hours: [unknown, RegExp, number][] = [
      [{ timezone: 'Mars/Olympus', days: {} }, /IANA time zone/, 400],
      [{ timezone: 'Europe/Bucharest', days: { monday: [['09:00', '18:00']] } }, /monday/, 400],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '25:00']] } }, /must be a time like/, 400],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '09:00']] } }, /empty/, 422],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '13:00'], ['12:00', '18:00']] } }, /overlap/, 422],
    ];
    for (const [business_hours, message, status] of hours) {
      const response = await stack.api.patch(`/api/widgets/${widget.body.id}`, { business_hours });
      assert.equal(response.status, status, JSON.stringify(business_hours));
      assert.match(JSON.stringify(response.body.error), message, JSON.stringify(response.body));
    }
    const overnight = await stack.api.patch(`/api/widgets/${widget.body.id}`, {
      business_hours: { timezone: 'Europe/Bucharest', days: { fri: [['09:00', '13:00'], ['22:00', '02:00']], sat: [['00:00', '24:00']] } },
    });
    assert.equal(overnight.status, 200, JSON.stringify(overnight.body));
  });
});

describe('a conversation answered by an OpenAI-compatible model', () => {
  test('each message reaches the model once, with the earlier turns once each, and is answered once', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const customer = uniquePhone();
    const from = fake.requests.length;
    const say = (text: string) => stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text });
    assert.equal((await say('Bonjour, combien coûte la livraison ?')).status, 202);
    await eventually(async () => (await outbox(stack.api, customer)).length === 1);
    assert.equal((await say('Et vous acceptez les paiements par carte ?')).status, 202);
    const replies = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length === 2 && out;
    });
    assert.equal(replies[0]!.text, 'La livraison coûte 15 lei et elle est gratuite dès 200 lei de commande.');
    assert.equal(replies[1]!.text, 'Nous acceptons la carte en ligne, le virement bancaire et le paiement à la livraison.');
    const calls = fake.requests.slice(from);
    assert.equal(calls.length, 2);
    assert.deepEqual(
      calls[1]!.body.messages!.slice(1).map((m) => [m.role, m.content]),
      [
        ['user', 'Bonjour, combien coûte la livraison ?'],
        ['assistant', replies[0]!.text],
        ['user', 'Et vous acceptez les paiements par carte ?'],
      ],
    );
    assert.match(calls[1]!.body.messages![0]!.content, /Always write in French/);
  });
});

describe('a photo and a model that sees images (OPENAI_VISION_MODEL)', () => {
  test("the photo reaches the vision model as an image part of the customer's turn, after the earlier turns, and the model's answer is sent", async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const customer = uniquePhone();
    const say = async (body: Record<string, unknown>) => assert.equal((await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, ...body })).status, 202);
    await say({ text: 'Bună ziua, cât costă livrarea?' });
    const [first] = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length === 1 && out;
    });
    const seen = 'Este un buchet de trandafiri roz; îl avem în stoc la 150 lei.';
    fake.enqueue({ structured: { answered: true, entry: 0, answer: seen } });
    const from = fake.requests.length;
    const photo = gradientPng(64, 48);
    await say({ media: { kind: 'image', mime_type: 'image/png', data: photo.toString('base64') } });
    const replies = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length === 2 && out;
    }, 20_000, 'the answer to the photo');
    assert.equal(replies[1]!.text, seen);
    const [request] = fake.requests.slice(from);
    assert.equal(request!.body.model, 'vision-test');
    const turns = request!.body.messages as unknown as { role: string; content: string | { type: string; text?: string; image_url?: { url: string } }[] }[];
    assert.deepEqual(
      turns.slice(1, -1).map((m) => [m.role, m.content]),
      [
        ['user', 'Bună ziua, cât costă livrarea?'],
        ['assistant', first!.text],
      ],
      'the conversation before the photo, once',
    );
    const last = turns.at(-1)!;
    assert.equal(last.role, 'user');
    const parts = last.content as { type: string; text?: string; image_url?: { url: string } }[];
    assert.deepEqual(parts.map((p) => p.type), ['text', 'image_url']);
    const url = parts[1]!.image_url!.url;
    assert.ok(url.startsWith('data:image/png;base64,'), url.slice(0, 40));
    assert.deepEqual(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'), photo, 'the very bytes the customer sent');
  });
});

describe('when the model fails (the conversation retries it a bounded number of times, then the knowledge base answers)', () => {
  async function ask(text: string, options: { businessPhone?: string; customer?: string } = {}) {
    const businessPhone = options.businessPhone ?? (await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } })).businessPhone;
    const customer = options.customer ?? uniquePhone();
    const sent = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const [reply] = await eventually(async () => {
      const out = await outbox(stack.api, customer);
      return out.length > 0 && out;
    }, 20_000, 'the reply');
    return { reply: reply!, customer, conversationId: sent.body.conversation_id as string };
  }

  async function settled(customer: string, conversationId: string, count: number) {
    await conversationSettled(stack, conversationId, { customerMessages: count });
    assert.equal((await outbox(stack.api, customer)).length, count, 'answered once, never twice');
  }

  test('a 500 then success: retried, the model answers once', async () => {
    const from = fake.requests.length;
    fake.enqueue({ status: 500 }, { structured: { answered: true, entry: 1, answer: 'From the model.' } });
    const { reply, customer, conversationId } = await ask('how much is delivery');
    assert.equal(reply.text, 'From the model.');
    assert.equal(fake.requests.length - from, 2);
    await settled(customer, conversationId, 1);
  });

  test('a slow model: the attempt times out, the retry answers once', async () => {
    const from = fake.requests.length;
    fake.enqueue({ delayMs: 1500, structured: { answered: true, entry: 1, answer: 'too late' } }, { structured: { answered: true, entry: 1, answer: 'In time.' } });
    const { reply, customer, conversationId } = await ask('how much is delivery');
    assert.equal(reply.text, 'In time.');
    assert.equal(fake.requests.length - from, 2);
    await settled(customer, conversationId, 1);
  });

  test('an outage: three tries, then the knowledge base answers, once', async () => {
    const from = fake.requests.length;
    fake.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    const { reply, customer, conversationId } = await ask('how much is delivery');
    assert.equal(reply.text, 'Shipping costs 15 lei and is free for orders over 200 lei.');
    assert.equal(fake.requests.length - from, 3, 'three tries, no more');
    await settled(customer, conversationId, 1);
    const stored = (await stack.api.get(`/api/conversations/${conversationId}/messages`)).body;
    assert.deepEqual(stored.map((m: { author: string; language: string }) => [m.author, m.language]), [['customer', 'en'], ['ai', 'en']]);
  });

  test('an outage during a burst: every message answered exactly once', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const customers = [uniquePhone(), uniquePhone(), uniquePhone()];
    fake.setFallback({ status: 503 });
    try {
      await Promise.all(
        customers.flatMap((customer) =>
          ['how much is delivery', 'do you accept card payments?'].map((text, i) =>
            stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text, id: `burst-${customer}-${i}` }),
          ),
        ),
      );
      for (const customer of customers) {
        await eventually(async () => (await outbox(stack.api, customer)).length === 2, 30_000, 'both answered');
      }
    } finally {
      fake.setFallback(answerFromFirstEntry);
    }
    await new Promise((r) => setTimeout(r, 1500));
    for (const customer of customers) {
      const texts = (await outbox(stack.api, customer)).map((m) => m.text).sort();
      assert.deepEqual(texts, ['Shipping costs 15 lei and is free for orders over 200 lei.', 'We accept cards online, bank transfer and cash on delivery.'].sort());
    }
  });

  test('a wrong key: no retries, logged, counted in /metrics, and the knowledge base answers in the customer language with the lead-in when it must', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const from = fake.requests.length;
    const { reply } = await ask('Welche Zahlungsarten gibt es?', { businessPhone });
    assert.equal(reply.text, 'Wir akzeptieren Kartenzahlung online, Überweisung und Nachnahme.');
    assert.equal(fake.requests.length - from, 1, 'not retried');
    assert.ok(logged.some((l) => l.includes('status_401') && l.includes('Incorrect API key provided')));
    const metrics = await stack.api.get('/metrics');
    assert.match(metrics.body, /caty_ai_errors_total\{provider="openai",kind="permanent",reason="status_401"\} [1-9]/);
    assert.match(metrics.body, /caty_ai_request_duration_seconds_count\{provider="openai",outcome="answered"\} [1-9]/);

    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const leadIn = await ask('Wo ist euer Laden?', { businessPhone });
    assert.equal(leadIn.reply.text, 'Diese Antwort habe ich nur auf Rumänisch:\nShowroom-ul nostru este pe Strada Lipscani 10, București.');
    // The outbox has the reply as soon as it is sent; the thread records it just after.
    const stored = await eventually(async () => {
      const thread = (await stack.api.get(`/api/conversations/${leadIn.conversationId}/messages`)).body;
      return thread.length >= 2 && thread;
    });
    assert.equal(stored.at(-1).language, 'ro', 'the stored reply records the language it is really in');
  });
});
