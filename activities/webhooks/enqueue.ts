import type { Client } from '@temporalio/client';
import { signalOrStart } from '../../inbound/signal-or-start.js';
import { deliverEventSignal, webhookDeliveryWorkflowId, type WebhookDeliveryInput } from '../../workflows/webhooks/signals.js';

/**
 * Hands one (webhook, event) to its delivery workflow: durable in Temporal when this resolves, the
 * queue started when it is not running.
 */
export async function enqueueDelivery(
  deps: { client: Client; taskQueue: string },
  delivery: { webhookId: string; eventId: string; conversationId: string | null; redelivery?: string | null },
): Promise<void> {
  const input: WebhookDeliveryInput = { webhookId: delivery.webhookId, scope: delivery.conversationId ?? 'widget' };
  await signalOrStart(deps.client, 'webhookDeliveryWorkflow', {
    workflowId: webhookDeliveryWorkflowId(delivery.webhookId, delivery.conversationId),
    taskQueue: deps.taskQueue,
    args: [input],
    signal: deliverEventSignal,
    signalArgs: [{ eventId: delivery.eventId, redelivery: delivery.redelivery ?? null }],
    staticSummary: `Webhook ${delivery.webhookId} deliveries for ${delivery.conversationId ? `conversation ${delivery.conversationId}` : 'widget events'}`,
  });
}
