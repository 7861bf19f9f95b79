import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stateQuery } from '../../workflows/conversation/signals.js';
import { WEEKDAYS } from '../../workflows/hours/business-hours.js';
import { connectedWidget, outbox, uniquePhone } from '../support/scenario.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

/**
 * The conversation's durable timers at their real lengths (minutes, days), on Temporal's
 * time-skipping test server: the test moves the clock instead of sleeping.
 */
let stack: TestStack;
before(async () => {
  stack = await startTestStack({ timeSkipping: true });
});
after(async () => {
  await stack?.stop();
});

async function say(businessPhone: string, from: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await stack.api.post('/api/whatsapp/sandbox/messages', { to: businessPhone, from, text, ...extra });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  return r.body as { message_id: string; conversation_id: string };
}

const texts = async (phone: string) => (await outbox(stack.api, phone)).map((m) => m.text);

async function mode(conversationId: string): Promise<string> {
  const row = await stack.db.selectFrom('conversations').select('mode').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return row.mode;
}

async function state(conversationId: string) {
  const row = await stack.db.selectFrom('conversations').select('workflow_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
  return stack.client.workflow.getHandle(row.workflow_id).query(stateQuery);
}

/**
 * The conversation has done all it was given: `processed` work items, none queued, and the timer
 * it is waiting for (if any) is the one expected. What did not happen is then checked after an
 * event, not after a guessed sleep.
 */
async function settled(conversationId: string, processed: number, nextDeadline: 'none' | 'set'): Promise<void> {
  await eventually(
    async () => {
      const s = await state(conversationId);
      return s.processed >= processed && s.pending === 0 && (nextDeadline === 'none' ? s.nextDeadline === null : s.nextDeadline !== null);
    },
    15_000,
    `conversation settled after ${processed} items`,
  );
}

describe('a customer waiting for a person', () => {
  test('the follow-up comes after the default 10 minutes, and Caty resumes', async () => {
    const alertPhone = uniquePhone();
    const { businessPhone } = await connectedWidget(stack.api, { widget: { notifications: { alert_phone: alertPhone } } });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'Vreau sa vorbesc cu un om');
    await eventually(async () => (await texts(customer)).length === 1);
    assert.equal(await mode(conversation_id), 'handoff_requested');
    await say(businessPhone, customer, 'cat costa livrarea?');
    await settled(conversation_id, 2, 'set');
    assert.equal((await texts(customer)).length, 1, 'silent while waiting for a person');

    await stack.skipTime('9m');
    await settled(conversation_id, 2, 'set');
    assert.equal((await texts(customer)).length, 1, 'no follow-up before 10 minutes');
    await stack.skipTime('61s');
    await eventually(async () => (await texts(customer)).length === 2, 15_000, 'the follow-up');
    assert.match((await texts(customer))[1]!, /Ne pare rău că durează/);
    await eventually(async () => (await mode(conversation_id)) === 'ai');
    await say(businessPhone, customer, 'cat dureaza livrarea?');
    await eventually(async () => (await texts(customer)).length === 3);
    assert.equal((await texts(customer))[2], 'Livrarea durează 1-3 zile lucrătoare.');
  });

  test('with on_response_timeout "wait": one follow-up, then Caty keeps waiting for days', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { handoff: { on_response_timeout: 'wait' } } });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'I want to talk to a human please');
    await eventually(async () => (await texts(customer)).length === 1);
    assert.match((await texts(customer))[0]!, /^Of course/);
    await stack.skipTime('11m');
    await eventually(async () => (await texts(customer)).length === 2, 15_000, 'the follow-up');
    await settled(conversation_id, 1, 'none');
    await stack.skipTime('3 days');
    await settled(conversation_id, 1, 'none');
    assert.equal(await mode(conversation_id), 'handoff_requested');
    assert.equal((await texts(customer)).length, 2, 'one follow-up only');
  });
});

describe('auto-resume after a takeover', () => {
  test('30 minutes of agent silence by default; each agent message restarts the clock', async () => {
    const { businessPhone } = await connectedWidget(stack.api);
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'salut');
    await stack.api.post(`/api/conversations/${conversation_id}/takeover`);
    await eventually(async () => (await mode(conversation_id)) === 'human');
    for (let i = 0; i < 3; i++) {
      await stack.skipTime('20m');
      await say(businessPhone, customer, `mesaj de la agent ${i}`, { from_me: true });
      await settled(conversation_id, 3 + i, 'set');
      assert.equal(await mode(conversation_id), 'human', `agent message ${i} keeps the takeover alive after an hour in all`);
    }
    await stack.skipTime('29m');
    await settled(conversation_id, 5, 'set');
    assert.equal(await mode(conversation_id), 'human');
    await stack.skipTime('2m');
    await eventually(async () => (await mode(conversation_id)) === 'ai', 15_000, 'auto-resume');
    const last = await stack.db.selectFrom('conversation_events').select(['actor', 'reason']).where('conversation_id', '=', conversation_id).orderBy('at', 'desc').executeTakeFirstOrThrow();
    assert.equal(last.actor, 'system');
    assert.match(last.reason ?? '', /1800 s/);
  });

  test('null disables it: the conversation stays with the person for days', async () => {
    const { businessPhone } = await connectedWidget(stack.api, { widget: { handoff: { auto_resume_after: null } } });
    const { conversation_id } = await say(businessPhone, uniquePhone(), 'salut');
    await stack.api.post(`/api/conversations/${conversation_id}/takeover`);
    await eventually(async () => (await mode(conversation_id)) === 'human');
    await settled(conversation_id, 2, 'none');
    await stack.skipTime('7 days');
    await settled(conversation_id, 2, 'none');
    assert.equal(await mode(conversation_id), 'human');
  });
});

describe('business hours, as the days go by', () => {
  test('the away message once per closed period: again after the business has opened and closed', async () => {
    // Open 09:00-17:00 UTC only on the weekday after tomorrow: closed now, whenever the test runs.
    const now = new Date(await stack.temporalNow());
    const openDay = WEEKDAYS[(((now.getUTCDay() + 6) % 7) + 2) % 7]!;
    const away = 'Revenim curând. Lăsați-ne un mesaj!';
    const { businessPhone } = await connectedWidget(stack.api, { widget: { business_hours: { timezone: 'UTC', days: { [openDay]: [['09:00', '17:00']] }, away_message: away } } });
    const customer = uniquePhone();
    const { conversation_id } = await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 2);
    await say(businessPhone, customer, 'cat dureaza livrarea?');
    await eventually(async () => (await texts(customer)).length === 3);
    assert.deepEqual(await texts(customer), [away, 'Livrarea costă 15 lei, gratuită peste 200 lei.', 'Livrarea durează 1-3 zile lucrătoare.']);

    // To 12:00 UTC on the open day: answered, with no away message.
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const noonOfOpenDay = midnight + 2 * 86_400_000 + 12 * 3_600_000;
    await stack.skipTime(noonOfOpenDay - (await stack.temporalNow()));
    await say(businessPhone, customer, 'care este programul magazinului?');
    await eventually(async () => (await texts(customer)).length === 4);
    assert.equal((await texts(customer))[3], 'Suntem deschiși luni-vineri, 9:00-18:00.');

    // The next day it is closed again: a new closed period, so the away message once more.
    await stack.skipTime('1 day');
    await say(businessPhone, customer, 'cat costa livrarea?');
    await eventually(async () => (await texts(customer)).length === 6);
    assert.deepEqual((await texts(customer)).slice(4), [away, 'Livrarea costă 15 lei, gratuită peste 200 lei.']);
    await settled(conversation_id, 4, 'none');
  });
});
