import { Counter, Histogram, register, type Metric } from 'prom-client';

/**
 * The service's own figures, on prom-client's default registry: the API serves them at /metrics
 * (with the Temporal SDK's), a separate worker process on its own metrics port. A module may be
 * loaded twice by tools, so an existing metric is reused rather than registered again.
 */
export function once<M extends Metric>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

export type Channel = 'whatsapp' | 'web';

export const messagesTotal = once(
  'caty_messages_total',
  () =>
    new Counter({
      name: 'caty_messages_total',
      help: 'Conversation messages stored, by direction (in: from customers, out: to them) and channel; a redelivery is not counted twice',
      labelNames: ['direction', 'channel'] as const,
    }),
);

export const replyLatency = once(
  'caty_reply_latency_seconds',
  () =>
    new Histogram({
      name: 'caty_reply_latency_seconds',
      help: "From a customer message accepted to Caty's reply sent (or stored, on the web), by channel",
      labelNames: ['channel'] as const,
      buckets: [0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60],
    }),
);

export const webhookDeliveries = once(
  'caty_webhook_deliveries_total',
  () =>
    new Counter({
      name: 'caty_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retrying (any other answer or none), failed (gave up after the retry window)',
      labelNames: ['outcome'] as const,
    }),
);

export const retentionRowsDeleted = once(
  'caty_retention_rows_deleted_total',
  () =>
    new Counter({
      name: 'caty_retention_rows_deleted_total',
      help: 'Rows the retention schedule deleted because they were older than their table keeps them, by table',
      labelNames: ['table'] as const,
    }),
);
