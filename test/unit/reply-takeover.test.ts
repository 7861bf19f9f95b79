import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConversationState, DEFAULT_SETTINGS, type ConversationInput } from '../../workflows/conversation/state.js';
import { PATCHES, replyTakeover } from '../../workflows/conversation/steps.js';

function conversation(mode: 'ai' | 'human' | 'handoff_requested', pauseOnBusinessReply?: boolean): ConversationState {
  const input: ConversationInput = { conversationId: 'cnv_1', accountId: 'acc_1', widgetId: 'wgt_1', kind: 'whatsapp', customer: '+40721234567', channelId: 'chn_1', provider: 'sandbox', businessPhone: '+40700000001', channelType: 'web' };
  const state = new ConversationState(input);
  state.settings = { ...DEFAULT_SETTINGS, ...(pauseOnBusinessReply === undefined ? {} : { pauseOnBusinessReply }) };
  if (mode === 'human') state.takeOver(0);
  if (mode === 'handoff_requested') state.requestHandoff(0);
  return state;
}

const asked: string[] = [];
const patched = (taken: boolean) => ({
  patched: (id: string) => {
    asked.push(id);
    return taken;
  },
});

test('a person answering by hand takes the conversation over: what, when and whether the patch is asked', () => {
  const table: { mode: 'ai' | 'human' | 'handoff_requested'; setting?: boolean; taken: boolean; takesOver: boolean; asks: boolean }[] = [
    { mode: 'ai', taken: true, takesOver: true, asks: true },
    { mode: 'handoff_requested', taken: true, takesOver: true, asks: true },
    { mode: 'ai', setting: true, taken: true, takesOver: true, asks: true },
    // Turned off by the widget, or already a person's: nothing changes and the patch is never asked.
    { mode: 'ai', setting: false, taken: true, takesOver: false, asks: false },
    { mode: 'human', taken: true, takesOver: false, asks: false },
    // A history recorded before: Caty kept answering, and so she does when it replays.
    { mode: 'ai', taken: false, takesOver: false, asks: true },
  ];
  for (const row of table) {
    asked.length = 0;
    const takeover = replyTakeover(conversation(row.mode, row.setting), 'user:usr_1', patched(row.taken));
    assert.equal(takeover !== null, row.takesOver, JSON.stringify(row));
    assert.deepEqual(asked, row.asks ? [PATCHES.personReplyPauses] : [], JSON.stringify(row));
    if (takeover) assert.deepEqual(takeover, { command: 'takeover', by: 'user:usr_1', via: 'reply', messageId: null });
  }
});

test('the takeover a reply causes has the auto-resume timer of PREIA', () => {
  const state = conversation('ai');
  state.takeOver(1000);
  assert.equal(state.mode, 'human');
  assert.equal(state.nextDeadline(), 1000 + DEFAULT_SETTINGS.autoResumeAfterMs!);
});
