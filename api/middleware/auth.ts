import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Middleware } from 'koa';
import { accountByKeyHash } from '../../db/queries/accounts.js';
import type { Database } from '../../db/schema.js';
import { ApiError } from '../errors.js';
import { refuseOtherSites, signedInUser, type SignedInUser } from './sessions.js';

export const DEFAULT_ACCOUNT_ID = 'acc_default';

export interface AuthState {
  accountId: string;
  /** The operator key: may create accounts. */
  isAdmin: boolean;
  /** A person signed in with the dashboard's session cookie (an API key has none). */
  user?: SignedInUser;
}

/**
 * What an `agent` may change: their conversations, messages and files. People, numbers, widgets
 * and webhooks are managed by an `admin` (or the account's API key).
 */
const AGENT_WRITES = /^\/api\/(conversations\/|whatsapp\/send$|whatsapp\/sandbox\/messages$|media$|language\/)/;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two secrets in constant time, whatever their lengths. */
export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/**
 * Which account an API key opens, remembered for a few seconds per key so a busy client costs
 * no query per request. A key replaced with a grace period is remembered no longer than the grace;
 * a replacement made in this process is seen at once, one made in another within `ttlMs`.
 */
export class ApiKeys {
  private readonly cache = new Map<string, { accountId: string; until: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 5000,
  ) {}

  async accountFor(key: string, now = Date.now()): Promise<string | undefined> {
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.accountId;
    const found = await accountByKeyHash(this.db, hash);
    if (!found) {
      this.cache.delete(hash);
      return undefined;
    }
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(hash, { accountId: found.accountId, until: Math.min(now + this.ttlMs, found.expiresAt?.getTime() ?? Infinity) });
    return found.accountId;
  }

  /** The account's keys changed here: look them up again. */
  forget(accountId: string): void {
    for (const [hash, entry] of this.cache) if (entry.accountId === accountId) this.cache.delete(hash);
  }
}

/**
 * Resolves `Authorization: Bearer <key>` on /api routes to an account. The operator key acts on
 * the default account; any other key must belong to an account. Unknown keys answer 401.
 */
export function bearerAuth(deps: { keys: ApiKeys; adminKey: string; db: Kysely<Database>; publicUrl: string | null }): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match && !header) {
      const user = await signedInUser(deps.db, ctx);
      if (user) {
        refuseOtherSites(ctx, deps.publicUrl);
        const { accountId, ...person } = user;
        if (person.role === 'agent' && ctx.method !== 'GET' && !AGENT_WRITES.test(ctx.path)) {
          throw new ApiError('forbidden', 'an agent works conversations; people, numbers, widgets and webhooks are managed by an admin');
        }
        ctx.state.auth = { accountId, isAdmin: false, user: person } satisfies AuthState;
        return next();
      }
    }
    if (!match) throw new ApiError('unauthorized', 'send your API key as `Authorization: Bearer <key>`, or sign in');
    const key = match[1]!;
    if (sameSecret(key, deps.adminKey)) {
      ctx.state.auth = { accountId: DEFAULT_ACCOUNT_ID, isAdmin: true } satisfies AuthState;
      return next();
    }
    const accountId = await deps.keys.accountFor(key);
    if (!accountId) throw new ApiError('unauthorized', 'unknown API key');
    ctx.state.auth = { accountId, isAdmin: false } satisfies AuthState;
    return next();
  };
}
