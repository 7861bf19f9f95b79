import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

/**
 * How many times an error we cannot place is tried before it counts as one that will never
 * succeed. Transient errors (the database or Temporal briefly away) are retried without limit.
 */
export const UNEXPECTED_ERROR_ATTEMPTS = 3;

// Node socket errors, and PostgreSQL SQLSTATE classes and codes that say "try again later":
// connection exceptions (08), insufficient resources (53), operator intervention (57P0x),
// serialization failure and deadlock (40001, 40P01), query canceled by a timeout (57014),
// lock not available (55P03).
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57014', '55P03', '57P01', '57P02', '57P03']);
const TRANSIENT_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|UNAVAILABLE|DEADLINE_EXCEEDED/i;

// Data and integrity errors (22, 23), syntax or undefined objects (42), program limits such as an
// index row too large (54): the same input fails again.
const PERMANENT_SQLSTATE_CLASSES = new Set(['22', '23', '42', '54']);

export type ErrorKind = 'transient' | 'permanent' | 'unknown';

// gRPC status codes a Temporal call fails with while the server is away or shedding load:
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE.
const TRANSIENT_GRPC_CODES = new Set([4, 8, 14]);

/** What one error says about itself, without looking at its causes. */
function classifyOne(error: unknown): ErrorKind {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code)) return 'transient';
  if (typeof code === 'string') {
    if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return 'transient';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (code.startsWith('08') || code.startsWith('53') || code.startsWith('57')) return 'transient';
      if (PERMANENT_SQLSTATE_CLASSES.has(code.slice(0, 2))) return 'permanent';
    }
  }
  if (error instanceof Error && TRANSIENT_MESSAGES.test(error.message)) return 'transient';
  return 'unknown';
}

/**
 * Whether trying again later can help: `transient` (a dependency away or overloaded: the database,
 * Temporal, the network), `permanent` (the same input fails again), or `unknown`. The one place
 * that decides it, for activities' retries, the gateway's inbound messages and the API's 503s.
 * Wrapped errors are judged by what they wrap (`cause`, an AggregateError's `errors`).
 */
export function classifyError(error: unknown): ErrorKind {
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  let result: ErrorKind = 'unknown';
  while (pending.length > 0 && seen.size < 10) {
    const next = pending.shift();
    if (next === undefined || next === null || seen.has(next)) continue;
    seen.add(next);
    const kind = classifyOne(next);
    if (kind === 'transient') return kind;
    if (kind === 'permanent') result = kind;
    if (typeof next === 'object') {
      pending.push((next as { cause?: unknown }).cause);
      if (next instanceof AggregateError) pending.push(...next.errors);
    }
  }
  return result;
}

/**
 * Wraps activities so that an error that can never succeed ends the activity at once
 * (non-retryable) instead of being retried forever: the workflow then records the failure and
 * goes on. Explicit Temporal failures pass through untouched.
 */
export function withErrorClassification<T extends Record<string, (...args: any[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, (...args: any[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw classified(error);
      }
    };
  }
  return wrapped as T;
}

function classified(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  const kind = classifyError(error);
  if (kind === 'transient') return error;
  const attempt = Context.current().info.attempt;
  if (kind === 'unknown' && attempt < UNEXPECTED_ERROR_ATTEMPTS) return error;
  const message = error instanceof Error ? error.message : String(error);
  return ApplicationFailure.create({ message, type: kind === 'permanent' ? 'PermanentError' : 'UnexpectedError', nonRetryable: true, cause: error instanceof Error ? error : undefined });
}
