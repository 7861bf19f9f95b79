import type { Client } from '@temporalio/client';
import { MEDIA_RETENTION_SCHEDULE, MEDIA_RETENTION_WORKFLOW } from '../workflows/media/retention.js';
import { ensureSchedule } from './ensure-schedule.js';

/** The daily media retention run, kept at the configured retention by every worker that starts. */
export async function ensureMediaRetentionSchedule(client: Client, taskQueue: string, retentionDays: number): Promise<void> {
  await ensureSchedule(client, {
    name: MEDIA_RETENTION_SCHEDULE,
    every: '1d',
    workflowType: MEDIA_RETENTION_WORKFLOW,
    taskQueue,
    args: [{ retentionDays }],
    about: `Deletes media bytes older than ${retentionDays} days (CATY_MEDIA_RETENTION_DAYS)`,
  });
}
