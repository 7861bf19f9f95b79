import type { KnowledgeEntry } from '../../../workflows/widgets/knowledge.js';
import type { AiAnswer, AiProvider, AiRequest, AiWidgetProfile } from '../provider.js';
import { LocalLanguageDetector } from '../../language/local.js';
import { backgroundTop, standing, type QuestionVector, type SemanticRetrieval } from '../embeddings/semantic.js';
import { fusedBest, fusedOrder, ranks, withLead, type FusionCandidate } from './fusion.js';
import { passageReply, type PassageRetriever, type RetrievedPassage } from './passages.js';
import { ANSWER_THRESHOLDS, KnowledgeIndex, type EntryLanguageOf, type RetrievedEntry } from './retrieval.js';

const CACHE_LIMIT = 500;

/** An entry's answer in the customer's language when it has one, else in the language it is written in. */
export function answerIn(entry: KnowledgeEntry, language: string, baseLanguage: string): { text: string; language: string } {
  const translated = language === baseLanguage ? undefined : entry.translations?.[language]?.answer;
  return translated ? { text: translated, language } : { text: entry.answer, language: baseLanguage };
}

const detector = new LocalLanguageDetector();
const entryLanguageOf: EntryLanguageOf = (text) => detector.detectSync(text);

/** Knowledge indexes per widget version, shared by the providers of one process. */
export class KnowledgeIndexCache {
  private readonly cache = new Map<string, KnowledgeIndex>();

  of(widget: AiWidgetProfile): KnowledgeIndex {
    const key = `${widget.id}@${widget.version}`;
    let index = this.cache.get(key);
    if (!index) {
      index = new KnowledgeIndex(widget.knowledgeBase, widget.defaultLanguage, entryLanguageOf);
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, index);
    }
    return index;
  }
}

/** Entries lexical retrieval ranks before fusion: enough for any that semantic retrieval ranks first to be among them when it shares a word. */
const LEXICAL_CANDIDATES = 20;

/**
 * The embedded AI: answers from the widget's knowledge base by multilingual retrieval, so it
 * works with no external service. Typed entries come first; the passages of the widget's
 * websites and files (with a database to read them from) answer what no entry does. With an
 * embeddings endpoint (`semantic`), the question's vector joins the lexical score (fusion.ts);
 * without one, or while it fails, retrieval is lexical alone.
 */
export class KnowledgeBaseProvider implements AiProvider {
  readonly name = 'kb';

  constructor(
    readonly indexes = new KnowledgeIndexCache(),
    readonly passages: PassageRetriever | null = null,
    readonly semantic: SemanticRetrieval | null = null,
  ) {}

  private question(message: string): Promise<QuestionVector | null> {
    return this.semantic ? this.semantic.question(message) : Promise.resolve(null);
  }

  /** Entries as candidates of both retrievals, with their coverage, ranks and standing. */
  private async entryCandidates(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, question: QuestionVector): Promise<FusionCandidate<RetrievedEntry>[]> {
    const index = this.indexes.of(request.widget);
    const lexical = index.retrieve(request.message, LEXICAL_CANDIDATES, request.language);
    const similarities = await this.semantic!.entrySimilarities(request.widget, question);
    const semanticRanks = ranks(similarities);
    const candidates = new Map<number, FusionCandidate<RetrievedEntry>>();
    lexical.forEach((entry, i) => candidates.set(entry.index, { item: entry, coverage: entry.coverage, lexicalRank: i + 1, semanticRank: null, standing: null }));
    for (const [entryIndex, similarity] of similarities) {
      const candidate = candidates.get(entryIndex) ?? { item: index.describe(entryIndex, request.language), coverage: 0, lexicalRank: null, semanticRank: null, standing: null };
      candidate.semanticRank = semanticRanks.get(entryIndex)!;
      candidate.standing = standing(question, similarity);
      candidates.set(entryIndex, candidate);
    }
    return withLead([...candidates.values()], backgroundTop(question));
  }

  /** The entries most related to the message, best first (what an LLM is given to ground on). */
  async retrieve(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, limit: number): Promise<RetrievedEntry[]> {
    const question = await this.question(request.message);
    if (!question) return this.indexes.of(request.widget).retrieve(request.message, limit, request.language);
    return fusedOrder(await this.entryCandidates(request, question))
      .slice(0, limit)
      .map((c) => c.item);
  }

  /** The passages most related to the message, best first. */
  async retrievePassages(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, limit: number): Promise<RetrievedPassage[]> {
    if (!this.passages) return [];
    const question = await this.question(request.message);
    const semantic = question && this.semantic ? { retrieval: this.semantic, question } : null;
    return this.passages.retrieve(request.widget, this.indexes.of(request.widget), request.message, request.language, limit, semantic);
  }

  /** The entry that answers the message, or null. */
  private async bestEntry(request: AiRequest, question: QuestionVector | null): Promise<RetrievedEntry | null> {
    if (!question) return this.indexes.of(request.widget).best(request.message, request.language);
    return fusedBest(await this.entryCandidates(request, question), 'entry')?.item ?? null;
  }

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    const index = this.indexes.of(request.widget);
    const question = await this.question(request.message);
    const best = await this.bestEntry(request, question);
    if (best) {
      const answer = answerIn(best.entry, request.language, best.baseLanguage);
      return { ...answer, topic: best.entry.question, confidence: Math.min(1, Math.max(best.coverage, ANSWER_THRESHOLDS.minCoverage)), source: { kind: 'entry', question: best.entry.question } };
    }
    const semantic = question && this.semantic ? { retrieval: this.semantic, question } : null;
    const passage = await this.passages?.best(request.widget, index, request.message, request.language, semantic);
    if (!passage) return null;
    return {
      text: passageReply(passage),
      language: passage.language ?? request.widget.defaultLanguage,
      topic: passage.title || passage.url,
      confidence: Math.min(1, Math.max(passage.coverage, ANSWER_THRESHOLDS.minCoverage)),
      source: { kind: 'passage', url: passage.url, title: passage.title, sourceType: passage.sourceType },
    };
  }
}
