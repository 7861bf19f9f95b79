import type { Readable } from 'node:stream';

/**
 * Where the bytes of media live. One interface, two stores: PostgreSQL (the default: every
 * process reaches it) and S3-compatible object storage. Both stream: a file is written as it
 * arrives and read as it is sent, never held whole in memory.
 */
export interface MediaStore {
  readonly name: 'postgres' | 's3';
  /** Stores the bytes as they come; resolves with their count once they are durable. */
  write(id: string, bytes: AsyncIterable<Uint8Array>, mimeType: string): Promise<number>;
  /** The bytes, as a stream. */
  read(id: string): Promise<Readable>;
  /** Forgets the bytes (a file that failed half-way, or one past retention); absent ones are fine. */
  remove(id: string): Promise<void>;
}

/**
 * Re-cuts a stream into pieces of exactly `size` bytes (the last one shorter), holding at most one
 * piece and one incoming chunk at a time.
 */
export async function* pieces(bytes: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of bytes) {
    let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (heldBytes + rest.length >= size) {
      const take = size - heldBytes;
      held.push(rest.subarray(0, take));
      yield Buffer.concat(held, size);
      held = [];
      heldBytes = 0;
      rest = rest.subarray(take);
    }
    if (rest.length > 0) {
      // Copied: the caller may reuse the chunk's memory once we ask for the next one.
      held.push(Buffer.from(rest));
      heldBytes += rest.length;
    }
  }
  if (heldBytes > 0) yield Buffer.concat(held, heldBytes);
}
