import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectedWidget, conversationSettled, customerSays, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';
import { signedInPerson } from './support.js';

let stack: TestStack;
let owner: ApiClient;
before(async () => {
  stack = await startTestStack();
  const account = await stack.api.post('/api/accounts', { name: 'Rapoarte' });
  owner = stack.api.withKey(account.body.api_key);
});
after(async () => {
  await stack?.stop();
});

test('a report counts what happened in the range, and the CSV lists its conversations; another account sees neither', async () => {
  const { widgetId, businessPhone } = await connectedWidget(owner);
  const first = await customerSays(owner, businessPhone, uniquePhone(), 'cat costa livrarea?');
  const second = await customerSays(owner, businessPhone, uniquePhone(), 'I want to talk to a human');
  const buyer = uniquePhone();
  const third = await customerSays(owner, businessPhone, buyer, 'Buna ziua, aveti reduceri?');
  for (const said of [first, second, third]) await conversationSettled(stack, said.conversation_id, { customerMessages: 1 });
  await customerSays(owner, businessPhone, buyer, 'Mă numesc Ion Popescu, email ion@example.com');
  await eventually(async () => (await stack.db.selectFrom('leads').select('conversation_id').where('widget_id', '=', widgetId).where('email', 'is not', null).execute()).length === 1);

  const today = new Date().toISOString().slice(0, 10);
  const report = await owner.get(`/api/widgets/${widgetId}/reports?from=${today}&to=${today}`);
  assert.equal(report.status, 200, JSON.stringify(report.body));
  const body = report.body;
  assert.equal(body.conversations, 3);
  assert.equal(body.messages_in, 4);
  assert.ok(body.messages_out >= 3, `messages_out ${body.messages_out}`);
  assert.equal(body.answered_by_ai_share, 1, 'nobody but Caty replied');
  assert.equal(body.handoffs, 1);
  assert.equal(body.leads, 1);
  assert.ok(typeof body.median_first_reply_ms === 'number' && body.median_first_reply_ms >= 0 && body.median_first_reply_ms < 60_000, String(body.median_first_reply_ms));
  assert.equal(Object.values(body.languages as Record<string, number>).reduce((a, b) => a + b, 0), 3);
  assert.deepEqual(body.by_day, [{ date: today, conversations: 3, handoffs: 1, leads: 1 }]);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const empty = await owner.get(`/api/widgets/${widgetId}/reports?from=${yesterday}&to=${yesterday}`);
  assert.equal(empty.body.conversations, 0);
  assert.equal(empty.body.median_first_reply_ms, null);
  assert.equal((await owner.get(`/api/widgets/${widgetId}/reports?from=${today}&to=${yesterday}`)).status, 422);
  assert.equal((await owner.get(`/api/widgets/${widgetId}/reports?from=2020-01-01&to=2026-01-01`)).status, 422, 'more than a year');
  assert.equal((await owner.get(`/api/widgets/${widgetId}/reports?from=yesterday`)).status, 400);

  const csv = await owner.get(`/api/widgets/${widgetId}/conversations.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type')!, /^text\/csv/);
  const lines = (csv.body as string).trim().split('\r\n');
  assert.equal(lines[0], 'id,kind,customer,status,mode,assignee,language,message_count,created_at,last_message_at,lead_name,lead_email,lead_phone,lead_score');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]).sort(), [first, second, third].map((s) => s.conversation_id).sort());
  assert.ok(lines.some((l) => l.includes('handoff_requested')));
  assert.ok(lines.some((l) => l.includes('ion@example.com')));

  const theirs = await stack.api.post('/api/accounts', { name: 'Altii' });
  const outsider = stack.api.withKey(theirs.body.api_key);
  assert.equal((await outsider.get(`/api/widgets/${widgetId}/reports`)).status, 404);
  assert.equal((await outsider.get(`/api/widgets/${widgetId}/conversations.csv`)).status, 404);
  const agent = await signedInPerson(owner, 'agent');
  assert.equal((await agent.browser.get(`/api/widgets/${widgetId}/reports`)).status, 200, 'a person of the account reads them');
});

test('a CSV cell that a spreadsheet would run as a formula is written as text', async () => {
  const { widgetId } = await connectedWidget(owner);
  const { account_id } = await stack.db.selectFrom('widgets').select('account_id').where('id', '=', widgetId).executeTakeFirstOrThrow();
  await stack.db
    .insertInto('conversations')
    .values({ id: 'cnv_formula', account_id, widget_id: widgetId, channel_id: null, channel_type: 'web', kind: 'web', customer: '=HYPERLINK("http://evil")', business_phone: null, workflow_id: 'wf_formula', language: null, source: null, lead: null, last_message_at: null, created_at: new Date() })
    .execute();
  const csv = await owner.get(`/api/widgets/${widgetId}/conversations.csv`);
  assert.ok((csv.body as string).includes(`"'=HYPERLINK(""http://evil"")"`), csv.body);
});
