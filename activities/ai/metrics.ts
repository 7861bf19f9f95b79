import { Counter, Histogram, register } from 'prom-client';

/**
 * AI metrics on prom-client's default registry (served at /metrics with the API's own). Created
 * once per process: a module may be loaded twice by tools, so an existing metric is reused.
 */
function counter(): Counter<'provider' | 'kind' | 'reason'> {
  const existing = register.getSingleMetric('caty_ai_errors_total');
  if (existing) return existing as Counter<'provider' | 'kind' | 'reason'>;
  return new Counter({
    name: 'caty_ai_errors_total',
    help: 'AI provider failures: kind transient (retried, then the knowledge base answers), permanent (the knowledge base answers at once) or invalid_output',
    labelNames: ['provider', 'kind', 'reason'],
  });
}

function histogram(): Histogram<'provider' | 'outcome'> {
  const existing = register.getSingleMetric('caty_ai_request_duration_seconds');
  if (existing) return existing as Histogram<'provider' | 'outcome'>;
  return new Histogram({
    name: 'caty_ai_request_duration_seconds',
    help: 'Time an AI provider took to answer, by outcome (answered, declined, error)',
    labelNames: ['provider', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  });
}

export const aiErrors = counter();
export const aiLatency = histogram();
