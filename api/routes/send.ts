import { z } from 'zod';
import { newId } from '../../activities/ids.js';
import { findLink, signalConversation } from '../../activities/whatsapp/inbound-delivery.js';
import { outboundSignal } from '../../workflows/conversation/signals.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164, messageText } from '../schemas.js';
import { ownWidget } from './tenancy.js';

const sendMessage = z
  .object({
    to: e164,
    widget_id: z.string().min(1),
    message: z.union([messageText, z.object({ text: messageText }).strict()]),
  })
  .strict();
const sendAccepted = z.object({ id: z.string(), conversation_id: z.string(), status: z.enum(['queued']) });

export function sendRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/send',
      tag: 'messages',
      summary: "Send a WhatsApp message from the widget's number; ordered with the conversation and recorded in it",
      body: sendMessage,
      headers: [{ name: 'Idempotency-Key', description: 'A retried request with the same key sends nothing twice' }],
      responses: {
        202: { description: 'Queued in the conversation', schema: sendAccepted },
        404: { description: 'Unknown widget' },
        422: { description: 'The widget has no linked WhatsApp number' },
      },
    },
    async ({ body, auth, ctx }) => {
      const widget = await ownWidget(deps.db, auth, body.widget_id);
      const link = await findLink(deps.db, { widgetId: widget.id });
      if (!link) throw new ApiError('unprocessable', `widget ${widget.id} has no linked WhatsApp number; link one with POST /api/whatsapp/links`);
      if (body.to === link.phone) throw new ApiError('validation_failed', 'to: cannot send a message to the business number itself');
      const key = ctx.get('idempotency-key').trim();
      if (key.length > 200) throw new ApiError('validation_failed', 'Idempotency-Key: must be at most 200 characters');
      const id = key ? `key:${auth.accountId}:${key}` : newId('out');
      const text = typeof body.message === 'string' ? body.message : body.message.text;
      const delivered = await signalConversation(deps, link, body.to, outboundSignal, [{ id, text }]);
      return { status: 202, body: { id, conversation_id: delivered.conversationId, status: 'queued' as const } };
    },
  );
}
