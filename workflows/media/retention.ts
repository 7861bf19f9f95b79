import { proxyActivities } from '@temporalio/workflow';
import type { MediaRetentionActivities } from '../../activities/media/retention.js';

export const MEDIA_RETENTION_WORKFLOW = 'mediaRetentionWorkflow';
/** One schedule per deployment: its id is this name and the deployment's task queue (worker/ensure-schedule.ts). */
export const MEDIA_RETENTION_SCHEDULE = 'caty-media-retention';

const { expireMedia } = proxyActivities<MediaRetentionActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '10s', maximumInterval: '5m', maximumAttempts: 10 },
});

/** Deletes the bytes of media older than the retention period; their messages keep the description. */
export async function mediaRetentionWorkflow(input: { retentionDays: number }): Promise<{ expired: number }> {
  return expireMedia(input);
}
