import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The only code that writes `conversations.resume_state` and `closed_at`. */

/** Keeps what the next run starts from; committed before the closing run completes. */
export async function saveClosedConversation(db: Kysely<Database>, conversationId: string, state: Record<string, unknown>): Promise<void> {
  await db.updateTable('conversations').set({ resume_state: JSON.stringify(state), closed_at: sql<Date>`now()` }).where('id', '=', conversationId).execute();
}

/** What the last closed run kept, if one closed. */
export async function closedConversationState(db: Kysely<Database>, conversationId: string): Promise<Record<string, unknown> | null> {
  const row = await db.selectFrom('conversations').select('resume_state').where('id', '=', conversationId).executeTakeFirst();
  return row?.resume_state ?? null;
}
