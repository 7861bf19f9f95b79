import { ActivityFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { WebhookDeliveryActivities } from '../../activities/webhooks/delivery-activities.js';
import { deliverEventSignal, type DeliveryRequest, type WebhookDeliveryInput } from './signals.js';

// Bookkeeping reads and writes only the database: local activities, retried quickly.
const local = proxyLocalActivities<Pick<WebhookDeliveryActivities, 'webhookDeliveryPolicy' | 'markWebhookDeliveryFailed'>>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/** How many recent requests are remembered to ignore a duplicated signal. */
const RECENT = 500;

/**
 * Delivers one webhook's events of one conversation strictly in order: event n+1 waits until
 * event n is delivered or has failed for the whole retry window. Retries are Temporal's
 * (exponential, recorded by the activity), so a dead consumer costs timers, not a loop.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<void> {
  const queue: DeliveryRequest[] = [...(input.carried?.queue ?? [])];
  const recent: string[] = [...(input.carried?.recent ?? [])];
  const recentSet = new Set(recent);
  setHandler(deliverEventSignal, (request: DeliveryRequest) => {
    const key = `${request.eventId}|${request.redelivery ?? ''}`;
    if (recentSet.has(key)) return;
    recent.push(key);
    recentSet.add(key);
    if (recent.length > RECENT) recentSet.delete(recent.shift()!);
    queue.push(request);
  });

  const policy = await local.webhookDeliveryPolicy();
  const http = proxyActivities<Pick<WebhookDeliveryActivities, 'deliverWebhookEvent'>>({
    // The HTTP timeout ends an attempt first; this only catches a worker that died mid-attempt.
    startToCloseTimeout: policy.attemptTimeoutMs + 10_000,
    scheduleToCloseTimeout: policy.windowMs,
    retry: {
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: policy.backoffCoefficient,
      maximumInterval: policy.maximumIntervalMs,
      // No attempt limit: the schedule-to-close window above is what ends the retries.
    },
  });

  const suggested = () => workflowInfo().continueAsNewSuggested;
  for (;;) {
    const woke = await condition(() => queue.length > 0 || suggested(), policy.idleMs);
    if (!woke) {
      // Idle: finish. A signal that raced this check keeps the run going (the queue is checked again).
      await condition(allHandlersFinished);
      if (queue.length === 0) return;
    }
    while (queue.length > 0 && !suggested()) {
      const request = queue[0]!;
      try {
        await http.deliverWebhookEvent({ webhookId: input.webhookId, eventId: request.eventId, policy });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        const cause = error.cause?.message ?? error.message;
        await local.markWebhookDeliveryFailed({ webhookId: input.webhookId, eventId: request.eventId, error: `gave up: ${cause}` });
      }
      queue.shift();
    }
    if (suggested()) {
      // Signal handlers only queue; once they are done, everything undelivered is in `queue`.
      await condition(allHandlersFinished);
      await continueAsNew<typeof webhookDeliveryWorkflow>({ ...input, carried: { queue, recent } });
    }
  }
}
