import { sql, type Kysely } from 'kysely';

// Knowledge sources (DESIGN.md §12): websites and files a widget learns from, their pages, the
// passages retrieval answers from, the bytes of uploaded files, and the questions nothing answered.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_sources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('website', 'file')`))
    .addColumn('url', 'text')
    .addColumn('filename', 'text')
    .addColumn('content_type', 'text')
    // max_pages, include_paths, exclude_paths
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'running', 'ready', 'failed')`))
    .addColumn('error', 'text')
    // The sync in progress or last done (1, 2, ...); pages seen by an earlier one and not this one are gone.
    .addColumn('sync', 'integer', (c) => c.notNull().defaultTo(0))
    // The run that began `sync`: beginning the same run again (a retried activity) starts no new sync.
    .addColumn('sync_key', 'text')
    .addColumn('robots_txt', 'text')
    .addColumn('last_synced_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('knowledge_sources_widget_idx').on('knowledge_sources').columns(['widget_id', 'created_at']).execute();

  await db.schema
    .createTable('knowledge_uploads')
    .addColumn('source_id', 'text', (c) => c.primaryKey().references('knowledge_sources.id').onDelete('cascade'))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();

  await db.schema
    .createTable('knowledge_pages')
    .addColumn('source_id', 'text', (c) => c.notNull().references('knowledge_sources.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    // Order of discovery within a sync: pages are fetched breadth first.
    .addColumn('position', 'bigserial', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'indexed', 'unchanged', 'skipped', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('language', 'text')
    .addColumn('passages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('content_hash', 'text')
    // The page's words, for correcting typos in questions against them.
    .addColumn('words', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // Its links within the source, queued again when the page has not changed (a 304 has no body to read them from).
    .addColumn('links', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // The sync that last queued it and the one that last fetched it.
    .addColumn('queued_sync', 'integer', (c) => c.notNull())
    .addColumn('fetched_sync', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fetched_at', 'timestamptz')
    .addPrimaryKeyConstraint('knowledge_pages_pk', ['source_id', 'url'])
    .execute();
  await db.schema.createIndex('knowledge_pages_queue_idx').on('knowledge_pages').columns(['source_id', 'status', 'position']).execute();

  await db.schema
    .createTable('knowledge_passages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('page_url', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    // The retrieval terms (folded, concepts, stems) of the title, heading and text, and of the title and heading alone.
    .addColumn('terms', sql`text[]`, (c) => c.notNull())
    .addColumn('heading_terms', sql`text[]`, (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('embedding', 'bytea')
    .addForeignKeyConstraint('knowledge_passages_page_fk', ['source_id', 'page_url'], 'knowledge_pages', ['source_id', 'url'], (c) => c.onDelete('cascade'))
    .execute();
  await sql`create index knowledge_passages_terms_idx on knowledge_passages using gin (terms)`.execute(db);
  await db.schema.createIndex('knowledge_passages_page_idx').on('knowledge_passages').columns(['source_id', 'page_url']).execute();
  await db.schema.createIndex('knowledge_passages_widget_idx').on('knowledge_passages').columns(['widget_id', 'id']).execute();

  // When the next request to a site may go: crawls of several sources on one host share it.
  await db.schema
    .createTable('knowledge_hosts')
    .addColumn('host', 'text', (c) => c.primaryKey())
    .addColumn('next_request_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('unanswered_questions')
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('terms', sql`text[]`, (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addPrimaryKeyConstraint('unanswered_questions_pk', ['conversation_id', 'message_id'])
    .execute();
  await db.schema.createIndex('unanswered_questions_widget_idx').on('unanswered_questions').columns(['widget_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['unanswered_questions', 'knowledge_hosts', 'knowledge_passages', 'knowledge_pages', 'knowledge_uploads', 'knowledge_sources']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
