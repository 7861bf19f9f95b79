import type { Context } from 'koa';
import { ApiError } from '../errors.js';

/** Event streams one API process holds open at once (CATY_STREAMS_PER_*). */
export interface StreamLimits {
  perAccount: number;
  perAddress: number;
  perVisitor: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perAccount: 1000, perAddress: 32, perVisitor: 3 };

/** Who holds a stream: the account it reads, the address it comes from, and the web visitor, if one. */
export interface StreamOwner {
  accountId: string;
  address: string;
  visitorId?: string;
}

/**
 * Counts the event streams open in this process by account, address and visitor. A stream holds
 * a connection and a little memory for as long as its client wants, and load shedding does not
 * count it: past a cap, a new one is refused with 429 rather than let one client or account hold
 * them all.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: StreamLimits) {}

  /** Takes a slot or throws 429 (with Retry-After); returns the release, which may be called more than once. */
  take(ctx: Context, owner: StreamOwner): () => void {
    const keys: [string, number, string][] = [
      [`account:${owner.accountId}`, this.limits.perAccount, 'this account'],
      [`address:${owner.address}`, this.limits.perAddress, 'your address'],
      ...(owner.visitorId ? [[`visitor:${owner.visitorId}`, this.limits.perVisitor, 'this visitor'] as [string, number, string]] : []),
    ];
    for (const [key, limit, whose] of keys) {
      if ((this.open.get(key) ?? 0) >= limit) {
        ctx.set('Retry-After', '10');
        throw new ApiError('rate_limited', `${whose} already has ${limit} event streams open; close one, or try again in 10 s`);
      }
    }
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of keys) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left > 0) this.open.set(key, left);
        else this.open.delete(key);
      }
    };
  }
}
