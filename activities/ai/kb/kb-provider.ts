import type { KnowledgeEntry } from '../../../db/schema.js';
import type { AiAnswer, AiProvider, AiRequest, AiWidgetProfile } from '../provider.js';
import { LocalLanguageDetector } from '../../language/local.js';
import { passageReply, type PassageRetriever, type RetrievedPassage } from './passages.js';
import { KnowledgeIndex, type EntryLanguageOf, type RetrievedEntry } from './retrieval.js';

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

/**
 * The embedded AI: answers from the widget's knowledge base by multilingual retrieval, so it
 * works with no external service. Typed entries come first; the passages of the widget's
 * websites and files (with a database to read them from) answer what no entry does.
 */
export class KnowledgeBaseProvider implements AiProvider {
  readonly name = 'kb';

  constructor(
    readonly indexes = new KnowledgeIndexCache(),
    readonly passages: PassageRetriever | null = null,
  ) {}

  /** The entries most related to the message, best first (what an LLM is given to ground on). */
  retrieve(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, limit: number): RetrievedEntry[] {
    return this.indexes.of(request.widget).retrieve(request.message, limit, request.language);
  }

  /** The passages most related to the message, best first. */
  async retrievePassages(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, limit: number): Promise<RetrievedPassage[]> {
    if (!this.passages) return [];
    return this.passages.retrieve(request.widget.id, this.indexes.of(request.widget), request.message, request.language, limit);
  }

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    const index = this.indexes.of(request.widget);
    const best = index.best(request.message, request.language);
    if (best) {
      const answer = answerIn(best.entry, request.language, best.baseLanguage);
      return { ...answer, topic: best.entry.question, confidence: Math.min(1, best.coverage), source: { kind: 'entry', question: best.entry.question } };
    }
    const passage = await this.passages?.best(request.widget.id, index, request.message, request.language);
    if (!passage) return null;
    return {
      text: passageReply(passage),
      language: passage.language ?? request.widget.defaultLanguage,
      topic: passage.title || passage.url,
      confidence: Math.min(1, passage.coverage),
      source: { kind: 'passage', url: passage.url, title: passage.title, sourceType: passage.sourceType },
    };
  }
}
