import { sql, type Kysely, type RawBuilder } from 'kysely';
import { newId } from '../ids.js';
import type { Database, Webhook } from '../schema.js';
import { messageOutcome, messageStatement, type MessageRecord, type MessageRow } from './messages.js';

/** The webhooks, the events they are sent and the log of each delivery: the only code that writes those tables. */

export interface StoredEvent {
  /** `evt_…`, chosen by the caller so a retried call is a no-op. */
  id: string;
  widgetId: string;
  event: string;
  data: Record<string, unknown>;
  conversationId?: string | null;
}

/** A webhook that wants a stored event. */
export interface WantedDelivery {
  webhook_id: string;
  event_id: string;
  conversation_id: string | null;
}

/**
 * A conversation's events say which channel it is on (`whatsapp` or `web`), read from the
 * conversation itself inside the insert, so no caller can get it wrong and it costs no round trip.
 */
function withChannel(data: Record<string, unknown>, conversationId: string) {
  return sql<string>`${JSON.stringify(data)}::jsonb || coalesce((select jsonb_build_object('channel', kind) from conversations where id = ${conversationId}), '{}'::jsonb)`;
}

/**
 * Common table expressions that store the event (once), then read what was stored first (the
 * truth: a retry never rewrites the event) joined with the widget's webhooks that want it, as
 * `wanted`. Most widgets have none, and then nothing more runs.
 */
function eventCtes(event: StoredEvent): RawBuilder<unknown> {
  const data = event.conversationId ? withChannel(event.data, event.conversationId) : sql<string>`${JSON.stringify(event.data)}::jsonb`;
  return sql`event_inserted as (
      insert into events (id, widget_id, event, data, conversation_id)
      values (${event.id}, ${event.widgetId}, ${event.event}, ${data}, ${event.conversationId ?? null})
      on conflict (id) do nothing
      returning id, widget_id, event, conversation_id
    ), event_stored as (
      select id, widget_id, event, conversation_id from event_inserted
      union all
      select id, widget_id, event, conversation_id from events where id = ${event.id} and not exists (select 1 from event_inserted)
    ), wanted as (
      select w.id as webhook_id, s.id as event_id, s.conversation_id
      from event_stored s join webhooks w on w.widget_id = s.widget_id
      where w.events is null or jsonb_typeof(w.events) = 'null' or w.events ? s.event
    )`;
}

/** Stores an event once; returns the webhooks that want it. */
export async function storeEvent(db: Kysely<Database>, event: StoredEvent): Promise<WantedDelivery[]> {
  const { rows } = await sql<WantedDelivery>`with ${eventCtes(event)} select * from wanted`.execute(db);
  return rows;
}

/** A message and the event that announces it, stored in one statement: one round trip, and never one without the other. */
export async function storeMessageWithEvent(
  db: Kysely<Database>,
  record: MessageRecord,
  event: StoredEvent,
): Promise<{ message: { id: string; inserted: boolean }; wanted: WantedDelivery[] }> {
  const message = messageStatement(record);
  const { rows } = await sql<MessageRow & { wanted: WantedDelivery[] | null }>`
    with ${message.ctes}, ${eventCtes(event)}
    select ${message.columns}, (select json_agg(wanted) from wanted) as wanted`.execute(db);
  const row = rows[0]!;
  return { message: messageOutcome(record, message, row), wanted: row.wanted ?? [] };
}

/**
 * Creates the deliveries of one stored event (once) and returns the webhooks whose delivery is
 * still pending: a retry after a crash between insert and hand-over must still hand over.
 */
export async function createDeliveries(db: Kysely<Database>, eventId: string, wanted: WantedDelivery[]): Promise<string[]> {
  await db
    .insertInto('webhook_deliveries')
    .values(wanted.map((w) => ({ webhook_id: w.webhook_id, event_id: eventId, next_attempt_at: new Date() })))
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
  const pending = await db.selectFrom('webhook_deliveries').select('webhook_id').where('event_id', '=', eventId).where('status', '=', 'pending').execute();
  return pending.map((d) => d.webhook_id);
}

/** A delivery to attempt, with its webhook and event; undefined once its webhook is deleted. */
export function findDelivery(db: Kysely<Database>, webhookId: string, eventId: string) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select(['d.status', 'w.url', 'w.secret', 'e.id', 'e.event', 'e.created_at', 'e.widget_id', 'e.data'])
    .where('d.webhook_id', '=', webhookId)
    .where('d.event_id', '=', eventId)
    .executeTakeFirst();
}

/** Records one attempt of a delivery. */
export async function recordAttempt(
  db: Kysely<Database>,
  key: { webhookId: string; eventId: string },
  attempt: { statusCode: number | null; error: string | null; delivered: boolean; at: Date; nextAttemptAt: Date | null },
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      attempts: sql`attempts + 1`,
      last_status_code: attempt.statusCode,
      last_error: attempt.delivered ? null : attempt.error,
      status: attempt.delivered ? 'delivered' : 'pending',
      delivered_at: attempt.delivered ? attempt.at : null,
      next_attempt_at: attempt.nextAttemptAt,
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .where('webhook_id', '=', key.webhookId)
    .where('event_id', '=', key.eventId)
    .execute();
}

/** A pending delivery whose retry window is over becomes failed; returns whether one did. */
export async function markDeliveryFailed(db: Kysely<Database>, key: { webhookId: string; eventId: string }, error: string): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', next_attempt_at: null, last_error: error, updated_at: sql<Date>`clock_timestamp()` })
    .where('webhook_id', '=', key.webhookId)
    .where('event_id', '=', key.eventId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

/** Queues an event for a webhook again (also one from before the webhook existed: the delivery is created now). */
export async function requeueDelivery(db: Kysely<Database>, webhookId: string, eventId: string): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({ webhook_id: webhookId, event_id: eventId, next_attempt_at: new Date() })
    .onConflict((oc) =>
      oc.columns(['webhook_id', 'event_id']).doUpdateSet({ status: 'pending', next_attempt_at: new Date(), delivered_at: null, updated_at: sql<Date>`clock_timestamp()` }),
    )
    .execute();
}

/** The account's webhook; another account's is as absent as one that does not exist. */
export function findWebhook(db: Kysely<Database>, accountId: string, webhookId: string): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).where('account_id', '=', accountId).executeTakeFirst();
}

export function listWebhooks(db: Kysely<Database>, widgetId: string): Promise<Webhook[]> {
  return db.selectFrom('webhooks').selectAll().where('widget_id', '=', widgetId).orderBy('created_at', 'asc').orderBy('id').execute();
}

export function createWebhook(
  db: Kysely<Database>,
  webhook: { accountId: string; widgetId: string; url: string; events: readonly string[] | null; secret: string },
): Promise<Webhook> {
  return db
    .insertInto('webhooks')
    .values({
      id: newId('whk'),
      account_id: webhook.accountId,
      widget_id: webhook.widgetId,
      url: webhook.url,
      events: webhook.events ? JSON.stringify(webhook.events) : null,
      secret: webhook.secret,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteWebhook(db: Kysely<Database>, webhookId: string): Promise<void> {
  await db.deleteFrom('webhooks').where('id', '=', webhookId).execute();
}

/** A webhook's deliveries log, newest first. */
export function listDeliveries(db: Kysely<Database>, webhookId: string, limit: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('events as e', 'e.id', 'd.event_id')
    .select(['d.event_id', 'e.event', 'd.status', 'd.attempts', 'd.last_status_code', 'd.last_error', 'd.next_attempt_at', 'd.delivered_at', 'd.created_at'])
    .where('d.webhook_id', '=', webhookId)
    .orderBy('e.created_at', 'desc')
    .orderBy('d.event_id', 'desc')
    .limit(limit)
    .execute();
}

/** An event of the widget, by id. */
export function findWidgetEvent(db: Kysely<Database>, widgetId: string, eventId: string) {
  return db.selectFrom('events').select(['id', 'conversation_id']).where('id', '=', eventId).where('widget_id', '=', widgetId).executeTakeFirst();
}
