import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAdminCommand } from '../../workflows/commands/admin-command.js';
import { extractSource, routeCustomerMessage } from '../../workflows/conversation/router.js';
import { ConversationState, DEFAULT_SETTINGS, RECENT_IDS_LIMIT, type ConversationInput } from '../../workflows/conversation/state.js';

const input: ConversationInput = {
  conversationId: 'cnv_1',
  accountId: 'acc_1',
  widgetId: 'wgt_1',
  kind: 'whatsapp',
  customer: '+40721234567',
  channelId: 'chn_1',
  provider: 'sandbox',
  businessPhone: '+40700000001',
  channelType: 'web',
};
const message = (id: string) => ({ kind: 'inbound' as const, message: { id, text: 'x', fromMe: false, at: '2026-01-01T00:00:00Z' } });

describe('admin commands', () => {
  test('PREIA and /caty on, ignoring case, spaces and diacritics, with an optional number', () => {
    assert.deepEqual(parseAdminCommand('PREIA'), { command: 'takeover', target: null });
    assert.deepEqual(parseAdminCommand('  preiá  '), { command: 'takeover', target: null });
    assert.deepEqual(parseAdminCommand('/Caty   ON'), { command: 'resume', target: null });
    assert.deepEqual(parseAdminCommand('PREIA +40 721 234 567'), { command: 'takeover', target: '+40721234567' });
    assert.deepEqual(parseAdminCommand('/caty on +40721234567'), { command: 'resume', target: '+40721234567' });
  });
  test('anything else is an ordinary message', () => {
    for (const text of ['preia comanda mea', 'PREIA!', '/caty off', 'caty on', 'cine preia?', '']) assert.equal(parseAdminCommand(text), null, text);
  });
});

describe('routing', () => {
  test('by channel type and mode', () => {
    assert.equal(routeCustomerMessage('web', 'ai', false), 'answer');
    assert.equal(routeCustomerMessage('qr_first', 'ai', false), 'greet');
    assert.equal(routeCustomerMessage('qr_first', 'ai', true), 'answer');
    assert.equal(routeCustomerMessage('notifications', 'ai', false), 'silent');
    assert.equal(routeCustomerMessage('web', 'human', false), 'silent');
    assert.equal(routeCustomerMessage('web', 'handoff_requested', true), 'silent');
  });
  test('the QR source of a wa.me first message', () => {
    assert.equal(extractSource('Buna! (ref: flyer-mai)'), 'flyer-mai');
    assert.equal(extractSource('Salut ref=STAND_42.'), 'STAND_42');
    assert.equal(extractSource('source: facebook hello'), 'facebook');
    assert.equal(extractSource('cat costa livrarea?'), null);
    assert.equal(extractSource('preferinta mea'), null);
  });
});

describe('conversation state', () => {
  test('deduplicates by message id, also across continue-as-new', () => {
    const state = new ConversationState(input);
    assert.equal(state.enqueue(message('a')), true);
    assert.equal(state.enqueue(message('a')), false);
    assert.equal(state.enqueue(message('b')), true);
    state.next();
    const carried = new ConversationState({ ...input, carried: state.carry() });
    assert.equal(carried.enqueue(message('a')), false);
    assert.equal(carried.enqueue(message('b')), false, 'a pending item is carried and still known');
    const item = carried.next();
    assert.equal(item?.kind, 'inbound');
    assert.equal(item?.seq, 2, 'a carried item keeps its number');
    assert.equal(carried.carry().nextSeq, 3);
    assert.equal(carried.hasWork(), false);
  });

  test('remembers a bounded number of ids', () => {
    const state = new ConversationState(input);
    for (let i = 0; i < RECENT_IDS_LIMIT * 3; i++) state.enqueue(message(`m${i}`));
    assert.ok(state.carry().recentIds.length <= RECENT_IDS_LIMIT);
    assert.equal(state.enqueue(message(`m${RECENT_IDS_LIMIT * 3 - 1}`)), false);
  });

  test('takeover arms auto-resume, agent messages push it back, resume clears it', () => {
    const state = new ConversationState(input);
    state.settings = { ...DEFAULT_SETTINGS, autoResumeAfterMs: 1000 };
    assert.equal(state.takeOver(10_000), true);
    assert.equal(state.mode, 'human');
    assert.equal(state.nextDeadline(), 11_000);
    state.agentSpoke(10_500);
    assert.equal(state.dueTimer(11_000), null);
    assert.equal(state.dueTimer(11_500), 'auto_resume');
    assert.equal(state.resume(), true);
    assert.equal(state.nextDeadline(), null);
    state.settings = { ...state.settings, autoResumeAfterMs: null };
    state.takeOver(0);
    assert.equal(state.nextDeadline(), null, 'null disables auto-resume');
  });

  test('a handoff request waits for a person, then follows up once and resumes or keeps waiting', () => {
    const state = new ConversationState(input);
    state.settings = { ...DEFAULT_SETTINGS, responseTimeoutMs: 500, onResponseTimeout: 'wait' };
    state.requestHandoff(1000);
    assert.equal(state.mode, 'handoff_requested');
    assert.equal(state.dueTimer(1499), null);
    assert.equal(state.dueTimer(1500), 'handoff_timeout');
    assert.equal(state.handoffTimedOut(), false);
    assert.equal(state.mode, 'handoff_requested');
    assert.equal(state.nextDeadline(), null, 'the follow-up is sent once');
    state.settings = { ...state.settings, onResponseTimeout: 'resume' };
    state.resume();
    state.requestHandoff(0);
    assert.equal(state.handoffTimedOut(), true);
    assert.equal(state.mode, 'ai');
  });
});
