import { z } from 'zod';
import { newId } from '../../db/ids.js';
import { KnowledgeBaseProvider, KnowledgeIndexCache } from '../../activities/ai/kb/kb-provider.js';
import { PassageRetriever } from '../../activities/ai/kb/passages.js';
import { aiProfile } from '../../db/queries/widgets.js';
import { detectLanguage } from '../../activities/language/index.js';
import { unansweredGroups } from '../../db/queries/unanswered.js';
import { documentKind } from '../../activities/knowledge/extract/document.js';
import { requestSourceSync, scheduleSourceResync, stopSourceWork } from '../../activities/knowledge/request-sync.js';
import { DEFAULT_MAX_PAGES } from '../../activities/knowledge/source-activities.js';
import { assertSafeWebhookUrl, UnsafeWebhookUrlError } from '../../activities/webhooks/url-safety.js';
import { createSource, deleteSource, findSource, listSources, sourceCounts, sourcePages, type SourceCounts } from '../../db/queries/sources.js';
import type { KnowledgePage, KnowledgeSource } from '../../db/schema.js';
import { fileName, languageCode, text } from '../schemas.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';
import type { RouteRegistry } from '../route-registry.js';
import { ownWidget } from './tenancy.js';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const FILE_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/html',
  'text/markdown',
  'text/plain',
  'application/octet-stream',
];

const path = z
  .string()
  .max(300)
  .regex(/^\/[^\s?#]*$/, 'must be a path on the site starting with "/", such as "/help"');

const createWebsite = z
  .object({
    type: z.literal('website'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048).describe('The address to start from; only pages of its origin are read'),
    max_pages: z.number().int().min(1).max(1000).default(DEFAULT_MAX_PAGES).describe('Pages read at most'),
    include_paths: z.array(path).max(50).optional().describe('Only pages under these paths (and the start address)'),
    exclude_paths: z.array(path).max(50).optional().describe('Never pages under these paths'),
  })
  .strict();

const pageView = z.object({
  url: z.string(),
  title: z.string().nullable(),
  status: z.enum(['pending', 'indexed', 'unchanged', 'skipped', 'failed']).describe('indexed: read now; unchanged: the same as at the last sync, not read again; skipped / failed: see error'),
  passages: z.number().int(),
  language: z.string().nullable(),
  error: z.string().optional(),
  fetched_at: z.string().nullable(),
});

const sourceView = z.object({
  id: z.string(),
  widget_id: z.string(),
  type: z.enum(['website', 'file']),
  url: z.string().optional(),
  filename: z.string().optional(),
  status: z.enum(['queued', 'running', 'ready', 'failed']),
  pages_done: z.number().int(),
  pages_total: z.number().int(),
  passages: z.number().int(),
  max_pages: z.number().int().optional(),
  include_paths: z.array(z.string()).optional(),
  exclude_paths: z.array(z.string()).optional(),
  last_synced_at: z.string().nullable(),
  error: z.string().optional(),
  created_at: z.string(),
});
const sourceWithPages = sourceView.extend({ pages: z.array(pageView) });
const accepted = z.object({ id: z.string(), status: z.enum(['queued', 'running', 'ready', 'failed']) });

function renderSource(source: KnowledgeSource, counts: SourceCounts | undefined): z.infer<typeof sourceView> {
  return {
    id: source.id,
    widget_id: source.widget_id,
    type: source.type,
    ...(source.url ? { url: source.url } : {}),
    ...(source.filename ? { filename: source.filename } : {}),
    status: source.status,
    pages_done: counts?.pages_done ?? 0,
    pages_total: counts?.pages_total ?? 0,
    passages: counts?.passages ?? 0,
    ...(source.type === 'website' ? { max_pages: source.options.max_pages ?? DEFAULT_MAX_PAGES } : {}),
    ...(source.options.include_paths ? { include_paths: source.options.include_paths } : {}),
    ...(source.options.exclude_paths ? { exclude_paths: source.options.exclude_paths } : {}),
    last_synced_at: source.last_synced_at?.toISOString() ?? null,
    ...(source.error ? { error: source.error } : {}),
    created_at: source.created_at.toISOString(),
  };
}

function renderPage(page: KnowledgePage): z.infer<typeof pageView> {
  return {
    url: page.url,
    title: page.title,
    status: page.status,
    passages: page.passages,
    language: page.language,
    ...(page.error ? { error: page.error } : {}),
    fetched_at: page.fetched_at?.toISOString() ?? null,
  };
}

async function readBody(req: AsyncIterable<unknown>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError('payload_too_large', `the file is larger than ${limit / 1024 / 1024} MB`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sourceRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db, client, taskQueue } = deps;
  const knowledge = deps.knowledge ?? { allowPrivateUrls: false, resyncHours: 168 };

  async function ownSource(auth: AuthState, sourceId: string): Promise<KnowledgeSource> {
    const source = await findSource(db, sourceId, auth.accountId);
    if (!source) throw ApiError.notFound(`source ${sourceId}`);
    return source;
  }

  /** Hands a new source to Temporal; if that fails, the source is not kept half made. */
  async function start(source: KnowledgeSource): Promise<void> {
    try {
      await requestSourceSync(client, taskQueue, source.id);
      if (source.type === 'website') await scheduleSourceResync(client, taskQueue, source.id, knowledge.resyncHours);
    } catch (error) {
      await stopSourceWork(client, source.id).catch(() => undefined);
      await deleteSource(db, source.id);
      throw error;
    }
  }

  routes.add(
    {
      method: 'post',
      path: '/api/widgets/:widgetId/sources',
      tag: 'knowledge',
      summary: 'Teach the widget from a website: its pages are crawled (same origin, robots.txt obeyed, sitemap read) and answered from',
      body: createWebsite,
      responses: {
        202: { description: 'Queued: follow it with GET /api/sources/{id}', schema: accepted },
        422: { description: 'The URL reaches a private or internal address, or does not resolve' },
      },
    },
    async ({ params, body, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      let url: URL;
      try {
        url = await assertSafeWebhookUrl(body.url, { allowPrivate: knowledge.allowPrivateUrls, what: 'website' });
      } catch (error) {
        if (error instanceof UnsafeWebhookUrlError) throw new ApiError('unprocessable', `url: ${error.message}`);
        throw error;
      }
      url.hash = '';
      const source = await createSource(db, {
        id: newId('src'),
        accountId: auth.accountId,
        widgetId: widget.id,
        type: 'website',
        url: url.toString(),
        options: {
          max_pages: body.max_pages,
          ...(body.include_paths ? { include_paths: body.include_paths } : {}),
          ...(body.exclude_paths ? { exclude_paths: body.exclude_paths } : {}),
        },
      });
      await start(source);
      return { status: 202, body: { id: source.id, status: source.status } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/widgets/:widgetId/sources/files',
      tag: 'knowledge',
      summary: 'Teach the widget from a document: the raw bytes of a PDF, DOCX, HTML, Markdown or plain-text file as the body',
      query: z.object({ filename: fileName().describe('The document name, shown as its source') }),
      rawBody: { contentTypes: FILE_TYPES, description: `The document's bytes (at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB); the type may also be told by the file name` },
      responses: {
        202: { description: 'Queued: follow it with GET /api/sources/{id} (a file with no readable text ends failed, with the reason)', schema: accepted },
        413: { description: `Larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` },
        415: { description: 'Not a PDF, DOCX, HTML, Markdown or plain-text document' },
        422: { description: 'An empty file: nothing in it to learn from' },
      },
    },
    async ({ params, query, auth, ctx }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > MAX_UPLOAD_BYTES) throw new ApiError('payload_too_large', `the file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
      const bytes = await readBody(ctx.req, MAX_UPLOAD_BYTES);
      if (bytes.length === 0) throw new ApiError('unprocessable', "the file is empty: there is nothing in it to learn from; send the document's bytes");
      const contentType = ctx.get('content-type') || null;
      if (!documentKind(contentType, query.filename, bytes)) {
        throw new ApiError('unsupported_media_type', `${query.filename} is not a document Caty can read (${contentType ?? 'no type'}); send a PDF, DOCX, HTML, Markdown or plain-text file`);
      }
      const source = await createSource(db, { id: newId('src'), accountId: auth.accountId, widgetId: widget.id, type: 'file', filename: query.filename, contentType, bytes });
      await start(source);
      return { status: 202, body: { id: source.id, status: source.status } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/sources',
      tag: 'knowledge',
      summary: "The widget's knowledge sources with their progress, oldest first",
      responses: { 200: { description: 'Sources', schema: z.object({ sources: z.array(sourceView) }) } },
    },
    async ({ params, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const sources = await listSources(db, widget.id);
      const counts = await sourceCounts(db, sources.map((s) => s.id));
      return { body: { sources: sources.map((s) => renderSource(s, counts.get(s.id))) } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/sources/:sourceId',
      tag: 'knowledge',
      summary: 'A knowledge source, its progress and each page with its status and error',
      responses: { 200: { description: 'The source', schema: sourceWithPages } },
    },
    async ({ params, auth }) => {
      const source = await ownSource(auth, params.sourceId!);
      const [counts, pages] = await Promise.all([sourceCounts(db, [source.id]), sourcePages(db, source.id)]);
      return { body: { ...renderSource(source, counts.get(source.id)), pages: pages.map(renderPage) } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/sources/:sourceId/sync',
      tag: 'knowledge',
      summary: 'Fetch the source again now; pages that have not changed are not read again, pages gone from the site are removed',
      responses: { 202: { description: 'A sync is queued (after the one under way, if any)', schema: accepted } },
    },
    async ({ params, auth }) => {
      const source = await ownSource(auth, params.sourceId!);
      await requestSourceSync(client, taskQueue, source.id);
      return { status: 202, body: { id: source.id, status: source.status } };
    },
  );

  const kb = knowledge.kb ?? new KnowledgeBaseProvider(new KnowledgeIndexCache(), new PassageRetriever(db));

  routes.add(
    {
      method: 'post',
      path: '/api/widgets/:widgetId/knowledge/try',
      tag: 'knowledge',
      summary: "Ask the widget's knowledge base a question as a customer would: the answer and where it came from (a typed entry or a page), or none",
      body: z.object({ question: text(1000), language: languageCode.optional().describe("The customer's language; detected when left out") }).strict(),
      responses: {
        200: {
          description: 'The answer, or `answer: null` when the customer would get the fallback',
          schema: z.object({
            language: z.string(),
            answer: z
              .object({
                text: z.string(),
                language: z.string(),
                source: z.object({ kind: z.enum(['entry', 'passage']), question: z.string().optional(), url: z.string().optional(), title: z.string().optional() }),
              })
              .nullable(),
          }),
        },
      },
    },
    async ({ params, body, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const language = body.language ?? (await detectLanguage(deps.detector, body.question, { previous: null, defaultLanguage: widget.default_language })).language;
      const answer = await kb.answer({ widget: aiProfile(widget), message: body.question, language, history: async () => [] });
      const source = answer?.source;
      return {
        body: {
          language,
          answer:
            answer && source
              ? { text: answer.text, language: answer.language, source: source.kind === 'entry' ? { kind: 'entry' as const, question: source.question } : { kind: 'passage' as const, url: source.url, title: source.title } }
              : null,
        },
      };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/unanswered',
      tag: 'knowledge',
      summary: 'Questions customers asked that got the fallback, grouped by similarity, most asked first: what the knowledge base is missing (a question a typed entry now answers is left out)',
      query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30), limit: z.coerce.number().int().min(1).max(200).default(50) }),
      responses: {
        200: {
          description: 'Groups of similar questions',
          schema: z.object({
            questions: z.array(z.object({ question: z.string(), examples: z.array(z.string()), count: z.number().int(), languages: z.array(z.string()), latest_at: z.string() })),
          }),
        },
      },
    },
    async ({ params, query, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      // A question a typed entry now answers (one added with "Add an answer", say) is no longer missing.
      const entries = kb.indexes.of(aiProfile(widget));
      const groups = await unansweredGroups(db, widget.id, { days: query.days, limit: query.limit * 2 });
      const missing = groups.filter((g) => !entries.best(g.question, g.languages[0] ?? widget.default_language));
      return { body: { questions: missing.slice(0, query.limit) } };
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/sources/:sourceId',
      tag: 'knowledge',
      summary: 'Remove a source: its passages stop answering at once, its crawl and re-sync schedule stop',
      responses: { 204: { description: 'Removed' } },
    },
    async ({ params, auth }) => {
      const source = await ownSource(auth, params.sourceId!);
      await deleteSource(db, source.id);
      // The passages are gone with the commit above; the crawl finds its source gone if this fails.
      await stopSourceWork(client, source.id).catch((error: unknown) => deps.log(error));
      return { status: 204, body: null };
    },
  );
}
