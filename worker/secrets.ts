import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeyRing } from '../config/key-ring.js';

/**
 * A secret's configured value, or one generated once and kept in the data directory (readable by
 * its owner only), so `npm start` works with nothing set and keeps working across restarts.
 * Production processes require theirs to be configured (worker/production.ts): a file in a
 * container's data directory is neither shared with the other processes nor kept.
 */
export async function resolveSecret(configured: string | undefined, dataDir: string, file: string, generate: () => string): Promise<string> {
  if (configured) return configured;
  const location = path.join(dataDir, file);
  if (existsSync(location)) return (await readFile(location, 'utf8')).trim();
  const secret = generate();
  await mkdir(dataDir, { recursive: true });
  await writeFile(location, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A key ring setting (CATY_ENCRYPTION_KEY, CATY_VISITOR_TOKEN_KEY), or a key generated into `file`. */
export async function resolveKeyRing(configured: string | undefined, dataDir: string, file: string): Promise<KeyRing> {
  return KeyRing.parse(await resolveSecret(configured, dataDir, file, KeyRing.generate));
}
