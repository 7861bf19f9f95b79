/**
 * How a webhook delivery is retried. Chosen by the worker's configuration and handed to each
 * delivery workflow run through an activity, so tests can shorten it without touching workflow code.
 */
export interface WebhookDeliveryPolicy {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  backoffCoefficient: number;
  /** Total time an event is retried before it is marked failed. */
  windowMs: number;
  /** One HTTP attempt, connection to last byte. */
  attemptTimeoutMs: number;
  /** An empty queue waits this long for more events before its workflow completes. */
  idleMs: number;
}

/** The delay Temporal waits after failed attempt `attempt` (1-based) under `policy`. */
export function retryDelayMs(policy: WebhookDeliveryPolicy, attempt: number): number {
  return Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** Math.max(0, attempt - 1), policy.maximumIntervalMs);
}
