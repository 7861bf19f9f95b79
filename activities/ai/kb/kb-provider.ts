import type { KnowledgeEntry } from '../../../db/schema.js';
import type { AiAnswer, AiProvider, AiRequest } from '../provider.js';
import { Bm25Index } from './bm25.js';

/** Below this share of the message's meaningful words, a match is a coincidence, not an answer. */
const MIN_COVERAGE = 0.3;
const MIN_SCORE = 0.5;

/**
 * The embedded AI: answers from the widget's knowledge base by BM25 ranking, so it works with
 * no external service. Indexes are cached per widget version.
 */
export class KnowledgeBaseProvider implements AiProvider {
  readonly name = 'kb';
  private readonly cache = new Map<string, Bm25Index<KnowledgeEntry>>();

  private index(request: AiRequest): Bm25Index<KnowledgeEntry> {
    const key = `${request.widget.id}@${request.widget.version}`;
    let index = this.cache.get(key);
    if (!index) {
      index = new Bm25Index(request.widget.knowledgeBase, (entry) => [
        { text: entry.question, weight: 2 },
        { text: entry.answer, weight: 1 },
      ]);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(key, index);
    }
    return index;
  }

  async answer(request: AiRequest): Promise<AiAnswer | null> {
    const [best] = this.index(request).search(request.message, 1);
    if (!best || best.coverage < MIN_COVERAGE || best.score < MIN_SCORE) return null;
    return {
      text: best.document.answer,
      topic: best.document.question,
      confidence: Math.min(1, best.coverage * Math.min(1, best.score / 3)),
    };
  }
}
