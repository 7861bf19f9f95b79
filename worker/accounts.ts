import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_ACCOUNT_ID, hashApiKey } from '../api/middleware/auth.js';
import type { Database } from '../db/schema.js';
import { createAccount } from '../db/queries/accounts.js';
import { resolveSecret } from './secrets.js';

/** The account the operator key acts on; it has no key of its own. */
export async function ensureDefaultAccount(db: Kysely<Database>): Promise<void> {
  await createAccount(db, { id: DEFAULT_ACCOUNT_ID, name: 'Default account', apiKeyHash: hashApiKey(`unusable:${randomBytes(32).toString('hex')}`) }, true);
}

/** CATY_ADMIN_KEY when set; otherwise a key generated once and kept in the data directory. */
export function resolveAdminKey(configured: string | undefined, dataDir: string): Promise<string> {
  return resolveSecret(configured, dataDir, 'admin-key', () => `caty_admin_${randomBytes(24).toString('base64url')}`);
}
