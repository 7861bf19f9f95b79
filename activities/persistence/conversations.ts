import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConversationInput } from '../../workflows/conversation/state.js';

/**
 * Conversations whose row this process has written or found. Rows are never deleted, so a chat's
 * later messages skip the write; the set is dropped whole when it grows large (a cheap bound, and
 * at worst one idle write per conversation again).
 */
const known = new WeakMap<Kysely<Database>, Set<string>>();
const KNOWN_LIMIT = 100_000;

/**
 * The conversation's row, written before its workflow is signalled so the API can list it at
 * once; the first writer wins (a conversation's identity never changes).
 */
export async function ensureConversation(db: Kysely<Database>, input: ConversationInput & { workflowId: string }): Promise<void> {
  let ids = known.get(db);
  if (!ids) known.set(db, (ids = new Set()));
  if (ids.has(input.conversationId)) return;
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
  if (ids.size >= KNOWN_LIMIT) ids.clear();
  ids.add(input.conversationId);
}
