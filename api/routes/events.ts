import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { liveEventStream } from '../live/event-stream.js';
import type { LiveEvent } from '../live/live-events.js';
import type { StreamSlots } from '../live/stream-slots.js';
import type { RouteRegistry } from '../route-registry.js';
import { ownWidget } from './tenancy.js';

function frame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** GET /api/events (DESIGN §8): the account's live events as Server-Sent Events. */
export function eventRoutes(routes: RouteRegistry, deps: Pick<ApiDeps, 'db' | 'liveEvents'>, slots: StreamSlots): void {
  routes.add(
    {
      method: 'get',
      path: '/api/events',
      tag: 'events',
      summary:
        'Live events as Server-Sent Events: message.created, conversation.updated, channel.status_changed, each with the ids to fetch the rest. Send Last-Event-ID to resume without gaps.',
      query: z.object({ widget_id: z.string().min(1).max(100).optional() }).strict(),
      headers: [{ name: 'Last-Event-ID', description: 'The id of the last event received: the stream resumes after it', schema: z.string().regex(/^[0-9]{1,18}$/) }],
      responses: {
        200: { description: 'An endless event stream', contentType: 'text/event-stream' },
        429: { description: 'Too many streams open for this account or from this address: try again after Retry-After seconds' },
      },
    },
    async ({ query, auth, ctx }) => {
      const widgetId = query.widget_id ? (await ownWidget(deps.db, auth, query.widget_id)).id : null;
      return liveEventStream(ctx, { live: deps.liveEvents, slots }, { accountId: auth.accountId, address: ctx.ip }, { widgetId }, async (events) => events.map(frame).join(''));
    },
  );
}
