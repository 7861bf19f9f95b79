import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { findDelivery, markDeliveryFailed, recordAttempt } from '../../db/queries/webhooks.js';
import type { Database } from '../../db/schema.js';
import { retryDelayMs, type WebhookDeliveryPolicy } from '../../workflows/webhooks/policy.js';
import { postJson } from './http-post.js';
import { signCatyPayload } from './signature.js';
import { webhookDeliveries } from '../../observability/metrics.js';
import { assertSafeWebhookUrl, UnsafeWebhookUrlError } from './url-safety.js';

export interface WebhookDeliveryDeps {
  db: Kysely<Database>;
  policy: WebhookDeliveryPolicy;
  allowPrivateWebhooks: boolean;
}

export type DeliveryOutcome = 'delivered' | 'skipped';

/** The exact body a consumer receives (DESIGN §6). */
export function eventBody(event: { id: string; event: string; created_at: Date; widget_id: string; data: Record<string, unknown> }): string {
  return JSON.stringify({ id: event.id, event: event.event, created_at: event.created_at.toISOString(), widget_id: event.widget_id, data: event.data });
}

/** The activities of webhook delivery workflows; they run on the conversation worker. */
export function createWebhookDeliveryActivities(deps: WebhookDeliveryDeps) {
  const { db } = deps;

  return {
    async webhookDeliveryPolicy(): Promise<WebhookDeliveryPolicy> {
      return deps.policy;
    },

    /**
     * One attempt: POST the event, record the attempt, and throw (retryable) when the consumer did
     * not accept it, so Temporal schedules the next attempt with backoff.
     */
    async deliverWebhookEvent(input: { webhookId: string; eventId: string; policy: WebhookDeliveryPolicy }): Promise<DeliveryOutcome> {
      const row = await findDelivery(db, input.webhookId, input.eventId);
      // Deleted webhook, or already delivered (a duplicated request): nothing to send.
      if (!row || row.status !== 'pending') return 'skipped';

      const body = eventBody(row);
      const info = Context.current().info;
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const url = await assertSafeWebhookUrl(row.url, { allowPrivate: deps.allowPrivateWebhooks });
        const result = await postJson(
          url,
          body,
          {
            'content-type': 'application/json',
            'user-agent': 'Caty-Webhooks/1',
            'x-caty-event': row.event,
            'x-caty-delivery': row.id,
            'x-caty-signature': signCatyPayload(row.secret, body, Date.now() / 1000),
          },
          { timeoutMs: input.policy.attemptTimeoutMs, allowPrivate: deps.allowPrivateWebhooks },
        );
        statusCode = result.statusCode;
        error = result.error;
      } catch (caught) {
        if (!(caught instanceof UnsafeWebhookUrlError)) throw caught;
        error = `refused: ${caught.message}`;
      }
      const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
      if (!delivered && !error) error = `the consumer answered HTTP ${statusCode}`;

      const now = Date.now();
      const next = now + retryDelayMs(input.policy, info.attempt);
      const nextAttemptAt = !delivered && next < info.scheduledTimestampMs + input.policy.windowMs ? new Date(next) : null;
      await recordAttempt(db, input, { statusCode, error, delivered, at: new Date(now), nextAttemptAt });
      webhookDeliveries.inc({ outcome: delivered ? 'delivered' : 'retrying' });
      if (delivered) return 'delivered';
      throw ApplicationFailure.retryable(error ?? 'not delivered', 'WebhookNotDelivered');
    },

    /** The retry window is over: the event stays in the log as failed, and can be redelivered by hand. */
    async markWebhookDeliveryFailed(input: { webhookId: string; eventId: string; error: string }): Promise<void> {
      if (await markDeliveryFailed(db, input, input.error)) webhookDeliveries.inc({ outcome: 'failed' });
    },
  };
}

export type WebhookDeliveryActivities = ReturnType<typeof createWebhookDeliveryActivities>;

/** The production policy from configuration: 10 s doubling to 1 h between attempts, for 25 h. */
export function deliveryPolicyFromConfig(config: {
  CATY_WEBHOOK_RETRY_INITIAL_MS: number;
  CATY_WEBHOOK_RETRY_MAX_MS: number;
  CATY_WEBHOOK_RETRY_WINDOW_MS: number;
  CATY_WEBHOOK_TIMEOUT_MS: number;
}): WebhookDeliveryPolicy {
  return {
    initialIntervalMs: config.CATY_WEBHOOK_RETRY_INITIAL_MS,
    maximumIntervalMs: config.CATY_WEBHOOK_RETRY_MAX_MS,
    backoffCoefficient: 2,
    windowMs: config.CATY_WEBHOOK_RETRY_WINDOW_MS,
    attemptTimeoutMs: config.CATY_WEBHOOK_TIMEOUT_MS,
    idleMs: 5 * 60_000,
  };
}
