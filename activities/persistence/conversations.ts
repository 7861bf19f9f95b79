import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
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
