import { sql, type Kysely, type Transaction } from 'kysely';
import type { Conversation, Database, MediaRow } from '../schema.js';

/**
 * What Caty holds about one contact of a widget (a WhatsApp number or a web visitor's session),
 * read for an export and deleted for an erasure (api/contacts/). A contact's conversations are
 * found by their workflow ids, which name the widget, the channel and the contact (DESIGN §4).
 */

export interface ContactScope {
  accountId: string;
  widgetId: string;
  contact: string;
  /** The contact's conversations' workflow ids (WhatsApp and web). */
  workflowIds: string[];
}

export function contactConversations(db: Kysely<Database>, scope: ContactScope): Promise<Conversation[]> {
  return db.selectFrom('conversations').selectAll().where('workflow_id', 'in', scope.workflowIds).where('account_id', '=', scope.accountId).orderBy('created_at').execute();
}

/** The numbers of the widget's linked channels, past and present: where its WhatsApp rows are. */
function widgetChannels(db: Kysely<Database>, scope: ContactScope) {
  return db
    .selectFrom('links')
    .select('channel_id')
    .where('widget_id', '=', scope.widgetId)
    .union(db.selectFrom('conversations').select('channel_id as channel_id').where('widget_id', '=', scope.widgetId).where('customer', '=', scope.contact).where('channel_id', 'is not', null).$narrowType<{ channel_id: string }>());
}

export interface ContactRecords {
  conversations: Conversation[];
  messages: Awaited<ReturnType<typeof messagesOf>>;
  media: MediaRow[];
  leads: Awaited<ReturnType<typeof leadsOf>>;
  conversationEvents: Awaited<ReturnType<typeof conversationEventsOf>>;
  webhookEvents: Awaited<ReturnType<typeof webhookEventsOf>>;
}

function messagesOf(db: Kysely<Database>, ids: string[]) {
  return db
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'direction', 'author', 'text', 'language', 'rich', 'at', 'failed_reason', 'media_id', 'location', 'contact', 'transcript'])
    .where('conversation_id', 'in', ids)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

function leadsOf(db: Kysely<Database>, ids: string[]) {
  return db.selectFrom('leads').select(['conversation_id', 'name', 'phone', 'email', 'interest', 'score', 'status', 'created_at', 'updated_at']).where('conversation_id', 'in', ids).execute();
}

function conversationEventsOf(db: Kysely<Database>, ids: string[]) {
  return db.selectFrom('conversation_events').select(['conversation_id', 'kind', 'actor', 'reason', 'data', 'at']).where('conversation_id', 'in', ids).orderBy('at').execute();
}

function webhookEventsOf(db: Kysely<Database>, ids: string[]) {
  return db.selectFrom('events').select(['id', 'conversation_id', 'event', 'data', 'created_at']).where('conversation_id', 'in', ids).orderBy('created_at').execute();
}

/** Everything held about the contact, for an export. */
export async function contactRecords(db: Kysely<Database>, scope: ContactScope): Promise<ContactRecords> {
  const conversations = await contactConversations(db, scope);
  const ids = conversations.map((c) => c.id);
  if (ids.length === 0) return { conversations, messages: [], media: await visitorUploads(db, scope), leads: [], conversationEvents: [], webhookEvents: [] };
  const [messages, leads, conversationEvents, webhookEvents] = await Promise.all([messagesOf(db, ids), leadsOf(db, ids), conversationEventsOf(db, ids), webhookEventsOf(db, ids)]);
  const mediaIds = [...new Set(messages.map((m) => m.media_id).filter((id): id is string => id !== null))];
  const attached = mediaIds.length === 0 ? [] : await db.selectFrom('media').selectAll().where('id', 'in', mediaIds).execute();
  const uploads = await visitorUploads(db, scope);
  const media = [...new Map([...attached, ...uploads].map((m) => [m.id, m])).values()];
  return { conversations, messages, media, leads, conversationEvents, webhookEvents };
}

/** A web visitor's own uploads (some may never have been sent). */
function visitorUploads(db: Kysely<Database>, scope: ContactScope): Promise<MediaRow[]> {
  return db.selectFrom('media').selectAll().where('account_id', '=', scope.accountId).where('visitor', '=', scope.contact).execute();
}

/** The files an erasure removes: those of the contact's messages and a visitor's uploads. */
export async function contactMedia(db: Kysely<Database>, scope: ContactScope): Promise<string[]> {
  const conversations = await contactConversations(db, scope);
  const ids = conversations.map((c) => c.id);
  const fromMessages = ids.length === 0 ? [] : await db.selectFrom('messages').select('media_id').where('conversation_id', 'in', ids).where('media_id', 'is not', null).execute();
  const uploads = await visitorUploads(db, scope);
  return [...new Set([...fromMessages.map((m) => m.media_id!), ...uploads.map((m) => m.id)])];
}

export type ErasedCounts = Record<'conversations' | 'messages' | 'media' | 'leads' | 'conversation_events' | 'webhook_events' | 'webhook_deliveries' | 'inbox' | 'whatsapp_sent' | 'whatsapp_menus' | 'sandbox_outbox' | 'live_events' | 'unanswered_questions' | 'agent_sends', number>;

/**
 * Deletes every row about the contact, in one transaction: the contact's conversations and what
 * hangs off them, the webhook events that carried their messages (with their delivery log), the
 * inbox and send records of their number on the widget's channels, and the files whose bytes the
 * caller has removed already. Deleting nothing is fine: an erasure may be asked for twice.
 */
export async function eraseContactRows(db: Kysely<Database>, scope: ContactScope, mediaIds: string[]): Promise<ErasedCounts> {
  return db.transaction().execute(async (tx) => {
    // Locked first: a message still being written for them (an activity of a workflow just
    // terminated) waits for this transaction, then finds its conversation gone, instead of
    // slipping a row in between the deletes.
    const conversations = await tx.selectFrom('conversations').select('id').where('workflow_id', 'in', scope.workflowIds).where('account_id', '=', scope.accountId).forUpdate().execute();
    const ids = conversations.map((c) => c.id);
    const n = (result: { numDeletedRows: bigint } | undefined) => Number(result?.numDeletedRows ?? 0n);
    const none = ids.length === 0;
    const byConversation = async (table: 'unanswered_questions' | 'leads' | 'conversation_events' | 'messages' | 'agent_sends') =>
      none ? 0 : n(await tx.deleteFrom(table).where('conversation_id', 'in', ids).executeTakeFirst());
    // Locked too: a delivery being queued for one of them waits, then finds it gone.
    const events = none ? [] : (await tx.selectFrom('events').select('id').where('conversation_id', 'in', ids).forUpdate().execute()).map((e) => e.id);
    const counts: ErasedCounts = {
      webhook_deliveries: events.length === 0 ? 0 : n(await tx.deleteFrom('webhook_deliveries').where('event_id', 'in', events).executeTakeFirst()),
      webhook_events: events.length === 0 ? 0 : n(await tx.deleteFrom('events').where('id', 'in', events).executeTakeFirst()),
      unanswered_questions: await byConversation('unanswered_questions'),
      leads: await byConversation('leads'),
      conversation_events: await byConversation('conversation_events'),
      messages: await byConversation('messages'),
      // Who wrote a reply sent through the API (conversation_reads go with their conversation).
      agent_sends: await byConversation('agent_sends'),
      live_events: none
        ? 0
        : n(await tx.deleteFrom('live_events').where('account_id', '=', scope.accountId).where(sql<string>`data->>'conversation_id'`, 'in', ids).executeTakeFirst()),
      ...(await eraseNumberRows(tx, scope, ids)),
      conversations: none ? 0 : n(await tx.deleteFrom('conversations').where('id', 'in', ids).executeTakeFirst()),
      media: 0,
    };
    if (mediaIds.length > 0) {
      // A file still used elsewhere (forwarded into another conversation) keeps its row.
      const used = new Set(
        (
          await tx
            .selectFrom('messages')
            .select('media_id as id')
            .where('media_id', 'in', mediaIds)
            .union(tx.selectFrom('sandbox_outbox').select('media_id as id').where('media_id', 'in', mediaIds))
            .execute()
        ).map((r) => r.id),
      );
      const unused = mediaIds.filter((id) => !used.has(id));
      if (unused.length > 0) counts.media = n(await tx.deleteFrom('media').where('id', 'in', unused).executeTakeFirst());
    }
    return counts;
  });
}

/** The contact's WhatsApp traces on the widget's numbers: received, sent, menus, the sandbox's outbox. */
async function eraseNumberRows(tx: Transaction<Database>, scope: ContactScope, conversationIds: string[]) {
  const n = (result: { numDeletedRows: bigint } | undefined) => Number(result?.numDeletedRows ?? 0n);
  const channels = widgetChannels(tx, scope);
  return {
    inbox: n(
      await tx
        .deleteFrom('inbox')
        .where((eb) =>
          eb.or([
            eb.and([eb('customer_phone', '=', scope.contact), eb('channel_id', 'in', channels)]),
            ...(conversationIds.length > 0 ? [eb('conversation_id', 'in', conversationIds)] : []),
          ]),
        )
        .executeTakeFirst(),
    ),
    whatsapp_sent: n(await tx.deleteFrom('whatsapp_sent').where('to_phone', '=', scope.contact).where('channel_id', 'in', channels).executeTakeFirst()),
    whatsapp_menus: n(await tx.deleteFrom('whatsapp_menus').where('customer_phone', '=', scope.contact).where('channel_id', 'in', channels).executeTakeFirst()),
    sandbox_outbox: n(await tx.deleteFrom('sandbox_outbox').where('to_phone', '=', scope.contact).where('channel_id', 'in', channels).executeTakeFirst()),
  };
}

/** Whether any row of the contact's conversations exists (again): an erasure repeats until none does. */
export async function contactHasConversations(db: Kysely<Database>, scope: ContactScope): Promise<boolean> {
  return (await db.selectFrom('conversations').select('id').where('workflow_id', 'in', scope.workflowIds).executeTakeFirst()) !== undefined;
}

/** The audit record of an erasure: who asked, when, and how much went; nothing about whom. */
export async function recordErasure(db: Kysely<Database>, erasure: { id: string; accountId: string; widgetId: string; removed: Record<string, number> }): Promise<{ id: string; at: Date }> {
  return db
    .insertInto('erasures')
    .values({ id: erasure.id, account_id: erasure.accountId, widget_id: erasure.widgetId, removed: JSON.stringify(erasure.removed) })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
}
