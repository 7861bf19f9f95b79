import { sql, type Kysely } from 'kysely';
import type { Conversation, Database } from '../schema.js';
import type { AgentRef, ConversationMode } from '../../workflows/conversation/domain.js';
import type { ConversationInput } from '../../workflows/conversation/state.js';
import type { Lead } from '../../workflows/leads/extract.js';

/**
 * The conversation's row, written before its workflow is signalled so the API can list it at
 * once; the first writer wins (a conversation's identity never changes). Called only when a start
 * request goes out (inbound/signal-or-start.ts), so not for every message; and never skipped on
 * what this process wrote before, since an erasure (api/contacts/erase.ts) deletes the row.
 */
export async function ensureConversation(db: Kysely<Database>, input: ConversationInput & { workflowId: string }): Promise<void> {
  await db
    .insertInto('conversations')
    .values({
      id: input.conversationId,
      account_id: input.accountId,
      widget_id: input.widgetId,
      channel_id: input.channelId,
      channel_type: input.channelType,
      kind: input.kind,
      customer: input.customer,
      business_phone: input.businessPhone,
      workflow_id: input.workflowId,
      lead: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export interface CommandTarget {
  customer: string;
  kind: 'whatsapp' | 'web';
  workflow_id: string;
}

/**
 * The conversation an admin's command is about: the customer named in it, otherwise the
 * conversation (on WhatsApp or the website) this admin was most recently alerted about.
 */
export async function commandTarget(
  db: Kysely<Database>,
  widgetId: string,
  adminPhone: string,
  named: string | null,
  alertKind?: 'lead',
): Promise<CommandTarget | null> {
  if (named) {
    const known = await db.selectFrom('conversations').select(['customer', 'kind', 'workflow_id']).where('widget_id', '=', widgetId).where('kind', '=', 'whatsapp').where('customer', '=', named).executeTakeFirst();
    return known ?? null;
  }
  const alerted = await db
    .selectFrom('conversation_events')
    .innerJoin('conversations', 'conversations.id', 'conversation_events.conversation_id')
    .select(['conversations.customer', 'conversations.kind', 'conversations.workflow_id'])
    .where('conversations.widget_id', '=', widgetId)
    .where('conversation_events.kind', '=', 'alert.sent')
    .where(sql<string>`conversation_events.data->>'to'`, '=', adminPhone)
    .$if(alertKind !== undefined, (q) => q.where(sql<string>`conversation_events.data->>'kind'`, '=', alertKind!))
    .orderBy('conversation_events.at', 'desc')
    .executeTakeFirst();
  return alerted ?? null;
}

/** The account's conversation, by id; another account's is as absent as one that does not exist. */
export function findOwnConversation(db: Kysely<Database>, accountId: string, conversationId: string): Promise<Conversation | undefined> {
  return db.selectFrom('conversations').selectAll().where('id', '=', conversationId).where('account_id', '=', accountId).executeTakeFirst();
}

/** The conversation's mode now (ai, human, paused), or undefined when there is no such conversation. */
export async function conversationMode(db: Kysely<Database>, conversationId: string): Promise<Conversation['mode'] | undefined> {
  return (await db.selectFrom('conversations').select('mode').where('id', '=', conversationId).executeTakeFirst())?.mode;
}

/** The inbox's filters (DESIGN §13): `assigneeId` null is "unassigned"; `words` are searched in the messages. */
export interface InboxFilter {
  assigneeId?: string | null | undefined;
  status?: Conversation['status'] | undefined;
  words?: string | undefined;
}

/**
 * A page of a widget's conversations, most recent first, each with its assignee's name: keyset
 * pagination on (last_message_at desc nulls last, id desc), stable while new messages arrive. One
 * more row than `limit` says there is a next page.
 */
export function listConversations(
  db: Kysely<Database>,
  filter: InboxFilter & { widgetId: string; kind?: Conversation['kind'] | undefined; mode?: Conversation['mode'] | undefined; after?: { at: Date | null; id: string } | undefined; limit: number },
): Promise<(Conversation & { assignee_name: string | null })[]> {
  let q = db
    .selectFrom('conversations')
    .selectAll('conversations')
    .select((eb) => eb.selectFrom('users').select('users.name').whereRef('users.id', '=', 'conversations.assignee_id').as('assignee_name'))
    .where('widget_id', '=', filter.widgetId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.mode) q = q.where('mode', '=', filter.mode);
  if (filter.assigneeId === null) q = q.where('conversations.assignee_id', 'is', null);
  else if (filter.assigneeId !== undefined) q = q.where('conversations.assignee_id', '=', filter.assigneeId);
  if (filter.status) q = q.where('conversations.status', '=', filter.status);
  const words = filter.words?.trim();
  if (words) {
    // Written as the index is (messages_search_idx): to_tsvector('simple', text).
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages')
          .select('messages.id')
          .whereRef('messages.conversation_id', '=', 'conversations.id')
          .where(sql<boolean>`to_tsvector('simple', messages.text) @@ plainto_tsquery('simple', ${words})`),
      ),
    );
  }
  if (filter.after) {
    const at = filter.after.at ?? new Date(0);
    const id = filter.after.id;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn.coalesce('last_message_at', eb.val(new Date(0))), '<', at),
        eb.and([eb(eb.fn.coalesce('last_message_at', eb.val(new Date(0))), '=', at), eb('id', '<', id)]),
      ]),
    );
  }
  return q
    .orderBy((eb) => eb.fn.coalesce('last_message_at', eb.val(new Date(0))), 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export type LeadStatus = 'new' | 'call_scheduled';

/** A conversation's event (an alert sent, a timer fired, a failure), stored once by its id. */
export interface ConversationEventRecord {
  id: string;
  conversationId: string;
  kind: string;
  actor: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

export async function recordConversationEvent(db: Kysely<Database>, event: ConversationEventRecord): Promise<void> {
  await db
    .insertInto('conversation_events')
    .values({ id: event.id, conversation_id: event.conversationId, kind: event.kind, actor: event.actor, reason: event.reason, data: JSON.stringify(event.data) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** The conversation's mode and the event that records the change, in one transaction. */
export async function saveMode(
  db: Kysely<Database>,
  change: { eventId: string; conversationId: string; mode: ConversationMode; actor: string; reason: string; agent: AgentRef | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('conversations')
      .set({ mode: change.mode, held_by: change.mode === 'human' && change.agent ? JSON.stringify(change.agent) : null, mode_since: new Date() })
      .where('id', '=', change.conversationId)
      .execute();
    await recordConversationEvent(trx, {
      id: change.eventId,
      conversationId: change.conversationId,
      kind: `mode.${change.mode}`,
      actor: change.actor,
      reason: change.reason,
      data: { mode: change.mode, ...(change.agent ? { agent: change.agent } : {}) },
    });
  });
}

/** Keeps the conversation's lead (its row, and the copy on the conversation) current; returns its status. */
export async function saveLead(db: Kysely<Database>, conversationId: string, widgetId: string, lead: Lead): Promise<LeadStatus> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('leads')
      .values({ conversation_id: conversationId, widget_id: widgetId, name: lead.name, phone: lead.phone, email: lead.email, interest: lead.interest, score: lead.score })
      .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ name: lead.name, phone: lead.phone, email: lead.email, interest: lead.interest, score: lead.score, updated_at: new Date() }))
      .returning('status')
      .executeTakeFirstOrThrow();
    await trx.updateTable('conversations').set({ lead: JSON.stringify({ ...lead, status: row.status }) }).where('id', '=', conversationId).execute();
    return row.status;
  });
}

/** The conversation's lead is marked for a call; false when it has no lead. */
export async function markLeadForCall(db: Kysely<Database>, conversationId: string): Promise<boolean> {
  const row = await db.updateTable('leads').set({ status: 'call_scheduled', updated_at: new Date() }).where('conversation_id', '=', conversationId).returningAll().executeTakeFirst();
  if (!row) return false;
  const lead = { name: row.name, phone: row.phone, email: row.email, interest: row.interest, score: row.score, status: row.status };
  await db.updateTable('conversations').set({ lead: JSON.stringify(lead) }).where('id', '=', conversationId).execute();
  return true;
}

/** Keeps what the next run starts from once a run closed after a silence; committed before the closing run completes. */
export async function saveClosedConversation(db: Kysely<Database>, conversationId: string, state: Record<string, unknown>): Promise<void> {
  await db.updateTable('conversations').set({ resume_state: JSON.stringify(state), closed_at: sql<Date>`now()` }).where('id', '=', conversationId).execute();
}

/** What the last closed run kept, if one closed. */
export async function closedConversationState(db: Kysely<Database>, conversationId: string): Promise<Record<string, unknown> | null> {
  const row = await db.selectFrom('conversations').select('resume_state').where('id', '=', conversationId).executeTakeFirst();
  return row?.resume_state ?? null;
}

/** How many conversations there are in each mode, by channel (the metrics gauge). */
export async function countConversationsByMode(db: Kysely<Database>): Promise<{ mode: Conversation['mode']; kind: Conversation['kind']; n: number }[]> {
  const rows = await db.selectFrom('conversations').select(['mode', 'kind']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy(['mode', 'kind']).execute();
  return rows.map((r) => ({ mode: r.mode, kind: r.kind, n: Number(r.n) }));
}
