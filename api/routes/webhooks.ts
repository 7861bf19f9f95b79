import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { enqueueDelivery } from '../../activities/webhooks/enqueue.js';
import { assertSafeWebhookUrl, UnsafeWebhookUrlError } from '../../activities/webhooks/url-safety.js';
import type { Database, Webhook } from '../../db/schema.js';
import type { Kysely } from 'kysely';
import { createWebhook as insertWebhook, deleteWebhook, findWebhook, findWidgetEvent, listDeliveries, listWebhooks, requeueDelivery } from '../../db/queries/webhooks.js';
import { EVENT_NAMES } from '../../workflows/webhooks/events.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';
import type { RouteRegistry } from '../route-registry.js';
import { ownWidget } from './tenancy.js';

const eventName = z.enum(EVENT_NAMES);

const createWebhook = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048).describe('Where events are POSTed; http or https'),
    events: z.array(eventName).min(1, 'list at least one event, or leave `events` out to receive all of them').max(EVENT_NAMES.length).optional(),
    secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
  })
  .strict();

const webhookView = z.object({ id: z.string(), widget_id: z.string(), url: z.string(), events: z.array(eventName), created_at: z.string() });
const createdView = webhookView.extend({ secret: z.string().describe('Keep it: it is shown only once, and signs every delivery') });
const deliveryView = z.object({
  event_id: z.string(),
  event: eventName,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  created_at: z.string(),
});

function renderWebhook(w: Webhook): z.infer<typeof webhookView> {
  return {
    id: w.id,
    widget_id: w.widget_id,
    url: w.url,
    events: (w.events ?? [...EVENT_NAMES]) as z.infer<typeof eventName>[],
    created_at: w.created_at.toISOString(),
  };
}

/** Another account's webhook answers exactly like one that does not exist. */
async function ownWebhook(db: Kysely<Database>, auth: AuthState, webhookId: string): Promise<Webhook> {
  const webhook = await findWebhook(db, auth.accountId, webhookId);
  if (!webhook) throw ApiError.notFound(`webhook ${webhookId}`);
  return webhook;
}

export function webhookRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'post',
      path: '/api/widgets/:widgetId/webhooks',
      tag: 'webhooks',
      summary: "Subscribe a URL to the widget's events; deliveries are signed with the returned secret",
      body: createWebhook,
      responses: {
        201: { description: 'Created; the secret is shown only here', schema: createdView },
        404: { description: 'Unknown widget' },
        422: { description: 'The URL reaches a private or internal address, or does not resolve' },
      },
    },
    async ({ params, body, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      let url: URL;
      try {
        url = await assertSafeWebhookUrl(body.url, { allowPrivate: deps.allowPrivateWebhooks });
      } catch (error) {
        if (error instanceof UnsafeWebhookUrlError) throw new ApiError('unprocessable', `url: ${error.message}`);
        throw error;
      }
      const webhook = await insertWebhook(db, {
        accountId: auth.accountId,
        widgetId: widget.id,
        url: url.toString(),
        events: body.events ? [...new Set(body.events)] : null,
        secret: body.secret ?? `whsec_${randomBytes(32).toString('base64url')}`,
      });
      return { status: 201, body: { ...renderWebhook(webhook), secret: webhook.secret } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/webhooks',
      tag: 'webhooks',
      summary: "The widget's webhooks (secrets are not shown)",
      responses: { 200: { description: 'Oldest first', schema: z.array(webhookView) } },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const rows = await listWebhooks(db, widget.id);
      return { body: rows.map(renderWebhook) };
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/webhooks/:webhookId',
      tag: 'webhooks',
      summary: 'Delete a webhook; its queued deliveries stop and its log goes with it',
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Unknown webhook' } },
    },
    async ({ params, auth }) => {
      const webhook = await ownWebhook(db, auth, params.webhookId!);
      await deleteWebhook(db, webhook.id);
      return { status: 204, body: null };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/webhooks/:webhookId/deliveries',
      tag: 'webhooks',
      summary: 'The deliveries log: every event queued for this webhook, newest first, with its attempts',
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      responses: { 200: { description: 'Newest first', schema: z.array(deliveryView) } },
    },
    async ({ params, query, auth }) => {
      const webhook = await ownWebhook(db, auth, params.webhookId!);
      const rows = await listDeliveries(db, webhook.id, query.limit);
      return {
        body: rows.map((r) => ({
          event_id: r.event_id,
          event: r.event as z.infer<typeof eventName>,
          status: r.status,
          attempts: r.attempts,
          last_status_code: r.last_status_code,
          last_error: r.last_error,
          next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
          delivered_at: r.delivered_at?.toISOString() ?? null,
          created_at: r.created_at.toISOString(),
        })),
      };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/webhooks/:webhookId/deliveries/:eventId/redeliver',
      tag: 'webhooks',
      summary: "Send an event to this webhook again, in order with the conversation's other events",
      responses: {
        202: { description: 'Queued', schema: z.object({ event_id: z.string(), status: z.literal('pending') }) },
        404: { description: "Unknown webhook, or an event that is not this webhook's widget's" },
      },
    },
    async ({ params, auth }) => {
      const webhook = await ownWebhook(db, auth, params.webhookId!);
      const event = await findWidgetEvent(db, webhook.widget_id, params.eventId!);
      if (!event) throw ApiError.notFound(`event ${params.eventId}`);
      // Also works for an event from before the webhook existed: the delivery is created now.
      await requeueDelivery(db, webhook.id, event.id);
      await enqueueDelivery(deps, { webhookId: webhook.id, eventId: event.id, conversationId: event.conversation_id, redelivery: randomUUID() });
      return { status: 202, body: { event_id: event.id, status: 'pending' as const } };
    },
  );
}
