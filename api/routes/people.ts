import { hash, verify } from '@node-rs/argon2';
import type { Context } from 'koa';
import { z } from 'zod';
import { newId } from '../../db/ids.js';
import {
  acceptInvitation,
  clearLoginFailures,
  createSession,
  createUser,
  deleteSession,
  deleteUser,
  listUsers,
  loginFailures,
  recordLoginFailure,
  userByEmail,
  type User,
} from '../../db/queries/people.js';
import { teamSettings, type ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';
import { cookieAttributes, hashToken, newToken, refuseOtherSites, SESSION_COOKIE, sessionToken } from '../middleware/sessions.js';
import type { RouteRegistry } from '../route-registry.js';
import { text } from '../schemas.js';

const INVITATION_DAYS = 7;
/** Failed sign-ins count against an email and an address for this long. */
const FAILURE_WINDOW_S = 15 * 60;
const email = z.string().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address such as ana@example.com').overwrite((v) => v.toLowerCase());
const password = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');
const role = z.enum(['admin', 'agent']);
const userView = z.object({ id: z.string(), email: z.string(), name: z.string(), role, pending_invitation: z.boolean().describe('Invited, no password set yet') });
const invited = userView.extend({ invite_url: z.string().describe('Send it to the person: it sets their password, once, within 7 days') });
const meView = z.object({
  id: z.string().nullable().describe('null when the request is signed with an API key'),
  email: z.string().nullable(),
  name: z.string(),
  role,
  account_id: z.string(),
});

function render(user: User): z.infer<typeof userView> {
  return { id: user.id, email: user.email, name: user.name, role: user.role, pending_invitation: user.password_hash === null };
}

/** People are managed with the account's key or by an admin (an agent is refused before this, by auth). */
function manager(auth: AuthState): void {
  if (auth.user && auth.user.role !== 'admin') throw new ApiError('forbidden', 'only an admin manages people');
}

export function peopleRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;
  const team = () => teamSettings(deps);

  routes.add(
    {
      method: 'post',
      path: '/api/users',
      tag: 'people',
      summary: 'Invite a person to the account: they set a password at invite_url (valid 7 days) and sign in with their email',
      body: z.object({ email, name: text(200), role }).strict(),
      responses: { 201: { description: 'Invited', schema: invited }, 403: { description: 'An agent cannot manage people' }, 409: { description: 'That email already belongs to a person' } },
    },
    async ({ body, auth, ctx }) => {
      manager(auth);
      const token = newToken();
      const user = await createUser(db, {
        id: newId('usr'),
        accountId: auth.accountId,
        email: body.email,
        name: body.name,
        role: body.role,
        inviteTokenHash: hashToken(token),
        inviteExpiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      });
      if (!user) throw new ApiError('conflict', `${body.email} already belongs to a person`);
      const base = (team().publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
      return { status: 201, body: { ...render(user), invite_url: `${base}/dashboard/invite/${token}` } };
    },
  );

  routes.add(
    { method: 'get', path: '/api/users', tag: 'people', summary: "The account's people", responses: { 200: { description: 'People', schema: z.object({ users: z.array(userView) }) } } },
    async ({ auth }) => ({ body: { users: (await listUsers(db, auth.accountId)).map(render) } }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/users/:userId',
      tag: 'people',
      summary: 'Remove a person: their sessions end at once and their conversations become unassigned',
      responses: { 204: { description: 'Removed' }, 403: { description: 'An agent cannot manage people' }, 404: { description: 'No such person in this account' } },
    },
    async ({ params, auth }) => {
      manager(auth);
      if (!(await deleteUser(db, auth.accountId, params.userId!))) throw ApiError.notFound(`user ${params.userId}`);
      return { status: 204, body: null };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/me',
      tag: 'people',
      summary: 'Who is signed in: a person (by the session cookie), or the API key (id null)',
      responses: { 200: { description: 'You', schema: meView } },
    },
    async ({ auth }) => {
      if (auth.user) return { body: { id: auth.user.id, email: auth.user.email, name: auth.user.name, role: auth.user.role, account_id: auth.accountId } };
      return { body: { id: null, email: null, name: 'API key', role: 'admin' as const, account_id: auth.accountId } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/invitations/:token',
      tag: 'people',
      auth: false,
      summary: "Set the invited person's password (the token from invite_url); then they sign in with POST /auth/login",
      body: z.object({ password }).strict(),
      responses: { 200: { description: 'Password set', schema: userView }, 404: { description: 'No such invitation, already used, or expired' } },
    },
    async ({ params, body, ctx }) => {
      refuseOtherSites(ctx, team().publicUrl);
      const user = await acceptInvitation(db, hashToken(params.token!), await hash(body.password));
      if (!user) throw new ApiError('not_found', 'this invitation was already used or has expired (they last 7 days): ask an admin for a new one');
      return { body: render(user) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/login',
      tag: 'people',
      auth: false,
      summary: 'Sign in with email and password: 204 with an HttpOnly session cookie that authorises /api for the account',
      body: z.object({ email, password: z.string().max(256) }).strict(),
      responses: {
        204: { description: 'Signed in (Set-Cookie)' },
        401: { description: 'Wrong email or password' },
        403: { description: 'The request came from another site' },
        429: { description: 'Too many failed sign-ins for this email or from this address: try again after Retry-After seconds' },
      },
    },
    async ({ body, ctx }) => {
      const settings = team();
      refuseOtherSites(ctx, settings.publicUrl);
      const keys = [`email:${body.email}`, `address:${ctx.ip}`];
      await throttle(ctx, keys, [settings.failuresPerEmail, settings.failuresPerAddress]);
      const user = await userByEmail(db, body.email);
      // A missing person costs the same hashing as a wrong password: the timing tells nothing.
      const valid = user?.password_hash ? await verify(user.password_hash, body.password).catch(() => false) : (await hash(body.password), false);
      if (!user || !valid) {
        await recordLoginFailure(db, keys, FAILURE_WINDOW_S);
        throw new ApiError('unauthorized', 'wrong email or password');
      }
      await clearLoginFailures(db, keys[0]!);
      const token = newToken();
      const seconds = settings.sessionHours * 3600;
      await createSession(db, { tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + seconds * 1000) });
      ctx.set('Set-Cookie', `${SESSION_COOKIE}=${token}; ${cookieAttributes(ctx, settings.publicUrl, seconds, deps.trustProxy)}`);
      return { status: 204, body: null };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout',
      tag: 'people',
      auth: false,
      summary: 'Sign out: the session ends on the server and the cookie is cleared',
      responses: { 204: { description: 'Signed out' }, 403: { description: 'The request came from another site' } },
    },
    async ({ ctx }) => {
      const settings = team();
      refuseOtherSites(ctx, settings.publicUrl);
      const token = sessionToken(ctx);
      if (token) await deleteSession(db, hashToken(token));
      ctx.set('Set-Cookie', `${SESSION_COOKIE}=; ${cookieAttributes(ctx, settings.publicUrl, 0, deps.trustProxy)}`);
      return { status: 204, body: null };
    },
  );

  async function throttle(ctx: Context, keys: string[], limits: number[]): Promise<void> {
    for (const [i, key] of keys.entries()) {
      const { count, oldest } = await loginFailures(db, key, FAILURE_WINDOW_S);
      if (count < limits[i]!) continue;
      const wait = Math.max(1, Math.ceil(((oldest?.getTime() ?? Date.now()) + FAILURE_WINDOW_S * 1000 - Date.now()) / 1000));
      ctx.set('Retry-After', String(wait));
      throw new ApiError('rate_limited', `too many failed sign-ins; try again in ${wait} s`);
    }
  }
}
