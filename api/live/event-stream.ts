import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { LiveEvent, LiveEvents, LiveFilter } from './live-events.js';
import type { StreamOwner, StreamSlots } from './stream-slots.js';

const HEARTBEAT_MS = 15_000;

/** What a stream shows of the events it is handed, as Server-Sent Events text ('' for nothing). */
export type RenderEvents = (events: LiveEvent[]) => Promise<string>;

/**
 * An endless Server-Sent Events response over an account's live events (optionally one widget's
 * or one conversation's): resumes after `Last-Event-ID`, else starts now; writes one batch at a
 * time, in order; a comment line keeps idle proxies from closing it; ends when the client goes.
 * It holds one of the process's stream slots while open (429 when none is left).
 */
export async function liveEventStream(
  ctx: Context,
  deps: { live: LiveEvents; slots: StreamSlots },
  owner: StreamOwner,
  filter: LiveFilter,
  render: RenderEvents,
): Promise<{ body: PassThrough; type: string }> {
  const release = deps.slots.take(ctx, owner);
  const resume = ctx.get('last-event-id');
  const stream = new PassThrough();
  // Tells the browser how long to wait before reconnecting.
  stream.write('retry: 2000\n\n');
  let writing = Promise.resolve();
  let closed = false;
  let unsubscribe = () => undefined as void;
  const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
  ctx.req.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    release();
    stream.end();
  });
  try {
    unsubscribe = await deps.live.subscribe(owner.accountId, filter, /^[0-9]{1,18}$/.test(resume) ? Number(resume) : null, (events) => {
      writing = writing
        .then(async () => {
          const text = await render(events);
          if (text && !closed) stream.write(text);
        })
        .catch(() => undefined);
    });
  } catch (error) {
    clearInterval(heartbeat);
    release();
    throw error;
  }
  if (closed) unsubscribe();
  ctx.req.socket.setTimeout(0);
  ctx.set('Cache-Control', 'no-cache, no-transform');
  ctx.set('X-Accel-Buffering', 'no');
  return { body: stream, type: 'text/event-stream' };
}
