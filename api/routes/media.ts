import { z } from 'zod';
import { findOwnMedia } from '../../db/queries/media.js';
import type { MediaRow } from '../../db/schema.js';
import { MediaExpiredError, MediaTooLargeError, MediaTypeError } from '../../media/errors.js';
import { baseMimeType, MEDIA_TYPES } from '../../media/kinds.js';
import type { MediaLibrary, SaveMedia } from '../../media/library.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteInput, RouteRegistry } from '../route-registry.js';
import { fileName, text } from '../schemas.js';
import { splitMessage, type outboundMessage } from '../rich-message.js';
import type { RichContent } from '../../workflows/conversation/domain.js';
import type { MediaRef } from '../../workflows/conversation/signals.js';

/** An upload stored, or refused with the status the contract names: 413 past the limit, 415 for a wrong type. */
export async function storeUpload(library: MediaLibrary, input: SaveMedia): Promise<MediaRow> {
  try {
    return await library.save(input);
  } catch (error) {
    if (error instanceof MediaTooLargeError) throw new ApiError('payload_too_large', error.message, { limit_bytes: error.limit });
    if (error instanceof MediaTypeError) throw new ApiError('unsupported_media_type', error.message);
    throw error;
  }
}

/**
 * A raw request body as an upload: refused before a byte is read when its Content-Length is past
 * the limit, and as soon as the limit is crossed otherwise. A refused body is drained, so the
 * client reads the answer instead of a reset connection, and the connection is closed after it.
 */
export async function storeRequestBody(ctx: RouteInput<unknown, unknown>['ctx'], library: MediaLibrary, input: Omit<SaveMedia, 'bytes' | 'mimeType' | 'declaredSize' | 'sniff'>): Promise<MediaRow> {
  const mimeType = ctx.get('content-type');
  if (!mimeType) throw new ApiError('unsupported_media_type', 'send the file with its Content-Type (image/jpeg, application/pdf, audio/ogg...)');
  const declared = ctx.get('content-length');
  try {
    return await storeUpload(library, { ...input, mimeType, sniff: true, bytes: ctx.req, ...(declared ? { declaredSize: Number(declared) } : {}) });
  } catch (error) {
    if (!ctx.req.readableEnded) {
      ctx.set('Connection', 'close');
      ctx.req.resume();
    }
    throw error;
  }
}

/** The bytes of a file, streamed, with its type; an expired one answers 410. */
export async function serveMedia(ctx: RouteInput<unknown, unknown>['ctx'], library: MediaLibrary, row: MediaRow): Promise<{ body: unknown; type: string }> {
  try {
    const stream = await library.open(row);
    ctx.set('Content-Length', String(row.size));
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('X-Content-Type-Options', 'nosniff');
    const name = (row.filename ?? row.id).replace(/["\\\r\n]/g, '_');
    ctx.set('Content-Disposition', `${row.kind === 'document' ? 'attachment' : 'inline'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`);
    return { body: stream, type: row.mime_type };
  } catch (error) {
    if (error instanceof MediaExpiredError) throw new ApiError('gone', error.message);
    throw error;
  }
}

/** A file named in a message to send: the account's own, with its bytes still kept. */
export async function outgoingMedia(db: ApiDeps['db'], accountId: string, id: string): Promise<MediaRef> {
  const row = await findOwnMedia(db, id, { accountId });
  if (!row) throw ApiError.notFound(`media ${id}`);
  if (row.status !== 'ready') throw new ApiError('unprocessable', `media ${id} has expired; upload it again`);
  return { id: row.id, kind: row.kind, ...(row.voice ? { voice: true } : {}) };
}

/** A message's text, buttons or list, and its file resolved to what the conversation carries. */
export async function messageToSend(db: ApiDeps['db'], accountId: string, message: z.infer<typeof outboundMessage>): Promise<{ text: string; rich: RichContent | null; media?: MediaRef }> {
  const { media, ...rest } = splitMessage(message);
  return media ? { ...rest, media: await outgoingMedia(db, accountId, media.id) } : rest;
}

const uploaded = z.object({ id: z.string(), kind: z.string(), mime_type: z.string(), size: z.number().int() });

export function mediaRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/media',
      tag: 'media',
      summary: "Upload a file to send on WhatsApp (the raw bytes, with their Content-Type); then send it with `message: {media: {id}, text?}`",
      query: z.object({ filename: fileName().optional().describe('the name a document is shown with') }),
      rawBody: { contentTypes: Object.keys(MEDIA_TYPES), description: "WhatsApp's limits: image 5 MB, audio and video 16 MB, document 100 MB, sticker (WebP) 500 KB" },
      responses: {
        201: { description: 'Stored', schema: uploaded },
        413: { description: "Larger than WhatsApp carries for its kind (decided while it streams, not after)" },
        415: { description: 'A type WhatsApp cannot carry, or bytes that are not what Content-Type says' },
      },
    },
    async ({ ctx, query, auth }) => {
      const row = await storeRequestBody(ctx, deps.media, { accountId: auth.accountId, filename: query.filename ?? null, voice: baseMimeType(ctx.get('content-type')) === 'audio/ogg' });
      return { status: 201, body: { id: row.id, kind: row.kind, mime_type: row.mime_type, size: Number(row.size) } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/media/:mediaId',
      tag: 'media',
      summary: 'The bytes of a file (sent or received), with its type',
      responses: {
        200: { description: 'The file, with the type it was stored with', contentType: '*/*' },
        410: { description: 'Its bytes were deleted after CATY_MEDIA_RETENTION_DAYS (the message keeps its description)' },
      },
    },
    async ({ ctx, params, auth }) => {
      const row = await findOwnMedia(deps.db, params.mediaId!, { accountId: auth.accountId });
      if (!row) throw ApiError.notFound(`media ${params.mediaId}`);
      return serveMedia(ctx, deps.media, row);
    },
  );
}
