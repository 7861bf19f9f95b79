import { sql, type Kysely } from 'kysely';

// A contact's data erased on request (DELETE /api/widgets/:widgetId/contacts/:contact/export): the
// audit record says who asked, when and how much went, never whom it was about. And the indexes
// that find a contact's rows in the tables looked up by number or conversation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('erasures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull())
    // Rows removed, by table; the Temporal executions deleted.
    .addColumn('removed', 'jsonb', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('erasures_account_idx').on('erasures').columns(['account_id', 'at']).execute();
  await sql`create index events_conversation_idx on events (conversation_id) where conversation_id is not null`.execute(db);
  await db.schema.createIndex('inbox_customer_idx').on('inbox').columns(['customer_phone', 'channel_id']).execute();
  await db.schema.createIndex('whatsapp_sent_to_idx').on('whatsapp_sent').columns(['to_phone', 'channel_id']).execute();
  await sql`create index media_visitor_idx on media (account_id, visitor) where visitor is not null`.execute(db);
  // conversation_events (conversation_id, at) is 0019_people's.
  await db.schema.createIndex('unanswered_questions_conversation_idx').on('unanswered_questions').column('conversation_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['events_conversation_idx', 'inbox_customer_idx', 'whatsapp_sent_to_idx', 'media_visitor_idx', 'unanswered_questions_conversation_idx']) {
    await sql.raw(`drop index if exists ${index}`).execute(db);
  }
  await db.schema.dropTable('erasures').ifExists().execute();
}
