import { Migrator, type Kysely, type MigrationProvider } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyError } from '../activities/errors.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; concurrent callers are serialised by kysely's migration lock. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // Branches add migrations in parallel; one that lands later with a smaller number still runs.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** How long a process starting while its database is away keeps trying before it gives up. */
const STARTUP_WAIT_MS = 5 * 60_000;

/**
 * Migrates once the database answers, then does `setup` (the default account): a process started
 * while PostgreSQL is restarting (after a crash, or before it in a compose file), or that loses it
 * between the two, waits for it instead of exiting. Only errors that say "away" are waited out;
 * anything else fails at once.
 */
export async function migrateWhenReachable(db: Kysely<Database>, log: (line: string) => void, setup: () => Promise<void> = async () => undefined, waitMs = STARTUP_WAIT_MS): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const applied = await migrateToLatest(db);
      await setup();
      return applied;
    } catch (error) {
      if (classifyError(error) !== 'transient' || Date.now() > deadline) throw error;
      if (attempt === 0) log(`database not reachable yet (${String((error as Error).cause ?? error)}); waiting for it`);
      await sleep(Math.min(5000, 250 * 2 ** attempt));
    }
  }
}
