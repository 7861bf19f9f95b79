import type { KnowledgeEntry } from '../../../workflows/widgets/knowledge.js';
import { Bm25Index } from './bm25.js';
import { lexiconForms } from './concepts.js';
import { phraseWords, termsOf } from './tokens.js';
import { typoAllowance, typoDistance } from './typos.js';

/** One way of asking an entry's question, in one language. */
interface Phrasing {
  entry: number;
  language: string;
  terms: string[];
  answerTerms: string[];
}

export interface RetrievedEntry {
  /** Position in the knowledge base. */
  index: number;
  entry: KnowledgeEntry;
  score: number;
  /** Share of the question's terms the best phrasing holds. */
  coverage: number;
  /** The language of the phrasing that matched best. */
  matchedLanguage: string;
  /** The language the entry's own question and answer are written in. */
  baseLanguage: string;
}

/** Words of the base's passages (a widget's pages and files): known terms and words to correct typos towards. */
export interface PassageVocabulary {
  terms: Set<string>;
  words: Map<string, string[]>;
}

/** Tells the language of an entry's own text: a base may hold entries in several languages without translations. */
export type EntryLanguageOf = (text: string) => { language: string; confidence: number };

/** How sure the detector must be before an entry counts as written in another language than the default. */
const ENTRY_LANGUAGE_CONFIDENCE = 0.85;

/** A phrasing in the customer's language wins a near tie against the same question in another. */
const SAME_LANGUAGE_BONUS = 1.15;

/**
 * When the best entry is an answer, not a coincidence: it must hold most of what the customer
 * asked about (a shared word in a long question is not enough). Only the share counts, never the
 * BM25 score: its weights come from how many entries hold a word, so the same question against
 * the same entry would be covered in a large base and not in a small one (a one-entry base could
 * not answer its own question). The score only ranks.
 */
export const ANSWER_THRESHOLDS = { minCoverage: 0.5 } as const;

// Short forms are too close to too many words to correct towards.
const LEXICON = lexiconForms().filter((f) => f.form.length >= 6);

/**
 * Retrieval over a knowledge base in many languages: every phrasing (question, alternatives and
 * their translations) is a document, with its answer as lighter context; an entry ranks by its
 * best phrasing. Query words the base has never seen are corrected for typos against the base's
 * own words and the concept lexicon.
 */
export class KnowledgeIndex {
  private readonly bm25: Bm25Index<Phrasing>;
  /** Folded words of the base by language, for typo correction. */
  private readonly vocabulary = new Map<string, Map<string, string[]>>();
  private readonly baseLanguages: string[];

  constructor(
    readonly entries: KnowledgeEntry[],
    readonly defaultLanguage: string,
    languageOf?: EntryLanguageOf,
  ) {
    this.baseLanguages = entries.map((entry) => {
      if (!languageOf) return defaultLanguage;
      const detected = languageOf(`${entry.question} ${entry.answer}`);
      return detected.confidence >= ENTRY_LANGUAGE_CONFIDENCE && /^[a-z]{2}$/.test(detected.language) ? detected.language : defaultLanguage;
    });
    const phrasings: Phrasing[] = [];
    entries.forEach((entry, index) => {
      const baseLanguage = this.baseLanguages[index]!;
      const add = (language: string, texts: (string | undefined)[], answer: string) => {
        const answerTerms = this.learn(answer, language);
        for (const text of texts) if (text) phrasings.push({ entry: index, language, terms: this.learn(text, language), answerTerms });
      };
      add(baseLanguage, [entry.question, ...(entry.alternatives ?? [])], entry.answer);
      for (const [language, translation] of Object.entries(entry.translations ?? {})) {
        add(language, [translation.question, ...(translation.alternatives ?? [])], translation.answer);
      }
    });
    this.bm25 = new Bm25Index(phrasings, (p) => [
      { terms: p.terms, weight: 2 },
      { terms: p.answerTerms, weight: 1 },
    ]);
  }

  private learn(text: string, language: string): string[] {
    let vocabulary = this.vocabulary.get(language);
    if (!vocabulary) this.vocabulary.set(language, (vocabulary = new Map()));
    const terms: string[] = [];
    for (const word of phraseWords(text)) {
      const wordTerms = termsOf(word, language);
      if (wordTerms.length > 0 && !word.startsWith('~')) vocabulary.set(word, wordTerms);
      terms.push(...wordTerms);
    }
    return terms;
  }

  /**
   * The query's terms, with words unknown to the base corrected when a close one exists: among
   * the base's words in the customer's language and the default one (a typo stays in its
   * language; a near-miss in a third language is more often another word), and the lexicon.
   */
  queryTerms(query: string, language?: string, passages?: PassageVocabulary): string[] {
    const terms: string[] = [];
    for (const word of phraseWords(query)) {
      const wordTerms = termsOf(word, language);
      if (wordTerms.length === 0) continue;
      if (wordTerms.every((t) => t.startsWith('~') || this.bm25.has(t) || passages?.terms.has(t))) terms.push(...wordTerms);
      else terms.push(...(this.correct(word, language, passages) ?? wordTerms));
    }
    return terms;
  }

  private correct(word: string, language: string | undefined, passages?: PassageVocabulary): string[] | null {
    const allowance = typoAllowance(word.length);
    if (allowance === 0) return null;
    let best: { distance: number; terms: string[] } | null = null;
    const languages = language ? [language, this.defaultLanguage] : [...this.vocabulary.keys()];
    const vocabularies = languages.map((l) => this.vocabulary.get(l) ?? new Map<string, string[]>());
    if (passages) vocabularies.push(passages.words);
    for (const vocabulary of vocabularies) {
      for (const [known, terms] of vocabulary) {
        if (Math.abs(known.length - word.length) > allowance) continue;
        const distance = typoDistance(known, word);
        if (distance <= allowance && (!best || distance < best.distance)) best = { distance, terms };
      }
    }
    for (const { form, concept, prefix } of LEXICON) {
      const distance = typoDistance(form, word, prefix);
      if (distance <= Math.min(allowance, typoAllowance(form.length)) && (!best || distance < best.distance)) best = { distance, terms: [concept] };
    }
    return best?.terms ?? null;
  }

  /** Entries that share something with the query, best first. */
  retrieve(query: string, limit = 5, language?: string): RetrievedEntry[] {
    const terms = this.queryTerms(query, language);
    const distinct = new Set(terms).size;
    const byEntry = new Map<number, RetrievedEntry>();
    const hits = this.bm25
      .search(terms)
      .map((hit) => ({ ...hit, score: hit.document.language === language ? hit.score * SAME_LANGUAGE_BONUS : hit.score }))
      .sort((a, b) => b.score - a.score);
    for (const hit of hits) {
      const index = hit.document.entry;
      if (byEntry.has(index)) continue;
      // Coverage counts what the question's phrasing holds in full and what only its answer
      // holds at half: a word shared with an answer's details is context, not a sign that the
      // entry is what was asked. Nothing asked in common is no match at all.
      const asked = new Set(hit.document.terms);
      const answered = new Set(hit.document.answerTerms);
      const inQuestion = [...new Set(terms)].filter((t) => asked.has(t)).length;
      const inAnswerOnly = [...new Set(terms)].filter((t) => !asked.has(t) && answered.has(t)).length;
      const coverage = inQuestion === 0 ? 0 : (inQuestion + inAnswerOnly / 2) / distinct;
      byEntry.set(index, { index, entry: this.entries[index]!, score: hit.score, coverage, matchedLanguage: hit.document.language, baseLanguage: this.baseLanguages[index]! });
      if (byEntry.size >= limit) break;
    }
    return [...byEntry.values()];
  }

  /** An entry as a candidate that lexical retrieval did not rank (it shares no term with the query). */
  describe(index: number, language?: string): RetrievedEntry {
    const baseLanguage = this.baseLanguages[index]!;
    const entry = this.entries[index]!;
    return { index, entry, score: 0, coverage: 0, matchedLanguage: language && entry.translations?.[language] ? language : baseLanguage, baseLanguage };
  }

  /** The entry that answers the query, or null when none does. */
  best(query: string, language?: string): RetrievedEntry | null {
    const [top] = this.retrieve(query, 1, language);
    if (!top || top.coverage < ANSWER_THRESHOLDS.minCoverage) return null;
    return top;
  }
}

