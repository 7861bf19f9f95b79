import type { EventDeps } from '../../webhooks/emit-event.js';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { recordChannelStatus } from '../channel-events.js';
import type { Inbox } from '../../../inbound/inbox.js';
import { clearAuthState } from './auth-store.js';
import type { BaileysSession } from './baileys-session.js';
import type { SessionOutcome } from './connection.js';
import { leaseHeldUntil, mustReleaseSocket, SessionLease } from './lease.js';
import type { LogLine } from './logger.js';
import type { BaileysProvider } from './provider.js';

export interface RoutedQueue {
  stop(): Promise<void>;
}

export interface GatewayActivityDeps {
  /** Where channel.status_changed events go to the widgets' webhooks. */
  events?: EventDeps;
  db: Kysely<Database>;
  provider: BaileysProvider;
  /** Stores a received message, then hands it to its conversation (see inbound/inbox.ts). */
  inbox: Pick<Inbox, 'accept'>;
  /** Open sessions of this process, by channel id: the routed session activities look here. */
  sessions: Map<string, BaileysSession>;
  /** Starts polling the channel's own task queue (`whatsapp-channel:<id>`) in this process. */
  routeChannel: (channelId: string) => Promise<RoutedQueue>;
  /** Renamed per attempt, so a lease always names one attempt of one process. */
  identity: string;
  leaseTtlMs: number;
  log: LogLine;
}

export interface RunSessionInput {
  channelId: string;
}

/** The end of a session that the workflow acts on; anything else is an error and is retried. */
export type RunSessionResult = Exclude<SessionOutcome, 'closed'>;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The activities of the WhatsApp gateway. `runWhatsAppSession` holds a channel's socket for as long
 * as it runs, heartbeating; Temporal gives it to one worker at a time and, when that worker stops
 * heartbeating, to another, which resumes with the credentials stored in PostgreSQL.
 */
export function createGatewayActivities(deps: GatewayActivityDeps) {
  const { db } = deps;

  return {
    async runWhatsAppSession(input: RunSessionInput): Promise<RunSessionResult> {
      const ctx = Context.current();
      const { channelId } = input;
      const channel = await db.selectFrom('channels').select(['provider']).where('id', '=', channelId).executeTakeFirst();
      if (!channel || channel.provider !== 'baileys') {
        throw ApplicationFailure.nonRetryable(`channel ${channelId} is not a baileys channel`, 'ChannelGone');
      }
      const lease = new SessionLease(db, channelId, `${deps.identity}#${ctx.info.activityId}.${ctx.info.attempt}`, deps.leaseTtlMs);
      ctx.heartbeat();
      // The SDK throttles heartbeats to a fraction of the timeout; beating often costs nothing.
      const beat = setInterval(() => ctx.heartbeat(), Math.max(200, Math.floor(deps.leaseTtlMs / 4)));
      let session: BaileysSession | undefined;
      let routed: RoutedQueue | undefined;
      let renew: NodeJS.Timeout | undefined;
      try {
        // A predecessor that vanished keeps its lease until it expires; waiting for it is the price of one owner.
        let heldUntil = 0;
        for (;;) {
          const sentAt = Date.now();
          if (await lease.tryAcquire()) {
            heldUntil = leaseHeldUntil(sentAt, deps.leaseTtlMs);
            break;
          }
          await ctx.sleep(Math.min(1000, Math.floor(deps.leaseTtlMs / 4)));
        }

        session = await deps.provider.open(channelId, {
          status: async (update) => {
            await recordChannelStatus(db, channelId, update, deps.events);
          },
          message: async (message) => {
            await deps.inbox.accept(message);
          },
        });
        deps.sessions.set(channelId, session);
        routed = await deps.routeChannel(channelId);

        let lost: () => void = () => undefined;
        const leaseLost = new Promise<'lost'>((resolve) => (lost = () => resolve('lost')));
        let renewing = false;
        let lastSentAt = Date.now();
        renew = setInterval(() => {
          // Whatever the renewals do (succeed, fail, hang), the socket goes before the lease could lapse.
          if (mustReleaseSocket(Date.now(), heldUntil, deps.leaseTtlMs)) return lost();
          if (renewing || Date.now() - lastSentAt < deps.leaseTtlMs / 3) return;
          renewing = true;
          const sentAt = (lastSentAt = Date.now());
          lease
            .renew()
            .then(
              (held) => (held ? (heldUntil = leaseHeldUntil(sentAt, deps.leaseTtlMs)) : lost()),
              (error: unknown) => deps.log('warn', `renewing the lease of ${channelId}: ${String(error)}`),
            )
            .finally(() => (renewing = false));
        }, Math.max(100, Math.floor(deps.leaseTtlMs / 10)));

        let outcome: SessionOutcome | 'lost';
        try {
          outcome = await Promise.race([session.finished, ctx.cancelled, leaseLost]);
        } catch (cancelled) {
          if (ctx.cancellationDetails?.cancelRequested) {
            // Only the session workflow cancels this activity, and only to log the channel out.
            await Promise.race([session.logout(), sleep(10_000)]);
          }
          throw cancelled;
        }
        if (outcome === 'lost') throw ApplicationFailure.retryable(`gateway ${deps.identity} lost the lease of channel ${channelId}`, 'LeaseLost');
        if (outcome === 'closed') throw ApplicationFailure.retryable(`the connection of channel ${channelId} ended unexpectedly`, 'SessionEnded');
        return outcome;
      } finally {
        clearInterval(beat);
        if (renew) clearInterval(renew);
        if (deps.sessions.get(channelId) === session) deps.sessions.delete(channelId);
        await routed?.stop().catch((error: unknown) => deps.log('warn', `stopping the queue of ${channelId}: ${String(error)}`));
        await session?.close().catch(() => undefined);
        await lease.release().catch(() => undefined);
      }
    },

    /** Forgets a channel's login everywhere; runs on any gateway worker, with or without a socket. */
    async clearWhatsAppSession(input: RunSessionInput): Promise<void> {
      await clearAuthState(db, input.channelId);
      await db.deleteFrom('whatsapp_session_leases').where('channel_id', '=', input.channelId).execute();
      await recordChannelStatus(db, input.channelId, { status: 'logged_out', qr: null }, deps.events);
    },
  };
}

export type GatewayActivities = ReturnType<typeof createGatewayActivities>;
