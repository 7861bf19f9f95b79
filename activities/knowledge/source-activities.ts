import { createHash } from 'node:crypto';
import { sleep } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { Database, KnowledgeSource } from '../../db/schema.js';
import {
  beginSync,
  findPage,
  findSource,
  finishSync,
  pendingPages,
  queuePages,
  readUpload,
  recordPage,
  reserveRequestSlot,
  setRobots,
  setSourceStatus,
  type PageOutcome,
  type PendingPage,
  type QueuedPage,
} from '../../db/queries/sources.js';
import { LocalLanguageDetector } from '../language/local.js';
import { CrawlScope, pageKey, readSitemap } from './crawl/scope.js';
import { fetchPage, MAX_PAGE_BYTES } from './crawl/fetch-page.js';
import { documentKind, extractDocument, UnreadableDocument, type DocumentKind } from './extract/document.js';
import { passagesOf } from './extract/passages.js';
import { indexedPassage, vocabularyOf } from './passage-terms.js';
import { requestEmbeddings } from './request-embeddings.js';
import { requestSourceSync } from './request-sync.js';

export interface KnowledgeCrawlPolicy {
  /** Least time between two requests to the site. */
  delayMs: number;
  /** Pages fetched at once at most. */
  concurrency: number;
  /** Pages a workflow run fetches before it continues as new. */
  pagesPerRun: number;
}

export interface KnowledgeActivityDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
  policy: KnowledgeCrawlPolicy & { timeoutMs: number; allowPrivate: boolean };
  /** Vectors are computed (EMBEDDINGS_PROVIDER): a finished sync asks for its new passages'. */
  embeddings?: boolean;
}

export const DEFAULT_MAX_PAGES = 50;
export const ROBOTS_DISALLOWED = "the site's robots.txt disallows it (not requested)";
const MAX_SITEMAPS = 10;

const detector = new LocalLanguageDetector();

/** The page's language when the detector is sure enough, else the widget's: every passage is stemmed in one. */
function languageOfText(text: string): string | null {
  const detection = detector.detectSync(text.slice(0, 3000));
  return detection.confidence >= 0.5 && /^[a-z]{2}$/.test(detection.language) ? detection.language : null;
}

function maxPages(source: KnowledgeSource): number {
  return source.options.max_pages ?? DEFAULT_MAX_PAGES;
}

export interface PageResult {
  status: PageOutcome['status'] | 'gone';
}

/** Reads a document into passages; the outcome to record (without its ids). */
async function indexDocument(bytes: Buffer, kind: DocumentKind, where: { url?: string; name?: string }, defaultLanguage: string) {
  const document = await extractDocument({ bytes, kind, ...where });
  const text = document.sections.flatMap((s) => s.paragraphs).join('\n');
  const language = languageOfText(text) ?? defaultLanguage;
  const passages = passagesOf(document.title, document.sections, language);
  const contentHash = createHash('sha256').update(document.title).update('\n').update(passages.map((p) => `${p.heading}\n${p.text}`).join('\n\n')).digest('base64url');
  return { document, language, passages, contentHash };
}

export function createKnowledgeActivities(deps: KnowledgeActivityDeps) {
  const { db, policy } = deps;

  async function widgetLanguage(widgetId: string): Promise<string> {
    const row = await db.selectFrom('widgets').select('default_language').where('id', '=', widgetId).executeTakeFirst();
    return row?.default_language ?? 'en';
  }

  /** The source while sync `sync` is still its current one; undefined once removed or superseded. */
  async function current(sourceId: string, sync: number): Promise<KnowledgeSource | undefined> {
    const source = await findSource(db, sourceId);
    return source && source.sync === sync ? source : undefined;
  }

  /** One request to the site, no sooner than the delay after the last one to its host. */
  async function paced(url: URL, delayMs: number, options: Omit<Parameters<typeof fetchPage>[1], 'timeoutMs' | 'allowPrivate'> = {}) {
    const wait = await reserveRequestSlot(db, url.host, delayMs);
    if (wait > 0) await sleep(wait);
    return fetchPage(url, { timeoutMs: policy.timeoutMs, allowPrivate: policy.allowPrivate, ...options });
  }

  async function queueLinks(source: KnowledgeSource, sync: number, links: string[], depth: number): Promise<void> {
    const scope = new CrawlScope(source.url!, source.options, source.robots_txt);
    const pages = new Map<string, QueuedPage>();
    for (const link of links) {
      let url: URL;
      try {
        url = new URL(link);
      } catch {
        continue;
      }
      // Another site or an excluded path: never requested, not listed.
      if (scope.refusal(url)) continue;
      const key = pageKey(url);
      // A page of the site that robots.txt forbids: listed with the reason, never requested.
      if (!scope.allowedByRobots(url)) pages.set(key, { url: key, depth, skipped: ROBOTS_DISALLOWED });
      else pages.set(key, { url: key, depth });
    }
    await queuePages(db, source.id, sync, [...pages.values()], maxPages(source));
  }

  return {
    async knowledgeCrawlPolicy(): Promise<KnowledgeCrawlPolicy> {
      return { delayMs: policy.delayMs, concurrency: policy.concurrency, pagesPerRun: policy.pagesPerRun };
    },

    /** Starts the next sync of a source (or returns the one this run started); null once the source is removed. */
    async beginSourceSync(input: { sourceId: string; syncKey: string }): Promise<{ sync: number; type: 'website' | 'file' } | null> {
      const source = await beginSync(db, input.sourceId, input.syncKey);
      return source ? { sync: source.sync, type: source.type } : null;
    },

    /**
     * Reads the site's robots.txt (a missing one allows everything) and queues the address the
     * source was added with. Returns the pause robots.txt asks between requests and the sitemaps
     * to read (those it names, and /sitemap.xml).
     */
    async readSiteRules(input: { sourceId: string; sync: number }): Promise<{ crawlDelayMs: number; sitemaps: string[] } | null> {
      const source = await current(input.sourceId, input.sync);
      if (!source?.url) return null;
      const root = new URL(source.url);
      const result = await paced(new URL('/robots.txt', root), policy.delayMs, { maxBytes: 512 * 1024 });
      // An unreadable robots.txt (a server error) means: do not crawl now, as Google reads it.
      if (result.kind === 'http_error' && result.status >= 500) throw new Error(`robots.txt answered ${result.status}`);
      if (result.kind === 'network_error') throw new Error(`robots.txt could not be read: ${result.error}`);
      const robotsTxt = result.kind === 'ok' ? result.body.toString('utf8') : null;
      await setRobots(db, source.id, robotsTxt);
      const scope = new CrawlScope(source.url, source.options, robotsTxt);
      if (!scope.allowedByRobots(root)) {
        await setSourceStatus(db, source.id, 'failed', `the site's robots.txt does not allow ${root.pathname} to be read`, false);
        return null;
      }
      await queuePages(db, source.id, input.sync, [{ url: pageKey(root), depth: 0 }], maxPages(source));
      const sitemaps = [...new Set([...scope.sitemaps(), new URL('/sitemap.xml', root).toString()])].filter((s) => {
        try {
          return scope.sameOrigin(new URL(s));
        } catch {
          return false;
        }
      });
      return { crawlDelayMs: scope.crawlDelayMs(), sitemaps: sitemaps.slice(0, MAX_SITEMAPS) };
    },

    /** Queues the pages a sitemap lists (pages no link reaches among them); returns the sitemaps it nests. */
    async readSourceSitemap(input: { sourceId: string; sync: number; url: string; delayMs: number }): Promise<{ sitemaps: string[] }> {
      const source = await current(input.sourceId, input.sync);
      if (!source?.url) return { sitemaps: [] };
      const result = await paced(new URL(input.url), input.delayMs);
      if (result.kind !== 'ok') return { sitemaps: [] };
      const { pages, sitemaps } = readSitemap(result.body.toString('utf8'));
      await queueLinks(source, input.sync, pages, 1);
      return { sitemaps: sitemaps.slice(0, MAX_SITEMAPS) };
    },

    async nextSourcePages(input: { sourceId: string; sync: number; limit: number }): Promise<PendingPage[]> {
      return pendingPages(db, input.sourceId, input.sync, input.limit);
    },

    /**
     * Fetches one page and indexes it: its passages replace the page's old ones, unless it has not
     * changed (a 304 to the ETag / Last-Modified it had, or the same text), and the links on it
     * within the source are queued. Every outcome is recorded on the page with its reason.
     */
    async crawlSourcePage(input: { sourceId: string; sync: number; url: string; depth: number; delayMs: number }): Promise<PageResult> {
      const source = await current(input.sourceId, input.sync);
      if (!source?.url) return { status: 'gone' };
      const known = await findPage(db, source.id, input.url);
      if (!known) return { status: 'gone' };
      // Queuing the page for this sync set it pending again; its passages and validators are the last sync's.
      const hadPassages = known.passages > 0 && known.content_hash !== null;
      const base = { sourceId: source.id, widgetId: source.widget_id, url: input.url, sync: input.sync };
      const record = async (outcome: Omit<PageOutcome, keyof typeof base>): Promise<PageResult> => {
        await recordPage(db, { ...base, ...outcome });
        return { status: outcome.status };
      };
      const unchanged = async () => {
        await queueLinks(source, input.sync, known.links, input.depth + 1);
        return record({ status: 'unchanged' });
      };
      const result = await paced(new URL(input.url), input.delayMs, hadPassages ? { etag: known.etag, lastModified: known.last_modified } : {});
      switch (result.kind) {
        case 'not_modified':
          return hadPassages ? unchanged() : record({ status: 'failed', error: 'answered 304 Not Modified to a request that was not conditional' });
        case 'redirect': {
          let target: URL;
          try {
            target = new URL(result.location, input.url);
          } catch {
            return record({ status: 'failed', error: `redirects to an invalid address (${result.location})` });
          }
          const scope = new CrawlScope(source.url, source.options, source.robots_txt);
          if (!scope.sameOrigin(target)) return record({ status: 'skipped', error: `redirects to another site (${target.origin})` });
          await queueLinks(source, input.sync, [target.toString()], input.depth);
          return record({ status: 'skipped', error: `redirects to ${pageKey(target)}` });
        }
        case 'http_error':
          return record({ status: 'failed', error: `the site answered HTTP ${result.status}` });
        case 'too_large':
          return record({ status: 'skipped', error: `larger than ${MAX_PAGE_BYTES / 1024 / 1024} MB` });
        case 'network_error':
          return record({ status: 'failed', error: result.error });
        case 'ok': {
          const kind = documentKind(result.contentType, new URL(input.url).pathname, result.body);
          if (!kind) return record({ status: 'skipped', error: `not a text document (${(result.contentType ?? 'no content type').split(';')[0]})` });
          let indexed;
          try {
            indexed = await indexDocument(result.body, kind, { url: input.url }, await widgetLanguage(source.widget_id));
          } catch (error) {
            if (error instanceof UnreadableDocument) return record({ status: 'failed', error: error.message });
            throw error;
          }
          const links = kind === 'html' ? indexed.document.links : [];
          const scope = new CrawlScope(source.url, source.options, source.robots_txt);
          const ownLinks = [...new Set(links.filter((l) => scope.sameOrigin(new URL(l))).map((l) => pageKey(new URL(l))))].slice(0, 2000);
          if (hadPassages && known.content_hash === indexed.contentHash) {
            await recordPage(db, { ...base, status: 'unchanged' });
            await queueLinks(source, input.sync, ownLinks, input.depth + 1);
            return { status: 'unchanged' };
          }
          await recordPage(db, {
            ...base,
            status: 'indexed',
            title: indexed.document.title || null,
            language: indexed.language,
            etag: result.etag,
            lastModified: result.lastModified,
            contentHash: indexed.contentHash,
            words: vocabularyOf(indexed.passages),
            links: ownLinks,
            passages: indexed.passages.map((p) => indexedPassage(p, indexed.language)),
          });
          await queueLinks(source, input.sync, ownLinks, input.depth + 1);
          return { status: 'indexed' };
        }
      }
    },

    /** Reads an uploaded file into passages; a file with no readable text fails the source with the reason. */
    async indexSourceFile(input: { sourceId: string; sync: number }): Promise<PageResult> {
      const source = await current(input.sourceId, input.sync);
      const bytes = source ? await readUpload(db, source.id) : undefined;
      if (!source || !bytes) return { status: 'gone' };
      const name = source.filename ?? 'document';
      await queuePages(db, source.id, input.sync, [{ url: name, depth: 0 }], 1);
      const base = { sourceId: source.id, widgetId: source.widget_id, url: name, sync: input.sync };
      const kind = documentKind(source.content_type, name, bytes);
      const known = await findPage(db, source.id, name);
      try {
        if (!kind) throw new UnreadableDocument(`this file is not a document Caty can read (${source.content_type ?? 'unknown type'}); use PDF, DOCX, HTML, Markdown or plain text`);
        const indexed = await indexDocument(bytes, kind, { name }, await widgetLanguage(source.widget_id));
        if (known?.content_hash === indexed.contentHash && known.passages > 0) {
          await recordPage(db, { ...base, status: 'unchanged' });
          return { status: 'unchanged' };
        }
        await recordPage(db, {
          ...base,
          status: 'indexed',
          title: indexed.document.title || name,
          language: indexed.language,
          contentHash: indexed.contentHash,
          words: vocabularyOf(indexed.passages),
          passages: indexed.passages.map((p) => indexedPassage(p, indexed.language)),
        });
        return { status: 'indexed' };
      } catch (error) {
        if (!(error instanceof UnreadableDocument)) throw error;
        await recordPage(db, { ...base, status: 'failed', error: error.message });
        return { status: 'failed' };
      }
    },

    /** A page that could not be handled after all its attempts: recorded failed, the crawl goes on. */
    async markSourcePageFailed(input: { sourceId: string; sync: number; url: string; error: string }): Promise<void> {
      const source = await findSource(db, input.sourceId);
      if (!source) return;
      await recordPage(db, { sourceId: source.id, widgetId: source.widget_id, url: input.url, sync: input.sync, status: 'failed', error: input.error });
    },

    /** Ends a sync: pages no longer found are removed; the source is ready, or failed with the reason nothing was read. */
    async finishSourceSync(input: { sourceId: string; sync: number; error?: string | null }): Promise<void> {
      const source = await current(input.sourceId, input.sync);
      if (!source) return;
      const { indexed } = await finishSync(db, source.id, input.sync);
      if (deps.embeddings && indexed > 0) await requestEmbeddings(deps.client, deps.taskQueue, source.widget_id);
      if (input.error) return setSourceStatus(db, source.id, 'failed', input.error, true);
      if (indexed > 0) return setSourceStatus(db, source.id, 'ready', null, true);
      const first = await db
        .selectFrom('knowledge_pages')
        .select(['url', 'error'])
        .where('source_id', '=', source.id)
        .where('error', 'is not', null)
        .orderBy('position')
        .executeTakeFirst();
      const reason = first?.error ? (source.type === 'file' ? first.error : `nothing could be read from ${source.url}: ${first.error}`) : `no text was found at ${source.url ?? source.filename}`;
      await setSourceStatus(db, source.id, 'failed', reason, true);
    },

    /** The weekly schedule's action: a sync of the source, joined to one already running. */
    async requestScheduledSync(input: { sourceId: string }): Promise<void> {
      if (!(await findSource(db, input.sourceId))) return;
      await requestSourceSync(deps.client, deps.taskQueue, input.sourceId);
    },
  };
}

export type KnowledgeActivities = ReturnType<typeof createKnowledgeActivities>;
