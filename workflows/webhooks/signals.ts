import { defineSignal } from '@temporalio/workflow';

/** One event for one webhook; `redelivery` (unique per request) makes a redeliver distinct from the original. */
export interface DeliveryRequest {
  eventId: string;
  redelivery?: string | null;
}

export interface WebhookDeliveryInput {
  webhookId: string;
  /** The conversation id, or `widget` for events outside a conversation: the unit of ordering. */
  scope: string;
  /** What a previous run had not delivered yet, carried across continue-as-new. */
  carried?: { queue: DeliveryRequest[]; recent: string[] } | null;
}

export const deliverEventSignal = defineSignal<[DeliveryRequest]>('deliverEvent');

/** One delivery queue per (webhook, conversation): events of a conversation arrive in order. */
export function webhookDeliveryWorkflowId(webhookId: string, conversationId: string | null | undefined): string {
  return `webhook-delivery:${webhookId}:${conversationId ?? 'widget'}`;
}
