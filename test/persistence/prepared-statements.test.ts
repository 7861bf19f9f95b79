import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../../config/index.js';
import { createDatabase } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ runWorker: false });
});
after(async () => {
  await stack?.stop();
});

/** One connection, so what it prepared is visible in pg_prepared_statements of the next query. */
async function withOneConnection<T>(preparedStatements: boolean, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = createDatabase(stack.databaseUrl, { maxConnections: 1, preparedStatements });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const findWidget = (db: Kysely<Database>, id: string) => db.selectFrom('widgets').select(['id', 'name']).where('id', '=', id).execute();

/** How often the connection ran the widget lookup as a prepared statement. */
async function preparedRuns(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ runs: number }>`
    select coalesce(sum(generic_plans + custom_plans), 0)::int as runs from pg_prepared_statements
    where statement like 'select "id", "name" from "widgets"%'`.execute(db);
  return rows[0]!.runs;
}

test('a statement is prepared once per connection and run again by name', async () => {
  const runs = await withOneConnection(true, async (db) => {
    for (const id of ['w_a', 'w_b', 'w_c']) assert.deepEqual(await findWidget(db, id), []);
    return preparedRuns(db);
  });
  assert.equal(runs, 3, 'one prepared statement, run three times');
});

test('with prepared statements off (a pooler that cannot keep them), nothing is prepared', async () => {
  const runs = await withOneConnection(false, async (db) => {
    for (const id of ['w_a', 'w_b']) await findWidget(db, id);
    return preparedRuns(db);
  });
  assert.equal(runs, 0);
});

test('a table changed under a prepared statement is read again with its new columns, not failed', async () => {
  await withOneConnection(true, async (db) => {
    await sql`create table prepared_probe (id text primary key)`.execute(db);
    await sql`insert into prepared_probe values ('p1')`.execute(db);
    const read = () => sql<Record<string, unknown>>`select * from prepared_probe where id = ${'p1'}`.execute(db);
    assert.deepEqual((await read()).rows, [{ id: 'p1' }]);
    // As a newer release's migration would, from another connection.
    await withOneConnection(false, (other) => sql`alter table prepared_probe add column note text default 'new'`.execute(other));
    assert.deepEqual((await read()).rows, [{ id: 'p1', note: 'new' }]);
    // In a transaction the failed statement has aborted it, so it fails; the next try succeeds.
    await withOneConnection(false, (other) => sql`alter table prepared_probe add column more int default 1`.execute(other));
    await assert.rejects(db.transaction().execute((trx) => sql`select * from prepared_probe where id = ${'p1'}`.execute(trx)), { code: '0A000' });
    assert.deepEqual((await read()).rows, [{ id: 'p1', note: 'new', more: 1 }]);
  });
});

test('DATABASE_PREPARED_STATEMENTS is on unless turned off, and a wrong value says what it takes', () => {
  assert.equal(loadConfig({}).DATABASE_PREPARED_STATEMENTS, true);
  assert.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: '' }).DATABASE_PREPARED_STATEMENTS, true);
  assert.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: '0' }).DATABASE_PREPARED_STATEMENTS, false);
  assert.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS, false);
  assert.throws(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'sometimes' }), /DATABASE_PREPARED_STATEMENTS is 1 or 0/);
});
