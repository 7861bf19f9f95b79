import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Duration } from '@temporalio/common';
import { installTemporalRuntime } from '../../observability/temporal-runtime.js';
import { runBuildScript } from '../../worker/infra/temporal-dev-server.js';
import { catySearchAttributes } from '../../workflows/conversation/search-attributes.js';

export interface TimeSkippingServer {
  address: string;
  /** Moves the server's clock forward: every timer due meanwhile fires, at once. */
  skip(duration: Duration): Promise<void>;
  /** The server's clock (epoch ms), which workflows read as their time. */
  now(): Promise<number>;
  stop(): Promise<void>;
}

/** IndexedValueType in Temporal's API. */
const INDEXED_VALUE_TYPE = { KEYWORD: 2, INT: 3 } as const;

/**
 * Temporal's time-skipping test server (the Java one, fetched from Maven Central by
 * scripts/build-temporal-test-server.sh), with Caty's search attributes registered. Timers of
 * minutes or days then fire when a test says so instead of after real sleeps.
 */
export async function startTimeSkippingServer(log: (line: string) => void = () => undefined): Promise<TimeSkippingServer> {
  // The SDK's runtime is installed once per process, before any connection, as the stack does it.
  await installTemporalRuntime(log);
  const { path, output } = await runBuildScript('scripts/build-temporal-test-server.sh', log);
  if (!path) throw new Error(`could not fetch the Temporal test server (it needs Java 17+ and Maven). It said:\n${output}`);
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(catySearchAttributes.map((key) => [key.name, INDEXED_VALUE_TYPE[key.type === 'INT' ? 'INT' : 'KEYWORD']])),
  });
  return {
    address: env.address,
    skip: (duration) => env.sleep(duration),
    now: () => env.currentTimeMs(),
    stop: () => env.teardown(),
  };
}
