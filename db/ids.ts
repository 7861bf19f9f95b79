import { createHash, randomBytes } from 'node:crypto';

/** Random, URL-safe, prefixed ids: `wgt_3k9...`. The prefix tells what an id names. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** A stable id derived from a natural key, so retries of the same work produce the same row. */
export function stableId(prefix: string, key: string, length = 20): string {
  return `${prefix}_${createHash('sha256').update(key).digest('base64url').slice(0, length)}`;
}
