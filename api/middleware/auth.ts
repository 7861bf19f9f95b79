import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Middleware } from 'koa';
import type { Database } from '../../db/schema.js';
import { ApiError } from '../errors.js';

export const DEFAULT_ACCOUNT_ID = 'acc_default';

export interface AuthState {
  accountId: string;
  /** The operator key: may create accounts. */
  isAdmin: boolean;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * Resolves `Authorization: Bearer <key>` on /api routes to an account. The operator key acts on
 * the default account; any other key must belong to an account. Unknown keys answer 401.
 */
export function bearerAuth(deps: { db: Kysely<Database>; adminKey: string }): Middleware {
  const cache = new Map<string, { accountId: string; until: number }>();
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('unauthorized', 'send your API key as `Authorization: Bearer <key>`');
    const key = match[1]!;
    if (sameSecret(key, deps.adminKey)) {
      ctx.state.auth = { accountId: DEFAULT_ACCOUNT_ID, isAdmin: true } satisfies AuthState;
      return next();
    }
    const hash = hashApiKey(key);
    const cached = cache.get(hash);
    let accountId = cached && cached.until > Date.now() ? cached.accountId : undefined;
    if (!accountId) {
      const account = await deps.db.selectFrom('accounts').select('id').where('api_key_hash', '=', hash).executeTakeFirst();
      if (!account) throw new ApiError('unauthorized', 'unknown API key');
      accountId = account.id;
      cache.set(hash, { accountId, until: Date.now() + 30_000 });
    }
    ctx.state.auth = { accountId, isAdmin: false } satisfies AuthState;
    return next();
  };
}
