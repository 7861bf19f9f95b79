import type { InboundSignal } from '../../workflows/conversation/signals.js';

interface Waiter {
  message: InboundSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * At most one inbound signal per conversation in flight from this process; messages that arrive
 * meanwhile go together in the next one. A burst into one chat then costs a few signals instead
 * of one each, so the conversation's workflow task never sees a pile of buffered signals (past a
 * hundred the server discards the task and everything it did). Each caller's promise settles
 * when its own message is durable in Temporal.
 */
export class InboundBatcher {
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(private readonly maxBatch = 50) {}

  deliver(conversationKey: string, message: InboundSignal, send: (messages: InboundSignal[]) => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter = { message, resolve, reject };
      const queued = this.waiting.get(conversationKey);
      if (queued) {
        queued.push(waiter);
        return;
      }
      this.waiting.set(conversationKey, []);
      void this.drain(conversationKey, [waiter], send);
    });
  }

  private async drain(conversationKey: string, batch: Waiter[], send: (messages: InboundSignal[]) => Promise<void>): Promise<void> {
    for (;;) {
      try {
        await send(batch.map((w) => w.message));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      const queued = this.waiting.get(conversationKey)!;
      if (queued.length === 0) {
        this.waiting.delete(conversationKey);
        return;
      }
      batch = queued.splice(0, this.maxBatch);
    }
  }
}
