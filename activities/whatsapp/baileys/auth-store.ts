import { BufferJSON, initAuthCreds, jidDecode, proto, type AuthenticationCreds, type AuthenticationState, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

const CREDS = 'creds';

export interface PostgresAuthState {
  state: AuthenticationState;
  /** Writes the current creds; resolves once they are committed. */
  saveCreds(): Promise<void>;
  /** True when the creds were read from the database (a session to resume), false when freshly made. */
  resumed: boolean;
}

function serialise(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

function deserialise<T>(text: string): T {
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * Baileys' auth state kept in PostgreSQL instead of files, so any gateway worker can resume a
 * channel's session. Every write is committed before its promise resolves: Baileys awaits key
 * `set`s before it acknowledges a message, so a crash never loses a key the phone believes we have.
 */
export async function usePostgresAuthState(db: Kysely<Database>, channelId: string): Promise<PostgresAuthState> {
  const row = await db
    .selectFrom('whatsapp_auth')
    .select('value')
    .where('channel_id', '=', channelId)
    .where('type', '=', CREDS)
    .where('id', '=', CREDS)
    .executeTakeFirst();
  const creds: AuthenticationCreds = row ? deserialise<AuthenticationCreds>(row.value) : initAuthCreds();

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
          let value: unknown = deserialise(r.value);
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
            else upserts.push({ channel_id: channelId, type, id, value: serialise(value), updated_at: now });
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
    const next = chain.then(() => writeCreds(db, channelId, state.creds));
    chain = next.catch(() => undefined);
    return next;
  };
  return { state, saveCreds, resumed: row !== undefined };
}

async function writeCreds(db: Kysely<Database>, channelId: string, creds: AuthenticationCreds): Promise<void> {
  await db
    .insertInto('whatsapp_auth')
    .values({ channel_id: channelId, type: CREDS, id: CREDS, value: serialise(creds), updated_at: new Date() })
    .onConflict((oc) => oc.columns(['channel_id', 'type', 'id']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
    .execute();
}

/** Forgets a channel's WhatsApp login: the next session starts with a fresh QR. */
/**
 * The phone-number JID behind a LID, from the mapping Baileys stored for this channel: how a
 * message is read again after a restart, without the socket's own mapping store.
 */
export async function storedPhoneForLid(db: Kysely<Database>, channelId: string, lid: string): Promise<string | null> {
  const lidUser = jidDecode(lid)?.user;
  if (!lidUser) return null;
  const row = await db
    .selectFrom('whatsapp_auth')
    .select('value')
    .where('channel_id', '=', channelId)
    .where('type', '=', 'lid-mapping')
    .where('id', '=', `${lidUser}_reverse`)
    .executeTakeFirst();
  const pnUser = row ? deserialise<unknown>(row.value) : null;
  return typeof pnUser === 'string' ? `${pnUser}@s.whatsapp.net` : null;
}

export async function clearAuthState(db: Kysely<Database>, channelId: string): Promise<void> {
  await db.deleteFrom('whatsapp_auth').where('channel_id', '=', channelId).execute();
}
