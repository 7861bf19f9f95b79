import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { WidgetCache } from '../../db/widget-cache.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
before(async () => {
  stack = await startTestStack({ runWorker: false });
});
after(async () => {
  await stack?.stop();
});

async function widget(name: string): Promise<string> {
  const created = await stack.api.post('/api/widgets', { name });
  assert.equal(created.status, 201);
  return created.body.id;
}

/** Changes the row behind the cache's back: the trigger that announces changes is off meanwhile. */
async function renameUnannounced(id: string, name: string): Promise<void> {
  await stack.db.transaction().execute(async (trx) => {
    await sql`alter table widgets disable trigger widget_changed`.execute(trx);
    await trx.updateTable('widgets').set({ name }).where('id', '=', id).execute();
    await sql`alter table widgets enable trigger widget_changed`.execute(trx);
  });
}

test('a widget is read once and kept; a change anywhere is seen on its next use', async () => {
  const cache = new WidgetCache({ db: stack.db, databaseUrl: stack.databaseUrl });
  await cache.start();
  try {
    const id = await widget('Before');
    assert.equal((await cache.load(id)).name, 'Before');
    await renameUnannounced(id, 'Unannounced');
    assert.equal((await cache.load(id)).name, 'Before', 'served from memory, not read again');
    // Through the API, as a business edits it: announced, so the next use reads it again.
    const patched = await stack.api.patch(`/api/widgets/${id}`, { name: 'Edited' });
    assert.equal(patched.status, 200);
    await eventually(async () => (await cache.load(id)).name === 'Edited', 5000, 'the edited widget');
  } finally {
    await cache.stop();
  }
});

test('without its listening connection the cache keeps nothing, so nothing stale is served', async () => {
  const cache = new WidgetCache({ db: stack.db, databaseUrl: stack.databaseUrl });
  await cache.start();
  const id = await widget('Kept');
  assert.equal((await cache.load(id)).name, 'Kept');
  // The listening connection is cut by the server.
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN caty_widgets'`.execute(stack.db);
  await renameUnannounced(id, 'Changed meanwhile');
  try {
    await eventually(async () => (await cache.load(id)).name === 'Changed meanwhile', 5000, 'a fresh read while the cache cannot hear changes');
  } finally {
    await cache.stop();
  }
});

/**
 * A TCP proxy to PostgreSQL that resets every connection until it is opened, as a database that
 * went away does (pg_ctl -m immediate): the client connects, then reads ECONNRESET.
 */
async function resettingProxy(target: string): Promise<{ url: string; open(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  let open = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (!open) return void socket.resetAndDestroy();
    const onward = net.connect(Number(upstream.port), upstream.hostname);
    for (const [from, to] of [[socket, onward], [onward, socket]] as const) {
      sockets.add(from);
      from.on('error', () => to.destroy());
      from.on('close', () => to.destroy());
      from.pipe(to);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    open: () => void (open = true),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('a cache started while its database resets connections starts anyway, reads afresh meanwhile, and keeps widgets once it listens', async () => {
  const proxy = await resettingProxy(stack.databaseUrl);
  const cache = new WidgetCache({ db: stack.db, databaseUrl: proxy.url });
  try {
    // A process whose database went between its migration and this step used to exit here (read ECONNRESET).
    await cache.start();
    const id = await widget('Away');
    assert.equal((await cache.load(id)).name, 'Away');
    await renameUnannounced(id, 'Renamed meanwhile');
    assert.equal((await cache.load(id)).name, 'Renamed meanwhile', 'read afresh: nothing listens for changes yet');
    proxy.open();
    let probe = 0;
    await eventually(
      async () => {
        const kept = (await cache.load(id)).name;
        await renameUnannounced(id, `Unannounced ${++probe}`);
        return (await cache.load(id)).name === kept;
      },
      10_000,
      'the cache keeping widgets once it listens',
    );
    const patched = await stack.api.patch(`/api/widgets/${id}`, { name: 'Edited' });
    assert.equal(patched.status, 200);
    await eventually(async () => (await cache.load(id)).name === 'Edited', 5000, 'the edited widget, announced and heard');
  } finally {
    await cache.stop();
    await proxy.close();
  }
});
