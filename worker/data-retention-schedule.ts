import type { Client } from '@temporalio/client';
import type { Config } from '../config/index.js';
import { DATA_RETENTION_SCHEDULE, DATA_RETENTION_WORKFLOW, type RetentionPolicy } from '../workflows/lifecycle/retention.js';
import { ensureSchedule } from './ensure-schedule.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long each table keeps its rows, from the CATY_*_RETENTION_* settings. */
export function retentionPolicy(config: Config): RetentionPolicy {
  return {
    live_events: config.CATY_LIVE_EVENTS_RETENTION_HOURS * HOUR_MS,
    inbox: config.CATY_INBOX_RETENTION_DAYS * DAY_MS,
    // Deliveries before their events: an event goes once no delivery refers to it.
    webhook_deliveries: config.CATY_WEBHOOK_RETENTION_DAYS * DAY_MS,
    events: config.CATY_WEBHOOK_RETENTION_DAYS * DAY_MS,
    conversation_events: config.CATY_CONVERSATION_EVENTS_RETENTION_DAYS * DAY_MS,
    idempotency_keys: config.CATY_IDEMPOTENCY_RETENTION_DAYS * DAY_MS,
    whatsapp_sent: config.CATY_SENT_RETENTION_DAYS * DAY_MS,
    agent_sends: config.CATY_SENT_RETENTION_DAYS * DAY_MS,
    sandbox_outbox: config.CATY_SANDBOX_OUTBOX_RETENTION_DAYS * DAY_MS,
    // Kept unless the business sets a number of days.
    ...(config.CATY_MESSAGE_RETENTION_DAYS !== undefined ? { messages: config.CATY_MESSAGE_RETENTION_DAYS * DAY_MS } : {}),
  };
}

/** The hourly run that prunes every growing table (workflows/lifecycle/retention.ts). */
export async function ensureDataRetentionSchedule(client: Client, config: Config): Promise<void> {
  await ensureSchedule(client, {
    name: DATA_RETENTION_SCHEDULE,
    every: '1h',
    workflowType: DATA_RETENTION_WORKFLOW,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    args: [{ policy: retentionPolicy(config) }],
    about: 'Deletes rows older than the CATY_*_RETENTION_* settings keep them',
  });
}
