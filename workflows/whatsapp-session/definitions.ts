import { defineSignal } from '@temporalio/workflow';

export const WHATSAPP_SESSION_WORKFLOW = 'whatsappSessionWorkflow';

/** One session workflow per channel: starting it twice finds the running one. */
export function whatsappSessionWorkflowId(channelId: string): string {
  return `whatsapp-session:${channelId}`;
}

export interface WhatsAppSessionInput {
  channelId: string;
  /** How long a silent owner keeps the session before another gateway worker takes it over. */
  heartbeatTimeoutMs: number;
}

export type WhatsAppSessionResult = 'logged_out' | 'replaced';

/** Log the number out and forget its credentials (DELETE /api/whatsapp/channels/:id). */
export const logoutSignal = defineSignal('logout');

/**
 * "Scan again" (POST /api/whatsapp/channels/:id/rescan) while the session still runs: log the
 * device out, forget its credentials, and start over with a fresh QR.
 */
export const rescanSignal = defineSignal('rescan');
