import { sql, type Kysely } from 'kysely';

// Webhooks, the events they receive, one delivery row per (webhook, event), and the
// Idempotency-Key memory of POST /api/whatsapp/send.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    // null: every event, including ones added later.
    .addColumn('events', 'jsonb')
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('webhooks_widget_idx').on('webhooks').column('widget_id').execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('widget_id', 'text', (c) => c.notNull().references('widgets.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('conversation_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .execute();
  await db.schema.createIndex('events_widget_created_idx').on('events').columns(['widget_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    // Deleting a webhook deletes its log: its deliveries stop at their next attempt.
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('events.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'delivered', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['webhook_id', 'event_id'])
    .execute();
  await db.schema.createIndex('webhook_deliveries_recent_idx').on('webhook_deliveries').columns(['webhook_id', 'created_at desc']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    // A key reused with a different request is an error, not a silent replay of another answer.
    .addColumn('request_hash', 'text', (c) => c.notNull())
    // Reserved before the work is done, so a retry after a crash repeats the same message id.
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('response', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`clock_timestamp()`))
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['idempotency_keys', 'webhook_deliveries', 'events', 'webhooks']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
