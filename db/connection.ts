import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// bigint counts (count(*)) arrive as strings by default; they are small here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export interface DatabaseOptions {
  maxConnections?: number;
  /** No statement runs longer: a hung query fails instead of hanging its caller. */
  statementTimeoutMs?: number;
  /** Waiting for a connection (the pool full, or the server away) fails after this. */
  connectTimeoutMs?: number;
}

export function createDatabase(connectionString: string, options: DatabaseOptions = {}): Kysely<Database> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Enforced by the server; the client-side limit catches a server that stopped answering at all.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 5000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
