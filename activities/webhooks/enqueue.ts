import type { Client } from '@temporalio/client';
import { signalOrStart } from '../signal-or-start.js';
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
  const workflowId = webhookDeliveryWorkflowId(delivery.webhookId, delivery.conversationId);
  const event = { eventId: delivery.eventId, redelivery: delivery.redelivery ?? null };
  await signalOrStart(deps.client, workflowId, deliverEventSignal, [event], () =>
    deps.client.workflow.signalWithStart('webhookDeliveryWorkflow', {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [input],
      signal: deliverEventSignal,
      signalArgs: [event],
      staticSummary: `Webhook ${delivery.webhookId} deliveries for ${delivery.conversationId ? `conversation ${delivery.conversationId}` : 'widget events'}`,
    }),
  );
}
