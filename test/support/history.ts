import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';

/**
 * The arguments a workflow was signalled with, in order, read from its history and decoded as
 * the workers decode them (through the payload codec: histories are encrypted).
 */
export async function signalArguments<T>(client: Client, workflowId: string, signalNames: string[]): Promise<T[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const signals = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes).filter((a) => a && signalNames.includes(a.signalName ?? ''));
  return Promise.all(signals.map((a) => decodeFromPayloadsAtIndex<T>(client.options.loadedDataConverter, 0, a!.input!.payloads)));
}
