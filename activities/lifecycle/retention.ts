import { heartbeat } from '@temporalio/activity';
import type { Kysely } from 'kysely';
import { forgetMedia } from '../../db/queries/media.js';
import { deleteOldMessages, deleteOldRows, type RetentionTable } from '../../db/queries/retention.js';
import type { Database } from '../../db/schema.js';
import type { MediaStore } from '../../media/store.js';
import { retentionRowsDeleted } from '../../observability/metrics.js';

const BATCH = 1000;

export interface PruneInput {
  table: RetentionTable;
  /** Rows older than this many milliseconds are deleted. */
  keepMs: number;
}

export function createRetentionActivities(deps: { db: Kysely<Database>; store: MediaStore }) {
  return {
    /**
     * Deletes a table's rows older than `keepMs`, a batch at a time, until none is left. Each batch
     * is committed on its own, so a retried attempt only finds what the last one did not delete.
     */
    async pruneTable(input: PruneInput): Promise<{ deleted: number }> {
      const cutOff = new Date(Date.now() - input.keepMs);
      let deleted = 0;
      for (;;) {
        let batch: number;
        if (input.table === 'messages') {
          const result = await deleteOldMessages(deps.db, cutOff, BATCH);
          // Bytes first, then the row: a crash between the two leaves a row whose bytes are gone,
          // which the next run deletes, never bytes nobody can find.
          for (const id of result.orphanedMedia) {
            await deps.store.remove(id);
            await forgetMedia(deps.db, id);
          }
          batch = result.deleted;
        } else {
          batch = await deleteOldRows(deps.db, input.table, cutOff, BATCH);
        }
        deleted += batch;
        retentionRowsDeleted.inc({ table: input.table }, batch);
        heartbeat(deleted);
        if (batch < BATCH) return { deleted };
      }
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
