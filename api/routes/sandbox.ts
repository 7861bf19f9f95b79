import { sql } from 'kysely';
import { z } from 'zod';
import { newId } from '../../activities/ids.js';
import { conversationIdFor } from '../../activities/whatsapp/inbound-delivery.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { matchMenuAnswer, menuItems } from '../../activities/whatsapp/menu.js';
import type { RichContent } from '../../db/schema.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164, messageText, text } from '../schemas.js';

const sandboxMessage = z
  .object({
    to: e164.describe('the business number (a connected sandbox channel)'),
    from: e164.describe("the customer's number"),
    text: messageText,
    id: text(200).optional().describe('provider message id; a repeated id is processed once'),
    from_me: z.boolean().default(false).describe('typed on the business phone in the chat with `from`'),
    reply_id: text(200).optional().describe('the id of a tapped button or list item; without it, a typed "2" or "info" answering the last buttons or list sent picks that item'),
  })
  .strict();

const accepted = z.object({ message_id: z.string(), conversation_id: z.string() });
const outboxEntry = z.object({
  id: z.string(),
  to: z.string(),
  from: z.string(),
  text: z.string(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })).optional(),
  list: z.object({ title: z.string(), items: z.array(z.object({ id: z.string(), title: z.string(), description: z.string().optional() })) }).optional(),
  sent_at: z.string(),
});

/** The sandbox's inbound and outbox routes, where the sandbox is on (CATY_SANDBOX). */
export function sandboxRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  if (!deps.sandbox) return;
  const { db } = deps;

  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/sandbox/messages',
      tag: 'sandbox',
      summary: 'Deliver a message as a real WhatsApp socket would: a customer writing, or the business phone typing in a chat',
      body: sandboxMessage,
      responses: {
        202: { description: 'Accepted: stored, and handed to its conversation (at once, or by the relay when Temporal is away)', schema: accepted },
        404: { description: 'No sandbox channel of yours has that number' },
        422: { description: 'The number is not connected or not linked to a widget' },
      },
    },
    async ({ body, auth }) => {
      // One round trip: the channel, its link, and the buttons or list last sent to this customer.
      const channel = await db
        .selectFrom('channels')
        .leftJoin('links', (join) => join.onRef('links.account_id', '=', 'channels.account_id').onRef('links.phone', '=', 'channels.phone'))
        .select(['channels.id', 'channels.status', 'links.widget_id'])
        .select((eb) =>
          eb
            .selectFrom('sandbox_outbox')
            .select('rich')
            .whereRef('sandbox_outbox.channel_id', '=', 'channels.id')
            .where('sandbox_outbox.to_phone', '=', body.from)
            .orderBy('sandbox_outbox.sent_at', 'desc')
            .orderBy('sandbox_outbox.id', 'desc')
            .limit(1)
            .as('last_rich'),
        )
        .where('channels.account_id', '=', auth.accountId)
        .where('channels.phone', '=', body.to)
        .where('channels.provider', '=', 'sandbox')
        .where('channels.removed_at', 'is', null)
        // A number scanned again on a new channel: the connected one, not the one logged out.
        .orderBy(sql`channels.status = 'connected'`, 'desc')
        .orderBy('channels.updated_at', 'desc')
        .executeTakeFirst();
      if (!channel) throw ApiError.notFound(`sandbox channel with number ${body.to}`);
      if (channel.status !== 'connected') throw new ApiError('unprocessable', `the sandbox channel for ${body.to} is ${channel.status}, not connected`);
      if (body.to === body.from) throw new ApiError('unprocessable', '`from` must be the customer, not the business number');
      if (!channel.widget_id) throw new ApiError('unprocessable', `${body.to} is not linked to a widget yet; link it with POST /api/whatsapp/links`);
      const messageId = body.id ?? newId('sbm');
      // A typed answer ("2", "info") to the buttons or list last sent to this customer picks that
      // item, exactly as the Baileys provider maps numbered menus and poll votes.
      const menu = body.from_me ? [] : menuItems(channel.last_rich as RichContent | null);
      const replyId = body.reply_id ?? (menu.length ? matchMenuAnswer(menu, body.text) : undefined);
      // Stored first (durable), then handed over; if Temporal is away the inbox relay delivers it later.
      const accepted = await deps.inbox.accept({
        id: messageId,
        channelId: channel.id,
        businessPhone: body.to,
        customerPhone: body.from,
        fromMe: body.from_me,
        text: body.text,
        ...(replyId ? { replyId } : {}),
        timestamp: new Date(),
      });
      const conversationId = accepted.conversationId ?? conversationIdFor(whatsappConversationWorkflowId(channel.widget_id, body.from));
      return { status: 202, body: { message_id: messageId, conversation_id: conversationId } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/whatsapp/sandbox/outbox',
      tag: 'sandbox',
      summary: 'Everything the system sent to a number through your sandbox channels, oldest first',
      query: z.object({ phone: e164 }),
      responses: { 200: { description: 'Sent messages', schema: z.array(outboxEntry) } },
    },
    async ({ query, auth }) => {
      const rows = await db
        .selectFrom('sandbox_outbox')
        .innerJoin('channels', 'channels.id', 'sandbox_outbox.channel_id')
        .select(['sandbox_outbox.id', 'to_phone', 'from_phone', 'text', 'rich', 'sent_at'])
        .where('channels.account_id', '=', auth.accountId)
        .where('to_phone', '=', query.phone)
        .orderBy('sent_at', 'asc')
        .orderBy('sandbox_outbox.id', 'asc')
        .execute();
      return {
        body: rows.map((row) => {
          const rich = row.rich as RichContent | null;
          return {
            id: row.id,
            to: row.to_phone,
            from: row.from_phone,
            text: row.text,
            ...(rich?.buttons ? { buttons: rich.buttons } : {}),
            ...(rich?.list ? { list: rich.list } : {}),
            sent_at: row.sent_at.toISOString(),
          };
        }),
      };
    },
  );
}
