import { ApplicationFailure } from '@temporalio/common';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';

/** The failure type Temporal retries: the AI service is down or busy for now. */
export const AI_UNAVAILABLE = 'AiProviderUnavailable';

export interface AiErrorClass {
  /** `transient`: worth trying again soon; `permanent`: the same request fails until someone fixes the configuration. */
  kind: 'transient' | 'permanent';
  /** Short and label-safe: `timeout`, `connection`, `status_429`, `status_401`, `unexpected`. */
  reason: string;
  /** What went wrong, for the log (never the key). */
  cause: string;
}

/** Timeouts, refused connections, 408/409/429 and 5xx pass; wrong keys, models and requests do not. */
export function classifyAiError(error: unknown): AiErrorClass {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof APIConnectionTimeoutError) return { kind: 'transient', reason: 'timeout', cause: message };
  if (error instanceof APIConnectionError) {
    const code = (error.cause as { code?: string; cause?: { code?: string } } | undefined)?.cause?.code ?? (error.cause as { code?: string } | undefined)?.code;
    return { kind: 'transient', reason: 'connection', cause: code ? `${message} (${code})` : message };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const transient = error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
    return { kind: transient ? 'transient' : 'permanent', reason: `status_${error.status}`, cause: message };
  }
  return { kind: 'permanent', reason: 'unexpected', cause: message };
}

/** Thrown by a provider for a transient failure, so the activity is retried a bounded number of times. */
export function aiUnavailable(provider: string, failure: AiErrorClass, error: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: AI_UNAVAILABLE,
    message: `${provider} unavailable (${failure.reason}): ${failure.cause}`,
    nonRetryable: false,
    cause: error instanceof Error ? error : undefined,
  });
}
