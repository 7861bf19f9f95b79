import type { Kysely } from 'kysely';
import type { Channel, Conversation, Database, Widget } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';

/** Another account's ids answer exactly like ids that do not exist. */
export async function ownWidget(db: Kysely<Database>, auth: AuthState, widgetId: string): Promise<Widget> {
  const widget = await db.selectFrom('widgets').selectAll().where('id', '=', widgetId).where('account_id', '=', auth.accountId).executeTakeFirst();
  if (!widget) throw ApiError.notFound(`widget ${widgetId}`);
  return widget;
}

export async function ownChannel(db: Kysely<Database>, auth: AuthState, channelId: string): Promise<Channel> {
  const channel = await db
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', channelId)
    .where('account_id', '=', auth.accountId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!channel) throw ApiError.notFound(`channel ${channelId}`);
  return channel;
}

export async function ownConversation(db: Kysely<Database>, auth: AuthState, conversationId: string): Promise<Conversation> {
  const conversation = await db
    .selectFrom('conversations')
    .selectAll()
    .where('id', '=', conversationId)
    .where('account_id', '=', auth.accountId)
    .executeTakeFirst();
  if (!conversation) throw ApiError.notFound(`conversation ${conversationId}`);
  return conversation;
}
