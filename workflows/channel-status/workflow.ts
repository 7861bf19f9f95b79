import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import type { ChannelAlertActivities } from '../../activities/whatsapp/channel-alerts.js';
import type { EventActivities } from '../../activities/webhooks/emit-event.js';
import type { SessionActivities } from '../../activities/whatsapp/session-activities.js';
import { sessionTaskQueue } from '../conversation/session-queue.js';
import { businessMessage } from '../i18n/business.js';
import type { ChannelStatusInput } from './definitions.js';

const { channelAlertRoute, emitEvent } = proxyActivities<ChannelAlertActivities & EventActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** An alert that cannot go out within this (the sending number offline too) is given up: the banner and the webhook remain. */
const ALERT_TIMEOUT = '1h';

/**
 * Tells the business of one announcement (db/queries/channel-alerts.ts): one
 * `channel.status_changed` event for each widget the number was linked to then and, when it is
 * down, a WhatsApp alert to each widget's alert phone from another connected number of the same
 * account, if there is one. Every id is derived from the announcement, so a retry does nothing twice.
 */
export async function channelStatusWorkflow(input: ChannelStatusInput): Promise<void> {
  const route = await channelAlertRoute({ channelId: input.channelId, widgetIds: input.widgetIds });
  if (!route) return;
  const data = {
    channel_id: input.channelId,
    provider: route.provider,
    previous_status: input.previousStatus,
    status: input.status,
    phone: route.phone,
    ...(input.downSince && input.status !== 'connected' ? { since: input.downSince } : {}),
  };
  for (const recipient of route.recipients) {
    await emitEvent({ id: `evt_chst_${input.channelId}_${input.seq}_${recipient.widgetId}`, widgetId: recipient.widgetId, event: 'channel.status_changed', data });
  }
  if (input.status === 'connected' || route.removed || !route.sender) return;

  const queue = sessionTaskQueue(route.sender.provider, route.sender.channelId);
  const { sendWhatsAppMessage } = proxyActivities<SessionActivities>({
    ...(queue ? { taskQueue: queue } : {}),
    startToCloseTimeout: '60s',
    scheduleToCloseTimeout: ALERT_TIMEOUT,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
  });
  const minutes = String(Math.max(1, Math.round((Date.now() - (input.downSince ? Date.parse(input.downSince) : Date.now())) / 60_000)));
  for (const recipient of route.recipients) {
    if (!recipient.alertPhone || recipient.alertPhone === route.phone) continue;
    const text = businessMessage(input.status === 'logged_out' ? 'channelLoggedOut' : 'channelDisconnected', recipient.language, { phone: route.phone ?? '', minutes });
    try {
      await sendWhatsAppMessage({ channelId: route.sender.channelId, to: recipient.alertPhone, text, idempotencyKey: `channel-alert:${input.channelId}:${input.seq}:${recipient.widgetId}`, author: 'system' });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('channel alert not sent', { channelId: input.channelId, to: recipient.alertPhone, error: error.cause?.message ?? error.message });
    }
  }
}
