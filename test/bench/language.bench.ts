/**
 * Language detection benchmark on the chat dev set (the first twenty languages) and on the chat
 * messages of the forty added after them: accuracy raw and with the conversation policy, the
 * short-message slice, Romanian confusion, throughput and memory.
 *
 *   npm run bench:language            # ../shared/data/lang-dev.tsv next to the repo
 *   LANG_DEV_SET=path.tsv npm run bench:language
 *
 * The last line is JSON for machines: {"accuracy","accuracy_policy","ro_accuracy_policy",
 * "false_ro","more_accuracy","more_accuracy_policy","more_short_accuracy","per_second","rss_mb"}.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

interface Sample {
  expected: string;
  text: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const datasetPath = process.env.LANG_DEV_SET ?? resolve(repoRoot, '..', 'shared', 'data', 'lang-dev.tsv');
const moreLanguagesPath = resolve(repoRoot, 'test', 'language', 'fixtures', 'chat-more-languages.tsv');

function loadSamples(path: string): Sample[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const tab = line.indexOf('\t');
      if (tab < 0) throw new Error(`${path}: expected "lang<TAB>text", got ${JSON.stringify(line)}`);
      return { expected: line.slice(0, tab).trim(), text: line.slice(tab + 1) };
    });
}

async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  return process.memoryUsage().rss;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}]/u.test(w)).length;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

class Tally {
  readonly perLanguage = new Map<string, { ok: number; total: number }>();
  ok = 0;
  total = 0;

  add(expected: string, ok: boolean): void {
    const entry = this.perLanguage.get(expected) ?? { ok: 0, total: 0 };
    entry.total++;
    this.total++;
    if (ok) {
      entry.ok++;
      this.ok++;
    }
    this.perLanguage.set(expected, entry);
  }

  accuracy(language?: string): number {
    if (language === undefined) return percent(this.ok, this.total);
    const entry = this.perLanguage.get(language);
    return entry ? percent(entry.ok, entry.total) : 0;
  }
}

type Detection = typeof import('../../activities/language/index.js');

interface Evaluation {
  raw: Tally;
  policy: Tally;
  shortRaw: Tally;
  falseRo: number;
}

/** Prints the per-language table of one dataset; each language's messages are one conversation. */
async function evaluate(path: string, samples: Sample[], { detectLanguage }: Detection, detector: Awaited<ReturnType<Detection['createLanguageDetector']>>): Promise<Evaluation> {
  const raw = new Tally();
  const policy = new Tally();
  // The same policy with no conversation behind each message: how much the context is doing.
  const alone = new Tally();
  const shortRaw = new Tally();
  const shortPolicy = new Tally();
  const errors: string[] = [];
  const confusion = new Map<string, number>();
  let falseRo = 0;

  // Each language's messages are one conversation, in file order, starting from the widget
  // default: the way the conversation activity feeds the policy.
  const conversations = new Map<string, Sample[]>();
  for (const sample of samples) {
    conversations.set(sample.expected, [...(conversations.get(sample.expected) ?? []), sample]);
  }
  for (const [language, messages] of conversations) {
    let previous: string | undefined;
    for (const { text } of messages) {
      const rawResult = await detector.detect(text);
      const decided = await detectLanguage(detector, text, { previous, defaultLanguage: 'ro' });
      const withoutContext = await detectLanguage(detector, text, { defaultLanguage: 'ro' });
      previous = decided.language;
      alone.add(language, withoutContext.language === language);
      const short = wordCount(text) <= 3;
      raw.add(language, rawResult.language === language);
      policy.add(language, decided.language === language);
      if (short) {
        shortRaw.add(language, rawResult.language === language);
        shortPolicy.add(language, decided.language === language);
      }
      if (decided.language !== language) {
        errors.push(`  ${language} -> ${decided.language} (${decided.detector}, ${decided.confidence}): ${text}`);
        const key = `${language}->${decided.language}`;
        confusion.set(key, (confusion.get(key) ?? 0) + 1);
      }
      if (decided.language === 'ro' && language !== 'ro') falseRo++;
    }
  }

  console.log(`Language detection on ${path}`);
  console.log(`${samples.length} messages, ${conversations.size} languages, detector ${detector.name}\n`);
  console.log('lang    raw  policy  <=3w raw  <=3w policy  no context');
  for (const language of [...conversations.keys()].sort()) {
    console.log(
      `${language.padEnd(4)} ${String(raw.accuracy(language)).padStart(6)} ${String(policy.accuracy(language)).padStart(7)}` +
        ` ${String(shortRaw.accuracy(language)).padStart(9)} ${String(shortPolicy.accuracy(language)).padStart(12)}` +
        ` ${String(alone.accuracy(language)).padStart(11)}`,
    );
  }
  console.log(
    `all  ${String(raw.accuracy()).padStart(6)} ${String(policy.accuracy()).padStart(7)}` +
      ` ${String(shortRaw.accuracy()).padStart(9)} ${String(shortPolicy.accuracy()).padStart(12)}` +
      ` ${String(alone.accuracy()).padStart(11)}   (${shortRaw.total} messages of <= 3 words)`,
  );
  console.log(`\nRomanian with policy: ${policy.accuracy('ro')}%; other languages labelled Romanian: ${falseRo}`);
  console.log(
    `Confusions with policy: ${[...confusion].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
  );
  if (errors.length > 0) console.log(`Errors with policy:\n${errors.join('\n')}`);
  console.log('');
  return { raw, policy, shortRaw, falseRo };
}

async function main(): Promise<void> {
  const samples = loadSamples(datasetPath);
  const moreSamples = loadSamples(moreLanguagesPath);
  const rssBefore = await settledRss();
  const detection = await import('../../activities/language/index.js');
  const detector = detection.createLanguageDetector({ LANGUAGE_DETECTOR: 'local', AWS_REGION: undefined, COMPREHEND_ENDPOINT: undefined });
  await detector.detect('warm up');
  const rssAfter = await settledRss();

  const first = await evaluate(datasetPath, samples, detection, detector);
  const more = await evaluate(moreLanguagesPath, moreSamples, detection, detector);

  // Throughput of the whole policy path, the way the conversation activity calls it.
  const all = [...samples, ...moreSamples];
  const started = performance.now();
  let detections = 0;
  while (performance.now() - started < 2000) {
    for (const { text, expected } of all) {
      await detection.detectLanguage(detector, text, { previous: expected, defaultLanguage: 'ro' });
      detections++;
    }
  }
  const perSecond = Math.round(detections / ((performance.now() - started) / 1000));
  const rssMb = Math.round((rssAfter - rssBefore) / 1e6);

  console.log(`${perSecond} detections/s (policy + local detector, both sets), ${rssMb} MB RSS added by loading the detector\n`);
  console.log(
    JSON.stringify({
      accuracy: first.raw.accuracy(),
      accuracy_policy: first.policy.accuracy(),
      ro_accuracy_policy: first.policy.accuracy('ro'),
      false_ro: first.falseRo,
      more_accuracy: more.raw.accuracy(),
      more_accuracy_policy: more.policy.accuracy(),
      more_short_accuracy: more.shortRaw.accuracy(),
      per_second: perSecond,
      rss_mb: rssMb,
    }),
  );
}

await main();
