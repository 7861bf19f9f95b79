/**
 * Calls per key (a visitor, an address) in a sliding window, in this process: enough to stop a
 * flood from one browser or address; each API process limits on its own.
 *
 * Two counters per key, this window's and the last one's, weighted by how much of the last window
 * still lies within `windowMs` of now: a key cannot double its allowance across a window's edge.
 * Memory is bounded without ever scanning: when a window ends its counts become "the last window"
 * and the older ones are dropped whole, and at most `maxKeys` new keys are counted per window (past
 * that, the key that arrived first in the window is forgotten to make room).
 */
export class RateLimiter {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private windowStart = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Keys counted in this window and the last one. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Null when the call may go ahead, else the seconds until it may. */
  take(key: string, now = Date.now()): number | null {
    this.advance(now);
    const elapsed = (now - this.windowStart) / this.windowMs;
    const before = this.previous.get(key) ?? 0;
    const count = this.current.get(key) ?? 0;
    if (before * (1 - elapsed) + count + 1 > this.limit) return this.secondsUntilAllowed(before, count, now);
    if (count === 0 && this.current.size >= this.maxKeys) this.current.delete(this.current.keys().next().value!);
    this.current.set(key, count + 1);
    return null;
  }

  private advance(now: number): void {
    const start = now - (now % this.windowMs);
    if (start === this.windowStart) return;
    this.previous = start - this.windowStart === this.windowMs ? this.current : new Map();
    this.current = new Map();
    this.windowStart = start;
  }

  /** When the weighted count leaves room for one more call: later in this window, or in the next. */
  private secondsUntilAllowed(before: number, count: number, now: number): number {
    const room = this.limit - 1;
    const at =
      count <= room
        ? this.windowStart + (1 - (room - count) / before) * this.windowMs
        : this.windowStart + this.windowMs + Math.max(0, 1 - room / count) * this.windowMs;
    return Math.max(1, Math.ceil((at - now) / 1000));
  }
}
