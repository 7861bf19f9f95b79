import type { KnowledgeEntry } from '../../../db/schema.js';
import type { AiAnswer, AiProvider, AiRequest, AiWidgetProfile } from '../provider.js';
import { LocalLanguageDetector } from '../../language/local.js';
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
 * works with no external service.
 */
export class KnowledgeBaseProvider implements AiProvider {
  readonly name = 'kb';

  constructor(readonly indexes = new KnowledgeIndexCache()) {}

  /** The entries most related to the message, best first (what an LLM is given to ground on). */
  retrieve(request: Pick<AiRequest, 'widget' | 'message' | 'language'>, limit: number): RetrievedEntry[] {
    return this.indexes.of(request.widget).retrieve(request.message, limit, request.language);
  }

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    const best = this.indexes.of(request.widget).best(request.message, request.language);
    if (!best) return null;
    const answer = answerIn(best.entry, request.language, best.baseLanguage);
    return {
      ...answer,
      topic: best.entry.question,
      confidence: Math.min(1, best.coverage),
    };
  }
}
