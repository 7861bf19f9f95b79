import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, KnowledgePage, KnowledgeSource, PageStatus, SourceOptions } from '../schema.js';

/** The only code that reads and writes knowledge sources, their pages, passages and uploads. */

type Db = Kysely<Database> | Transaction<Database>;

export interface NewSource {
  id: string;
  accountId: string;
  widgetId: string;
  type: 'website' | 'file';
  url?: string | null;
  filename?: string | null;
  contentType?: string | null;
  options?: SourceOptions;
  /** A file's bytes, stored with the source in one transaction. */
  bytes?: Buffer;
}

export async function createSource(db: Kysely<Database>, source: NewSource): Promise<KnowledgeSource> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('knowledge_sources')
      .values({
        id: source.id,
        account_id: source.accountId,
        widget_id: source.widgetId,
        type: source.type,
        url: source.url ?? null,
        filename: source.filename ?? null,
        content_type: source.contentType ?? null,
        options: JSON.stringify(source.options ?? {}),
        error: null,
        sync_key: null,
        robots_txt: null,
        last_synced_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (source.bytes) await trx.insertInto('knowledge_uploads').values({ source_id: source.id, bytes: source.bytes, size: source.bytes.length }).execute();
    return row;
  });
}

export function findSource(db: Db, sourceId: string, accountId?: string): Promise<KnowledgeSource | undefined> {
  let query = db.selectFrom('knowledge_sources').selectAll().where('id', '=', sourceId);
  if (accountId) query = query.where('account_id', '=', accountId);
  return query.executeTakeFirst();
}

export interface SourceCounts {
  pages_done: number;
  pages_total: number;
  passages: number;
}

/** Progress of the current sync (pages queued by it, and those of them already fetched) and the passages held. */
export async function sourceCounts(db: Db, sourceIds: string[]): Promise<Map<string, SourceCounts>> {
  const counts = new Map<string, SourceCounts>(sourceIds.map((id) => [id, { pages_done: 0, pages_total: 0, passages: 0 }]));
  if (sourceIds.length === 0) return counts;
  const rows = await db
    .selectFrom('knowledge_pages as p')
    .innerJoin('knowledge_sources as s', 's.id', 'p.source_id')
    .select([
      'p.source_id',
      sql<number>`count(*) filter (where p.queued_sync = s.sync)::int`.as('pages_total'),
      sql<number>`count(*) filter (where p.queued_sync = s.sync and p.status <> 'pending')::int`.as('pages_done'),
      sql<number>`coalesce(sum(p.passages), 0)::int`.as('passages'),
    ])
    .where('p.source_id', 'in', sourceIds)
    .groupBy('p.source_id')
    .execute();
  for (const row of rows) counts.set(row.source_id, { pages_done: row.pages_done, pages_total: row.pages_total, passages: row.passages });
  return counts;
}

export function listSources(db: Db, widgetId: string): Promise<KnowledgeSource[]> {
  return db.selectFrom('knowledge_sources').selectAll().where('widget_id', '=', widgetId).orderBy('created_at').orderBy('id').execute();
}

export function sourcePages(db: Db, sourceId: string, limit = 1000): Promise<KnowledgePage[]> {
  return db.selectFrom('knowledge_pages').selectAll().where('source_id', '=', sourceId).orderBy('position').limit(limit).execute();
}

/** Removes a source with its pages, passages and upload: from this commit on, nothing of it answers. */
export async function deleteSource(db: Kysely<Database>, sourceId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('knowledge_passages').where('source_id', '=', sourceId).execute();
    await trx.deleteFrom('knowledge_sources').where('id', '=', sourceId).execute();
  });
}

export function readUpload(db: Db, sourceId: string): Promise<Buffer | undefined> {
  return db.selectFrom('knowledge_uploads').select('bytes').where('source_id', '=', sourceId).executeTakeFirst().then((row) => row?.bytes);
}

/**
 * Starts sync `sync + 1` for the run `syncKey`, or returns the one that run already started (a
 * retried call). Undefined when the source is gone.
 */
export async function beginSync(db: Kysely<Database>, sourceId: string, syncKey: string): Promise<KnowledgeSource | undefined> {
  return db
    .updateTable('knowledge_sources')
    .set({
      sync: sql<number>`case when sync_key = ${syncKey} then sync else sync + 1 end`,
      sync_key: syncKey,
      status: 'running',
      error: null,
      updated_at: sql<Date>`clock_timestamp()`,
    })
    .where('id', '=', sourceId)
    .returningAll()
    .executeTakeFirst();
}

export async function setSourceStatus(db: Db, sourceId: string, status: KnowledgeSource['status'], error: string | null, synced: boolean): Promise<void> {
  await db
    .updateTable('knowledge_sources')
    .set({ status, error, updated_at: sql<Date>`clock_timestamp()`, ...(synced ? { last_synced_at: sql<Date>`clock_timestamp()` } : {}) })
    .where('id', '=', sourceId)
    .execute();
}

export async function setRobots(db: Db, sourceId: string, robotsTxt: string | null): Promise<void> {
  await db.updateTable('knowledge_sources').set({ robots_txt: robotsTxt }).where('id', '=', sourceId).execute();
}

/** Pages of one sync listed as skipped without being requested, at most. */
const MAX_UNREQUESTED_PAGES = 200;

export interface QueuedPage {
  url: string;
  depth: number;
  /** Recorded without a request: why it is not fetched (robots.txt disallows it). */
  skipped?: string;
}

/**
 * Queues pages for sync `sync`, in order, up to `maxPages` pages in that sync; a page already
 * queued by it is left alone. Returns how many were newly queued. One source's pages are queued
 * one call at a time (a transaction lock), so concurrent pages never overshoot the limit.
 */
export async function queuePages(db: Kysely<Database>, sourceId: string, sync: number, pages: QueuedPage[], maxPages: number): Promise<number> {
  if (pages.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`knowledge:${sourceId}`}))`.execute(trx);
    // Pages listed as skipped without a request (robots.txt) do not use up max_pages, up to a bound of their own.
    const { n, unrequested } = await trx
      .selectFrom('knowledge_pages')
      .select([
        sql<number>`count(*) filter (where not (status = 'skipped' and fetched_sync < queued_sync))::int`.as('n'),
        sql<number>`count(*) filter (where status = 'skipped' and fetched_sync < queued_sync)::int`.as('unrequested'),
      ])
      .where('source_id', '=', sourceId)
      .where('queued_sync', '=', sync)
      .executeTakeFirstOrThrow();
    let room = maxPages - n;
    let skipRoom = MAX_UNREQUESTED_PAGES - unrequested;
    let queued = 0;
    for (const page of pages) {
      if (page.skipped ? skipRoom <= 0 : room <= 0) continue;
      const status: PageStatus = page.skipped ? 'skipped' : 'pending';
      const row = await trx
        .insertInto('knowledge_pages')
        .values({ source_id: sourceId, url: page.url, depth: page.depth, queued_sync: sync, status, error: page.skipped ?? null, title: null, language: null, etag: null, last_modified: null, content_hash: null, fetched_at: null })
        .onConflict((oc) =>
          oc
            .columns(['source_id', 'url'])
            .doUpdateSet({ queued_sync: sync, depth: page.depth, status, error: page.skipped ?? null, position: sql`nextval(pg_get_serial_sequence('knowledge_pages', 'position'))` })
            .where('knowledge_pages.queued_sync', '<', sync),
        )
        .returning('url')
        .executeTakeFirst();
      if (row) {
        if (page.skipped) skipRoom--;
        else room--;
        queued++;
      }
    }
    return queued;
  });
}

export interface PendingPage {
  url: string;
  depth: number;
}

/** The next pages of sync `sync` to fetch, in the order they were found. */
export async function pendingPages(db: Db, sourceId: string, sync: number, limit: number): Promise<PendingPage[]> {
  const rows = await db
    .selectFrom('knowledge_pages')
    .select(['url', 'depth'])
    .where('source_id', '=', sourceId)
    .where('queued_sync', '=', sync)
    .where('status', '=', 'pending')
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows;
}

export async function findPage(db: Db, sourceId: string, url: string): Promise<KnowledgePage | undefined> {
  return db.selectFrom('knowledge_pages').selectAll().where('source_id', '=', sourceId).where('url', '=', url).executeTakeFirst();
}

export interface NewPassage {
  title: string;
  heading: string;
  text: string;
  language: string | null;
  terms: string[];
  headingTerms: string[];
  hash: string;
}

export interface PageOutcome {
  sourceId: string;
  widgetId: string;
  url: string;
  sync: number;
  status: Exclude<PageStatus, 'pending'>;
  error?: string | null;
  title?: string | null;
  language?: string | null;
  etag?: string | null;
  lastModified?: string | null;
  contentHash?: string | null;
  words?: string[];
  links?: string[];
  /** Replace the page's passages with these; absent: keep them (unchanged) or drop them (skipped, failed). */
  passages?: NewPassage[];
}

/** A fetched page's outcome and its passages, in one transaction: a page is never half indexed. */
export async function recordPage(db: Kysely<Database>, outcome: PageOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const keep = outcome.status === 'unchanged';
    if (!keep) await trx.deleteFrom('knowledge_passages').where('source_id', '=', outcome.sourceId).where('page_url', '=', outcome.url).execute();
    const updated = await trx
      .updateTable('knowledge_pages')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        fetched_sync: outcome.sync,
        fetched_at: sql<Date>`clock_timestamp()`,
        ...(keep
          ? {}
          : {
              title: outcome.title ?? null,
              language: outcome.language ?? null,
              etag: outcome.etag ?? null,
              last_modified: outcome.lastModified ?? null,
              content_hash: outcome.contentHash ?? null,
              words: outcome.words ?? [],
              links: outcome.links ?? [],
              passages: outcome.passages?.length ?? 0,
            }),
      })
      .where('source_id', '=', outcome.sourceId)
      .where('url', '=', outcome.url)
      .returning('url')
      .executeTakeFirst();
    // The source (and so the page) was removed meanwhile: nothing to index.
    if (!updated || !outcome.passages?.length) return;
    await trx
      .insertInto('knowledge_passages')
      .values(
        outcome.passages.map((p) => ({
          source_id: outcome.sourceId,
          page_url: outcome.url,
          widget_id: outcome.widgetId,
          title: p.title,
          heading: p.heading,
          text: p.text,
          language: p.language,
          terms: p.terms,
          heading_terms: p.headingTerms,
          content_hash: p.hash,
          embedding: null,
        })),
      )
      .execute();
  });
}

/**
 * Ends sync `sync`: pages it did not reach are gone from the site (their passages with them), and
 * pages that failed keep their row (so the business sees the error) but lose their passages.
 */
export async function finishSync(db: Kysely<Database>, sourceId: string, sync: number): Promise<{ indexed: number; failed: number }> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('knowledge_pages').where('source_id', '=', sourceId).where('queued_sync', '<', sync).execute();
    // A page queued but never fetched (the crawl was cut short) is dropped rather than left pending.
    await trx.deleteFrom('knowledge_pages').where('source_id', '=', sourceId).where('status', '=', 'pending').execute();
    const counts = await trx
      .selectFrom('knowledge_pages')
      .select([
        sql<number>`count(*) filter (where status in ('indexed', 'unchanged') and passages > 0)::int`.as('indexed'),
        sql<number>`count(*) filter (where status = 'failed')::int`.as('failed'),
      ])
      .where('source_id', '=', sourceId)
      .executeTakeFirstOrThrow();
    return counts;
  });
}

/** What a widget's passages look like now: changes with every page indexed or removed, for caches. */
export async function knowledgeVersion(db: Db, widgetId: string): Promise<string> {
  const row = await db
    .selectFrom('knowledge_sources')
    .select([sql<string>`count(*)::text`.as('n'), sql<string>`coalesce(max(updated_at), 'epoch')::text`.as('at')])
    .where('widget_id', '=', widgetId)
    .executeTakeFirstOrThrow();
  return `${row.n}@${row.at}`;
}

/** Touches a source so that caches of its widget's passages know they changed. */
export async function touchSource(db: Db, sourceId: string): Promise<void> {
  await db.updateTable('knowledge_sources').set({ updated_at: sql<Date>`clock_timestamp()` }).where('id', '=', sourceId).execute();
}

/**
 * Reserves the next moment a request to `host` may go, `delayMs` after the one reserved before
 * (whichever source, worker or attempt reserved it); returns how long to wait for it.
 */
export async function reserveRequestSlot(db: Db, host: string, delayMs: number): Promise<number> {
  const interval = `${delayMs} milliseconds`;
  const row = await db
    .insertInto('knowledge_hosts')
    .values({ host, next_request_at: sql<Date>`clock_timestamp() + ${interval}::interval` })
    .onConflict((oc) => oc.column('host').doUpdateSet({ next_request_at: sql<Date>`greatest(knowledge_hosts.next_request_at, clock_timestamp()) + ${interval}::interval` }))
    .returning(sql<number>`greatest(0, extract(epoch from (next_request_at - ${interval}::interval - clock_timestamp())) * 1000)::int`.as('wait_ms'))
    .executeTakeFirstOrThrow();
  return row.wait_ms;
}
