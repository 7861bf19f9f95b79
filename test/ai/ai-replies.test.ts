import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { createAiProviders } from '../../activities/ai/index.js';
import { createComposeReplyActivities } from '../../activities/conversation/compose-reply.js';
import type { ComposedReply } from '../../activities/conversation/activities.js';
import { DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/openai-server.js';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

const COMPOSE_QUEUE = 'ai-compose-test';

let stack: TestStack;
let fake: FakeOpenAi;
let worker: Worker;
let running: Promise<void>;
const logged: string[] = [];

before(async () => {
  fake = await startFakeOpenAi();
  const env = { AI_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_TIMEOUT_MS: '500' };
  stack = await startTestStack({ env });
  // A worker that runs reply composition the way the conversation does (workflows/ai/compose.ts).
  const ai = createAiProviders(stack.config, { log: (line) => logged.push(line) });
  worker = await Worker.create({
    connection: stack.workerConnection,
    namespace: stack.config.TEMPORAL_NAMESPACE,
    taskQueue: COMPOSE_QUEUE,
    workflowsPath: fileURLToPath(new URL('../support/compose-workflow.ts', import.meta.url)),
    activities: createComposeReplyActivities({ db: stack.db, ai: ai.configured, kb: ai.kb }),
  });
  running = worker.run();
});

after(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await stack?.stop();
  await fake?.close();
});

async function compose(widgetId: string, text: string, language: string): Promise<ComposedReply> {
  return stack.client.workflow.execute('composeReplyWorkflow', {
    taskQueue: COMPOSE_QUEUE,
    workflowId: `compose-${Math.random().toString(36).slice(2)}`,
    args: [{ widgetId, conversationId: 'cnv_none', messageId: 'msg_none', text, language }],
  });
}

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
    const cases: [unknown, RegExp][] = [
      [[{ question: 'Q', answer: 'A', translations: { EN: { answer: 'x' } } }], /ISO 639-1/],
      [[{ question: 'Q', answer: 'A', translations: { english: { answer: 'x' } } }], /ISO 639-1/],
      [[{ question: 'Q', answer: 'A', translations: { en: { question: 'Q' } } }], /answer/],
      [[{ question: 'Q', answer: 'A', translations: { en: { answer: '  ' } } }], /must not be empty/],
      [[{ question: 'Q', answer: 'A', alternatives: Array.from({ length: 21 }, (_, i) => `q${i}`) }], /at most 20 alternatives/],
      [[{ question: 'Q', answer: 'A', translation: { en: { answer: 'x' } } }], /translation/],
      [[{ question: 'Q', answer: 'A', translations: { ro: { answer: 'x' } } }], /default language/],
    ];
    for (const [body, message] of cases) {
      const response = await put(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(JSON.stringify(response.body.error), message, JSON.stringify(response.body));
    }
    const hours: [unknown, RegExp][] = [
      [{ timezone: 'Mars/Olympus', days: {} }, /IANA time zone/],
      [{ timezone: 'Europe/Bucharest', days: { monday: [['09:00', '18:00']] } }, /monday/],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '25:00']] } }, /must be a time like/],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '09:00']] } }, /empty/],
      [{ timezone: 'Europe/Bucharest', days: { mon: [['09:00', '13:00'], ['12:00', '18:00']] } }, /overlap/],
    ];
    for (const [business_hours, message] of hours) {
      const response = await stack.api.patch(`/api/widgets/${widget.body.id}`, { business_hours });
      assert.equal(response.status, 400, JSON.stringify(business_hours));
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

describe('reply composition as an activity (the policy the conversation uses)', () => {
  test('a 500 then success: retried, the model answers', async () => {
    const { widgetId } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const from = fake.requests.length;
    fake.enqueue({ status: 500 }, { structured: { answered: true, entry: 1, answer: 'From the model.' } });
    const reply = await compose(widgetId, 'how much is delivery', 'en');
    assert.deepEqual(reply, { text: 'From the model.', topic: 'Cât costă livrarea?', fromKnowledgeBase: true, language: 'en' });
    assert.equal(fake.requests.length - from, 2);
  });

  test('a slow model: the attempt times out, the retry answers', async () => {
    const { widgetId } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const from = fake.requests.length;
    fake.enqueue({ delayMs: 1500, structured: { answered: true, entry: 1, answer: 'too late' } }, { structured: { answered: true, entry: 1, answer: 'In time.' } });
    const reply = await compose(widgetId, 'how much is delivery', 'en');
    assert.equal(reply.text, 'In time.');
    assert.equal(fake.requests.length - from, 2);
  });

  test('an outage: a bounded number of tries, then the knowledge base answers', async () => {
    const { widgetId } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    const from = fake.requests.length;
    fake.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    const reply = await compose(widgetId, 'how much is delivery', 'en');
    assert.deepEqual(reply, { text: 'Shipping costs 15 lei and is free for orders over 200 lei.', topic: 'Cât costă livrarea?', fromKnowledgeBase: true, language: 'en' });
    assert.equal(fake.requests.length - from, 3, 'three tries, no more');
  });

  test('a wrong key: no retries, logged, counted in /metrics, and the knowledge base answers in the customer language with the lead-in when it must', async () => {
    const { widgetId } = await connectedWidget(stack.api, { widget: { knowledge_base: DEMO_KNOWLEDGE } });
    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const from = fake.requests.length;
    const reply = await compose(widgetId, 'Welche Zahlungsarten gibt es?', 'de');
    assert.equal(reply.text, 'Wir akzeptieren Kartenzahlung online, Überweisung und Nachnahme.');
    assert.equal(fake.requests.length - from, 1, 'not retried');
    assert.ok(logged.some((l) => l.includes('status_401') && l.includes('Incorrect API key provided')));
    const metrics = await stack.api.get('/metrics');
    assert.match(metrics.body, /caty_ai_errors_total\{provider="openai",kind="permanent",reason="status_401"\} [1-9]/);
    assert.match(metrics.body, /caty_ai_request_duration_seconds_count\{provider="openai",outcome="answered"\} [1-9]/);

    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const untranslated = await compose(widgetId, 'Welche Garantie haben die Produkte?', 'de');
    assert.equal(untranslated.text, 'Alle Produkte haben 2 Jahre Garantie.');
    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const leadIn = await compose(widgetId, 'Wo ist euer Laden?', 'de');
    assert.deepEqual(leadIn, {
      text: 'Diese Antwort habe ich nur auf Rumänisch:\nShowroom-ul nostru este pe Strada Lipscani 10, București.',
      topic: 'Unde se află magazinul?',
      fromKnowledgeBase: true,
      language: 'ro',
    });
  });
});
