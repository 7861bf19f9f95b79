import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, MediaRow, MediaTable } from '../schema.js';

/** The only code that reads and writes `media` and `media_chunks`. */

export type NewMedia = Omit<Insertable<MediaTable>, 'status' | 'size' | 'created_at' | 'expired_at'>;

/** A new row in `pending`; an id that exists already is left as it is. Returns the row as stored. */
export async function insertMedia(db: Kysely<Database>, media: NewMedia): Promise<{ row: MediaRow; inserted: boolean }> {
  const inserted = await db.insertInto('media').values(media).onConflict((oc) => oc.column('id').doNothing()).returningAll().executeTakeFirst();
  if (inserted) return { row: inserted, inserted: true };
  return { row: await db.selectFrom('media').selectAll().where('id', '=', media.id).executeTakeFirstOrThrow(), inserted: false };
}

export function findMedia(db: Kysely<Database>, id: string): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findMediaMany(db: Kysely<Database>, ids: string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('media').selectAll().where('id', 'in', ids).execute();
}

/**
 * A file as its owner may see it: the account's, and for a web visitor only its own uploads and
 * the files of its own conversation. Anyone else's answers exactly like an id that does not exist.
 */
export function findOwnMedia(db: Kysely<Database>, id: string, owner: { accountId: string; visitor?: { conversationId: string; sessionId: string } }): Promise<MediaRow | undefined> {
  let query = db.selectFrom('media').selectAll().where('media.id', '=', id).where('media.account_id', '=', owner.accountId);
  const visitor = owner.visitor;
  if (visitor) {
    query = query.where((eb) =>
      eb.or([
        eb('media.visitor', '=', visitor.sessionId),
        eb.exists(eb.selectFrom('messages').select('messages.id').whereRef('messages.media_id', '=', 'media.id').where('messages.conversation_id', '=', visitor.conversationId)),
      ]),
    );
  }
  return query.executeTakeFirst();
}

export async function markMediaReady(db: Kysely<Database>, id: string, size: number): Promise<MediaRow> {
  return db.updateTable('media').set({ status: 'ready', size }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteMedia(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('media').where('id', '=', id).where('status', '=', 'pending').execute();
}

export async function setTranscript(db: Kysely<Database>, id: string, transcript: string): Promise<void> {
  await db.updateTable('media').set({ transcript }).where('id', '=', id).execute();
}

export async function insertChunk(db: Kysely<Database>, mediaId: string, seq: number, data: Buffer): Promise<void> {
  await db.insertInto('media_chunks').values({ media_id: mediaId, seq, data }).onConflict((oc) => oc.columns(['media_id', 'seq']).doUpdateSet({ data })).execute();
}

/** Up to `limit` chunks from `fromSeq` on, in order. */
export function readChunks(db: Kysely<Database>, mediaId: string, fromSeq: number, limit: number): Promise<{ seq: number; data: Buffer }[]> {
  return db.selectFrom('media_chunks').select(['seq', 'data']).where('media_id', '=', mediaId).where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
}

export async function deleteChunks(db: Kysely<Database>, mediaId: string): Promise<void> {
  await db.deleteFrom('media_chunks').where('media_id', '=', mediaId).execute();
}

/** Files older than the cut-off whose bytes are still kept, oldest first. */
export function expirableMedia(db: Kysely<Database>, olderThan: Date, limit: number): Promise<Pick<MediaRow, 'id' | 'store'>[]> {
  return db.selectFrom('media').select(['id', 'store']).where('status', '<>', 'expired').where('created_at', '<', olderThan).orderBy('created_at').limit(limit).execute();
}

export async function markMediaExpired(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('media').set({ status: 'expired', expired_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/** The row of a file whose bytes are gone (its chunks go with it); a file still referred to stays. */
export async function forgetMedia(db: Kysely<Database>, id: string): Promise<void> {
  await db
    .deleteFrom('media')
    .where('id', '=', id)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('messages').select('messages.id').where('messages.media_id', '=', id))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('sandbox_outbox').select('sandbox_outbox.id').where('sandbox_outbox.media_id', '=', id))))
    .execute();
}
