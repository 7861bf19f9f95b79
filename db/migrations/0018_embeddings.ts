import { sql, type Kysely } from 'kysely';

// Semantic retrieval (EMBEDDINGS_PROVIDER): vectors of passages (the `embedding` column 0016 left
// empty, now with the model it was made by) and of typed entries' phrasings, by text, so an entry
// saved again unchanged keeps its vectors. Stored as float32 bytes: read into memory and scanned.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('knowledge_passages').addColumn('embedding_model', 'text').execute();
  // The passages still to be given a vector, found without reading the others.
  await sql`create index knowledge_passages_unembedded_idx on knowledge_passages (widget_id, id) where embedding is null`.execute(db);

  await db.schema
    .createTable('knowledge_entry_vectors')
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    // sha256 of the text embedded (a question, an alternative, a translation, an answer).
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('embedding', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addPrimaryKeyConstraint('knowledge_entry_vectors_pk', ['widget_id', 'model', 'text_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_entry_vectors').ifExists().execute();
  await sql`drop index if exists knowledge_passages_unembedded_idx`.execute(db);
  await db.schema.alterTable('knowledge_passages').dropColumn('embedding_model').execute();
}
