import { phraseWords, tokenize } from '../ai/kb/tokens.js';
import { typoAllowance } from '../ai/kb/typos.js';
import type { NewPassage } from '../../db/queries/sources.js';
import type { Passage } from './extract/passages.js';

/** Words long enough to carry a typo, kept per page for correcting questions against them. */
const MAX_WORDS = 5000;

/** A passage as retrieval reads it: its terms, with the title and heading's apart (they say what it is about). */
export function indexedPassage(passage: Passage, language: string | null): NewPassage {
  const lang = language ?? undefined;
  const headingTerms = [...new Set(tokenize(`${passage.title}\n${passage.heading}`, lang))];
  const terms = [...new Set([...headingTerms, ...tokenize(passage.text, lang)])];
  return { title: passage.title, heading: passage.heading, text: passage.text, language, terms, headingTerms, hash: passage.hash };
}

export function vocabularyOf(passages: Passage[]): string[] {
  const words = new Set<string>();
  for (const passage of passages) {
    for (const word of phraseWords(`${passage.title} ${passage.heading} ${passage.text}`)) {
      if (!word.startsWith('~') && typoAllowance(word.length) > 0 && !/\d/.test(word)) words.add(word);
      if (words.size >= MAX_WORDS) return [...words];
    }
  }
  return [...words];
}
