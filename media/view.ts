import type { Kysely } from 'kysely';
import { findMediaMany } from '../db/queries/media.js';
import type { Database, MediaRow } from '../db/schema.js';
import type { SharedContact, SharedLocation } from '../workflows/conversation/domain.js';
import { describeMedia, type MediaDescriptor } from './library.js';

/** What a stored message carries besides its text, as every view shows it (DESIGN §11). */
export interface AttachmentView {
  media?: MediaDescriptor;
  location?: SharedLocation;
  contact?: SharedContact;
}

interface AttachmentColumns {
  media_id: string | null;
  location: SharedLocation | null;
  contact: SharedContact | null;
  transcript: string | null;
}

export function attachmentView(row: AttachmentColumns, media: ReadonlyMap<string, MediaRow>): AttachmentView {
  const file = row.media_id ? media.get(row.media_id) : undefined;
  return {
    ...(file ? { media: describeMedia(file, row.transcript) } : {}),
    ...(row.location ? { location: row.location } : {}),
    ...(row.contact ? { contact: row.contact } : {}),
  };
}

/** The files of some messages, by id, in one query (none when they carry none). */
export async function mediaOf(db: Kysely<Database>, rows: { media_id: string | null }[]): Promise<Map<string, MediaRow>> {
  const ids = [...new Set(rows.map((r) => r.media_id).filter((id): id is string => id !== null))];
  return new Map((await findMediaMany(db, ids)).map((m) => [m.id, m]));
}
