import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { LiveEvent } from '../live/live-events.js';
import type { RouteRegistry } from '../route-registry.js';
import { ownWidget } from './tenancy.js';

const HEARTBEAT_MS = 15_000;

function frame(event: LiveEvent): string {
  return `id: ${event.id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** GET /api/events (DESIGN §8): the account's live events as Server-Sent Events. */
export function eventRoutes(routes: RouteRegistry, deps: Pick<ApiDeps, 'db' | 'liveEvents'>): void {
  routes.add(
    {
      method: 'get',
      path: '/api/events',
      tag: 'events',
      summary:
        'Live events as Server-Sent Events: message.created, conversation.updated, channel.status_changed, each with the ids to fetch the rest. Send Last-Event-ID to resume without gaps.',
      query: z.object({ widget_id: z.string().min(1).max(100).optional() }).strict(),
      headers: [{ name: 'Last-Event-ID', description: 'The id of the last event received: the stream resumes after it', schema: z.string().regex(/^[0-9]{1,18}$/) }],
      responses: { 200: { description: 'An endless event stream', contentType: 'text/event-stream' } },
    },
    async ({ query, auth, ctx }) => {
      const widgetId = query.widget_id ? (await ownWidget(deps.db, auth, query.widget_id)).id : null;
      const live = deps.liveEvents;
      const resumeFrom = /^[0-9]{1,18}$/.test(ctx.get('last-event-id')) ? Number(ctx.get('last-event-id')) : await live.latestId(auth.accountId);

      const stream = new PassThrough();
      let last = resumeFrom;
      let reading = Promise.resolve();
      // One read at a time, in order; a notification for an id already passed (a transaction that
      // committed late) is read on its own, so it is not lost.
      const read = (eventId: number) => {
        reading = reading.then(async () => {
          const events = eventId > 0 && eventId <= last
            ? (await live.after(auth.accountId, eventId - 1, widgetId, 1)).filter((e) => e.id === eventId)
            : await live.after(auth.accountId, last, widgetId);
          for (const event of events) {
            stream.write(frame(event));
            if (event.id > last) last = event.id;
          }
        }).catch(() => undefined);
      };
      const unsubscribe = live.subscribe(auth.accountId, read);
      const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        unsubscribe();
        stream.end();
      };
      ctx.req.on('close', close);
      ctx.req.socket.setTimeout(0);
      ctx.set('Cache-Control', 'no-cache, no-transform');
      ctx.set('X-Accel-Buffering', 'no');
      // Tells the browser how long to wait before reconnecting, and catches up what was missed.
      stream.write('retry: 2000\n\n');
      read(0);
      return { body: stream, type: 'text/event-stream' };
    },
  );
}
