import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import { sessionUser } from '../../db/queries/people.js';
import type { Database, UserRole } from '../../db/schema.js';
import type { TrustProxy } from '../../config/index.js';
import { ApiError } from '../errors.js';

export const SESSION_COOKIE = 'caty_session';

/** A person signed in to the dashboard (absent for API keys). */
export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  role: UserRole;
}

/** Session and invitation tokens are random; only their hashes are stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sessionToken(ctx: Context): string | undefined {
  const header = ctx.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=') || undefined;
  }
  return undefined;
}

/**
 * Behind HTTPS (the public address says so, the connection is TLS, or a proxy we trust
 * (CATY_TRUST_PROXY) says it received HTTPS), the cookie never travels in clear.
 */
export function cookieAttributes(ctx: Context, publicUrl: string | null, maxAgeSeconds: number, trustProxy: TrustProxy = false): string {
  const proxiedHttps = trustProxy !== false && ctx.get('x-forwarded-proto').split(',')[0]!.trim() === 'https';
  const secure = publicUrl?.startsWith('https:') || ctx.secure || proxiedHttps;
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * A cookie travels with any request the browser makes, including a form another site submits, so
 * a write it authorises must come from a page of this service. Browsers send `Origin` on such
 * writes (and `Sec-Fetch-Site`); clients without either are not browsers and cannot carry the
 * cookie by accident.
 */
export function refuseOtherSites(ctx: Context, publicUrl: string | null): void {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return;
  const origin = ctx.get('origin');
  if (origin) {
    const ours = new Set([`${ctx.protocol}://${ctx.host}`, `http://${ctx.host}`, `https://${ctx.host}`]);
    if (publicUrl) ours.add(new URL(publicUrl).origin);
    if (!ours.has(origin)) throw new ApiError('forbidden', `a write signed in by cookie must come from this service's own pages, not ${origin}`);
    return;
  }
  if (ctx.get('sec-fetch-site') === 'cross-site') throw new ApiError('forbidden', "a write signed in by cookie must come from this service's own pages");
}

/** The person whose live session the request's cookie holds. */
export async function signedInUser(db: Kysely<Database>, ctx: Context): Promise<(SignedInUser & { accountId: string }) | undefined> {
  const token = sessionToken(ctx);
  if (!token) return undefined;
  const user = await sessionUser(db, hashToken(token));
  return user ? { id: user.id, name: user.name, email: user.email, role: user.role, accountId: user.account_id } : undefined;
}
