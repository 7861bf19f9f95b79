import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { register } from 'prom-client';
import { AI_UNAVAILABLE } from '../../activities/ai/errors.js';
import { KnowledgeBaseProvider } from '../../activities/ai/kb/kb-provider.js';
import { OpenAiProvider, type OpenAiProviderOptions } from '../../activities/ai/openai-provider.js';
import type { AiRequest, AiWidgetProfile, ConversationTurn } from '../../activities/ai/provider.js';
import { DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';
import { promptEntries, startFakeOpenAi, type FakeOpenAi } from '../support/openai-server.js';

const widget: AiWidgetProfile = {
  id: 'wgt_ai',
  name: 'Magazinul Demo',
  assistantName: 'Caty',
  personality: 'Prietenoasă și concisă.',
  defaultLanguage: 'ro',
  knowledgeBase: DEMO_KNOWLEDGE,
  version: 'v1',
};

let server: FakeOpenAi;
let logged: string[];

before(async () => {
  server = await startFakeOpenAi();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  logged = [];
});

function provider(options: Partial<OpenAiProviderOptions> = {}): OpenAiProvider {
  return new OpenAiProvider(
    { baseUrl: server.baseUrl, apiKey: 'sk-test', model: 'test-model', timeoutMs: 2000, structuredOutput: 'auto', log: (line) => logged.push(line), ...options },
    new KnowledgeBaseProvider(),
  );
}

function request(message: string, language: string, history: ConversationTurn[] = []): AiRequest {
  return { widget, message, language, history: async () => history };
}

async function errorCount(kind: string, reason: string): Promise<number> {
  const metric = await register.getSingleMetric('caty_ai_errors_total')!.get();
  return metric.values.find((v) => v.labels.provider === 'openai' && v.labels.kind === kind && v.labels.reason === reason)?.value ?? 0;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the call to fail');
}

test('the prompt holds the retrieved entries in the customer language, the rules and the history once each', async () => {
  const history: ConversationTurn[] = [
    { author: 'customer', text: 'Bonjour' },
    { author: 'ai', text: 'Bonjour ! Comment puis-je vous aider ?' },
  ];
  const question = 'Combien coûte la livraison ?';
  server.enqueue({ structured: { answered: true, entry: 1, answer: 'La livraison coûte 15 lei, gratuite dès 200 lei.' } });
  const answer = await provider().answer(request(question, 'fr', history));

  assert.deepEqual(answer, { text: 'La livraison coûte 15 lei, gratuite dès 200 lei.', topic: 'Cât costă livrarea?', confidence: 0.9, language: 'fr', source: { kind: 'entry', question: 'Cât costă livrarea?' } });
  assert.equal(server.requests.length, 1);
  const sent = server.requests[0]!;
  assert.equal(sent.headers.authorization, 'Bearer sk-test');
  assert.equal(sent.body.model, 'test-model');
  assert.equal(sent.body.response_format?.type, 'json_schema');
  const messages = sent.body.messages!;
  const system = messages[0]!;
  assert.equal(system.role, 'system');
  assert.match(system.content, /You are Caty, the customer assistant of Magazinul Demo/);
  assert.match(system.content, /Prietenoasă și concisă/);
  assert.match(system.content, /Always write in French \(language code "fr"\)/);
  assert.match(system.content, /never use outside knowledge/);
  const entries = promptEntries(sent);
  assert.equal(entries[0]?.question, 'Combien coûte la livraison ?', 'the best entry first, in French');
  assert.equal(entries[0]?.answer, 'La livraison coûte 15 lei et elle est gratuite dès 200 lei de commande.');
  assert.ok(entries.length <= 5 && entries.length < DEMO_KNOWLEDGE.length, 'only the retrieved entries, not the whole base');
  assert.ok(!system.content.includes('Showroom'), 'an unrelated entry is not in the prompt');
  // History then the question, each once.
  assert.deepEqual(
    messages.slice(1).map((m) => [m.role, m.content]),
    [
      ['user', 'Bonjour'],
      ['assistant', 'Bonjour ! Comment puis-je vous aider ?'],
      ['user', question],
    ],
  );
});

test('an entry the model says does not answer gives no answer (the caller sends the fallback)', async () => {
  server.enqueue({ structured: { answered: false, entry: 0, answer: '' } });
  assert.equal(await provider().answer(request('Vindeți biciclete?', 'ro')), null);
});

test('a server without structured output: refused once, then plain answers with the sentinel', async () => {
  const plain = await startFakeOpenAi({ structuredOutput: false });
  try {
    const ai = provider({ baseUrl: plain.baseUrl });
    plain.enqueue({ structured: { answered: true, entry: 1, answer: 'Shipping is 15 lei.' } }, { structured: { answered: false, entry: 0, answer: '' } });
    const answer = await ai.answer(request('how much is delivery', 'en'));
    assert.equal(answer?.text, 'Shipping is 15 lei.');
    assert.equal(answer?.topic, 'Cât costă livrarea?');
    assert.equal(await ai.answer(request('do you sell bikes?', 'en')), null, 'NO_ANSWER declines');
    assert.deepEqual(
      plain.requests.map((r) => r.body.response_format?.type ?? 'plain'),
      ['json_schema', 'plain', 'plain'],
      'the refusal is remembered: later requests go plain at once',
    );
    assert.match(plain.requests[1]!.body.messages![0]!.content, /reply with exactly NO_ANSWER/);
    assert.ok(logged.some((l) => l.includes('does not support structured output')));
  } finally {
    await plain.close();
  }
});

test('a slow server times out: a retryable failure, counted', async () => {
  const before = await errorCount('transient', 'timeout');
  server.enqueue({ delayMs: 1500, structured: { answered: true, entry: 1, answer: 'late' } });
  const error = await rejection(provider({ timeoutMs: 300 }).answer(request('how much is delivery', 'en')));
  assert.ok(error instanceof ApplicationFailure);
  assert.equal(error.type, AI_UNAVAILABLE);
  assert.equal(error.nonRetryable, false);
  assert.match(error.message, /timeout/);
  assert.equal(await errorCount('transient', 'timeout'), before + 1);
});

test('500 and 429 are retryable failures; connection refused too', async () => {
  for (const status of [500, 503, 429]) {
    const before = await errorCount('transient', `status_${status}`);
    server.enqueue({ status });
    const error = await rejection(provider().answer(request('how much is delivery', 'en')));
    assert.ok(error instanceof ApplicationFailure && error.type === AI_UNAVAILABLE && !error.nonRetryable, `status ${status}`);
    assert.equal(await errorCount('transient', `status_${status}`), before + 1);
  }
  const closed = await startFakeOpenAi();
  const url = closed.baseUrl;
  await closed.close();
  const error = await rejection(provider({ baseUrl: url }).answer(request('how much is delivery', 'en')));
  assert.ok(error instanceof ApplicationFailure && error.type === AI_UNAVAILABLE);
  assert.match(error.message, /connection/);
});

test('401 is permanent: logged with its cause, counted, and the knowledge base answers at once', async () => {
  const before = await errorCount('permanent', 'status_401');
  server.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
  const answer = await provider().answer(request('how much is delivery', 'en'));
  assert.deepEqual({ text: answer?.text, topic: answer?.topic, language: answer?.language }, {
    text: 'Shipping costs 15 lei and is free for orders over 200 lei.',
    topic: 'Cât costă livrarea?',
    language: 'en',
  });
  assert.equal(server.requests.length, 1, 'not retried');
  assert.equal(await errorCount('permanent', 'status_401'), before + 1);
  assert.ok(logged.some((l) => l.includes('status_401') && l.includes('Incorrect API key provided')), logged.join('\n'));
  assert.ok(!logged.some((l) => l.includes('sk-test')), 'the key is never logged');
});

test('404 (unknown model) is permanent too; an unreadable answer falls back and is counted', async () => {
  server.enqueue({ status: 404, errorMessage: 'The model `nope` does not exist' });
  assert.equal((await provider({ model: 'nope' }).answer(request('Pot returna un produs?', 'ro')))?.topic, 'Pot returna un produs?');
  const before = await errorCount('invalid_output', 'json_schema');
  server.enqueue({ content: 'not json at all' });
  assert.equal((await provider().answer(request('Pot returna un produs?', 'ro')))?.topic, 'Pot returna un produs?');
  assert.equal(await errorCount('invalid_output', 'json_schema'), before + 1);
});

test('the latency histogram records each request by outcome', async () => {
  const count = async (outcome: string) =>
    (await register.getSingleMetric('caty_ai_request_duration_seconds')!.get()).values.find(
      (v) => (v as { metricName?: string }).metricName === 'caty_ai_request_duration_seconds_count' && v.labels.outcome === outcome,
    )?.value ?? 0;
  const answered = await count('answered');
  const declined = await count('declined');
  server.enqueue({ structured: { answered: true, entry: 1, answer: 'x' } }, { structured: { answered: false, entry: 0, answer: '' } });
  await provider().answer(request('how much is delivery', 'en'));
  await provider().answer(request('do you sell bikes', 'en'));
  assert.equal(await count('answered'), answered + 1);
  assert.equal(await count('declined'), declined + 1);
});
