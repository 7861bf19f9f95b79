import { BufferJSON } from '@whiskeysockets/baileys';
import { usePostgresAuthState } from '../../../activities/whatsapp/baileys/auth-store.js';
import { createDatabase } from '../../../db/connection.js';

/** Another process opening a channel's auth state: prints what it resumes with. */
const [databaseUrl, channelId, keyType, keyId] = process.argv.slice(2);
const db = createDatabase(databaseUrl!);
const auth = await usePostgresAuthState(db, channelId!);
const keys = await auth.state.keys.get(keyType as 'pre-key', [keyId!]);
process.stdout.write(JSON.stringify({ resumed: auth.resumed, creds: auth.state.creds, keys }, BufferJSON.replacer));
await db.destroy();
