import { BufferJSON } from '@whiskeysockets/baileys';
import { usePostgresAuthState } from '../../../activities/whatsapp/baileys/auth-store.js';
import { KeyRing } from '../../../config/key-ring.js';
import { createDatabase } from '../../../db/connection.js';

/** Another process opening a channel's auth state with the keys in CATY_ENCRYPTION_KEY: prints what it resumes with. */
const [databaseUrl, channelId, keyType, keyId] = process.argv.slice(2);
const db = createDatabase(databaseUrl!);
const auth = await usePostgresAuthState(db, channelId!, KeyRing.parse(process.env.CATY_ENCRYPTION_KEY!));
const keys = await auth.state.keys.get(keyType as 'pre-key', [keyId!]);
process.stdout.write(JSON.stringify({ resumed: auth.resumed, creds: auth.state.creds, keys }, BufferJSON.replacer));
await db.destroy();
