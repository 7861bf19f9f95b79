/**
 * `npm run bench:vectors`: the scan that semantic retrieval runs without pgvector. Seeds
 * BENCH_VECTORS_PASSAGES (50,000) passages of one widget with unit vectors of
 * BENCH_VECTORS_DIMENSIONS (384, multilingual-e5-small's) into PostgreSQL, as the indexing
 * activities store them, then prints: the first read of the widget's vectors into memory, a
 * question's cost afterwards (the version query and the scan, median and p95 of
 * BENCH_VECTORS_QUESTIONS), and the scan alone. Random vectors: the scan reads every passage
 * whatever they hold.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { nearest, SemanticRetrieval } from '../../activities/ai/embeddings/semantic.js';
import { unit } from '../../activities/ai/embeddings/embedder.js';
import { storePassageVectors } from '../../db/queries/vectors.js';
import { startTestStack } from '../support/stack.js';

const passages = Number(process.env.BENCH_VECTORS_PASSAGES ?? 50_000);
const dimensions = Number(process.env.BENCH_VECTORS_DIMENSIONS ?? 384);
const questions = Number(process.env.BENCH_VECTORS_QUESTIONS ?? 50);
const model = 'bench-model';

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
const randomVector = () => unit(Array.from({ length: dimensions }, random));
const embedder = { model, embed: async (texts: string[]) => texts.map(() => randomVector()) };

const stack = await startTestStack({ runWorker: false, gateway: false });
try {
  const widget = await stack.api.post('/api/widgets', { name: 'Bench', default_language: 'en' });
  const widgetId: string = widget.body.id;
  const { account_id } = await stack.db.selectFrom('widgets').select('account_id').where('id', '=', widgetId).executeTakeFirstOrThrow();
  await stack.db
    .insertInto('knowledge_sources')
    .values({ id: 'src_bench', account_id, widget_id: widgetId, type: 'file', filename: 'bench.txt', options: '{}', status: 'ready', error: null, sync_key: null, robots_txt: null, last_synced_at: null, url: null, content_type: null })
    .execute();
  await stack.db.insertInto('knowledge_pages').values({ source_id: 'src_bench', url: 'bench.txt', queued_sync: 1, status: 'indexed', error: null, title: null, language: 'en', etag: null, last_modified: null, content_hash: null, fetched_at: null }).execute();
  let started = performance.now();
  const ids = (
    await sql<{ id: string }>`
      insert into knowledge_passages (source_id, page_url, widget_id, title, heading, text, language, terms, heading_terms, content_hash)
      select 'src_bench', 'bench.txt', ${widgetId}, 'Bench', '', 'passage ' || n, 'en', '{}', '{}', md5(n::text) from generate_series(1, ${passages}) n
      returning id`.execute(stack.db)
  ).rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 1000) await storePassageVectors(stack.db, model, ids.slice(i, i + 1000).map((id) => ({ id, vector: randomVector() })));
  console.log(`seeded ${passages} passages of ${dimensions} dimensions in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const semantic = new SemanticRetrieval(stack.db, embedder);
  const profile = { id: widgetId, version: 'bench', knowledgeBase: [] };
  const question = await semantic.question('a question');
  started = performance.now();
  await semantic.nearestPassages(profile, question!, 20);
  console.log(`first question (reads the widget's vectors into memory): ${(performance.now() - started).toFixed(0)} ms`);
  const matrix = new Float32Array(passages * dimensions).map(random);
  const times: number[] = [];
  const scans: number[] = [];
  for (let i = 0; i < questions; i++) {
    const q = await semantic.question(`question ${i}`);
    let t = performance.now();
    const found = await semantic.nearestPassages(profile, q!, 20);
    times.push(performance.now() - t);
    if (found.length !== 20) throw new Error(`expected 20 passages, got ${found.length}`);
    t = performance.now();
    nearest(matrix, dimensions, q!.vector, 20);
    scans.push(performance.now() - t);
  }
  const at = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))]!;
  console.log(`a question afterwards (version query + scan of ${passages}): median ${at(times, 0.5).toFixed(1)} ms, p95 ${at(times, 0.95).toFixed(1)} ms over ${questions}`);
  console.log(`the scan alone: median ${at(scans, 0.5).toFixed(1)} ms, p95 ${at(scans, 0.95).toFixed(1)} ms`);
  console.log(`memory: ${((passages * dimensions * 4) / 1024 / 1024).toFixed(0)} MB of vectors for the widget`);
} finally {
  await stack.stop();
}
