import { Kysely, PostgresDialect, sql } from 'kysely';
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
  /** Statements prepared on each connection (the default), or planned anew on every call. */
  preparedStatements?: boolean;
}

/** Statements a connection keeps prepared; past this, new texts run unnamed (planned each time). */
const MAX_PREPARED_PER_CONNECTION = 256;
/** "cached plan must not change result type" */
const PLAN_OUTDATED = '0A000';

/**
 * A connection that runs every parameterised statement as a named (prepared) one: PostgreSQL
 * parses and plans a statement once per connection instead of on every call. Kysely sends the
 * same text for the same query shape, so the text is the key. Planning alone was over a third of
 * PostgreSQL's CPU per message before (pg_stat_statements, `npm run bench`).
 */
class PreparingClient extends pg.Client {
  private readonly names = new Map<string, string>();
  private generation = 0;

  // pg's overloads cannot be restated; this handles the one Kysely uses (text and values, a promise).
  override query(...args: any[]): any {
    const [text, values, callback] = args;
    const unnamed = () => (super.query as (...a: unknown[]) => unknown).apply(this, args);
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) return unnamed();
    const name = this.nameFor(text);
    if (!name) return unnamed();
    return super.query({ name, text, values }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== PLAN_OUTDATED) throw error;
      // A table changed under the prepared statement (a newer release migrated it): PostgreSQL
      // will not run it again with a different row type, so the text gets a fresh name. Outside
      // a transaction nothing else was undone, so it runs again at once.
      this.names.delete(text);
      const fresh = this.nameFor(text);
      if (!fresh || this.getTransactionStatus() !== 'I') throw error;
      return super.query({ name: fresh, text, values });
    });
  }

  /** The statement's name on this connection, or null to run it unnamed. */
  private nameFor(text: string): string | null {
    const known = this.names.get(text);
    if (known) return known;
    if (this.names.size >= MAX_PREPARED_PER_CONNECTION) return null;
    const name = `caty_${this.generation++}`;
    this.names.set(text, name);
    return name;
  }
}

export function createDatabase(connectionString: string, options: DatabaseOptions = {}): Kysely<Database> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const pool = new pg.Pool({
    connectionString,
    ...(options.preparedStatements === false ? {} : { Client: PreparingClient }),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Enforced by the server; the client-side limit catches a server that stopped answering at all.
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 5000,
    idle_in_transaction_session_timeout: statementTimeoutMs * 2,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Nor a client in use: pg's pool listens for 'error' on idle clients only, and a connection that
  // breaks under a query in flight (the server stopped, `pg_ctl stop -m immediate`) emits it too,
  // unheard, which ended the whole process. The query itself still fails with the error, and the
  // pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** One round trip to the database: the readiness probe's question. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
