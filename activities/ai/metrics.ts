import { Counter, Histogram } from 'prom-client';
import { once } from '../../observability/metrics.js';

/** AI metrics on prom-client's default registry (served at /metrics with the service's own). */
export const aiErrors = once(
  'caty_ai_errors_total',
  () =>
    new Counter({
      name: 'caty_ai_errors_total',
      help: 'AI provider failures: kind transient (retried, then the knowledge base answers), permanent (the knowledge base answers at once) or invalid_output',
      labelNames: ['provider', 'kind', 'reason'] as const,
    }),
);

export const aiLatency = once(
  'caty_ai_request_duration_seconds',
  () =>
    new Histogram({
      name: 'caty_ai_request_duration_seconds',
      help: 'Time an AI provider took to answer, by outcome (answered, declined, error)',
      labelNames: ['provider', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    }),
);
