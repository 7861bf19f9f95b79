import type { Kysely } from 'kysely';
import { closedConversationState, saveClosedConversation } from '../../db/queries/conversations.js';
import type { Database } from '../../db/schema.js';
import type { ResumeState } from '../../workflows/conversation/state.js';

export interface ConversationRunStart {
  /** CATY_CONVERSATION_IDLE_CLOSE as this worker has it, recorded for the run; null: never closes. */
  idleCloseMs: number | null;
  /** What the last closed run kept, for a run that starts a new chain; null otherwise. */
  resumed: ResumeState | null;
}

/** A conversation that closes after a silence, and starts again where it stopped (workflows/conversation/workflow.ts). */
export function createConversationCloseActivities(deps: { db: Kysely<Database>; idleCloseMs: number }) {
  return {
    async startConversationRun(input: { conversationId: string; fresh: boolean }): Promise<ConversationRunStart> {
      const saved = input.fresh ? await closedConversationState(deps.db, input.conversationId) : null;
      return { idleCloseMs: deps.idleCloseMs > 0 ? deps.idleCloseMs : null, resumed: saved as ResumeState | null };
    },

    /** The state is on disk before this returns: the run completes only after. */
    async closeConversationRun(input: { conversationId: string; state: ResumeState }): Promise<void> {
      await saveClosedConversation(deps.db, input.conversationId, input.state as unknown as Record<string, unknown>);
    },
  };
}

export type ConversationCloseActivities = ReturnType<typeof createConversationCloseActivities>;
