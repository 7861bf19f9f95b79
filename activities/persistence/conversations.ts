import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConversationInput } from '../../workflows/conversation/state.js';

/**
 * The conversation's row, written before its workflow is signalled so the API can list it at
 * once; the first writer wins (a conversation's identity never changes). Called only when a start
 * request goes out (activities/signal-or-start.ts), so not for every message; and never skipped on
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
