import type { Kysely } from 'kysely';
import { findOwnChannel } from '../../db/queries/channels.js';
import { findOwnConversation } from '../../db/queries/conversations.js';
import { findOwnWidget } from '../../db/queries/widgets.js';
import type { Channel, Conversation, Database, Widget } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';

/** Another account's ids answer exactly like ids that do not exist. */
export async function ownWidget(db: Kysely<Database>, auth: AuthState, widgetId: string): Promise<Widget> {
  const widget = await findOwnWidget(db, auth.accountId, widgetId);
  if (!widget) throw ApiError.notFound(`widget ${widgetId}`);
  return widget;
}

export async function ownChannel(db: Kysely<Database>, auth: AuthState, channelId: string): Promise<Channel> {
  const channel = await findOwnChannel(db, auth.accountId, channelId);
  if (!channel) throw ApiError.notFound(`channel ${channelId}`);
  return channel;
}

export async function ownConversation(db: Kysely<Database>, auth: AuthState, conversationId: string): Promise<Conversation> {
  const conversation = await findOwnConversation(db, auth.accountId, conversationId);
  if (!conversation) throw ApiError.notFound(`conversation ${conversationId}`);
  return conversation;
}
