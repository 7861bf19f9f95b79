import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type ApiClient, type TestStack } from '../support/stack.js';

let stack: TestStack;
let api: ApiClient;
let widgetId: string;
before(async () => {
  stack = await startTestStack();
  api = stack.api;
  ({ widgetId } = await connectedWidget(api));
});
after(async () => {
  await stack?.stop();
});

const buttons = [
  { id: 'buy', title: 'Cumpara' },
  { id: 'info', title: 'Mai multe info' },
  { id: 'later', title: 'Mai tarziu' },
];
const list = {
  title: 'Produse',
  items: [
    { id: 'prod1', title: 'Produs A', description: '100 RON' },
    { id: 'prod2', title: 'Produs B', description: '150 RON' },
  ],
};

async function settledOutbox(phone: string, count: number): Promise<any[]> {
  await eventually(async () => (await outbox(api, phone)).length >= count, 10_000, `${count} sent`);
  // Give a duplicate the time to show up, if there were one.
  await new Promise((r) => setTimeout(r, 500));
  return outbox(api, phone);
}

describe('rich messages', () => {
  test("the seed's buttons and list reach the customer as sent", async () => {
    const customer = uniquePhone();
    const first = await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: { text: 'Cum doriti sa continuam?', buttons } });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const second = await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message: { text: 'Alege un produs:', list } });
    assert.equal(second.status, 202, JSON.stringify(second.body));
    const sent = await settledOutbox(customer, 2);
    assert.equal(sent.length, 2);
    assert.equal(sent[0].text, 'Cum doriti sa continuam?');
    assert.deepEqual(sent[0].buttons, buttons);
    assert.equal(sent[0].list, undefined);
    assert.equal(sent[1].text, 'Alege un produs:');
    assert.deepEqual(sent[1].list, list);
  });

  test('a typed answer to the buttons ("2", "info") arrives as the tapped item id', async () => {
    const { widgetId: menuWidget, businessPhone } = await connectedWidget(api);
    const customer = uniquePhone();
    const answers = [
      ['2', 'info'],
      ['cumpara', 'buy'],
      ['Mai tarziu', 'later'],
    ] as const;
    for (const [text, expected] of answers) {
      // The menu answered is the last one sent: each answer follows a fresh menu.
      const before = (await outbox(api, customer)).length;
      await api.post('/api/whatsapp/send', { to: customer, widget_id: menuWidget, message: { text: 'Cum doriti sa continuam?', buttons } });
      await eventually(async () => (await outbox(api, customer)).length === before + 1);
      const sent = await api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from: customer, text });
      assert.equal(sent.status, 202);
      const row = await eventually(
        async () => stack.db.selectFrom('events').select('data').where('event', '=', 'whatsapp.message.received').where(sql<string>`data->>'message_id'`, '=', sent.body.message_id).executeTakeFirst(),
        10_000,
        `the received event of "${text}"`,
      );
      assert.equal((row.data as { reply_id?: string }).reply_id, expected, text);
      await eventually(async () => (await outbox(api, customer)).length === before + 2, 10_000, 'the reply to the answer');
    }
  });

  test('every limit answers 400 (or 422 for rules between fields) naming the field, and nothing is sent', async () => {
    const customer = uniquePhone();
    const cases: [unknown, RegExp][] = [
      [{ text: 'x', buttons: [...buttons, { id: 'four', title: 'Patru' }] }, /^message\.buttons: must have at most 3 buttons/],
      [{ text: 'x', buttons: [{ id: 'a', title: 'x'.repeat(21) }] }, /^message\.buttons\.0\.title: must be at most 20 characters/],
      [{ text: 'x', buttons: [{ id: 'a', title: '  ' }] }, /^message\.buttons\.0\.title: must not be empty/],
      [{ text: 'x', buttons: [] }, /^message\.buttons: must have at least one button/],
      [{ text: 'x', list: { title: 'P', items: Array.from({ length: 11 }, (_, i) => ({ id: `p${i}`, title: `P${i}` })) } }, /^message\.list\.items: must have at most 10 items/],
      [{ text: 'x', list: { title: 'x'.repeat(25), items: [{ id: 'a', title: 'A' }] } }, /^message\.list\.title: must be at most 24 characters/],
      [{ text: 'x', list: { title: 'P', items: [{ id: 'a', title: 'x'.repeat(25) }] } }, /^message\.list\.items\.0\.title: must be at most 24 characters/],
      [{ text: 'x', list: { title: 'P', items: [{ id: 'a', title: 'A', description: 'd'.repeat(73) }] } }, /^message\.list\.items\.0\.description: must be at most 72 characters/],
      [{ text: 't'.repeat(4097), buttons }, /^message\.text: must be at most 4096 characters/],
      [{ text: '', buttons }, /^message\.text: must not be empty/],
      [{ text: 'x', buttons: [{ id: 'a', title: 'A', color: 'red' }] }, /^message\.buttons\.0: /],
    ];
    // What the OpenAPI schema cannot express (unique ids, one of two fields) is a 422.
    const semanticCases: [unknown, RegExp][] = [
      [{ text: 'x', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] }, /^message\.buttons\.1\.id: duplicate id "a"/],
      [{ text: 'x', list: { title: 'P', items: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }] } }, /^message\.list\.items\.1\.id: duplicate id/],
      [{ text: 'x', buttons, list }, /^message\.list: a message carries buttons or a list, not both/],
    ];
    for (const [expected, code, table] of [[400, 'validation_failed', cases], [422, 'unprocessable', semanticCases]] as const) {
      for (const [message, pattern] of table) {
        const response = await api.post('/api/whatsapp/send', { to: customer, widget_id: widgetId, message });
        assert.equal(response.status, expected, `${JSON.stringify(message).slice(0, 80)}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, code);
        assert.match(response.body.error.message, pattern);
      }
    }
    // At the limits exactly, it is accepted.
    const atLimits = await api.post('/api/whatsapp/send', {
      to: customer,
      widget_id: widgetId,
      message: { text: 'x', list: { title: 'l'.repeat(24), items: Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, title: 't'.repeat(24), description: 'd'.repeat(72) })) } },
    });
    assert.equal(atLimits.status, 202, JSON.stringify(atLimits.body));
    assert.equal((await settledOutbox(customer, 1)).length, 1, 'only the valid message was sent');
  });
});

describe('Idempotency-Key', () => {
  test('a retried request returns the first answer and sends once; concurrent duplicates too', async () => {
    const customer = uniquePhone();
    const body = { to: customer, widget_id: widgetId, message: { text: 'Comanda #42 a plecat', buttons: [{ id: 'track', title: 'Urmareste' }] } };
    const first = await api.post('/api/whatsapp/send', body, { 'Idempotency-Key': 'ship-42' });
    assert.equal(first.status, 202);
    assert.match(first.body.id, /^out_/);
    const again = await api.post('/api/whatsapp/send', body, { 'Idempotency-Key': 'ship-42' });
    assert.equal(again.status, 202);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');

    const conflicting = await api.post('/api/whatsapp/send', { ...body, message: 'another text' }, { 'Idempotency-Key': 'ship-42' });
    assert.equal(conflicting.status, 409);
    assert.match(conflicting.body.error.message, /Idempotency-Key: .*different request/);

    const burst = await Promise.all(Array.from({ length: 6 }, () => api.post('/api/whatsapp/send', { ...body, message: 'burst' }, { 'Idempotency-Key': 'burst-1' })));
    assert.ok(burst.every((r) => r.status === 202), JSON.stringify(burst.map((r) => r.status)));
    assert.equal(new Set(burst.map((r) => r.body.id)).size, 1, 'one message id for every duplicate');

    const sent = await settledOutbox(customer, 2);
    assert.deepEqual(sent.map((s) => s.text), ['Comanda #42 a plecat', 'burst']);
  });

  test('keys are per account, and expire after 24 hours', async () => {
    const customer = uniquePhone();
    const body = { to: customer, widget_id: widgetId, message: 'Factura a fost emisa' };
    const first = await api.post('/api/whatsapp/send', body, { 'Idempotency-Key': 'invoice-7' });
    await settledOutbox(customer, 1);

    const other = api.withKey((await api.post('/api/accounts', { name: 'Other shop' })).body.api_key);
    const theirs = await connectedWidget(other);
    const otherCustomer = uniquePhone();
    const otherSend = await other.post('/api/whatsapp/send', { to: otherCustomer, widget_id: theirs.widgetId, message: 'Salut' }, { 'Idempotency-Key': 'invoice-7' });
    assert.equal(otherSend.status, 202, 'the same key in another account is another key');
    assert.notEqual(otherSend.body.id, first.body.id);

    await stack.db.updateTable('idempotency_keys').set({ created_at: sql<Date>`now() - interval '25 hours'` }).where('key', '=', 'invoice-7').execute();
    const later = await api.post('/api/whatsapp/send', body, { 'Idempotency-Key': 'invoice-7' });
    assert.equal(later.status, 202);
    assert.notEqual(later.body.id, first.body.id, 'an expired key sends again');
    assert.equal((await settledOutbox(customer, 2)).length, 2);
  });
});
