import { proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../../activities/lifecycle/retention.js';
import type { RetentionTable } from '../../db/queries/retention.js';

export const DATA_RETENTION_WORKFLOW = 'dataRetentionWorkflow';
/** One schedule per deployment: its id is this name and the deployment's task queue (worker/ensure-schedule.ts). */
export const DATA_RETENTION_SCHEDULE = 'caty-data-retention';

/** How long each table keeps its rows (ms); a table left out is kept for ever. */
export type RetentionPolicy = Partial<Record<RetentionTable, number>>;

const { pruneTable } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: { initialInterval: '10s', maximumInterval: '5m', maximumAttempts: 10 },
});

/**
 * Deletes what each table keeps no longer. The policy arrives as the schedule's argument (every
 * worker that starts sets it from its configuration), so a run does what was recorded.
 */
export async function dataRetentionWorkflow(input: { policy: RetentionPolicy }): Promise<Partial<Record<RetentionTable, number>>> {
  const deleted: Partial<Record<RetentionTable, number>> = {};
  // Deliveries before their events: an event goes once nothing refers to it.
  for (const [table, keepMs] of Object.entries(input.policy) as [RetentionTable, number][]) {
    deleted[table] = (await pruneTable({ table, keepMs })).deleted;
  }
  return deleted;
}
