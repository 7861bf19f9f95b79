import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createAiProviders } from '../../activities/ai/index.js';
import { aiProfile } from '../../db/queries/widgets.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

/**
 * An OpenAI-compatible /embeddings server on loopback whose vectors the test builds: every text
 * shares one direction (as real multilingual models put all texts close together), a text about a
 * topic the test names (by its words) gets that topic's direction too, and every text a little
 * noise of its own. So a paraphrase with no word in common with an entry lands next to it, and an
 * unrelated question lands with the unrelated background texts.
 */
const DIMENSIONS = 48;
const TOPICS: Record<string, RegExp> = {
  hours: /opening hours|drop by|come round|swing by/i,
  parking: /park|leave (my|the) (car|van)/i,
  cakes: /birthday cake|celebration bake|custom cake/i,
};

function vectorOf(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  vector[0] = 1;
  Object.values(TOPICS).forEach((pattern, i) => {
    if (pattern.test(text)) vector[1 + i] = 0.6;
  });
  const noise = createHash('sha256').update(text).digest();
  for (let i = 4; i < DIMENSIONS; i++) vector[i] = ((noise[i % 32]! / 255) - 0.5) * 0.12;
  return vector;
}

interface EmbeddingsServer {
  url: string;
  /** Inputs of every request, in order. */
  requests: string[][];
  /** Requests still to answer 503 (a busy endpoint). */
  failNext: number;
  /** Answer every request 500 (an endpoint that is down). */
  down: boolean;
  stop(): Promise<void>;
}

async function startEmbeddingsServer(): Promise<EmbeddingsServer> {
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string | string[]; model: string; encoding_format?: string };
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    state.requests.push(inputs);
    if (state.down || state.failNext > 0) {
      state.failNext = Math.max(0, state.failNext - 1);
      response.writeHead(state.down ? 500 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'busy', type: 'server_error' } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ object: 'list', model: body.model, data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })), usage: { prompt_tokens: 1, total_tokens: 1 } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: EmbeddingsServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: [],
    failNext: 0,
    down: false,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return state;
}

let stack: TestStack;
let embeddings: EmbeddingsServer;
let widgetId: string;

const ENTRIES = [
  { question: 'What are your opening hours?', answer: 'We bake from 7:00 to 15:00, Tuesday to Sunday.' },
  { question: 'Do you make birthday cakes?', answer: 'Yes, order a birthday cake three days ahead.', alternatives: ['Can I order a custom cake?', 'Do you take orders for a celebration bake?'] },
  { question: 'Do you deliver bread to restaurants?', answer: 'Yes, every morning before 6:00 within the city.' },
];

before(async () => {
  embeddings = await startEmbeddingsServer();
  stack = await startTestStack({ env: { EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: embeddings.url, EMBEDDINGS_API_KEY: 'test-key', EMBEDDINGS_MODEL: 'test-embedding', EMBEDDINGS_BATCH_SIZE: '2' } });
  // The first request to embed the entries fails: Temporal retries it.
  embeddings.failNext = 1;
  const widget = await stack.api.post('/api/widgets', { name: 'Corner Bakery', default_language: 'en', knowledge_base: ENTRIES });
  assert.equal(widget.status, 201, JSON.stringify(widget.body));
  widgetId = widget.body.id;
});

after(async () => {
  await stack?.stop();
  await embeddings?.stop();
});

async function ask(question: string) {
  const response = await stack.api.post(`/api/widgets/${widgetId}/knowledge/try`, { question, language: 'en' });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.answer as { text: string; source: { kind: string; question?: string; url?: string } } | null;
}

async function entryVectors(): Promise<number> {
  const row = await stack.db.selectFrom('knowledge_entry_vectors').select(stack.db.fn.countAll<string>().as('n')).where('widget_id', '=', widgetId).executeTakeFirstOrThrow();
  return Number(row.n);
}

test('saved entries get a vector per phrasing, in batches, after a failed request is retried', async () => {
  // 3 questions and 2 alternatives.
  await eventually(async () => (await entryVectors()) === 5, 30_000, 'every phrasing to have its vector');
  const phrasings = new Set(ENTRIES.flatMap((e) => [e.question, ...(e.alternatives ?? [])]));
  const batches = embeddings.requests.filter((inputs) => inputs.some((t) => phrasings.has(t)));
  assert.ok(batches.length >= 4, `a failed batch and three of at most two texts (${batches.length})`);
  assert.ok(batches.every((inputs) => inputs.length <= 2), 'EMBEDDINGS_BATCH_SIZE is kept');
  const rows = await stack.db.selectFrom('knowledge_entry_vectors').select(['model', 'embedding']).where('widget_id', '=', widgetId).execute();
  assert.ok(rows.every((r) => r.model === 'test-embedding' && r.embedding.length === DIMENSIONS * 4));
});

test('a paraphrase with no word in common finds its entry; an unrelated question still declines', async () => {
  const paraphrase = 'When can I swing by?';
  assert.deepEqual((await ask(paraphrase))?.source, { kind: 'entry', question: 'What are your opening hours?' });
  assert.deepEqual((await ask('Could you do a celebration bake for my daughter?'))?.source, { kind: 'entry', question: 'Do you make birthday cakes?' });
  assert.equal(await ask('Do you sell concert tickets?'), null, 'nothing in the base is about it');
  assert.equal(await ask('Is the museum open on Mondays?'), null, 'a shared word is not an answer');
  assert.deepEqual((await ask('Do you deliver bread to restaurants?'))?.source, { kind: 'entry', question: 'Do you deliver bread to restaurants?' }, 'the lexical answer stands');

  // Without embeddings configured, the same paraphrase finds nothing: it is the vectors that found it.
  const lexical = createAiProviders({ ...stack.config, EMBEDDINGS_PROVIDER: 'none' }, { db: stack.db }).kb;
  const widget = aiProfile(await stack.db.selectFrom('widgets').selectAll().where('id', '=', widgetId).executeTakeFirstOrThrow());
  assert.equal(await lexical.answer({ widget, message: paraphrase, language: 'en', history: async () => [] }), null);
});

test('passages get vectors when indexed: a paraphrase finds the page; removed, it answers nothing', async () => {
  const markdown = '# Visiting us\n\n## Parking\n\nThere is free parking for customers behind the bakery, entrance from Mill Lane.\n';
  const upload = await stack.api.request('POST', `/api/widgets/${widgetId}/sources/files?filename=visit.md`, markdown, { 'content-type': 'text/markdown', 'content-length': String(Buffer.byteLength(markdown)) });
  assert.equal(upload.status, 202, JSON.stringify(upload.body));
  await eventually(async () => {
    const rows = await stack.db.selectFrom('knowledge_passages').select(['embedding', 'embedding_model']).where('source_id', '=', upload.body.id).execute();
    return rows.length > 0 && rows.every((r) => r.embedding !== null && r.embedding_model === 'test-embedding');
  }, 30_000, 'the passage vectors');
  const answer = await ask('Where do I leave my car?');
  assert.equal(answer?.source.kind, 'passage');
  assert.match(answer!.text, /free parking for customers/);
  assert.equal(await ask('Do you sell concert tickets?'), null);

  assert.equal((await stack.api.request('DELETE', `/api/sources/${upload.body.id}`)).status, 204);
  assert.equal(await ask('Where do I leave my car?'), null, 'a removed source is silent at once, its vectors cached or not');
});

test('an endpoint that is down leaves the question to lexical retrieval', async () => {
  embeddings.down = true;
  try {
    assert.deepEqual((await ask('What are your opening hours, please?'))?.source, { kind: 'entry', question: 'What are your opening hours?' });
    assert.equal(await ask('When can I come round tomorrow?'), null, 'no vector, no paraphrase');
  } finally {
    embeddings.down = false;
  }
  const metrics = (await stack.api.get('/metrics')).body as string;
  assert.match(metrics, /caty_ai_errors_total\{provider="embeddings",kind="transient",reason="status_500"\} [1-9]/);
});
