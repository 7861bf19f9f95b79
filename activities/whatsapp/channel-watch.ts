import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { announcementStarted, announceOutages, unstartedAnnouncements, type Announcement } from '../../db/queries/channel-alerts.js';
import type { Database } from '../../db/schema.js';
import { CHANNEL_STATUS_WORKFLOW, channelStatusWorkflowId, type ChannelStatusInput } from '../../workflows/channel-status/definitions.js';

/** An announcement not confirmed started this long after it was made is started again by any process. */
const START_GRACE_MS = 10_000;

export interface AnnouncementDeps {
  db: Kysely<Database>;
  client: Client;
  taskQueue: string;
}

/** Starts the workflow that tells the business (once per announcement, whoever calls), then marks it started. */
export async function startAnnouncement(deps: AnnouncementDeps, announcement: Announcement): Promise<void> {
  try {
    await deps.client.workflow.start(CHANNEL_STATUS_WORKFLOW, {
      workflowId: channelStatusWorkflowId(announcement),
      taskQueue: deps.taskQueue,
      args: [announcement satisfies ChannelStatusInput],
      // Done already is done: a late retry must not tell the business twice.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: `Channel ${announcement.channelId} ${announcement.status}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  await announcementStarted(deps.db, announcement);
}

/**
 * Runs in every process, like the inbox relay: announces numbers that have been away longer than
 * the threshold (WHATSAPP_DISCONNECTED_ALERT_MS), and starts announcements nobody could start
 * (Temporal away, the process gone). Claims are single UPDATEs, so several processes never
 * announce one outage twice.
 */
export class ChannelWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: AnnouncementDeps & { thresholdMs: number; log?: (line: string) => void }) {}

  async tick(): Promise<void> {
    const due = [...(await announceOutages(this.deps.db, this.deps.thresholdMs)), ...(await unstartedAnnouncements(this.deps.db, START_GRACE_MS))];
    for (const announcement of due) {
      // One that cannot be started now stays pending and is claimed again after the grace period.
      await startAnnouncement(this.deps, announcement).catch((error: unknown) => this.deps.log?.(`channel watch: announcement ${channelStatusWorkflowId(announcement)}: ${String(error)}`));
    }
  }

  start(): void {
    const intervalMs = Math.min(5000, Math.max(100, Math.floor(this.deps.thresholdMs / 3)));
    const loop = async () => {
      await this.tick().catch((error: unknown) => this.deps.log?.(`channel watch: ${String(error)}`));
      if (!this.stopped) this.timer = setTimeout(() => (this.running = loop()), intervalMs);
    };
    this.running = loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
