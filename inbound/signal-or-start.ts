import { WorkflowNotFoundError, type Client, type WorkflowSignalWithStartOptions } from '@temporalio/client';
import type { WithWorkflowArgs, Workflow } from '@temporalio/common';
import { SeenIds } from '../db/seen-ids.js';

/**
 * Workflows this process has signalled with start. Signal-with-start costs the server more than a
 * signal every time (it validates the start request and its search attributes again: 6% of the
 * dev server's CPU in `npm run bench`) and the client encodes the start request again, so a
 * workflow's later signals go as plain signals. One that ended meanwhile (terminated in the
 * Temporal UI, or done) answers not-found, and is started again.
 */
const started = new SeenIds<Client>();

/**
 * Signal-with-start, as a plain signal when this process started the workflow already. Either
 * way the signal is durable in Temporal when this resolves. `beforeStart` runs only when a start
 * request goes out.
 */
export async function signalOrStart<WorkflowFn extends Workflow, SignalArgs extends unknown[]>(
  client: Client,
  workflowType: string,
  options: WithWorkflowArgs<WorkflowFn, WorkflowSignalWithStartOptions<SignalArgs>>,
  beforeStart?: () => Promise<void>,
): Promise<void> {
  const { workflowId, signal } = options;
  if (started.has(client, workflowId)) {
    try {
      await client.workflow.getHandle(workflowId).signal(signal, ...((options.signalArgs ?? []) as SignalArgs));
      return;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      started.delete(client, workflowId);
    }
  }
  await beforeStart?.();
  await client.workflow.signalWithStart<WorkflowFn, SignalArgs>(workflowType, options);
  started.add(client, workflowId);
}
