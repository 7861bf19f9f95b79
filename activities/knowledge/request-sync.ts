import { ScheduleNotFoundError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { knowledgeScheduleId, knowledgeSourceWorkflowId, syncSourceSignal, type KnowledgeSourceInput } from '../../workflows/knowledge/definitions.js';

/** Starts a sync of the source, or queues one after the sync under way; durable in Temporal when this resolves. */
export async function requestSourceSync(client: Client, taskQueue: string, sourceId: string): Promise<void> {
  const input: KnowledgeSourceInput = { sourceId };
  await client.workflow.signalWithStart('knowledgeSourceWorkflow', {
    workflowId: knowledgeSourceWorkflowId(sourceId),
    taskQueue,
    args: [input],
    signal: syncSourceSignal,
    signalArgs: [],
    staticSummary: `Knowledge source ${sourceId}`,
  });
}

/** The source's re-sync every `intervalHours` (a Temporal schedule); none when 0. */
export async function scheduleSourceResync(client: Client, taskQueue: string, sourceId: string, intervalHours: number): Promise<void> {
  if (intervalHours <= 0) return;
  await client.schedule.create({
    scheduleId: knowledgeScheduleId(sourceId),
    spec: { intervals: [{ every: `${intervalHours}h` }] },
    action: { type: 'startWorkflow', workflowType: 'knowledgeResyncWorkflow', args: [{ sourceId }], taskQueue, workflowId: `knowledge-resync:${sourceId}` },
    policies: { overlap: 'SKIP', catchupWindow: '1d' },
  });
}

/** Stops a removed source's sync and its schedule; either may already be gone. */
export async function stopSourceWork(client: Client, sourceId: string): Promise<void> {
  await client.schedule
    .getHandle(knowledgeScheduleId(sourceId))
    .delete()
    .catch((error: unknown) => {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    });
  await client.workflow
    .getHandle(knowledgeSourceWorkflowId(sourceId))
    .terminate('knowledge source removed')
    .catch((error: unknown) => {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    });
}
