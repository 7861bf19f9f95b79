import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Reads of passages for retrieval (written by db/queries/sources.ts with their pages). */

export interface PassageRow {
  id: string;
  source_id: string;
  page_url: string;
  title: string;
  heading: string;
  text: string;
  language: string | null;
  terms: string[];
  heading_terms: string[];
  content_hash: string;
  source_type: 'website' | 'file';
}

/**
 * The widget's passages sharing the most terms with the question (those in a title or heading
 * first), through the terms' GIN index: candidates for retrieval to score.
 */
export async function candidatePassages(db: Kysely<Database>, widgetId: string, terms: string[], limit: number): Promise<PassageRow[]> {
  if (terms.length === 0) return [];
  const query = sql<string[]>`${terms}::text[]`;
  return db
    .selectFrom('knowledge_passages as p')
    .innerJoin('knowledge_sources as s', 's.id', 'p.source_id')
    .select(['p.id', 'p.source_id', 'p.page_url', 'p.title', 'p.heading', 'p.text', 'p.language', 'p.terms', 'p.heading_terms', 'p.content_hash', 's.type as source_type'])
    .where('p.widget_id', '=', widgetId)
    .where(sql<boolean>`p.terms && ${query}`)
    .orderBy(sql`cardinality(array(select unnest(p.terms) intersect select unnest(${query})))`, 'desc')
    .orderBy(sql`cardinality(array(select unnest(p.heading_terms) intersect select unnest(${query})))`, 'desc')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

/** The widget's passages with these ids (those removed meanwhile are not among them). */
export async function passagesByIds(db: Kysely<Database>, widgetId: string, ids: string[]): Promise<PassageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('knowledge_passages as p')
    .innerJoin('knowledge_sources as s', 's.id', 'p.source_id')
    .select(['p.id', 'p.source_id', 'p.page_url', 'p.title', 'p.heading', 'p.text', 'p.language', 'p.terms', 'p.heading_terms', 'p.content_hash', 's.type as source_type'])
    .where('p.widget_id', '=', widgetId)
    .where('p.id', 'in', ids)
    .execute();
}

/** The words of the widget's pages with the language each page is in, for correcting typos. */
export async function passageVocabulary(db: Kysely<Database>, widgetId: string): Promise<{ language: string | null; words: string[] }[]> {
  return db
    .selectFrom('knowledge_pages as p')
    .innerJoin('knowledge_sources as s', 's.id', 'p.source_id')
    .select(['p.language', 'p.words'])
    .where('s.widget_id', '=', widgetId)
    .where('p.passages', '>', 0)
    .execute();
}
