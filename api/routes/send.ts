import { z } from 'zod';
import { newId } from '../../db/ids.js';
import { findLink } from '../../db/queries/links.js';
import { signalConversation } from '../../inbound/conversation.js';
import { outboundSignal } from '../../workflows/conversation/signals.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { idempotencyKeyHeader, idempotent, readIdempotencyKey } from '../idempotency.js';
import { outboundMessage } from '../rich-message.js';
import { messageToSend } from './media.js';
import type { RouteRegistry } from '../route-registry.js';
import { e164 } from '../schemas.js';
import { ownWidget } from './tenancy.js';

const sendMessage = z
  .object({
    to: e164,
    widget_id: z.string().min(1),
    message: outboundMessage,
  })
  .strict();
const sendAccepted = z.object({ id: z.string(), conversation_id: z.string(), status: z.enum(['queued']) });

export function sendRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/whatsapp/send',
      tag: 'messages',
      summary: "Send a WhatsApp message (text, buttons, a list, or a file uploaded with POST /api/media) from the widget's number; ordered with the conversation and recorded in it",
      body: sendMessage,
      headers: [idempotencyKeyHeader],
      responses: {
        202: { description: 'Queued in the conversation', schema: sendAccepted },
        404: { description: 'Unknown widget' },
        409: { description: 'The Idempotency-Key was used with a different request' },
        422: { description: 'The widget has no linked WhatsApp number' },
      },
    },
    async ({ body, auth, ctx }) => {
      const widget = await ownWidget(deps.db, auth, body.widget_id);
      const link = await findLink(deps.db, { widgetId: widget.id });
      if (!link) throw new ApiError('unprocessable', `widget ${widget.id} has no linked WhatsApp number; link one with POST /api/whatsapp/links`);
      if (body.to === link.phone) throw new ApiError('unprocessable', 'to: cannot send a message to the business number itself');
      const key = readIdempotencyKey(ctx);

      const message = await messageToSend(deps.db, auth.accountId, body.message);
      const send = async (id: string) => {
        const delivered = await signalConversation(deps, { kind: 'whatsapp', link, customerPhone: body.to }, outboundSignal, [{ id, ...message }]);
        return { id, conversation_id: delivered.conversationId, status: 'queued' as const };
      };
      if (!key) return { status: 202, body: await send(newId('out')) };
      const { response, replayed } = await idempotent(deps.db, { accountId: auth.accountId, key, request: body, newResourceId: () => newId('out') }, send);
      if (replayed) ctx.set('Idempotent-Replayed', 'true');
      return { status: 202, body: response };
    },
  );
}
