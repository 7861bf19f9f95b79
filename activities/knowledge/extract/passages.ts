import { createHash } from 'node:crypto';
import type { Section } from './html.js';

export interface Passage {
  title: string;
  /** The headings above it, joined: "Delivery › Abroad"; empty under none. */
  heading: string;
  text: string;
  /** Of the text folded to words: the same paragraph elsewhere (a repeated notice) is the same passage. */
  hash: string;
}

/** About a short WhatsApp message of text: small enough to point at one answer, big enough to hold it. */
const TARGET_LENGTH = 700;
const MAX_LENGTH = 1200;

export function passageHash(text: string): string {
  const folded = text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return createHash('sha256').update(folded).digest('base64url').slice(0, 22);
}

/** A paragraph longer than a passage is cut between sentences. */
function pieces(paragraph: string, language: string | undefined): string[] {
  if (paragraph.length <= MAX_LENGTH) return [paragraph];
  const segmenter = new Intl.Segmenter(language ?? 'en', { granularity: 'sentence' });
  const out: string[] = [];
  let current = '';
  for (const { segment } of segmenter.segment(paragraph)) {
    if (current && current.length + segment.length > TARGET_LENGTH) {
      out.push(current.trim());
      current = '';
    }
    current += segment;
  }
  if (current.trim()) out.push(current.trim());
  return out.flatMap((p) => (p.length > MAX_LENGTH ? p.match(new RegExp(`[\\s\\S]{1,${MAX_LENGTH}}`, 'g'))! : [p]));
}

/**
 * Passages of a document: each section's paragraphs gathered up to about 700 characters, never
 * across headings, each carrying the page title and its headings so that it reads on its own and
 * matches questions about its topic. A passage seen already in the document is dropped.
 */
export function passagesOf(title: string, sections: Section[], language?: string): Passage[] {
  const passages: Passage[] = [];
  const seen = new Set<string>();
  const push = (heading: string, text: string) => {
    const hash = passageHash(text);
    if (!text.trim() || seen.has(hash)) return;
    seen.add(hash);
    passages.push({ title, heading, text, hash });
  };
  for (const section of sections) {
    const heading = section.headings.join(' › ');
    let current = '';
    for (const paragraph of section.paragraphs.flatMap((p) => pieces(p, language))) {
      if (current && current.length + paragraph.length + 1 > TARGET_LENGTH) {
        push(heading, current);
        current = '';
      }
      current = current ? `${current}\n${paragraph}` : paragraph;
    }
    if (current) push(heading, current);
  }
  return passages;
}
