import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../config/ports.js';
import { resolveTemporalCli, startTemporalDevServer, waitUntilReachable } from '../../worker/infra/temporal-dev-server.js';
import { catySearchAttributes, CatyLanguage, CatyLeadScore, CatyMode, CatyWidgetId } from '../../workflows/conversation/search-attributes.js';
import { eventually } from '../support/stack.js';

const dir = await mkdtemp(path.join(tmpdir(), 'caty-dev-server-upgrade-'));
after(() => rm(dir, { recursive: true, force: true }));

/** A dev server's file as an earlier release left it: its namespace created with fewer attributes. */
async function fileFromEarlierRelease(dbFile: string, attributes: string[]): Promise<void> {
  const cli = await resolveTemporalCli(process.env.TEMPORAL_CLI_PATH);
  const port = await freePort();
  const flags = attributes.flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
  const child = spawn(cli, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--db-filename', dbFile, '--log-level', 'error', ...flags], { stdio: 'ignore' });
  await waitUntilReachable(`127.0.0.1:${port}`, child, 60_000);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

test('a dev server file from a release with fewer search attributes gets the new ones at start, and conversations start with all of them', { timeout: 180_000 }, async () => {
  const dbFile = path.join(dir, 'temporal.db');
  await fileFromEarlierRelease(dbFile, [CatyWidgetId.name, CatyMode.name]);

  const logged: string[] = [];
  const server = await startTemporalDevServer({ dbFile, headless: true, log: (line) => logged.push(line) });
  const connection = await Connection.connect({ address: server.address });
  try {
    const listed = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    assert.deepEqual(Object.keys(listed.customAttributes ?? {}).sort(), catySearchAttributes.map((key) => key.name).sort());
    assert.ok(
      logged.some((line) => /added search attributes .*CatyLanguage/.test(line) && !line.includes(CatyWidgetId.name)),
      `says which attributes it added: ${logged.join(' | ')}`,
    );

    // What a new conversation does: start with some attributes, upsert the rest later; the UI
    // then filters by any of them.
    const client = new Client({ connection });
    const workflowId = `upgrade-${Date.now()}`;
    const handle = await client.workflow.start('conversationWorkflowV2', {
      workflowId,
      taskQueue: `upgrade-${Date.now()}`,
      args: [],
      typedSearchAttributes: [
        { key: CatyWidgetId, value: 'wgt_upgrade' },
        { key: CatyLanguage, value: 'ro' },
        { key: CatyLeadScore, value: 3 },
      ],
    });
    const query = `CatyWidgetId = 'wgt_upgrade' AND CatyLanguage = 'ro' AND CatyLeadScore = 3`;
    await eventually(async () => (await client.workflow.count(query)).count === 1, 15_000, `one workflow listed by ${query}`);
    await handle.terminate('test done');
  } finally {
    await connection.close();
    await server.stop();
  }

  // Started again on the same file, nothing is missing and nothing is added.
  const again: string[] = [];
  const restarted = await startTemporalDevServer({ dbFile, headless: true, log: (line) => again.push(line) });
  await restarted.stop();
  assert.ok(!again.some((line) => line.includes('added search attributes')), again.join(' | '));
});
