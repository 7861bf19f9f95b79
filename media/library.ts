import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { newId } from '../db/ids.js';
import { deleteMedia, findMedia, insertMedia, markMediaExpired, markMediaReady } from '../db/queries/media.js';
import type { Database, MediaRow } from '../db/schema.js';
import type { MediaKind } from '../workflows/conversation/domain.js';
import { MediaExpiredError, MediaTooLargeError, MediaTypeError } from './errors.js';
import { baseMimeType, kindOf, MEDIA_LIMITS } from './kinds.js';
import { matchesType, SNIFF_BYTES } from './sniff.js';
import type { MediaStore } from './store.js';

/** A file as messages, webhooks and the API describe it (DESIGN §11). */
export interface MediaDescriptor {
  id: string;
  kind: MediaKind;
  mime_type: string;
  size: number;
  filename?: string;
  voice?: true;
  duration_s?: number;
  transcript?: string;
  /** Its bytes were deleted after the retention period; the description stays. */
  expired?: true;
}

export function describeMedia(row: MediaRow, transcript?: string | null): MediaDescriptor {
  const words = transcript ?? row.transcript;
  return {
    id: row.id,
    kind: row.kind,
    mime_type: row.mime_type,
    size: Number(row.size),
    ...(row.filename ? { filename: row.filename } : {}),
    ...(row.voice ? { voice: true as const } : {}),
    ...(row.duration_s !== null ? { duration_s: row.duration_s } : {}),
    ...(words ? { transcript: words } : {}),
    ...(row.status === 'expired' ? { expired: true as const } : {}),
  };
}

export interface SaveMedia {
  /** A stable id for work that may be retried (a received message's file); a new one otherwise. */
  id?: string;
  accountId: string;
  visitor?: string | null;
  mimeType: string;
  /** Received files say what they are; uploads are typed by their MIME type. */
  kind?: MediaKind;
  filename?: string | null;
  voice?: boolean;
  durationS?: number | null;
  /** A tighter limit than WhatsApp's for the kind (a web visitor's 10 MB). */
  limit?: number;
  /** The size the sender announced (Content-Length), refused before a byte is read when too large. */
  declaredSize?: number;
  /** Check the first bytes against the type (uploads); files WhatsApp delivered are taken as they are. */
  sniff: boolean;
  bytes: AsyncIterable<Uint8Array>;
}

/**
 * Counts and checks bytes while they stream to the store: the first ones against the declared
 * type, the total against the limit. Either failure stops the stream at once, so a file past its
 * limit is refused when its limit is crossed, not after it was read whole.
 */
async function* checked(bytes: AsyncIterable<Uint8Array>, options: { limit: number; kind: MediaKind; mimeType: string; sniff: boolean }): AsyncGenerator<Uint8Array> {
  let size = 0;
  let head: Buffer | null = options.sniff ? Buffer.alloc(0) : null;
  const check = (final: boolean) => {
    if (head && (head.length >= SNIFF_BYTES || final)) {
      if (!matchesType(options.mimeType, head)) throw new MediaTypeError(`the bytes are not ${baseMimeType(options.mimeType)}, as Content-Type says`);
      head = null;
    }
  };
  const held: Uint8Array[] = [];
  for await (const chunk of bytes) {
    size += chunk.byteLength;
    if (size > options.limit) throw new MediaTooLargeError(options.limit, options.kind);
    if (head) {
      head = Buffer.concat([head, chunk]);
      held.push(chunk);
      check(false);
      if (head) continue;
      yield* held.splice(0);
      continue;
    }
    yield chunk;
  }
  if (size === 0) throw new MediaTypeError('the file is empty');
  check(true);
  yield* held;
}

/**
 * Media as the rest of the service uses it: a row that describes the file, and its bytes in the
 * configured store. Bytes are stored by the process that receives them; everything else passes
 * the id.
 */
export class MediaLibrary {
  constructor(
    readonly db: Kysely<Database>,
    readonly store: MediaStore,
  ) {}

  /** The kind an upload of this type is sent as; a type WhatsApp cannot carry is refused. */
  static uploadKind(mimeType: string): MediaKind {
    const kind = kindOf(mimeType);
    if (!kind) throw new MediaTypeError(`WhatsApp cannot carry ${baseMimeType(mimeType) || 'files without a Content-Type'}; send JPEG, PNG, MP4, 3GP, OGG/Opus, MP3, AAC, AMR, M4A, PDF, plain text or an Office document`);
    return kind;
  }

  /** Stores a file; a stable id already stored is returned as it is (the bytes are not read). */
  async save(input: SaveMedia): Promise<MediaRow> {
    const kind = input.kind ?? MediaLibrary.uploadKind(input.mimeType);
    const limit = Math.min(MEDIA_LIMITS[kind], input.limit ?? Infinity);
    if (input.declaredSize !== undefined && input.declaredSize > limit) throw new MediaTooLargeError(limit, kind);
    const { row, inserted } = await insertMedia(this.db, {
      id: input.id ?? newId('med', 16),
      account_id: input.accountId,
      visitor: input.visitor ?? null,
      kind,
      mime_type: input.mimeType.trim().toLowerCase(),
      filename: input.filename ?? null,
      voice: input.voice ?? false,
      duration_s: input.durationS ?? null,
      transcript: null,
      store: this.store.name,
    });
    if (!inserted && row.status !== 'pending') return row;
    try {
      const size = await this.store.write(row.id, checked(input.bytes, { limit, kind, mimeType: input.mimeType, sniff: input.sniff }), row.mime_type);
      return await markMediaReady(this.db, row.id, size);
    } catch (error) {
      await this.store.remove(row.id).catch(() => undefined);
      await deleteMedia(this.db, row.id).catch(() => undefined);
      throw error;
    }
  }

  /** A file that could never be fetched: described, without bytes (it reads as expired). */
  async recordUnavailable(input: Omit<SaveMedia, 'bytes' | 'sniff'> & { id: string; kind: MediaKind }): Promise<void> {
    await insertMedia(this.db, {
      id: input.id,
      account_id: input.accountId,
      visitor: input.visitor ?? null,
      kind: input.kind,
      mime_type: input.mimeType,
      filename: input.filename ?? null,
      voice: input.voice ?? false,
      duration_s: input.durationS ?? null,
      transcript: null,
      store: this.store.name,
    });
    await this.store.remove(input.id).catch(() => undefined);
    await markMediaExpired(this.db, input.id);
  }

  find(id: string): Promise<MediaRow | undefined> {
    return findMedia(this.db, id);
  }

  /** The bytes of a stored file; an expired one says so. */
  async open(row: MediaRow): Promise<Readable> {
    if (row.status === 'expired') throw new MediaExpiredError(row.id);
    if (row.status !== 'ready') throw new MediaExpiredError(row.id);
    return this.store.read(row.id);
  }

  /** The whole file, for the few places that need it at once (a photo for a vision model, a voice note to transcribe: both a few MB at most). */
  async readAll(row: MediaRow): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(row)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
