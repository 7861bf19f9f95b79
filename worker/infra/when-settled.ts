import { isGrpcServiceError } from '@temporalio/client';

// gRPC status codes (@temporalio/client does not re-export grpc-js's `status`).
export const INVALID_ARGUMENT = 3;
export const DEADLINE_EXCEEDED = 4;
export const ALREADY_EXISTS = 6;
export const UNAVAILABLE = 14;

/**
 * Retries call while a freshly started server is still settling: the frontend answers before
 * the history shards have loaded, and until then requests fail with UNAVAILABLE or time out.
 */
export async function whenSettled<T>(what: string, timeoutMs: number, call: () => Promise<T>, retryable: number[] = [UNAVAILABLE, DEADLINE_EXCEEDED]): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const transient = isGrpcServiceError(error) && retryable.includes(error.code);
      if (!transient || Date.now() > deadline) throw new Error(`temporal server: ${what} failed: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
