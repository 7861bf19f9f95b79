import { BufferJSON, initAuthCreds, jidDecode, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { sql, type Kysely } from 'kysely';
import { KeyRing } from '../../../config/key-ring.js';
import type { Database } from '../../../db/schema.js';

const CREDS = 'creds';

export interface PostgresAuthState {
  state: AuthenticationState;
  /** Writes the current creds; resolves once they are committed. */
  saveCreds(): Promise<void>;
  /** True when the creds were read from the database (a session to resume), false when freshly made. */
  resumed: boolean;
}

/**
 * A row's value is sealed with the key ring (config/key-ring.ts), bound to its row: a value
 * copied to another channel, type or id does not open. Rows written before values were sealed
 * are plain JSON; they are read as they are and sealed by `sealAuthState`.
 */
function rowContext(channelId: string, type: string, id: string): string {
  return `whatsapp_auth\n${channelId}\n${type}\n${id}`;
}

function serialise(keys: KeyRing, channelId: string, type: string, id: string, value: unknown): string {
  return keys.sealText(JSON.stringify(value, BufferJSON.replacer), rowContext(channelId, type, id));
}

function deserialise<T>(keys: KeyRing, channelId: string, type: string, id: string, stored: string): T {
  const text = KeyRing.isSealedText(stored) ? keys.openText(stored, rowContext(channelId, type, id)) : stored;
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * Baileys' auth state kept in PostgreSQL instead of files, so any gateway worker can resume a
 * channel's session. Every write is committed before its promise resolves: Baileys awaits key
 * `set`s before it acknowledges a message, so a crash never loses a key the phone believes we have.
 */
export async function usePostgresAuthState(db: Kysely<Database>, channelId: string, keys: KeyRing): Promise<PostgresAuthState> {
  const row = await db
    .selectFrom('whatsapp_auth')
    .select('value')
    .where('channel_id', '=', channelId)
    .where('type', '=', CREDS)
    .where('id', '=', CREDS)
    .executeTakeFirst();
  const creds: AuthenticationCreds = row ? deserialise<AuthenticationCreds>(keys, channelId, CREDS, CREDS, row.value) : initAuthCreds();

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        if (ids.length === 0) return found;
        const rows = await db
          .selectFrom('whatsapp_auth')
          .select(['id', 'value'])
          .where('channel_id', '=', channelId)
          .where('type', '=', type)
          .where('id', 'in', ids)
          .execute();
        for (const r of rows) {
          let value: unknown = deserialise(keys, channelId, type, r.id, r.value);
          // Baileys reads this one as a protobuf object, not a plain one.
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          found[r.id] = value as SignalDataTypeMap[T];
        }
        return found;
      },
      async set(data: SignalDataSet) {
        const upserts: { channel_id: string; type: string; id: string; value: string; updated_at: Date }[] = [];
        const deletes: { type: string; id: string }[] = [];
        const now = new Date();
        for (const [type, entries] of Object.entries(data)) {
          for (const [id, value] of Object.entries(entries ?? {})) {
            if (value === null || value === undefined) deletes.push({ type, id });
            else upserts.push({ channel_id: channelId, type, id, value: serialise(keys, channelId, type, id, value), updated_at: now });
          }
        }
        if (upserts.length === 0 && deletes.length === 0) return;
        await db.transaction().execute(async (trx) => {
          // Chunked: a history sync can set thousands of keys at once, beyond PostgreSQL's parameter limit.
          for (let i = 0; i < upserts.length; i += 1000) {
            await trx
              .insertInto('whatsapp_auth')
              .values(upserts.slice(i, i + 1000))
              .onConflict((oc) => oc.columns(['channel_id', 'type', 'id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
              .execute();
          }
          for (const { type, id } of deletes) {
            await trx.deleteFrom('whatsapp_auth').where('channel_id', '=', channelId).where('type', '=', type).where('id', '=', id).execute();
          }
        });
      },
      async clear() {
        await clearAuthState(db, channelId);
      },
    },
  };

  // Serialised: two quick `creds.update`s must land in order, the later one last.
  let chain: Promise<void> = Promise.resolve();
  const saveCreds = () => {
    const next = chain.then(() => writeCreds(db, keys, channelId, state.creds));
    chain = next.catch(() => undefined);
    return next;
  };
  return { state, saveCreds, resumed: row !== undefined };
}

async function writeCreds(db: Kysely<Database>, keys: KeyRing, channelId: string, creds: AuthenticationCreds): Promise<void> {
  await db
    .insertInto('whatsapp_auth')
    .values({ channel_id: channelId, type: CREDS, id: CREDS, value: serialise(keys, channelId, CREDS, CREDS, creds), updated_at: new Date() })
    .onConflict((oc) => oc.columns(['channel_id', 'type', 'id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** Forgets a channel's WhatsApp login: the next session starts with a fresh QR. */
/**
 * The phone-number JID behind a LID, from the mapping Baileys stored for this channel: how a
 * message is read again after a restart, without the socket's own mapping store.
 */
export async function storedPhoneForLid(db: Kysely<Database>, keys: KeyRing, channelId: string, lid: string): Promise<string | null> {
  const lidUser = jidDecode(lid)?.user;
  if (!lidUser) return null;
  const row = await db
    .selectFrom('whatsapp_auth')
    .select('value')
    .where('channel_id', '=', channelId)
    .where('type', '=', 'lid-mapping')
    .where('id', '=', `${lidUser}_reverse`)
    .executeTakeFirst();
  const pnUser = row ? deserialise<unknown>(keys, channelId, 'lid-mapping', `${lidUser}_reverse`, row.value) : null;
  return typeof pnUser === 'string' ? `${pnUser}@s.whatsapp.net` : null;
}

export async function clearAuthState(db: Kysely<Database>, channelId: string): Promise<void> {
  await db.deleteFrom('whatsapp_auth').where('channel_id', '=', channelId).execute();
}

/**
 * Seals every row not sealed with the current key: plain rows written before values were sealed,
 * and rows sealed with a key that is being retired (CATY_ENCRYPTION_KEY lists a new one first).
 * A row is replaced only if nobody changed it meanwhile, so a session writing its keys at the same
 * time always wins. Rows no configured key opens are left as they are and counted. Run by each
 * gateway at start; returns what it did.
 */
export async function sealAuthState(db: Kysely<Database>, keys: KeyRing, batch = 500): Promise<{ sealed: number; unreadable: number }> {
  const prefix = keys.currentTextPrefix;
  let sealed = 0;
  let unreadable = 0;
  let after: { channel_id: string; type: string; id: string } | null = null;
  for (;;) {
    const position: typeof after = after;
    const rows: { channel_id: string; type: string; id: string; value: string }[] = await db
      .selectFrom('whatsapp_auth')
      .select(['channel_id', 'type', 'id', 'value'])
      .where(sql<boolean>`not starts_with(value, ${prefix})`)
      .$if(position !== null, (q) => q.where(sql<boolean>`(channel_id, type, id) > (${position!.channel_id}, ${position!.type}, ${position!.id})`))
      .orderBy('channel_id')
      .orderBy('type')
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const row of rows) {
      let plain: string;
      try {
        plain = KeyRing.isSealedText(row.value) ? keys.openText(row.value, rowContext(row.channel_id, row.type, row.id)) : row.value;
      } catch {
        unreadable++;
        continue;
      }
      const result = await db
        .updateTable('whatsapp_auth')
        .set({ value: keys.sealText(plain, rowContext(row.channel_id, row.type, row.id)) })
        .where('channel_id', '=', row.channel_id)
        .where('type', '=', row.type)
        .where('id', '=', row.id)
        .where('value', '=', row.value)
        .executeTakeFirst();
      sealed += Number(result.numUpdatedRows);
    }
    if (rows.length < batch) return { sealed, unreadable };
    after = rows.at(-1)!;
  }
}
