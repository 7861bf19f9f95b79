import { heartbeat } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { entryVectors, pruneEntryVectors, storeEntryVectors, storePassageVectors, unembeddedPassages } from '../../db/queries/vectors.js';
import type { Database } from '../../db/schema.js';
import type { Embedder } from '../ai/embeddings/embedder.js';
import { entryPhrasings, passageText, textHash } from '../ai/embeddings/texts.js';

export interface EmbeddingActivityDeps {
  db: Kysely<Database>;
  /** Null when EMBEDDINGS_PROVIDER=none: there is nothing to do. */
  embedder: Embedder | null;
  batchSize: number;
}

/** Batches one activity call sends at most: a long site is embedded over several calls, each recorded. */
const BATCHES_PER_CALL = 8;

export function createEmbeddingActivities(deps: EmbeddingActivityDeps) {
  const { db, embedder, batchSize } = deps;
  return {
    /**
     * Gives the widget's typed entries (every phrasing) and passages the vectors they lack, in
     * batches, each stored as soon as it is back; drops vectors of texts the widget no longer has.
     * Returns whether more remain (the workflow calls again). A failure of the endpoint throws: Temporal retries.
     */
    async embedKnowledge(input: { widgetId: string }): Promise<{ embedded: number; more: boolean }> {
      if (!embedder) return { embedded: 0, more: false };
      const widget = await db.selectFrom('widgets').select(['knowledge_base']).where('id', '=', input.widgetId).executeTakeFirst();
      if (!widget) return { embedded: 0, more: false };
      const budget = batchSize * BATCHES_PER_CALL;
      let embedded = 0;

      const texts = [...new Set(widget.knowledge_base.flatMap(entryPhrasings))];
      const hashes = texts.map(textHash);
      const have = await entryVectors(db, input.widgetId, embedder.model, hashes);
      const missing = texts.filter((_, i) => !have.has(hashes[i]!));
      for (let i = 0; i < missing.length && embedded < budget; i += batchSize) {
        const batch = missing.slice(i, i + batchSize);
        const vectors = await embedder.embed(batch);
        await storeEntryVectors(db, input.widgetId, embedder.model, batch.map((text, j) => ({ hash: textHash(text), vector: vectors[j]! })));
        embedded += batch.length;
        heartbeat();
      }
      if (embedded < missing.length) return { embedded, more: true };
      await pruneEntryVectors(db, input.widgetId, embedder.model, hashes);

      const passages = await unembeddedPassages(db, input.widgetId, embedder.model, budget - embedded);
      for (let i = 0; i < passages.length; i += batchSize) {
        const batch = passages.slice(i, i + batchSize);
        const vectors = await embedder.embed(batch.map(passageText));
        await storePassageVectors(db, embedder.model, batch.map((p, j) => ({ id: p.id, vector: vectors[j]! })));
        embedded += batch.length;
        heartbeat();
      }
      return { embedded, more: embedded >= budget };
    },
  };
}

export type EmbeddingActivities = ReturnType<typeof createEmbeddingActivities>;
