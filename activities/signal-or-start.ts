import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';

/**
 * Workflows this process has signalled with start, per client. Signal-with-start costs the server
 * more than a signal every time (it validates the start request and its search attributes again:
 * 6% of the dev server's CPU in `npm run bench`) and the client encodes the start request again,
 * so a workflow's later signals go as plain signals. One that ended meanwhile (terminated in the
 * Temporal UI, or done) answers not-found, and is started again. Dropped whole when large: at
 * worst one start request again per workflow.
 */
const started = new WeakMap<Client, Set<string>>();
const STARTED_LIMIT = 100_000;

function startedBy(client: Client): Set<string> {
  let ids = started.get(client);
  if (!ids) started.set(client, (ids = new Set()));
  if (ids.size >= STARTED_LIMIT) ids.clear();
  return ids;
}

/**
 * Signals `workflowId`, or runs `signalWithStart` (which must signal it with `args`, starting it
 * when it is not running). Either way the signal is durable in Temporal when this resolves.
 */
export async function signalOrStart(
  client: Client,
  workflowId: string,
  signal: SignalDefinition<unknown[]>,
  args: unknown[],
  signalWithStart: () => Promise<unknown>,
): Promise<void> {
  const running = startedBy(client);
  if (running.has(workflowId)) {
    try {
      await client.workflow.getHandle(workflowId).signal(signal, ...args);
      return;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      running.delete(workflowId);
    }
  }
  await signalWithStart();
  running.add(workflowId);
}
