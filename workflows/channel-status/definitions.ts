import type { Announcement } from '../../db/queries/channel-alerts.js';

export const CHANNEL_STATUS_WORKFLOW = 'channelStatusWorkflow';

/** One workflow per announcement: starting it again (a retry, another process) finds the same one. */
export function channelStatusWorkflowId(announcement: Pick<Announcement, 'channelId' | 'seq'>): string {
  return `channel-status:${announcement.channelId}:${announcement.seq}`;
}

export type ChannelStatusInput = Announcement;
