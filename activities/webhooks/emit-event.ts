import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { MessageRecord } from '../../db/queries/messages.js';
import { createDeliveries, storeEvent, storeMessageWithEvent, type WantedDelivery } from '../../db/queries/webhooks.js';
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

function checkEvent(event: EmitEventInput): void {
  if (!isEventName(event.event)) throw new TypeError(`unknown event name ${event.event}`);
  if (!/^evt_[A-Za-z0-9_-]+$/.test(event.id)) throw new TypeError(`event ids look like evt_…, not ${event.id}`);
}

/** Queues a stored event for the webhooks that want it; returns once the deliveries are durable in Temporal. */
async function handOver(deps: EventDeps, wanted: WantedDelivery[]): Promise<void> {
  if (wanted.length === 0) return;
  const stored = { id: wanted[0]!.event_id, conversation_id: wanted[0]!.conversation_id };
  const pending = await createDeliveries(deps.db, stored.id, wanted);
  await Promise.all(
    pending.map((webhookId) => enqueueDelivery(deps, { webhookId, eventId: stored.id, conversationId: stored.conversation_id })),
  );
}

/**
 * Records an event once and queues it for every webhook of its widget that wants it. Returns as
 * soon as the deliveries are durable in Temporal: no consumer is contacted here, so a slow or dead
 * consumer never holds up the caller.
 */
export async function emitEvent(deps: EventDeps, event: EmitEventInput): Promise<void> {
  checkEvent(event);
  await handOver(deps, await storeEvent(deps.db, event));
}

/**
 * A message and the event that announces it, stored in one statement: one round trip, and never
 * one without the other. Then the event goes to its webhooks, as `emitEvent` does.
 */
export async function recordMessageWithEvent(deps: EventDeps, record: MessageRecord, event: EmitEventInput): Promise<{ id: string; inserted: boolean }> {
  checkEvent(event);
  const { message, wanted } = await storeMessageWithEvent(deps.db, record, event);
  await handOver(deps, wanted);
  return message;
}

/** The activity the conversation worker registers: `emitEvent(input)`. */
export function createEventActivities(deps: EventDeps) {
  return {
    emitEvent: (input: EmitEventInput): Promise<void> => emitEvent(deps, input),
  };
}

export type EventActivities = ReturnType<typeof createEventActivities>;
