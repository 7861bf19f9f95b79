import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { LiveEvent, LiveEvents } from './live-events.js';

const HEARTBEAT_MS = 15_000;
/** How many written ids a stream remembers to tell a late notification from a repeat. */
const WRITTEN_KEPT = 1000;

/** What a stream shows of the account's new events, as Server-Sent Events text ('' for nothing). */
export type RenderEvents = (events: LiveEvent[]) => Promise<string>;

/**
 * An endless Server-Sent Events response over the account's live events (optionally one
 * widget's): resumes after `Last-Event-ID`, else starts now; reads one batch at a time, in order;
 * a comment line keeps idle proxies from closing it; ends when the client goes.
 */
export async function liveEventStream(
  ctx: Context,
  live: LiveEvents,
  source: { accountId: string; widgetId: string | null },
  render: RenderEvents,
): Promise<{ body: PassThrough; type: string }> {
  const resume = ctx.get('last-event-id');
  let last = /^[0-9]{1,18}$/.test(resume) ? Number(resume) : await live.latestId(source.accountId);
  const stream = new PassThrough();
  let reading = Promise.resolve();
  // The ids this stream wrote lately: a notification often arrives after its event was already
  // read with an earlier one's batch, and must not write it twice.
  const written = new Set<number>();
  // A notification for an id already passed that was not written (a transaction that committed
  // late) is read on its own, so it is not lost.
  const read = (eventId: number) => {
    reading = reading
      .then(async () => {
        if (written.has(eventId)) return;
        const found =
          eventId > 0 && eventId <= last
            ? (await live.after(source.accountId, eventId - 1, source.widgetId, 1)).filter((e) => e.id === eventId)
            : await live.after(source.accountId, last, source.widgetId);
        const events = found.filter((e) => !written.has(e.id));
        for (const event of events) {
          last = Math.max(last, event.id);
          written.add(event.id);
        }
        // Insertion order is id order for the most part: the oldest are forgotten first.
        for (const id of written) {
          if (written.size <= WRITTEN_KEPT) break;
          written.delete(id);
        }
        const text = await render(events);
        if (text) stream.write(text);
      })
      .catch(() => undefined);
  };
  const unsubscribe = live.subscribe(source.accountId, read);
  const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
  ctx.req.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    stream.end();
  });
  ctx.req.socket.setTimeout(0);
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  // Tells the browser how long to wait before reconnecting; then catch up what was missed.
  stream.write('retry: 2000\n\n');
  read(0);
  return { body: stream, type: 'text/event-stream' };
}
