import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import { MEDIA_RETENTION_SCHEDULE, MEDIA_RETENTION_WORKFLOW } from '../workflows/media/retention.js';

/**
 * The daily media retention run: one Temporal schedule per deployment, created by the first
 * worker and kept at the configured retention by every worker that starts.
 */
export async function ensureMediaRetentionSchedule(client: Client, taskQueue: string, retentionDays: number): Promise<void> {
  const action = { type: 'startWorkflow' as const, workflowType: MEDIA_RETENTION_WORKFLOW, taskQueue, args: [{ retentionDays }] };
  try {
    await client.schedule.create({
      scheduleId: MEDIA_RETENTION_SCHEDULE,
      spec: { intervals: [{ every: '1d' }] },
      action,
      policies: { overlap: 'SKIP', catchupWindow: '1d' },
      memo: { about: `Deletes media bytes older than ${retentionDays} days (CATY_MEDIA_RETENTION_DAYS)` },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(MEDIA_RETENTION_SCHEDULE).update((previous) => ({ ...previous, action: { ...action, workflowId: previous.action.workflowId } }));
  }
}
