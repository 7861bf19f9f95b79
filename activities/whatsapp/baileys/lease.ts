import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

/**
 * The share of the lease's lifetime by which the holder gives the socket up before the lease could
 * lapse: a successor only takes a lease once it has expired, so the two never overlap even when a
 * renewal hangs, the database is slow or the clocks' rates differ a little.
 */
export const LEASE_SAFETY_MARGIN = 0.3;

/**
 * Until when a lease is surely ours: the database set its expiry after the request left, so
 * counting from the moment we sent it is on the safe side.
 */
export function leaseHeldUntil(requestSentAt: number, ttlMs: number): number {
  return requestSentAt + ttlMs;
}

/** Time to close the socket: the last confirmed expiry, less the safety margin, has come. */
export function mustReleaseSocket(now: number, heldUntil: number, ttlMs: number): boolean {
  return now >= heldUntil - ttlMs * LEASE_SAFETY_MARGIN;
}

/**
 * Who may hold a channel's socket. Temporal runs one attempt of the session activity at a time,
 * but a worker cut off from Temporal does not know its attempt has timed out; this lease, renewed
 * with the heartbeat, makes such a worker close its socket before a successor may open one.
 */
export class SessionLease {
  constructor(
    private readonly db: Kysely<Database>,
    readonly channelId: string,
    readonly owner: string,
    readonly ttlMs: number,
  ) {}

  private expiry() {
    return sql<Date>`now() + make_interval(secs => ${this.ttlMs / 1000})`;
  }

  /** Takes the lease when it is free, expired, or already ours. */
  async tryAcquire(): Promise<boolean> {
    const row = await this.db
      .insertInto('whatsapp_session_leases')
      .values({ channel_id: this.channelId, owner: this.owner, acquired_at: sql<Date>`now()`, expires_at: this.expiry() })
      .onConflict((oc) =>
        oc
          .column('channel_id')
          .doUpdateSet({ owner: this.owner, acquired_at: sql<Date>`now()`, expires_at: this.expiry() })
          .where((eb) => eb.or([eb('whatsapp_session_leases.expires_at', '<', sql<Date>`now()`), eb('whatsapp_session_leases.owner', '=', this.owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === this.owner;
  }

  /** False when the lease is gone (expired and taken by someone else): stop using the socket. */
  async renew(): Promise<boolean> {
    const row = await this.db
      .updateTable('whatsapp_session_leases')
      .set({ expires_at: this.expiry() })
      .where('channel_id', '=', this.channelId)
      .where('owner', '=', this.owner)
      .returning('owner')
      .executeTakeFirst();
    return row !== undefined;
  }

  async release(): Promise<void> {
    await this.db.deleteFrom('whatsapp_session_leases').where('channel_id', '=', this.channelId).where('owner', '=', this.owner).execute();
  }
}

export async function currentLeaseOwner(db: Kysely<Database>, channelId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('whatsapp_session_leases')
    .select('owner')
    .where('channel_id', '=', channelId)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.owner;
}
