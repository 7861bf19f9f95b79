/**
 * `npm run eval:ai`: how well each AI provider answers a labelled set of customer questions in nine
 * languages (typos, no diacritics, synonyms, questions the base cannot answer) against the demo's
 * multilingual knowledge base. Prints, per provider and language, the share of answerable
 * questions answered with the right entry, the share of unanswerable ones correctly declined, and
 * the wrong answers. `kb` always runs; `openai` runs when OPENAI_API_KEY is set (with the other
 * OPENAI_* settings of config/index.ts).
 *
 * Two sets: `ai-questions.tsv` (the development set the lexicon was tuned on) and
 * `ai-questions-holdout.tsv` (written before tuning and left alone since: the honest figure).
 */
import { createAiProviders } from '../../activities/ai/index.js';
import type { AiProvider } from '../../activities/ai/provider.js';
import { loadConfig } from '../../config/index.js';
import { DEMO_DEFAULT_LANGUAGE, DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';
import { entryName, labelledQuestions, type LabelledQuestion } from './questions.js';

const widget = {
  id: 'wgt_eval',
  name: 'Magazinul Demo',
  assistantName: 'Caty',
  personality: 'Prietenoasă și concisă.',
  defaultLanguage: DEMO_DEFAULT_LANGUAGE,
  knowledgeBase: DEMO_KNOWLEDGE,
  version: 'eval',
};

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

async function evaluate(provider: AiProvider, questions: LabelledQuestion[]): Promise<Map<string, Tally>> {
  const tallies = new Map<string, Tally>();
  for (const q of questions) {
    const tally = tallies.get(q.language) ?? empty();
    tallies.set(q.language, tally);
    let got: string | null;
    let language: string | null = null;
    try {
      const answer = await provider.answer({ widget, message: q.question, language: q.language, history: async () => [] });
      got = answer ? (entryName(answer.topic) ?? 'unmatched') : null;
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

function report(provider: string, set: string, tallies: Map<string, Tally>): void {
  console.log(`\n${provider} · ${set}`);
  console.log('lang  questions  right answer  correctly declined  wrong  missed  right in customer language');
  const total = empty();
  for (const [language, t] of [...tallies].sort(([a], [b]) => a.localeCompare(b))) {
    for (const key of ['answerable', 'right', 'unanswerable', 'declined', 'wrong', 'missed', 'inLanguage'] as const) total[key] += t[key];
    console.log(
      `${language.padEnd(4)}  ${String(t.answerable + t.unanswerable).padStart(9)}  ${pct(t.right, t.answerable)} (${t.right}/${t.answerable})`.padEnd(36) +
        `  ${pct(t.declined, t.unanswerable)} (${t.declined}/${t.unanswerable})`.padEnd(20) +
        `  ${String(t.wrong).padStart(5)}  ${String(t.missed).padStart(6)}  ${pct(t.inLanguage, t.right)}`,
    );
  }
  console.log(
    `all   ${String(total.answerable + total.unanswerable).padStart(9)}  ${pct(total.right, total.answerable)} (${total.right}/${total.answerable})`.padEnd(36) +
      `  ${pct(total.declined, total.unanswerable)} (${total.declined}/${total.unanswerable})`.padEnd(20) +
      `  ${String(total.wrong).padStart(5)}  ${String(total.missed).padStart(6)}  ${pct(total.inLanguage, total.right)}`,
  );
  const failures = [...tallies].flatMap(([language, t]) => t.failures.map((f) => `  ${language}: ${f}`));
  if (failures.length && process.env.EVAL_VERBOSE !== '0') console.log(failures.join('\n'));
}

const config = loadConfig({ ...process.env, AI_PROVIDER: process.env.OPENAI_API_KEY ? 'openai' : 'kb' });
const providers = createAiProviders(config, { log: (line) => console.error(line) });
const runs: [string, AiProvider][] = [['kb', providers.kb]];
if (providers.configured !== providers.kb) runs.push([`openai (${config.OPENAI_MODEL} at ${config.OPENAI_BASE_URL})`, providers.configured]);
else console.log('openai: skipped (set OPENAI_API_KEY, and OPENAI_BASE_URL / OPENAI_MODEL as needed, to evaluate it)');

for (const [name, provider] of runs) {
  for (const [set, file] of [
    ['development set', './ai-questions.tsv'],
    ['held-out set', './ai-questions-holdout.tsv'],
  ] as const) {
    report(name, set, await evaluate(provider, labelledQuestions(file)));
  }
}
