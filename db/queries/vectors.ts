import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * The only code that reads and writes knowledge vectors (EMBEDDINGS_PROVIDER): passages' (a column
 * of their rows, written by db/queries/sources.ts as null) and typed entries' phrasings', by text.
 * A vector is float32 little-endian bytes, unit length, tagged with the model that made it.
 */

export function vectorBytes(vector: Float32Array): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes;
}

export function bytesVector(bytes: Buffer): Float32Array {
  // Copied into an aligned buffer: a Buffer from the driver may start at any byte.
  const vector = new Float32Array(bytes.length / 4);
  bytes.copy(new Uint8Array(vector.buffer));
  if (!LITTLE_ENDIAN) for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  return vector;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Passages of the widget with no vector by `model` yet, oldest first. */
export function unembeddedPassages(db: Kysely<Database>, widgetId: string, model: string, limit: number) {
  return db
    .selectFrom('knowledge_passages')
    .select(['id', 'title', 'heading', 'text'])
    .where('widget_id', '=', widgetId)
    .where((eb) => eb.or([eb('embedding', 'is', null), eb('embedding_model', 'is distinct from', model)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Stores passages' vectors and touches their sources, in one transaction, so caches of the
 * widget's vectors see them. A passage removed meanwhile is simply not updated.
 */
export async function storePassageVectors(db: Kysely<Database>, model: string, vectors: { id: string; vector: Float32Array }[]): Promise<void> {
  if (vectors.length === 0) return;
  await db.transaction().execute(async (trx) => {
    const ids = vectors.map((v) => v.id);
    const touched = await sql<{ source_id: string }>`
      update knowledge_passages p set embedding = v.embedding, embedding_model = ${model}
      from (select unnest(${ids}::bigint[]) as id, unnest(${vectors.map((v) => vectorBytes(v.vector))}::bytea[]) as embedding) v
      where p.id = v.id
      returning p.source_id`.execute(trx);
    const sources = [...new Set(touched.rows.map((r) => r.source_id))];
    if (sources.length) await trx.updateTable('knowledge_sources').set({ updated_at: sql<Date>`clock_timestamp()` }).where('id', 'in', sources).execute();
  });
}

/** Whether some passage of the widget still waits for a vector by `model`. */
export async function hasUnembeddedPassages(db: Kysely<Database>, widgetId: string, model: string): Promise<boolean> {
  return (await unembeddedPassages(db, widgetId, model, 1)).length > 0;
}

/** Every passage vector of the widget by `model`: what a scan compares a question with. */
export function passageVectors(db: Kysely<Database>, widgetId: string, model: string): Promise<{ id: string; embedding: Buffer | null }[]> {
  return db
    .selectFrom('knowledge_passages')
    .select(['id', 'embedding'])
    .where('widget_id', '=', widgetId)
    .where('embedding_model', '=', model)
    .where('embedding', 'is not', null)
    .orderBy('id')
    .execute();
}

export async function entryVectors(db: Kysely<Database>, widgetId: string, model: string, hashes: string[]): Promise<Map<string, Float32Array>> {
  if (hashes.length === 0) return new Map();
  const rows = await db
    .selectFrom('knowledge_entry_vectors')
    .select(['text_hash', 'embedding'])
    .where('widget_id', '=', widgetId)
    .where('model', '=', model)
    .where('text_hash', '=', sql<string>`any(${hashes}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.text_hash, bytesVector(r.embedding)]));
}

export async function storeEntryVectors(db: Kysely<Database>, widgetId: string, model: string, vectors: { hash: string; vector: Float32Array }[]): Promise<void> {
  if (vectors.length === 0) return;
  await db
    .insertInto('knowledge_entry_vectors')
    .values(vectors.map((v) => ({ widget_id: widgetId, model, text_hash: v.hash, embedding: vectorBytes(v.vector) })))
    .onConflict((oc) => oc.columns(['widget_id', 'model', 'text_hash']).doNothing())
    .execute();
}

/** Drops the widget's entry vectors of texts it no longer has, or of another model. */
export async function pruneEntryVectors(db: Kysely<Database>, widgetId: string, model: string, keep: string[]): Promise<void> {
  await db
    .deleteFrom('knowledge_entry_vectors')
    .where('widget_id', '=', widgetId)
    .where((eb) => eb.or([eb('model', '<>', model), sql<boolean>`not (text_hash = any(${keep}::text[]))`]))
    .execute();
}

/** Changes whenever the widget's sources, passages' vectors or entry vectors by `model` do: the key of caches of them. */
export async function vectorsVersion(db: Kysely<Database>, widgetId: string, model: string): Promise<string> {
  const { rows } = await sql<{ version: string }>`
    select (select count(*) || '@' || coalesce(max(updated_at), 'epoch') from knowledge_sources where widget_id = ${widgetId})
      || '/' || (select count(*) || '@' || coalesce(max(created_at), 'epoch') from knowledge_entry_vectors where widget_id = ${widgetId} and model = ${model}) as version`.execute(db);
  return rows[0]!.version;
}
