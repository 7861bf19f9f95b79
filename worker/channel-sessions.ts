import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { recordChannelStatus } from '../activities/whatsapp/channel-events.js';
import type { ChannelSessions } from '../api/deps.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/schema.js';
import { logoutSignal, rescanSignal, WHATSAPP_SESSION_WORKFLOW, whatsappSessionWorkflowId, type WhatsAppSessionInput } from '../workflows/whatsapp-session/definitions.js';

/**
 * Deletes a channel's stored WhatsApp login. Its module comes with Baileys (about 80 MB of RSS),
 * which the API, the only other caller of these sessions, otherwise never needs: loaded here on
 * the rare rescan or logout of a channel whose session no longer runs.
 */
async function forgetLogin(db: Kysely<Database>, channelId: string): Promise<void> {
  const { clearAuthState } = await import('../activities/whatsapp/baileys/auth-store.js');
  await clearAuthState(db, channelId);
}

/** Starts and stops sessions through their workflows; what the API calls. */
export function createChannelSessions(deps: { client: Client; db: Kysely<Database>; config: Config }): ChannelSessions {
  const { client, db, config } = deps;
  const sessions: ChannelSessions = {
    async rescan(channelId) {
      try {
        // A session still running logs its device out, forgets it and starts over (its workflow does it).
        await client.workflow.getHandle(whatsappSessionWorkflowId(channelId)).signal(rescanSignal);
        return;
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      // None runs (logged out, or replaced by another client): a new one, without the old login.
      await forgetLogin(db, channelId);
      await sessions.start(channelId);
    },
    async start(channelId) {
      const input: WhatsAppSessionInput = { channelId, heartbeatTimeoutMs: config.WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS };
      await client.workflow.start(WHATSAPP_SESSION_WORKFLOW, {
        workflowId: whatsappSessionWorkflowId(channelId),
        taskQueue: config.WHATSAPP_SESSION_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        staticSummary: `WhatsApp session of channel ${channelId}`,
      });
    },
    async logout(channelId) {
      try {
        await client.workflow.getHandle(whatsappSessionWorkflowId(channelId)).signal(logoutSignal);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // No session is running (it already ended): there is no socket to unlink, only data to forget.
        await forgetLogin(db, channelId);
        await recordChannelStatus(db, channelId, { status: 'logged_out', qr: null }, { db, client, taskQueue: config.TEMPORAL_TASK_QUEUE });
      }
    },
  };
  return sessions;
}
