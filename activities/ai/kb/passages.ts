import type { Kysely } from 'kysely';
import { candidatePassages, passagesByIds, passageVocabulary, type PassageRow } from '../../../db/queries/passages.js';
import { knowledgeVersion } from '../../../db/queries/sources.js';
import type { Database } from '../../../db/schema.js';
import type { AiWidgetProfile } from '../provider.js';
import { backgroundTop, standing, type QuestionVector, type SemanticRetrieval } from '../embeddings/semantic.js';
import { fusedBest, fusedOrder, withLead, type FusionCandidate } from './fusion.js';
import { ANSWER_THRESHOLDS, type KnowledgeIndex, type PassageVocabulary } from './retrieval.js';
import { termsOf, tokenize } from './tokens.js';

export interface RetrievedPassage {
  id: string;
  sourceType: 'website' | 'file';
  /** The page's address, or the file's name. */
  url: string;
  title: string;
  heading: string;
  text: string;
  language: string | null;
  /** Share of the question's terms the best few sentences (with the title and heading) hold. */
  coverage: number;
  /** Those sentences: what the knowledge base replies with. */
  excerpt: string;
}

const CANDIDATES = 40;
/** Passages the vector scan proposes besides the lexical candidates. */
const SEMANTIC_CANDIDATES = 20;
/** Sentences read together when judging and quoting a passage: an answer is rarely longer. */
const WINDOW = 3;
/** Short enough for a WhatsApp message with its link. */
const EXCERPT_LENGTH = 480;
const VOCABULARY_CACHE = 200;

function sentences(text: string, language: string | null): string[] {
  const segmenter = new Intl.Segmenter(language ?? 'en', { granularity: 'sentence' });
  return text
    .split('\n')
    .flatMap((line) => [...segmenter.segment(line)].map((s) => s.segment.trim()))
    .filter(Boolean);
}

/**
 * The window of up to three consecutive sentences that holds the most of the question, and the
 * share it holds with the title and heading (what a passage is about counts for every sentence).
 */
function bestWindow(row: PassageRow, query: Set<string>): { coverage: number; excerpt: string } {
  const language = row.language ?? undefined;
  const heading = new Set(row.heading_terms);
  const list = sentences(row.text, row.language);
  const terms = list.map((s) => new Set(tokenize(s, language)));
  let best = { matched: -1, start: 0, end: 0 };
  for (let start = 0; start < list.length; start++) {
    const window = new Set(heading);
    for (let end = start; end < Math.min(list.length, start + WINDOW); end++) {
      for (const t of terms[end]!) window.add(t);
      const matched = [...query].filter((t) => window.has(t)).length;
      // More of the question wins; at equal, fewer sentences (a tighter answer).
      if (matched > best.matched || (matched === best.matched && end - start < best.end - best.start && start === best.start)) best = { matched, start, end };
    }
  }
  let excerpt = list.slice(best.start, best.end + 1).join(' ');
  if (excerpt.length > EXCERPT_LENGTH) excerpt = `${excerpt.slice(0, EXCERPT_LENGTH - 1).replace(/\s+\S*$/, '')}…`;
  return { coverage: query.size === 0 ? 0 : Math.max(0, best.matched) / query.size, excerpt };
}

/**
 * Retrieval over a widget's passages in PostgreSQL, with the same analysis as its typed entries:
 * folded words, the concept lexicon, Snowball stems, typos corrected against the entries' and the
 * pages' own words; and the same kind of decision: a passage answers only when a few of its
 * sentences hold most of what was asked.
 */
export class PassageRetriever {
  private readonly vocabularies = new Map<string, { version: string; vocabulary: PassageVocabulary }>();

  constructor(private readonly db: Kysely<Database>) {}

  private async vocabulary(widgetId: string): Promise<PassageVocabulary> {
    const version = await knowledgeVersion(this.db, widgetId);
    const cached = this.vocabularies.get(widgetId);
    if (cached?.version === version) return cached.vocabulary;
    const vocabulary: PassageVocabulary = { terms: new Set(), words: new Map() };
    for (const page of await passageVocabulary(this.db, widgetId)) {
      for (const word of page.words) {
        const terms = termsOf(word, page.language ?? undefined);
        vocabulary.words.set(word, terms);
        for (const t of terms) vocabulary.terms.add(t);
      }
    }
    if (this.vocabularies.size >= VOCABULARY_CACHE) this.vocabularies.delete(this.vocabularies.keys().next().value!);
    this.vocabularies.set(widgetId, { version, vocabulary });
    return vocabulary;
  }

  /** Passages that share something with the question, best first, one per distinct text. */
  async retrieve(widget: WidgetRef, index: KnowledgeIndex, question: string, language: string | undefined, limit = 5, semantic: SemanticQuestion | null = null): Promise<RetrievedPassage[]> {
    const candidates = await this.candidates(widget, index, question, language, semantic);
    return (semantic ? fusedOrder(candidates) : candidates).slice(0, limit).map((c) => c.item);
  }

  /** The passage that answers the question, or null when none does. */
  async best(widget: WidgetRef, index: KnowledgeIndex, question: string, language: string | undefined, semantic: SemanticQuestion | null = null): Promise<RetrievedPassage | null> {
    const candidates = await this.candidates(widget, index, question, language, semantic);
    if (semantic) return fusedBest(candidates, 'passage')?.item ?? null;
    const [top] = candidates;
    return top && top.coverage >= ANSWER_THRESHOLDS.minCoverage ? top.item : null;
  }

  /**
   * Candidates in lexical order (the share of the question a window holds, then the terms in the
   * heading, then the shorter passage), one per distinct text; with a question vector, the
   * passages closest to it join them with their semantic rank and standing.
   */
  private async candidates(widget: WidgetRef, index: KnowledgeIndex, question: string, language: string | undefined, semantic: SemanticQuestion | null): Promise<FusionCandidate<RetrievedPassage>[]> {
    const terms = [...new Set(index.queryTerms(question, language, await this.vocabulary(widget.id)))];
    const lexicalRows = await candidatePassages(this.db, widget.id, terms, CANDIDATES);
    const nearest = semantic ? await semantic.retrieval.nearestPassages(widget, semantic.question, SEMANTIC_CANDIDATES) : [];
    const known = new Set(lexicalRows.map((r) => r.id));
    const semanticRows = await passagesByIds(this.db, widget.id, nearest.map((n) => n.id).filter((id) => !known.has(id)));
    const query = new Set(terms);
    const seen = new Set<string>();
    const scored: (RetrievedPassage & { inHeading: number; lexical: boolean })[] = [];
    for (const [rows, lexical] of [[lexicalRows, true], [semanticRows, false]] as const) {
      for (const row of rows) {
        if (seen.has(row.content_hash)) continue;
        seen.add(row.content_hash);
        const { coverage, excerpt } = bestWindow(row, query);
        const inHeading = row.heading_terms.filter((t) => query.has(t)).length;
        scored.push({ id: row.id, sourceType: row.source_type, url: row.page_url, title: row.title, heading: row.heading, text: row.text, language: row.language, coverage, excerpt, inHeading, lexical });
      }
    }
    const lexicalOrder = scored.filter((p) => p.lexical).sort((a, b) => b.coverage - a.coverage || b.inHeading - a.inHeading || a.text.length - b.text.length);
    const lexicalRanks = new Map(lexicalOrder.map((p, i) => [p.id, i + 1]));
    const similarities = new Map(nearest.map((n) => [n.id, n.similarity]));
    const semanticRanks = new Map(nearest.map((n, i) => [n.id, i + 1]));
    const order = semantic ? scored : lexicalOrder;
    const candidates = order.map(({ inHeading: _, lexical: __, ...passage }) => {
      const similarity = similarities.get(passage.id);
      return {
        item: passage,
        coverage: passage.coverage,
        lexicalRank: lexicalRanks.get(passage.id) ?? null,
        semanticRank: semanticRanks.get(passage.id) ?? null,
        standing: similarity === undefined || !semantic ? null : standing(semantic.question, similarity),
      };
    });
    return semantic ? withLead(candidates, backgroundTop(semantic.question)) : candidates;
  }
}

type WidgetRef = Pick<AiWidgetProfile, 'id' | 'version' | 'knowledgeBase'>;

/** A question's vector with the retrieval that scans passages for it. */
export interface SemanticQuestion {
  retrieval: SemanticRetrieval;
  question: QuestionVector;
}

/** A passage as the knowledge base replies with it: its most relevant sentences, then where they come from. */
export function passageReply(passage: RetrievedPassage): string {
  const where = passage.sourceType === 'website' ? passage.url : `(${passage.title || passage.url})`;
  return `${passage.excerpt}\n${where}`;
}
