import { readFileSync } from 'node:fs';
import { DEMO_KNOWLEDGE } from '../../worker/demo-knowledge.js';

/** The demo base's entries by the names the labelled questions use. */
export const ENTRY_NAMES = ['shipping_cost', 'delivery_time', 'hours', 'returns', 'payment', 'warranty', 'tracking', 'location', 'abroad', 'cancel'] as const;

export interface LabelledQuestion {
  language: string;
  /** The entry that answers it, or null when the base cannot. */
  expected: string | null;
  question: string;
}

export function labelledQuestions(file = './ai-questions.tsv'): LabelledQuestion[] {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [language, expected, question] = line.split('\t') as [string, string, string];
    if (expected !== 'none' && !ENTRY_NAMES.includes(expected as (typeof ENTRY_NAMES)[number])) throw new Error(`unknown entry ${expected}`);
    return { language, expected: expected === 'none' ? null : expected, question };
  });
}

/** The name of the entry whose default-language question is `topic`. */
export function entryName(topic: string | null): string | null {
  if (topic === null) return null;
  const index = DEMO_KNOWLEDGE.findIndex((e) => e.question === topic);
  return index < 0 ? `?${topic}` : ENTRY_NAMES[index]!;
}
