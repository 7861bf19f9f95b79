import type { Client } from '@temporalio/client';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { messageOutcome, messageStatement, type MessageRecord, type MessageRow } from '../../db/queries/messages.js';
import type { Database } from '../../db/schema.js';
import { isEventName, type EventName } from '../../workflows/webhooks/events.js';
import { enqueueDelivery } from './enqueue.js';

export { EVENT_NAMES, type EventName } from '../../workflows/webhooks/events.js';

export interface EventDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
}

export interface EmitEventInput {
  /** `evt_…`, chosen by the caller (e.g. from the workflow's uuid4) so a retried call is a no-op. */
  id: string;
  widgetId: string;
  event: EventName;
  data: Record<string, unknown>;
  conversationId?: string | null;
}

/**
 * A conversation's events say which channel it is on (`whatsapp` or `web`), read from the
 * conversation itself inside the insert, so no caller can get it wrong and it costs no round trip.
 */
function withChannel(data: Record<string, unknown>, conversationId: string) {
  return sql<string>`${JSON.stringify(data)}::jsonb || coalesce((select jsonb_build_object('channel', kind) from conversations where id = ${conversationId}), '{}'::jsonb)`;
}

interface WantedDelivery {
  webhook_id: string;
  event_id: string;
  conversation_id: string | null;
}

function checkEvent(event: EmitEventInput): void {
  if (!isEventName(event.event)) throw new TypeError(`unknown event name ${event.event}`);
  if (!/^evt_[A-Za-z0-9_-]+$/.test(event.id)) throw new TypeError(`event ids look like evt_…, not ${event.id}`);
}

/**
 * Common table expressions that store the event (once), then read what was stored first (the
 * truth: a retry never rewrites the event) joined with the widget's webhooks that want it, as
 * `wanted`. Most widgets have none, and then nothing more runs.
 */
function eventCtes(event: EmitEventInput): RawBuilder<unknown> {
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

/** Queues a stored event for the webhooks that want it; returns once the deliveries are durable in Temporal. */
async function handOver(deps: EventDeps, wanted: WantedDelivery[]): Promise<void> {
  if (wanted.length === 0) return;
  const stored = { id: wanted[0]!.event_id, conversation_id: wanted[0]!.conversation_id };
  await deps.db
    .insertInto('webhook_deliveries')
    .values(wanted.map((w) => ({ webhook_id: w.webhook_id, event_id: stored.id, next_attempt_at: new Date() })))
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
  // A retry after a crash between insert and hand-over must still hand over; the queue ignores repeats.
  const pending = await deps.db
    .selectFrom('webhook_deliveries')
    .select('webhook_id')
    .where('event_id', '=', stored.id)
    .where('status', '=', 'pending')
    .execute();
  await Promise.all(
    pending.map((d) => enqueueDelivery(deps, { webhookId: d.webhook_id, eventId: stored.id, conversationId: stored.conversation_id })),
  );
}

/**
 * Records an event once and queues it for every webhook of its widget that wants it. Returns as
 * soon as the deliveries are durable in Temporal: no consumer is contacted here, so a slow or dead
 * consumer never holds up the caller.
 */
export async function emitEvent(deps: EventDeps, event: EmitEventInput): Promise<void> {
  checkEvent(event);
  const { rows } = await sql<WantedDelivery>`with ${eventCtes(event)} select * from wanted`.execute(deps.db);
  await handOver(deps, rows);
}

/**
 * A message and the event that announces it, stored in one statement: one round trip, and never
 * one without the other. Then the event goes to its webhooks, as `emitEvent` does.
 */
export async function recordMessageWithEvent(deps: EventDeps, record: MessageRecord, event: EmitEventInput): Promise<{ id: string; inserted: boolean }> {
  checkEvent(event);
  const message = messageStatement(record);
  const { rows } = await sql<MessageRow & { wanted: WantedDelivery[] | null }>`
    with ${message.ctes}, ${eventCtes(event)}
    select ${message.columns}, (select json_agg(wanted) from wanted) as wanted`.execute(deps.db);
  const row = rows[0]!;
  await handOver(deps, row.wanted ?? []);
  return messageOutcome(record, message, row);
}

/** The activity the conversation worker registers: `emitEvent(input)`. */
export function createEventActivities(deps: EventDeps) {
  return {
    emitEvent: (input: EmitEventInput): Promise<void> => emitEvent(deps, input),
  };
}

export type EventActivities = ReturnType<typeof createEventActivities>;
