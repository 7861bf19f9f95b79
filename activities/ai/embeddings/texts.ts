import { createHash } from 'node:crypto';
import type { KnowledgeEntry } from '../../../workflows/widgets/knowledge.js';

/** The ways an entry is asked (its question, alternatives, and their translations): each gets a vector. */
export function entryPhrasings(entry: KnowledgeEntry): string[] {
  const texts = [entry.question, ...(entry.alternatives ?? [])];
  for (const translation of Object.values(entry.translations ?? {})) texts.push(...(translation.question ? [translation.question] : []), ...(translation.alternatives ?? []));
  return [...new Set(texts.map((t) => t.trim()).filter(Boolean))];
}

/** A passage as it is embedded: with the page title and heading that say what it is about. */
export function passageText(passage: { title: string; heading: string; text: string }): string {
  return [passage.title, passage.heading, passage.text].filter(Boolean).join('\n');
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
