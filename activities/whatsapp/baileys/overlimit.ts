/** WhatsApp answers a send it considers too fast with a 429 `rate-overlimit`. */
export function isRateOverlimit(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { message?: unknown; data?: unknown; output?: { statusCode?: unknown } };
  return (
    e.output?.statusCode === 429 ||
    e.data === 429 ||
    (typeof e.message === 'string' && /rate-overlimit/i.test(e.message)) ||
    (typeof e.data === 'object' && e.data !== null && JSON.stringify(e.data).includes('rate-overlimit'))
  );
}

export class RateLimitedTooLong extends Error {
  constructor(readonly attempts: number, cause: unknown) {
    super(`WhatsApp kept answering rate-overlimit after ${attempts} attempts`, { cause });
    this.name = 'RateLimitedTooLong';
  }
}

/**
 * Runs a send, and when WhatsApp says rate-overlimit, waits (doubling, with jitter) and sends again.
 * Gives up only after `budgetMs`, with an error the caller turns into a retryable failure: the
 * message is delayed, never dropped.
 */
export async function retryOnOverlimit<T>(
  send: () => Promise<T>,
  options: { initialMs: number; maxMs: number; budgetMs: number; onBackoff?: (delayMs: number) => void },
): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  let delay = options.initialMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!isRateOverlimit(error)) throw error;
      const wait = Math.min(delay, options.maxMs) * (0.75 + Math.random() * 0.5);
      if (Date.now() + wait > deadline) throw new RateLimitedTooLong(attempt, error);
      options.onBackoff?.(wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay *= 2;
    }
  }
}
