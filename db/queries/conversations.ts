import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { ConversationInput } from '../../workflows/conversation/state.js';
import { SeenIds } from '../seen-ids.js';

/** Conversations whose row this process has written or found: rows are never deleted, so a chat's later messages skip the write. */
const known = new SeenIds<Kysely<Database>>();

/**
 * The conversation's row, written before its workflow is signalled so the API can list it at
 * once; the first writer wins (a conversation's identity never changes).
 */
export async function ensureConversation(db: Kysely<Database>, input: ConversationInput & { workflowId: string }): Promise<void> {
  if (known.has(db, input.conversationId)) return;
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
  known.add(db, input.conversationId);
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
