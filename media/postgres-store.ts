import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { deleteChunks, insertChunk, readChunks } from '../db/queries/media.js';
import type { Database } from '../db/schema.js';
import { pieces, type MediaStore } from './store.js';

/** 512 KiB rows: a 90 MB document is 180 inserts, and a reader holds a few rows at a time. */
export const CHUNK_BYTES = 512 * 1024;
/** Rows fetched per read query. */
const READ_AHEAD = 4;

/** Bytes as ordered rows of `media_chunks`: each insert is committed before the next piece is read. */
export class PostgresMediaStore implements MediaStore {
  readonly name = 'postgres' as const;

  constructor(private readonly db: Kysely<Database>) {}

  async write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<number> {
    let seq = 0;
    let size = 0;
    for await (const piece of pieces(bytes, CHUNK_BYTES)) {
      await insertChunk(this.db, id, seq++, piece);
      size += piece.length;
    }
    return size;
  }

  async read(id: string): Promise<Readable> {
    const db = this.db;
    async function* rows(): AsyncGenerator<Buffer> {
      let next = 0;
      for (;;) {
        const batch = await readChunks(db, id, next, READ_AHEAD);
        for (const row of batch) yield row.data;
        if (batch.length < READ_AHEAD) return;
        next = batch[batch.length - 1]!.seq + 1;
      }
    }
    return Readable.from(rows(), { objectMode: false });
  }

  async remove(id: string): Promise<void> {
    await deleteChunks(this.db, id);
  }
}
