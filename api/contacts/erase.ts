import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import { contactHasConversations, contactMedia, eraseContactRows, recordErasure, type ContactScope, type ErasedCounts } from '../../db/queries/contacts.js';
import type { Database } from '../../db/schema.js';
import { listWebhooks } from '../../db/queries/webhooks.js';
import type { MediaStore } from '../../media/store.js';
import { webhookDeliveryWorkflowId } from '../../workflows/webhooks/signals.js';
import { conversationIdFor } from '../../inbound/conversation.js';

/** Passes an erasure makes at most: a message that arrived during one starts a conversation the next erases. */
const PASSES = 3;
/** gRPC's NOT_FOUND: a run deleted already. */
const NOT_FOUND = 5;
const FOREIGN_KEY_VIOLATION = '23503';

export interface Erasure {
  id: string;
  at: Date;
  removed: ErasedCounts & { media_files: number; workflow_executions: number };
}

export interface ErasureDeps {
  db: Kysely<Database>;
  client: Client;
  store: MediaStore;
}

/**
 * Erases a contact everywhere: their conversations' workflows are terminated (nothing of theirs is
 * being written any more), their files' bytes removed, every row about them deleted in one
 * transaction, and their Temporal executions deleted through the workflow service (histories
 * included). A message from them that arrives meanwhile starts a new conversation, which the next
 * pass erases; one arriving afterwards starts from nothing. Asked for twice, the second finds
 * nothing. The audit record says how much went, not about whom.
 */
export async function eraseContact(deps: ErasureDeps, scope: ContactScope): Promise<Erasure> {
  const total: Erasure['removed'] = { ...zeroCounts(), media_files: 0, workflow_executions: 0 };
  const webhooks = await listWebhooks(deps.db, scope.widgetId);
  // A conversation's webhook deliveries run in a workflow of their own, with the events' bodies in its history.
  const workflowIds = [...scope.workflowIds, ...scope.workflowIds.flatMap((id) => webhooks.map((w) => webhookDeliveryWorkflowId(w.id, conversationIdFor(id))))];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const id of workflowIds) await terminate(deps.client, id);
    const media = await contactMedia(deps.db, scope);
    // Bytes first: rows left by a failure here are found and erased again on the next request.
    for (const id of media) await deps.store.remove(id);
    let counts: ErasedCounts;
    try {
      counts = await eraseContactRows(deps.db, scope, media);
    } catch (error) {
      // A row written for them meanwhile by work already under way (a foreign key then refuses
      // the delete): the transaction took nothing, the next pass takes it all.
      if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION || pass === PASSES - 1) throw error;
      continue;
    }
    for (const [table, n] of Object.entries(counts) as [keyof ErasedCounts, number][]) total[table] += n;
    total.media_files += media.length;
    total.workflow_executions += await deleteAll(deps.client, workflowIds);
    if (!(await contactHasConversations(deps.db, scope))) break;
  }
  const recorded = await recordErasure(deps.db, { id: newId('era'), accountId: scope.accountId, widgetId: scope.widgetId, removed: total });
  return { id: recorded.id, at: recorded.at, removed: total };
}

function zeroCounts(): ErasedCounts {
  return {
    conversations: 0,
    messages: 0,
    media: 0,
    leads: 0,
    conversation_events: 0,
    webhook_events: 0,
    webhook_deliveries: 0,
    inbox: 0,
    whatsapp_sent: 0,
    whatsapp_menus: 0,
    sandbox_outbox: 0,
    live_events: 0,
    unanswered_questions: 0,
    agent_sends: 0,
  };
}

async function terminate(client: Client, workflowId: string): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).terminate('the contact asked for their data to be erased');
  } catch (error) {
    // Not running (never started, completed, or terminated by an earlier pass): nothing to stop.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/**
 * Asks Temporal to delete every run of the executions. The server deletes them a little later
 * (half a minute on the dev server), histories and visibility records alike; asking again for a
 * run already being deleted is harmless, so a repeated erasure may ask again.
 */
async function deleteAll(client: Client, workflowIds: string[]): Promise<number> {
  let deleted = 0;
  for (const id of workflowIds) deleted += (await deleteExecutions(client, id)).length;
  return deleted;
}

/** Deletes every run of the workflow id (each continue-as-new is one); returns how many. */
async function deleteExecutions(client: Client, workflowId: string): Promise<string[]> {
  const runs = new Set<string>();
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId.replace(/'/g, "\\'")}'` })) runs.add(execution.runId);
  // The latest run too, in case visibility has not caught up with it yet.
  try {
    runs.add((await client.workflow.getHandle(workflowId).describe()).runId);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const deleted: string[] = [];
  for (const runId of runs) {
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId, runId } });
      deleted.push(runId);
    } catch (error) {
      if ((error as { code?: number }).code !== NOT_FOUND) throw error;
    }
  }
  return deleted;
}
