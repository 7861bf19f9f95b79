import { heartbeat } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { expirableMedia, markMediaExpired } from '../../db/queries/media.js';
import type { Database } from '../../db/schema.js';
import type { MediaStore } from '../../media/store.js';

const BATCH = 200;
const DAY_MS = 86_400_000;

export function createMediaRetentionActivities(deps: { db: Kysely<Database>; store: MediaStore }) {
  return {
    /** Bytes first, then the mark: a crash between the two deletes nothing twice and leaves nothing behind. */
    async expireMedia(input: { retentionDays: number }): Promise<{ expired: number }> {
      const cutOff = new Date(Date.now() - input.retentionDays * DAY_MS);
      let expired = 0;
      for (;;) {
        const batch = await expirableMedia(deps.db, cutOff, BATCH);
        for (const media of batch) {
          await deps.store.remove(media.id);
          await markMediaExpired(deps.db, media.id);
          expired++;
        }
        heartbeat(expired);
        if (batch.length < BATCH) return { expired };
      }
    },
  };
}

export type MediaRetentionActivities = ReturnType<typeof createMediaRetentionActivities>;
