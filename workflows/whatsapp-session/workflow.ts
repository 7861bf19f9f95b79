import { ActivityCancellationType, CancellationScope, condition, continueAsNew, isCancellation, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { GatewayActivities, RunSessionResult } from '../../activities/whatsapp/baileys/session-activity.js';
import { logoutSignal, rescanSignal, type WhatsAppSessionInput, type WhatsAppSessionResult } from './definitions.js';

/**
 * Keeps one baileys channel connected. The session activity holds the socket on whichever gateway
 * worker picked it up and heartbeats; if that worker dies, the heartbeat timeout fails the attempt
 * and the retry lands on another worker. The workflow ends when the number is logged out or another
 * client took the account over.
 */
export async function whatsappSessionWorkflow(input: WhatsAppSessionInput): Promise<WhatsAppSessionResult> {
  let logoutRequested = false;
  let rescanRequested = false;
  setHandler(logoutSignal, () => {
    logoutRequested = true;
  });
  setHandler(rescanSignal, () => {
    rescanRequested = true;
  });

  const { runWhatsAppSession } = proxyActivities<GatewayActivities>({
    // The session runs until it ends; the heartbeat, not this, is what detects a dead worker.
    startToCloseTimeout: '3650 days',
    heartbeatTimeout: input.heartbeatTimeoutMs,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', nonRetryableErrorTypes: ['ChannelGone'] },
  });
  const { clearWhatsAppSession } = proxyActivities<GatewayActivities>({
    startToCloseTimeout: '30s',
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });

  const scope = new CancellationScope();
  let result: RunSessionResult | undefined;
  let failure: unknown;
  const running = scope.run(() => runWhatsAppSession({ channelId: input.channelId })).then(
    (r) => void (result = r),
    (e: unknown) => void (failure = e),
  );
  await condition(() => logoutRequested || rescanRequested || result !== undefined || failure !== undefined);
  if ((logoutRequested || rescanRequested) && result === undefined && failure === undefined) {
    scope.cancel();
    await running;
  }
  // Histories from before the rescan signal never have one, so they never reach this.
  if (rescanRequested && !logoutRequested && patched('whatsapp-session-rescan')) {
    await clearWhatsAppSession({ channelId: input.channelId });
    await continueAsNew<typeof whatsappSessionWorkflow>(input);
  }
  if (failure !== undefined && !logoutRequested && !isCancellation(failure)) throw failure;
  if (logoutRequested || result === 'logged_out') {
    await clearWhatsAppSession({ channelId: input.channelId });
    return 'logged_out';
  }
  return 'replaced';
}
