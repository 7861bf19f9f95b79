import { findSandboxChannel, sandboxOutbox } from '../../db/queries/sandbox.js';
import { z } from 'zod';
import { newId } from '../../db/ids.js';
import { conversationIdFor } from '../../inbound/conversation.js';
import { whatsappConversationWorkflowId } from '../../workflows/conversation/ids.js';
import { matchMenuAnswer, menuItems } from '../../activities/whatsapp/menu.js';
import type { RichContent } from '../../workflows/conversation/domain.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164, optionalText, semantic, text } from '../schemas.js';
import { attachmentFields, contactInput, locationInput, sandboxMediaInput } from '../media-schemas.js';
import { storeUpload } from './media.js';
import { kindOf } from '../../media/kinds.js';
import { attachmentView, mediaOf } from '../../media/view.js';
import type { Attachment } from '../../workflows/conversation/signals.js';

/** Base64 of a 16 MB video, and the rest of the body: the sandbox's JSON limit (every other route keeps 1 MiB). */
export const SANDBOX_JSON_LIMIT = 24 * 1024 * 1024;

const sandboxMessage = z
  .object({
    to: e164.describe('the business number (a connected sandbox channel)'),
    from: e164.describe("the customer's number"),
    text: optionalText(4096).optional().describe('the text, or the caption of `media` ("" or absent: none); required without media, location or contact'),
    media: sandboxMediaInput.optional().describe('a photo, voice note, video, document or sticker, as a socket delivers it'),
    location: locationInput.optional(),
    contact: contactInput.optional(),
    id: text(200).optional().describe('provider message id; a repeated id is processed once'),
    from_me: z.boolean().default(false).describe('typed on the business phone in the chat with `from`'),
    reply_id: text(200).optional().describe('the id of a tapped button or list item; without it, a typed "2" or "info" answering the last buttons or list sent picks that item'),
  })
  .strict()
  .superRefine((message, ctx) => {
    const attached = [message.media, message.location, message.contact].filter(Boolean).length;
    if (attached === 0 && !message.text) ctx.addIssue({ code: 'custom', path: ['text'], params: semantic, message: 'is required unless the message carries media, a location or a contact' });
    if (attached > 1) ctx.addIssue({ code: 'custom', path: ['media'], params: semantic, message: 'a message carries one of media, location or contact' });
  });

const accepted = z.object({ message_id: z.string(), conversation_id: z.string() });
const outboxEntry = z.object({
  id: z.string(),
  to: z.string(),
  from: z.string(),
  text: z.string(),
  ...attachmentFields,
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
      const channel = await findSandboxChannel(db, auth.accountId, body.to, body.from);
      if (!channel) throw ApiError.notFound(`sandbox channel with number ${body.to}`);
      if (channel.status !== 'connected') throw new ApiError('unprocessable', `the sandbox channel for ${body.to} is ${channel.status}, not connected`);
      if (body.to === body.from) throw new ApiError('unprocessable', '`from` must be the customer, not the business number');
      if (!channel.widget_id) throw new ApiError('unprocessable', `${body.to} is not linked to a widget yet; link it with POST /api/whatsapp/links`);
      const messageId = body.id ?? newId('sbm');
      const textOf = body.text ?? '';
      // A typed answer ("2", "info") to the buttons or list last sent to this customer picks that
      // item, exactly as the Baileys provider maps numbered menus and poll votes.
      const menu = body.from_me || !textOf ? [] : menuItems(channel.last_rich as RichContent | null);
      const replyId = body.reply_id ?? (menu.length ? matchMenuAnswer(menu, textOf) : undefined);
      // The bytes are stored first, as the gateway stores a file it downloads; the message carries the id.
      let attachment: Attachment | undefined;
      if (body.media) {
        const { media } = body;
        const carried = kindOf(media.mime_type);
        if (carried && carried !== media.kind && media.kind !== 'document') {
          throw new ApiError('unprocessable', `media.kind: ${media.mime_type} is carried as ${carried}, not ${media.kind} (any type may go as a document)`);
        }
        const data = Buffer.from(media.data, 'base64');
        const stored = await storeUpload(deps.media, {
          id: `med_sbx_${channel.id}_${messageId}`.slice(0, 120),
          accountId: auth.accountId,
          mimeType: media.mime_type,
          kind: media.kind,
          filename: media.filename ?? null,
          voice: media.kind === 'audio' && media.voice === true,
          sniff: true,
          bytes: (async function* () {
            yield data;
          })(),
        });
        attachment = { media: { id: stored.id, kind: stored.kind, ...(stored.voice ? { voice: true } : {}) } };
      } else if (body.location) attachment = { location: body.location };
      else if (body.contact) attachment = { contact: body.contact };
      // Stored first (durable), then handed over; if Temporal is away the inbox relay delivers it later.
      const accepted = await deps.inbox.accept({
        id: messageId,
        channelId: channel.id,
        businessPhone: body.to,
        customerPhone: body.from,
        fromMe: body.from_me,
        text: textOf,
        ...(replyId ? { replyId } : {}),
        timestamp: new Date(),
        ...(attachment ? { attachment } : {}),
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
      const rows = await sandboxOutbox(db, auth.accountId, query.phone);
      const files = await mediaOf(db, rows);
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
            ...attachmentView({ media_id: row.media_id, location: null, contact: null, transcript: null }, files),
            sent_at: row.sent_at.toISOString(),
          };
        }),
      };
    },
  );
}
