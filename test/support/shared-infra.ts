import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Set by test/run.ts: the run's PostgreSQL (its `postgres` database) and Temporal dev server. */
export const SHARED_TEST_POSTGRES = 'CATY_TEST_POSTGRES_URL';
export const SHARED_TEST_TEMPORAL = 'CATY_TEST_TEMPORAL_ADDRESS';
export const TEMPLATE_DATABASE = 'caty_test_template';

export interface SharedInfra {
  databaseUrl: string;
  temporalAddress: string;
  /** Drops this stack's database. */
  release(): Promise<void>;
}

/** A client on the run's `postgres` database, for creating and dropping databases. */
export async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database on the run's PostgreSQL and the run's Temporal; null outside `npm test`. */
export async function sharedInfra(): Promise<SharedInfra | null> {
  const adminUrl = process.env[SHARED_TEST_POSTGRES];
  const temporalAddress = process.env[SHARED_TEST_TEMPORAL];
  if (!adminUrl || !temporalAddress) return null;
  const name = `caty_test_${randomUUID().replaceAll('-', '')}`;
  await admin(adminUrl, (client) => client.query(`create database ${name} template ${TEMPLATE_DATABASE}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    temporalAddress,
    release: () => admin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
