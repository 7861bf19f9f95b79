import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UserRole, UsersTable } from '../schema.js';
import type { AgentRef } from '../../workflows/conversation/domain.js';

export type User = Selectable<UsersTable>;

/** A person of an account; undefined when the email already belongs to someone (on any account). */
export async function createUser(
  db: Kysely<Database>,
  user: { id: string; accountId: string; email: string; name: string; role: UserRole; inviteTokenHash: string; inviteExpiresAt: Date },
): Promise<User | undefined> {
  return db
    .insertInto('users')
    .values({
      id: user.id,
      account_id: user.accountId,
      email: user.email,
      name: user.name,
      role: user.role,
      invite_token_hash: user.inviteTokenHash,
      invite_expires_at: user.inviteExpiresAt,
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function listUsers(db: Kysely<Database>, accountId: string): Promise<User[]> {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
}

export async function findUser(db: Kysely<Database>, accountId: string, userId: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', userId).where('account_id', '=', accountId).executeTakeFirst();
}

/** Removes a person; their sessions go with them (foreign key), their conversations become unassigned. */
export async function deleteUser(db: Kysely<Database>, accountId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('id', '=', userId).where('account_id', '=', accountId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Sets the password of the person invited with this token, if it has not expired; the token then stops working. */
export async function acceptInvitation(db: Kysely<Database>, tokenHash: string, passwordHash: string): Promise<User | undefined> {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, invite_token_hash: null, invite_expires_at: null })
    .where('invite_token_hash', '=', tokenHash)
    .where('invite_expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

export async function userByEmail(db: Kysely<Database>, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
}

export async function createSession(db: Kysely<Database>, session: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The person's sessions that have run out go as a new one starts: the table holds live ones.
    await trx.deleteFrom('user_sessions').where('user_id', '=', session.userId).where('expires_at', '<=', sql<Date>`now()`).execute();
    await trx.insertInto('user_sessions').values({ token_hash: session.tokenHash, user_id: session.userId, expires_at: session.expiresAt }).execute();
  });
}

/** The person a session belongs to while it has not expired. */
export async function sessionUser(db: Kysely<Database>, tokenHash: string): Promise<User | undefined> {
  return db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .selectAll('users')
    .where('user_sessions.token_hash', '=', tokenHash)
    .where('user_sessions.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function deleteSession(db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Failed sign-ins under each key (an email, an address) within the window, and when the oldest of them leaves it. */
export async function loginFailures(db: Kysely<Database>, key: string, windowSeconds: number): Promise<{ count: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('at').as('oldest')])
    .where('key', '=', key)
    .where('at', '>', sql<Date>`now() - make_interval(secs => ${windowSeconds})`)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), oldest: (row.oldest as Date | null) ?? null };
}

export async function recordLoginFailure(db: Kysely<Database>, keys: string[], windowSeconds: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('login_failures').values(keys.map((key) => ({ key }))).execute();
    // Old failures count for nothing: each failure sweeps the ones past the window.
    await trx.deleteFrom('login_failures').where('at', '<', sql<Date>`now() - make_interval(secs => ${windowSeconds})`).execute();
  });
}

export async function clearLoginFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}

/** Actors of commands and events that are people of the account are written `user:<id>`. */
export function userActor(userId: string): string {
  return `user:${userId}`;
}

/** The person behind an actor, when it is one (and still exists). */
export async function agentOfActor(db: Kysely<Database>, actor: string): Promise<AgentRef | null> {
  if (!actor.startsWith('user:')) return null;
  const row = await db.selectFrom('users').select(['id', 'name']).where('id', '=', actor.slice(5)).executeTakeFirst();
  return row ? { id: row.id, name: row.name } : null;
}

/** Who wrote an agent message the API was asked to send, read when the conversation records it. */
export async function rememberAgentSend(db: Kysely<Database>, conversationId: string, messageKey: string, agent: AgentRef): Promise<void> {
  await db
    .insertInto('agent_sends')
    .values({ conversation_id: conversationId, message_key: messageKey, agent: JSON.stringify(agent) })
    .onConflict((oc) => oc.columns(['conversation_id', 'message_key']).doNothing())
    .execute();
}

export async function agentOfSend(db: Kysely<Database>, conversationId: string, messageKey: string): Promise<AgentRef | null> {
  const row = await db.selectFrom('agent_sends').select('agent').where('conversation_id', '=', conversationId).where('message_key', '=', messageKey).executeTakeFirst();
  return row?.agent ?? null;
}
