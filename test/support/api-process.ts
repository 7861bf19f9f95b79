import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import { createApp } from '../../api/app.js';
import type { ApiDeps } from '../../api/deps.js';
import { LiveEvents } from '../../api/live/live-events.js';
import { KeyRing } from '../../config/key-ring.js';
import type { Database } from '../../db/schema.js';
import { ApiClient, type TestStack } from './stack.js';

export interface ApiProcess {
  url: string;
  api: ApiClient;
  close(): Promise<void>;
}

/**
 * Another API process of a test stack: its own app (limits, caches, settings, live-events
 * listener) on the stack's database and Temporal, as a second `api` container would be. `liveDb`
 * is the database its live events read through (a test may count those reads).
 */
export async function startApiProcess(stack: TestStack, overrides: Partial<ApiDeps> = {}, liveDb: Kysely<Database> = stack.db): Promise<ApiProcess> {
  const liveEvents = new LiveEvents({ databaseUrl: stack.databaseUrl, db: liveDb });
  await liveEvents.start();
  const app = createApp({
    db: stack.db,
    client: stack.client,
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    adminKey: stack.adminKey,
    visitorTokenKeys: KeyRing.parse(KeyRing.generate()),
    sandbox: true,
    inbox: undefined as never,
    detector: undefined as never,
    media: stack.media,
    liveEvents,
    allowPrivateWebhooks: true,
    dashboard: { temporalUiUrl: null, temporalNamespace: 'default' },
    log: () => undefined,
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    api: new ApiClient(url, stack.adminKey),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await liveEvents.stop();
    },
  };
}
