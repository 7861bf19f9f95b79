import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { DEFAULT_ACCOUNT_ID, hashApiKey } from '../api/middleware/auth.js';
import type { Database } from '../db/schema.js';

/** The account the operator key acts on; it has no key of its own. */
export async function ensureDefaultAccount(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('accounts')
    .values({ id: DEFAULT_ACCOUNT_ID, name: 'Default account', api_key_hash: hashApiKey(`unusable:${randomBytes(32).toString('hex')}`) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** CATY_ADMIN_KEY when set; otherwise a key generated once and kept in the data directory. */
export async function resolveAdminKey(configured: string | undefined, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'admin-key');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const key = `caty_admin_${randomBytes(24).toString('base64url')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}
