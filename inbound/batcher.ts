import { setTimeout as delay } from 'node:timers/promises';
import type { InboundSignal } from '../workflows/conversation/signals.js';

interface Waiter {
  message: InboundSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface InboundBatcherOptions {
  /** The most messages one signal carries. */
  maxBatch?: number;
  /** The least time between two signals to one conversation; what arrives meanwhile waits and goes together. */
  spacingMs?: number;
}

/**
 * At most one inbound signal per conversation in flight from this process, and at most one per
 * `spacingMs`; messages that arrive meanwhile go together in the next one. A signal is accepted
 * by the server at once, even while the conversation's workflow task is still running (local
 * activities keep it open for a second or more), so only spacing bounds how many signals pile up
 * behind that task: past a hundred the server discards the task and everything it did. A first
 * message in a quiet chat goes at once. Each caller's promise settles when its own message is
 * durable in Temporal.
 */
export class InboundBatcher {
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly maxBatch: number;
  private readonly spacingMs: number;

  constructor(options: InboundBatcherOptions = {}) {
    this.maxBatch = options.maxBatch ?? 50;
    this.spacingMs = options.spacingMs ?? 200;
  }

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
      const sentAt = Date.now();
      try {
        await send(batch.map((w) => w.message));
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
      const rest = this.spacingMs - (Date.now() - sentAt);
      if (rest > 0) await delay(rest);
      const queued = this.waiting.get(conversationKey)!;
      if (queued.length === 0) {
        this.waiting.delete(conversationKey);
        return;
      }
      batch = queued.splice(0, this.maxBatch);
    }
  }
}
