import { readFileSync } from 'node:fs';
import { DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';

/** The demo base's entries by the names the labelled questions use. */
export const ENTRY_NAMES = ['shipping_cost', 'delivery_time', 'hours', 'returns', 'payment', 'warranty', 'tracking', 'location', 'abroad', 'cancel'] as const;

export interface LabelledQuestion {
  language: string;
  /** The entry (or page) that answers it, or null when the base cannot. */
  expected: string | null;
  question: string;
}

/** A TSV of `language, expected, question` (expected `none` when nothing should answer), relative to this folder. */
export function labelledQuestions(file: string, names: readonly string[] = ENTRY_NAMES): LabelledQuestion[] {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [language, expected, question] = line.split('\t') as [string, string, string];
    if (expected !== 'none' && !names.includes(expected)) throw new Error(`${file}: unknown answer ${expected}`);
    return { language, expected: expected === 'none' ? null : expected, question };
  });
}

/** The name of the entry whose default-language question is `topic`. */
export function entryName(topic: string | null, knowledge = DEMO_KNOWLEDGE, names: readonly string[] = ENTRY_NAMES): string | null {
  if (topic === null) return null;
  const index = knowledge.findIndex((e) => e.question === topic);
  return index < 0 ? `?${topic}` : names[index]!;
}
