import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { ApiError } from './errors.js';

export const IDEMPOTENCY_WINDOW_HOURS = 24;

const idempotencyKey = z.string().regex(/^[!-~]{1,200}$/, 'must be 1 to 200 visible ASCII characters');

/** The `Idempotency-Key` header as routes declare it (and the OpenAPI document shows it). */
export const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  description: `A retried request with the same key within ${IDEMPOTENCY_WINDOW_HOURS} hours gets the first answer and does nothing twice`,
  schema: idempotencyKey,
};

/** The request's Idempotency-Key, or null when it sent none; a malformed one is a 400. */
export function readIdempotencyKey(ctx: Context): string | null {
  const raw = ctx.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (Array.isArray(raw)) throw new ApiError('validation_failed', 'Idempotency-Key: send it once');
  const parsed = idempotencyKey.safeParse(raw);
  if (!parsed.success) throw new ApiError('validation_failed', `Idempotency-Key: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/**
 * Runs `work` once per (account, Idempotency-Key) within 24 hours and replays its first answer.
 * The resource id is reserved before the work starts, so a retry after a crash (or a concurrent
 * duplicate) repeats the work with the same id, and the id-keyed work downstream sends only once.
 */
export async function idempotent<T extends Record<string, unknown>>(
  db: Kysely<Database>,
  scope: { accountId: string; key: string; request: unknown; newResourceId: () => string },
  work: (resourceId: string) => Promise<T>,
): Promise<{ response: T; replayed: boolean }> {
  const hash = requestHash(scope.request);
  const expired = sql<Date>`clock_timestamp() - ${sql.raw(`interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`)}`;
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ account_id: scope.accountId, key: scope.key, request_hash: hash, resource_id: scope.newResourceId(), response: null })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'key'])
        .doUpdateSet((eb) => ({
          request_hash: eb.ref('excluded.request_hash'),
          resource_id: eb.ref('excluded.resource_id'),
          response: null,
          created_at: sql<Date>`clock_timestamp()`,
        }))
        // Only a key older than the window is taken over; a live one is left as it is.
        .where('idempotency_keys.created_at', '<', expired),
    )
    .returning(['resource_id'])
    .executeTakeFirst();

  let resourceId: string;
  if (claimed) resourceId = claimed.resource_id;
  else {
    const existing = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'resource_id', 'response'])
      .where('account_id', '=', scope.accountId)
      .where('key', '=', scope.key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== hash) {
      throw new ApiError('conflict', 'Idempotency-Key: this key was already used with a different request in the last 24 hours');
    }
    if (existing.response) return { response: existing.response as T, replayed: true };
    resourceId = existing.resource_id;
  }

  const response = await work(resourceId);
  await db
    .updateTable('idempotency_keys')
    .set({ response: JSON.stringify(response) })
    .where('account_id', '=', scope.accountId)
    .where('key', '=', scope.key)
    .where('response', 'is', null)
    .execute();
  return { response, replayed: false };
}
