import { sql, type Kysely, type Selectable } from 'kysely';
import type { CannedRepliesTable, Database } from '../schema.js';

/** Assigns a conversation to a person of its account (or to nobody); false when that person is not of the account. */
export async function assignConversation(db: Kysely<Database>, conversationId: string, accountId: string, userId: string | null): Promise<boolean> {
  const result = await db
    .updateTable('conversations')
    .set({ assignee_id: userId })
    .where('id', '=', conversationId)
    .where('account_id', '=', accountId)
    .$if(userId !== null, (q) => q.where(({ exists, selectFrom }) => exists(selectFrom('users').select('id').where('id', '=', userId!).where('account_id', '=', accountId))))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Resolved until the customer writes again (a trigger on messages reopens it). */
export async function resolveConversation(db: Kysely<Database>, conversationId: string): Promise<Date> {
  const row = await db
    .updateTable('conversations')
    .set({ status: 'resolved', resolved_at: sql<Date>`coalesce(resolved_at, now())` })
    .where('id', '=', conversationId)
    .returning('resolved_at')
    .executeTakeFirstOrThrow();
  return row.resolved_at!;
}

export async function reopenConversation(db: Kysely<Database>, conversationId: string): Promise<void> {
  await db.updateTable('conversations').set({ status: 'open', resolved_at: null }).where('id', '=', conversationId).execute();
}

/** What this person has read of a conversation: everything up to now. */
export async function markRead(db: Kysely<Database>, userId: string, conversationId: string): Promise<void> {
  await db
    .insertInto('conversation_reads')
    .values({ user_id: userId, conversation_id: conversationId, read_at: sql<Date>`now()` })
    .onConflict((oc) => oc.columns(['user_id', 'conversation_id']).doUpdateSet({ read_at: sql<Date>`now()` }))
    .execute();
}

/** Customer messages this person has not read yet, per conversation of the page. */
export async function unreadCounts(db: Kysely<Database>, userId: string, conversationIds: string[]): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('conversation_reads as r', (join) => join.onRef('r.conversation_id', '=', 'm.conversation_id').on('r.user_id', '=', userId))
    .select(['m.conversation_id', (eb) => eb.fn.countAll<string>().as('unread')])
    .where('m.conversation_id', 'in', conversationIds)
    .where('m.author', '=', 'customer')
    .where((eb) => eb.or([eb('r.read_at', 'is', null), eb('m.at', '>', eb.ref('r.read_at'))]))
    .groupBy('m.conversation_id')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, Number(r.unread)]));
}

/** Among these people, the one with the fewest open conversations assigned (ties: the earliest invited). */
export async function leastBusy(db: Kysely<Database>, accountId: string, userIds: string[]): Promise<string | null> {
  if (userIds.length === 0) return null;
  const row = await db
    .selectFrom('users as u')
    .leftJoin('conversations as c', (join) => join.onRef('c.assignee_id', '=', 'u.id').on('c.status', '=', 'open'))
    .select(['u.id', (eb) => eb.fn.count('c.id').as('open')])
    .where('u.account_id', '=', accountId)
    .where('u.id', 'in', userIds)
    .groupBy('u.id')
    .orderBy('open')
    .orderBy(sql`min(u.created_at)`)
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Assigns only when nobody holds the conversation yet: a person's own choice is never overridden. */
export async function assignIfUnassigned(db: Kysely<Database>, conversationId: string, userId: string): Promise<boolean> {
  const result = await db.updateTable('conversations').set({ assignee_id: userId }).where('id', '=', conversationId).where('assignee_id', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export type CannedReply = Selectable<CannedRepliesTable>;

export async function listCannedReplies(db: Kysely<Database>, widgetId: string): Promise<CannedReply[]> {
  return db.selectFrom('canned_replies').selectAll().where('widget_id', '=', widgetId).orderBy('shortcut').execute();
}

/** Saves a reply under its shortcut; saving the same shortcut again replaces its text. */
export async function saveCannedReply(db: Kysely<Database>, reply: { id: string; widgetId: string; shortcut: string; text: string }): Promise<CannedReply> {
  return db
    .insertInto('canned_replies')
    .values({ id: reply.id, widget_id: reply.widgetId, shortcut: reply.shortcut, text: reply.text })
    .onConflict((oc) => oc.columns(['widget_id', 'shortcut']).doUpdateSet({ text: reply.text }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteCannedReply(db: Kysely<Database>, widgetId: string, replyId: string): Promise<boolean> {
  const result = await db.deleteFrom('canned_replies').where('widget_id', '=', widgetId).where('id', '=', replyId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * When the widget asks for it (`handoff.auto_assign`), a conversation asking for a person goes to
 * whoever of the account is signed in (a live session) with the fewest open conversations, unless
 * someone already has it. Returns who got it.
 */
export async function autoAssign(db: Kysely<Database>, conversationId: string): Promise<string | null> {
  const conversation = await db
    .selectFrom('conversations')
    .innerJoin('widgets', 'widgets.id', 'conversations.widget_id')
    .select(['conversations.account_id', 'conversations.assignee_id', 'widgets.settings'])
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation || conversation.assignee_id || conversation.settings.handoff?.auto_assign !== true) return null;
  const signedIn = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select('users.id')
    .distinct()
    .where('users.account_id', '=', conversation.account_id)
    .where('user_sessions.expires_at', '>', sql<Date>`now()`)
    .execute();
  const chosen = await leastBusy(db, conversation.account_id, signedIn.map((u) => u.id));
  return chosen && (await assignIfUnassigned(db, conversationId, chosen)) ? chosen : null;
}
