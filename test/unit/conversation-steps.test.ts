import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HandleCustomerMessageResult } from '../../workflows/conversation/activity-types.js';
import { readCustomerMessage } from '../../activities/conversation/read-message.js';
import { EffectFailed, type Effect, type Steps } from '../../workflows/conversation/effects.js';
import { ConversationState, DEFAULT_SETTINGS, type ConversationInput, type WorkItem } from '../../workflows/conversation/state.js';
import { chatCommand, timerSteps, workItemSteps, type StepEnv } from '../../workflows/conversation/steps.js';
import type { InboundSignal, MediaRef } from '../../workflows/conversation/signals.js';
import { attachmentReply } from '../../workflows/conversation/attachments.js';
import { PATCHES } from '../../workflows/conversation/steps.js';
import { systemMessage } from '../../workflows/i18n/catalogue.js';

const CUSTOMER = '+40721234567';
const BUSINESS = '+40700000001';
const ADMIN = '+40700000009';

function conversation(overrides: Partial<ConversationInput> = {}): ConversationState {
  return new ConversationState({
    conversationId: 'cnv_1',
    accountId: 'acc_1',
    widgetId: 'wgt_1',
    kind: 'whatsapp',
    customer: CUSTOMER,
    channelId: 'chn_1',
    provider: 'sandbox',
    businessPhone: BUSINESS,
    channelType: 'web',
    ...overrides,
  });
}

let clock = 1_000_000;
let ids = 0;
const env: StepEnv = { now: () => clock, uuid: () => `uuid-${++ids}`, patched: () => true };

function handled(overrides: Partial<HandleCustomerMessageResult> = {}): HandleCustomerMessageResult {
  return {
    language: 'ro',
    confidence: 0.9,
    defaultLanguage: 'ro',
    alreadyAnswered: false,
    firstDelivery: true,
    reply: { text: 'Livrarea costă 15 lei.', topic: 'Cat costa livrarea?', fromKnowledgeBase: true },
    settings: { ...DEFAULT_SETTINGS, alertPhone: ADMIN },
    ...overrides,
  };
}

type Responder = (effect: Effect, state: ConversationState) => unknown;
type HandleEffect = Extract<Effect, { kind: 'handleCustomerMessage' }>;

/** The activity's result: as the activity does, it reads the message when the workflow hands it the context. */
function asActivity(effect: Effect, result: HandleCustomerMessageResult): HandleCustomerMessageResult {
  const { reading, message, transcript } = (effect as HandleEffect).input;
  if (!reading || result.read) return result;
  return { ...result, read: readCustomerMessage(transcript ?? message.text, reading, { businessHours: result.settings.businessHours ?? null, language: result.language }) };
}

/** The route the conversation took for the message: decided by the activity from the context it was given. */
function routeOf(effects: Effect[]): string {
  const { input } = effects.find((e) => e.kind === 'handleCustomerMessage') as HandleEffect;
  return input.route ?? readCustomerMessage(input.transcript ?? input.message.text, input.reading!, { businessHours: null, language: 'ro' }).route;
}

/** Runs decisions as the workflow does, answering each effect from the script; returns what they did. */
function drive(steps: Steps, respond: Responder, state: ConversationState): Effect[] {
  const done: Effect[] = [];
  let next = steps.next();
  while (!next.done) {
    done.push(next.value);
    let result: unknown;
    try {
      result = respond(next.value, state);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(result);
  }
  return done;
}

const defaults =
  (result: HandleCustomerMessageResult = handled(), overrides: Partial<Record<Effect['kind'], (effect: Effect) => unknown>> = {}): Responder =>
  (effect) => {
    const override = overrides[effect.kind];
    if (override) return override(effect);
    switch (effect.kind) {
      case 'handleCustomerMessage':
        return asActivity(effect, result);
      case 'saveLead':
        return { alertTo: null };
      case 'scheduleLeadCall':
        return true;
      case 'loadSettings':
        return DEFAULT_SETTINGS;
      default:
        return undefined;
    }
  };

let seq = 0;
function inbound(text: string, extra: Partial<InboundSignal> = {}): WorkItem {
  seq++;
  return { kind: 'inbound', seq, message: { id: `wamid-${seq}`, text, fromMe: false, at: '2026-11-25T10:00:00.000Z', ...extra } };
}

const kinds = (effects: Effect[]) => effects.map((e) => e.kind);
const sends = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'send' ? [e.send] : []));

describe('a customer message', () => {
  test('web: stored, answered once with the reply key, the accepted time and the lead updated', () => {
    const state = conversation();
    const item = inbound('Cat costa livrarea?');
    const effects = drive(workItemSteps(state, item, env), defaults(), state);
    // The language, then the lead (a matched topic), each published to the Temporal UI.
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'publish', 'saveLead', 'send']);
    const handle = effects[0] as Extract<Effect, { kind: 'handleCustomerMessage' }>;
    assert.equal(routeOf(effects), 'answer');
    assert.equal(handle.input.ingestKey, `${item.seq}:wamid-${item.seq}`);
    assert.deepEqual(sends(effects), [
      { to: { customer: true }, text: 'Livrarea costă 15 lei.', idempotencyKey: `reply:wamid-${item.seq}`, author: 'ai', language: 'ro', acceptedAt: '2026-11-25T10:00:00.000Z' },
    ]);
    assert.equal(state.customerMessages, 1);
    assert.equal(state.language, 'ro');
    assert.equal(state.lead?.interest, 'Cat costa livrarea?');
  });

  test('the reply is stored in the language it is really written in', () => {
    const state = conversation();
    const reply = { text: 'Livrarea costă 15 lei.', topic: 'x', fromKnowledgeBase: true, language: 'ro' };
    const effects = drive(workItemSteps(state, inbound('hvor mye koster frakt?'), env), defaults(handled({ language: 'no', reply })), state);
    assert.equal(sends(effects)[0]!.language, 'ro');
    assert.equal(state.language, 'no', 'the conversation keeps the customer language');
  });

  test('notifications: stored, never answered, no lead', () => {
    const state = conversation({ channelType: 'notifications' });
    const effects = drive(workItemSteps(state, inbound('Vreau sa vorbesc cu un om'), env), defaults(handled({ reply: null })), state);
    assert.equal(routeOf(effects), 'silent');
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish']);
    assert.equal(state.mode, 'ai', 'a customer on a notifications number cannot start a handoff');
  });

  test('qr_first: the first message is greeted and its QR reference becomes the source', () => {
    const state = conversation({ channelType: 'qr_first' });
    const greeting = { text: 'Bună ziua! Sunt Caty. Cu cine am plăcerea să vorbesc?', topic: null, fromKnowledgeBase: false };
    const effects = drive(workItemSteps(state, inbound('Buna! (ref: flyer-mai)'), env), defaults(handled({ reply: greeting })), state);
    const handle = effects[0] as Extract<Effect, { kind: 'handleCustomerMessage' }>;
    assert.equal(routeOf(effects), 'greet');
    assert.equal(handle.input.source, 'flyer-mai');
    assert.equal(state.greeted, true);
    assert.equal(state.source, 'flyer-mai');
    assert.equal(sends(effects)[0]!.text, greeting.text);
  });

  test('a redelivered message that was answered already does nothing more', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), defaults(handled({ firstDelivery: false, alreadyAnswered: true, reply: null })), state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage']);
    assert.equal(state.customerMessages, 0);
  });

  test('while a person has the conversation, messages are recorded and not answered', () => {
    const state = conversation();
    state.takeOver(clock);
    const effects = drive(workItemSteps(state, inbound('mai sunteti acolo?'), env), defaults(handled({ reply: null })), state);
    assert.equal(routeOf(effects), 'silent');
    assert.deepEqual(sends(effects), []);
  });

  test('a takeover arriving while the reply was written keeps Caty silent', () => {
    const state = conversation();
    const respond = defaults(handled(), {
      handleCustomerMessage: (effect) => {
        state.takeOver(clock);
        return asActivity(effect, handled());
      },
    });
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), respond, state);
    assert.deepEqual(sends(effects), []);
  });

  test('on a real phone the message is marked read and typing shows before the reply', () => {
    const state = conversation({ provider: 'baileys' });
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), defaults(), state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'markRead', 'publish', 'saveLead', 'typing', 'send']);
  });

  test('on the sandbox or the website the reply goes out with its message; on a real phone it is sent by the workflow', () => {
    const handleOf = (effects: Effect[]) => (effects[0] as Extract<Effect, { kind: 'handleCustomerMessage' }>).input;
    const sandbox = conversation();
    const delivered = drive(workItemSteps(sandbox, inbound('Cat costa livrarea?'), env), defaults(handled({ replyDelivered: true })), sandbox);
    assert.deepEqual(handleOf(delivered).deliverReply, { channelId: 'chn_1' });
    assert.deepEqual(kinds(delivered), ['handleCustomerMessage', 'publish', 'publish', 'saveLead'], 'no second send; the lead is still kept');
    const web = conversation({ kind: 'web', channelId: null, provider: null, businessPhone: null, customer: 'wss_1' });
    assert.deepEqual(handleOf(drive(workItemSteps(web, inbound('Cat costa livrarea?'), env), defaults(), web)).deliverReply, { channelId: null });
    const phone = conversation({ provider: 'baileys' });
    assert.equal(handleOf(drive(workItemSteps(phone, inbound('Cat costa livrarea?'), env), defaults(), phone)).deliverReply, undefined);
  });

  test('a reply the activity could not deliver is sent by the workflow', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), defaults(handled({ replyDelivered: undefined })), state);
    assert.equal(sends(effects).length, 1);
  });

  test('no delivery with the message when it is not to be answered, or a person is asked for', () => {
    const handleOf = (effects: Effect[]) => (effects[0] as HandleEffect).input;
    const human = conversation();
    human.takeOver(clock);
    assert.equal(handleOf(drive(workItemSteps(human, inbound('Cat costa livrarea?'), env), defaults(), human)).deliverReply, undefined);
    // The activity reads the request for a person, so the route it takes is silent: nothing to deliver.
    const asking = conversation();
    const effects = drive(workItemSteps(asking, inbound('Vreau sa vorbesc cu un om'), env), defaults(handled({ reply: null })), asking);
    assert.equal(routeOf(effects), 'silent');
    assert.equal(asking.mode, 'handoff_requested');
  });

  test('in a history recorded before messages were read by the activity, the workflow reads them itself', () => {
    const before: StepEnv = { ...env, patched: (id) => id !== 'reading-recorded' };
    const asking = conversation();
    const effects = drive(workItemSteps(asking, inbound('Vreau sa vorbesc cu un om'), before), defaults(handled({ reply: null })), asking);
    const { input } = effects[0] as HandleEffect;
    assert.equal(input.route, 'silent');
    assert.equal(input.reading, undefined);
    assert.equal(input.deliverReply, undefined);
    assert.equal(asking.mode, 'handoff_requested');
    const lead = conversation();
    drive(workItemSteps(lead, inbound('Ma numesc Ion Popescu, ion@example.com', {}), before), defaults(), lead);
    assert.equal(lead.lead?.name, 'Ion Popescu');
    assert.equal(lead.lead?.email, 'ion@example.com');
  });

  test('an admin notice goes to the admin instead of an answer', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('PREIA', { notice: 'Nu am găsit conversația.' }), env), defaults(handled({ reply: null })), state);
    assert.equal(routeOf(effects), 'silent');
    assert.deepEqual(sends(effects).map((s) => [s.text, s.author]), [['Nu am găsit conversația.', 'system']]);
    assert.ok(!kinds(effects).includes('saveLead'));
  });
});

describe('media a customer sends', () => {
  const VOICE: MediaRef = { id: 'med_voice', kind: 'audio', voice: true };
  const PHOTO: MediaRef = { id: 'med_photo', kind: 'image' };
  const handleOf = (effects: Effect[]) => (effects.find((e) => e.kind === 'handleCustomerMessage') as Extract<Effect, { kind: 'handleCustomerMessage' }>).input;
  const heard = (transcript: string | null) => ({ transcribe: () => ({ transcript }) });
  const acknowledged = (key: 'attachmentReceived' | 'voiceNoteUnsupported') => handled({ reply: { text: systemMessage(key, 'ro'), topic: null, fromKnowledgeBase: false, language: 'ro' } });

  test('a voice note is heard first, and its words are then handled exactly as the same words typed: answer, lead, language', () => {
    const words = 'Ma numesc Ion Popescu, cat costa livrarea?';
    const typedState = conversation();
    const typed = drive(workItemSteps(typedState, inbound(words, { id: 'wamid-same' }), env), defaults(), typedState);
    const voiceState = conversation();
    const voice = drive(workItemSteps(voiceState, inbound('', { id: 'wamid-same', media: VOICE }), env), defaults(handled(), heard(words)), voiceState);
    assert.deepEqual(voice[0], { kind: 'transcribe', mediaId: 'med_voice' });
    assert.deepEqual(kinds(voice), ['transcribe', ...kinds(typed)]);
    assert.deepEqual(sends(voice), sends(typed));
    assert.deepEqual(voiceState.lead, typedState.lead);
    assert.equal(voiceState.lead?.name, 'Ion Popescu');
    const input = handleOf(voice);
    assert.equal(input.transcript, words, 'the words go to the store step beside the message');
    assert.equal(input.message.text, '', 'the message keeps its own (empty) caption');
    assert.equal(routeOf(voice), 'answer', 'the store step reads the words, not the empty caption');
  });

  test('a voice note asking for a person starts the handoff, as typed words would', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('', { media: VOICE }), env), defaults(handled({ reply: null }), heard('Vreau sa vorbesc cu un om')), state);
    assert.equal(routeOf(effects), 'silent');
    assert.equal(state.mode, 'handoff_requested');
    assert.deepEqual(sends(effects).map((s) => s.to), [{ customer: true }, { business: ADMIN }]);
  });

  test('a voice note nobody could transcribe: one reply (the catalogue asks the customer to write), nothing composed, no handoff', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('', { media: VOICE }), env), defaults(acknowledged('voiceNoteUnsupported'), heard(null)), state);
    assert.equal(kinds(effects)[0], 'transcribe');
    assert.ok(!kinds(effects).includes('composeReply'));
    assert.equal(handleOf(effects).transcript, null);
    assert.deepEqual(sends(effects).map((s) => s.text), ['Îmi pare rău, nu pot asculta mesajele vocale. Vă rog să îmi scrieți întrebarea.']);
    assert.equal(state.mode, 'ai');
  });

  test('a photo with a model that sees images: the model is asked with the photo (its id) and the caption, and its answer is sent', () => {
    for (const caption of ['', 'Il aveti si in albastru?']) {
      const state = conversation();
      const composed = { text: 'Da, îl avem și în albastru.', topic: null, fromKnowledgeBase: false, language: 'ro' };
      const respond = defaults(handled({ reply: null, replyDeferred: true }), { composeReply: () => composed });
      const item = inbound(caption, { media: PHOTO });
      const effects = drive(workItemSteps(state, item, env), respond, state);
      assert.ok(!kinds(effects).includes('transcribe'));
      const compose = effects.find((e) => e.kind === 'composeReply');
      assert.deepEqual(compose, { kind: 'composeReply', messageId: `wamid-${item.seq}`, text: caption, language: 'ro', mediaId: 'med_photo' });
      assert.deepEqual(sends(effects).map((s) => s.text), [composed.text]);
    }
  });

  test('a photo, a location or a contact card without a model that sees them: the one acknowledgement, nothing composed', () => {
    const attachments: Partial<InboundSignal>[] = [
      { media: PHOTO },
      { media: { id: 'med_doc', kind: 'document' } },
      { location: { latitude: 44.4268, longitude: 26.1025, name: 'Magazin' } },
      { contact: { name: 'Ion Popescu', phones: ['+40722000111'] } },
    ];
    for (const attachment of attachments) {
      const state = conversation();
      const effects = drive(workItemSteps(state, inbound('', attachment), env), defaults(acknowledged('attachmentReceived')), state);
      assert.ok(!kinds(effects).includes('transcribe') && !kinds(effects).includes('composeReply'), JSON.stringify(attachment));
      assert.deepEqual(sends(effects).map((s) => s.text), [systemMessage('attachmentReceived', 'ro')]);
      const input = handleOf(effects);
      assert.deepEqual({ location: input.message.location, contact: input.message.contact, media: input.message.media }, { location: attachment.location, contact: attachment.contact, media: attachment.media });
      assert.equal(input.transcript, null, 'nothing heard: it was not a voice note');
    }
  });

  test('a sticker is stored and gets no reply', () => {
    const state = conversation();
    const effects = drive(workItemSteps(state, inbound('', { media: { id: 'med_st', kind: 'sticker' } }), env), defaults(handled({ reply: null })), state);
    assert.ok(!kinds(effects).includes('composeReply'));
    assert.deepEqual(sends(effects), []);
    assert.equal(state.customerMessages, 1, 'kept as a message of the conversation');
  });

  test('which catalogue reply an attachment with nothing to answer in words gets', () => {
    const cases: [Partial<InboundSignal>, string | null][] = [
      [{ media: VOICE }, 'voiceNoteUnsupported'],
      [{ media: { id: 'm', kind: 'audio' } }, 'voiceNoteUnsupported'],
      [{ media: PHOTO }, 'attachmentReceived'],
      [{ media: { id: 'm', kind: 'video' } }, 'attachmentReceived'],
      [{ media: { id: 'm', kind: 'document' } }, 'attachmentReceived'],
      [{ location: { latitude: 1, longitude: 2 } }, 'attachmentReceived'],
      [{ contact: { name: 'Ion', phones: ['+40722000111'] } }, 'attachmentReceived'],
      [{ media: { id: 'm', kind: 'sticker' } }, null],
    ];
    for (const [attachment, key] of cases) assert.equal(attachmentReply(attachment), key, JSON.stringify(attachment));
  });

  test('a conversation recorded before media were read (the patch not taken) handles a voice note as before: not transcribed', () => {
    const state = conversation();
    const old: StepEnv = { ...env, patched: (id) => id !== PATCHES.media };
    const effects = drive(workItemSteps(state, inbound('', { media: VOICE }), old), defaults(acknowledged('voiceNoteUnsupported')), state);
    assert.ok(!kinds(effects).includes('transcribe'));
    assert.ok(!('transcript' in handleOf(effects)), 'the activity input is what old histories recorded');
  });
});

describe('asking for a person', () => {
  test('acknowledged in the customer language, mode saved, business alerted (remembered first)', () => {
    const state = conversation();
    const item = inbound('Vreau sa vorbesc cu un om');
    const effects = drive(workItemSteps(state, item, env), defaults(handled({ reply: null })), state);
    assert.equal(state.mode, 'handoff_requested');
    assert.equal(state.nextDeadline(), clock + DEFAULT_SETTINGS.responseTimeoutMs!);
    // The WhatsApp number makes the customer a lead before the handoff itself.
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'publish', 'saveLead', 'publish', 'saveMode', 'send', 'recordEvent', 'send']);
    const [ack, alert] = sends(effects);
    assert.equal(ack!.text, 'Desigur, transfer conversația către un coleg. Veți fi contactat în câteva minute.');
    assert.deepEqual(ack!.to, { customer: true });
    assert.deepEqual(alert!.to, { business: ADMIN });
    assert.equal(alert!.idempotencyKey, `handoff-alert:${item.kind === 'inbound' ? item.message.id : ''}`);
  });

  test('an acknowledgement that cannot be sent is recorded as failed and the business is still alerted', () => {
    const state = conversation();
    const respond = defaults(handled({ reply: null }), {
      send: (effect) => {
        if (effect.kind === 'send' && 'customer' in effect.send.to) throw new EffectFailed('send', 'channel offline for 24 h');
        return undefined;
      },
    });
    const effects = drive(workItemSteps(state, inbound('I want to talk to a human'), env), respond, state);
    const failure = effects.find((e) => e.kind === 'recordFailure') as Extract<Effect, { kind: 'recordFailure' }>;
    assert.deepEqual({ ...failure.failure, text: null }, { what: 'send', messageKey: failure.failure.messageKey, text: null, author: 'ai', toCustomer: true, error: 'channel offline for 24 h' });
    assert.match(failure.failure.messageKey!, /^handoff-ack:/);
    assert.deepEqual(kinds(effects).slice(-2), ['recordEvent', 'send'], 'the alert still goes out');
  });
});

describe('leads', () => {
  test('a captured lead is saved, remembered and alerted once with a key of its state', () => {
    const state = conversation();
    const respond = defaults(handled(), { saveLead: () => ({ alertTo: ADMIN }) });
    const effects = drive(workItemSteps(state, inbound('Ma numesc Ion Popescu, ion@example.com, cat costa livrarea?'), env), respond, state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'publish', 'saveLead', 'recordEvent', 'send', 'send']);
    const saveLead = effects[3] as Extract<Effect, { kind: 'saveLead' }>;
    assert.equal(saveLead.announce, true);
    const alert = sends(effects)[0]!;
    assert.match(alert.text, /^New Lead Captured!/);
    assert.equal(alert.idempotencyKey, `lead-alert:cnv_1:${state.lead!.score}:Ion Popescu:${CUSTOMER}:ion@example.com`);
  });

  test('no alert to the customer themselves', () => {
    const state = conversation();
    const respond = defaults(handled(), { saveLead: () => ({ alertTo: CUSTOMER }) });
    const effects = drive(workItemSteps(state, inbound('Ma numesc Ion Popescu'), env), respond, state);
    assert.ok(!kinds(effects).includes('recordEvent'));
  });

  test('CALL from the alert phone: customer told, admin confirmed; without a lead nothing happens', () => {
    const state = conversation();
    state.lead = { name: 'Ion', email: null, phone: CUSTOMER, interest: null, intent: false, score: 3 };
    const call: WorkItem = { kind: 'admin', seq: ++seq, command: { command: 'schedule_call', by: ADMIN, via: 'admin_phone', messageId: 'wamid-call', confirmTo: ADMIN } };
    const effects = drive(workItemSteps(state, call, env), defaults(), state);
    assert.deepEqual(sends(effects).map((s) => [s.to, s.idempotencyKey]), [
      [{ customer: true }, 'call-confirm:wamid-call'],
      [{ business: ADMIN }, 'call-admin:wamid-call'],
    ]);
    const none = drive(workItemSteps(state, call, env), defaults(handled(), { scheduleLeadCall: () => false }), state);
    assert.deepEqual(kinds(none), ['scheduleLeadCall']);
  });
});

describe('admin commands and agents', () => {
  test('only the business phone typing in the chat commands it', () => {
    const state = conversation();
    assert.equal(chatCommand(state, { id: 'a', text: 'PREIA', fromMe: false, at: '' }), null);
    assert.deepEqual(chatCommand(state, { id: 'b', text: ' preiá ', fromMe: true, at: '' }), { command: 'takeover', by: BUSINESS, via: 'chat', messageId: 'b' });
  });

  test('a command is what the signal says it is (read where it was received); older signals are read here', () => {
    const state = conversation();
    assert.equal(chatCommand(state, { id: 'c', text: 'PREIA', fromMe: true, at: '', command: null }), null, 'an ordinary message, as recorded');
    assert.equal(chatCommand(state, { id: 'd', text: 'takeover', fromMe: true, at: '', command: 'takeover' })?.command, 'takeover');
    assert.equal(chatCommand(state, { id: 'e', text: '/caty on', fromMe: true, at: '' })?.command, 'resume');
  });

  test('PREIA in the chat: mode saved, the command deleted from the chat, the confirmation to the business phone', () => {
    const state = conversation();
    const item: WorkItem = { kind: 'admin', seq: ++seq, command: chatCommand(state, { id: 'wamid-p', text: 'PREIA', fromMe: true, at: '' })! };
    const effects = drive(workItemSteps(state, item, env), defaults(), state);
    assert.deepEqual(kinds(effects), ['saveMode', 'deleteChatMessage', 'send']);
    assert.deepEqual(sends(effects)[0]!.to, { business: BUSINESS });
    assert.equal(sends(effects)[0]!.text, 'Ai preluat conversația. Caty nu va mai răspunde.');
  });

  test('from the API: mode saved, no confirmation message', () => {
    const state = conversation();
    const item: WorkItem = { kind: 'admin', seq: ++seq, command: { command: 'resume', by: 'account:acc_1', via: 'api' } };
    assert.deepEqual(kinds(drive(workItemSteps(state, item, env), defaults(), state)), ['saveMode']);
  });

  test("the agent's message from the API goes to the customer with its key", () => {
    const state = conversation();
    const item: WorkItem = { kind: 'outbound', seq: ++seq, request: { id: 'k1', text: 'Bună, sunt Ana.' } };
    assert.deepEqual(sends(drive(workItemSteps(state, item, env), defaults(), state)), [
      { to: { customer: true }, text: 'Bună, sunt Ana.', rich: null, idempotencyKey: 'api:k1', author: 'agent', language: null },
    ]);
  });

  test('an agent typing on the business phone is recorded, not answered', () => {
    const state = conversation();
    assert.deepEqual(kinds(drive(workItemSteps(state, inbound('Revin imediat', { fromMe: true }), env), defaults(), state)), ['recordAgentMessage']);
  });

  test('a number linked again moves the conversation to the new channel and type', () => {
    const state = conversation({ channelType: 'web' });
    state.link = { channelId: 'chn_2', provider: 'sandbox', businessPhone: BUSINESS, channelType: 'notifications' };
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), defaults(handled({ reply: null })), state);
    assert.equal(routeOf(effects), 'silent');
  });
});

describe('failures', () => {
  test('a message whose handling can never succeed is recorded as failed and skipped', () => {
    const state = conversation();
    const item = inbound('Cat costa livrarea?');
    const respond = defaults(handled(), {
      handleCustomerMessage: () => {
        throw new EffectFailed('handleCustomerMessage', 'widget wgt_1 not found');
      },
    });
    const effects = drive(workItemSteps(state, item, env), respond, state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'recordFailure']);
    const failure = (effects[1] as Extract<Effect, { kind: 'recordFailure' }>).failure;
    assert.deepEqual(failure, { what: 'work', messageKey: `wamid-${item.seq}`, text: 'Cat costa livrarea?', author: null, error: 'handleCustomerMessage: widget wgt_1 not found' });
  });

  test('a reply that cannot be sent is recorded as failed on the message', () => {
    const state = conversation();
    const respond = defaults(handled(), {
      send: () => {
        throw new EffectFailed('send', 'activity ScheduleToClose timeout');
      },
    });
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), respond, state);
    assert.deepEqual(kinds(effects).slice(-2), ['send', 'recordFailure']);
    assert.equal((effects.at(-1) as Extract<Effect, { kind: 'recordFailure' }>).failure.what, 'send');
  });

  test('a read receipt or typing indicator that fails never costs the reply', () => {
    const failing = (kind: 'markRead' | 'typing') => () => {
      throw new EffectFailed(kind, 'activity ScheduleToClose timeout');
    };
    for (const kind of ['markRead', 'typing'] as const) {
      const state = conversation({ provider: 'baileys' });
      const item = inbound('Cat costa livrarea?');
      const effects = drive(workItemSteps(state, item, env), defaults(handled(), { [kind]: failing(kind) }), state);
      assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'markRead', 'publish', 'saveLead', 'typing', 'send'], kind);
      assert.equal(sends(effects)[0]!.idempotencyKey, `reply:wamid-${item.seq}`);
    }
  });

  test('in a history recorded before that rule, the failed receipt failed the work, and replays so', () => {
    const state = conversation({ provider: 'baileys' });
    const before: StepEnv = { ...env, patched: () => false };
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), before), defaults(handled(), {
      markRead: () => {
        throw new EffectFailed('markRead', 'activity ScheduleToClose timeout');
      },
    }), state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'markRead', 'recordFailure']);
  });

  test('errors of the decisions themselves are not swallowed', () => {
    const state = conversation();
    assert.throws(() => drive(workItemSteps(state, inbound('x'), env), () => {
      throw new TypeError('a bug');
    }, state), TypeError);
  });
});

describe('timers', () => {
  test('auto-resume after the agent went quiet', () => {
    const state = conversation();
    state.takeOver(clock);
    const effects = drive(timerSteps(state, 'auto_resume', env), defaults(), state);
    assert.equal(state.mode, 'ai');
    assert.deepEqual(kinds(effects), ['publish', 'saveMode']);
  });

  test('nobody took over in time: one follow-up, then Caty resumes, or keeps waiting', () => {
    const resuming = conversation();
    resuming.requestHandoff(clock);
    const effects = drive(timerSteps(resuming, 'handoff_timeout', env), defaults(), resuming);
    assert.deepEqual(kinds(effects), ['publish', 'send', 'saveMode']);
    assert.equal(resuming.mode, 'ai');

    const waiting = conversation();
    waiting.settings = { ...DEFAULT_SETTINGS, onResponseTimeout: 'wait' };
    waiting.requestHandoff(clock);
    assert.deepEqual(kinds(drive(timerSteps(waiting, 'handoff_timeout', env), defaults(), waiting)), ['publish', 'send']);
    assert.equal(waiting.mode, 'handoff_requested');
    assert.equal(waiting.nextDeadline(), null, 'the follow-up is sent once');
  });
});

describe('a reply from a model', () => {
  test('deferred by the store step: composed with its own retries, the topic from the reply, typing shown first', () => {
    const state = conversation({ provider: 'baileys' });
    const composed = { text: 'Livrarea costă 15 lei.', topic: 'Cat costa livrarea?', fromKnowledgeBase: true, language: 'ro' };
    const respond = defaults(handled({ reply: null, replyDeferred: true }), { composeReply: () => composed });
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), respond, state);
    assert.deepEqual(kinds(effects), ['handleCustomerMessage', 'publish', 'markRead', 'typing', 'composeReply', 'publish', 'saveLead', 'send']);
    assert.equal(state.lead?.interest, 'Cat costa livrarea?');
    assert.equal(sends(effects)[0]!.text, composed.text);
  });

  test('not composed when a person took over meanwhile', () => {
    const state = conversation();
    const respond = defaults(handled({ reply: null, replyDeferred: true }), {
      handleCustomerMessage: (effect) => {
        state.takeOver(clock);
        return asActivity(effect, handled({ reply: null, replyDeferred: true }));
      },
    });
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), env), respond, state);
    assert.ok(!kinds(effects).includes('composeReply'));
    assert.deepEqual(sends(effects), []);
  });
});

describe('business hours', () => {
  // Open Mondays 09-17 in Bucharest; 2026-11-25 is a Wednesday.
  const hours = { timezone: 'Europe/Bucharest', days: { mon: [['09:00', '17:00']] as [string, string][] } };
  const wednesdayNight = Date.parse('2026-11-25T21:00:00Z');

  test('closed: the away message once per closed period, before the answer', () => {
    const state = conversation();
    const settings = { ...DEFAULT_SETTINGS, businessHours: hours };
    const at: StepEnv = { now: () => wednesdayNight, uuid: env.uuid, patched: env.patched };
    const first = drive(workItemSteps(state, inbound('Cat costa livrarea?'), at), defaults(handled({ settings })), state);
    const [away, reply] = sends(first);
    assert.match(away!.text, /^Bună! Acum suntem închiși\. .*următorul program: luni 09:00/);
    assert.equal(away!.idempotencyKey, `away:cnv_1:${state.awayNotified}`);
    assert.equal(reply!.idempotencyKey.startsWith('reply:'), true);
    const second = drive(workItemSteps(state, inbound('Cat dureaza livrarea?'), at), defaults(handled({ settings })), state);
    assert.equal(sends(second).length, 1, 'the away message is not repeated in the same closed period');
  });

  test("the business's own away message in the widget language", () => {
    const state = conversation();
    const settings = { ...DEFAULT_SETTINGS, businessHours: { ...hours, away_message: 'Revenim luni.' } };
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), { now: () => wednesdayNight, uuid: env.uuid, patched: env.patched }), defaults(handled({ settings })), state);
    assert.equal(sends(effects)[0]!.text, 'Revenim luni.');
  });

  test('closed: the reply is not delivered with its message, so the away message comes first', () => {
    const state = conversation();
    state.settings = { ...DEFAULT_SETTINGS, businessHours: hours };
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), { now: () => wednesdayNight, uuid: env.uuid, patched: env.patched }), defaults(handled({ settings: state.settings })), state);
    // The activity read the hours as closed (at the workflow's clock): it leaves the reply to the workflow.
    const { input } = effects[0] as HandleEffect;
    assert.equal(input.reading?.now, wednesdayNight);
    assert.equal(sends(effects).length, 2);
  });

  test('open: no away message', () => {
    const state = conversation();
    const settings = { ...DEFAULT_SETTINGS, businessHours: hours };
    const mondayNoon = Date.parse('2026-11-30T10:00:00Z');
    const effects = drive(workItemSteps(state, inbound('Cat costa livrarea?'), { now: () => mondayNoon, uuid: env.uuid, patched: env.patched }), defaults(handled({ settings })), state);
    assert.equal(sends(effects).length, 1);
  });

  test('asking for a person when closed: acknowledged with the next opening, no separate away message', () => {
    const state = conversation();
    const settings = { ...DEFAULT_SETTINGS, businessHours: hours };
    const at: StepEnv = { now: () => wednesdayNight, uuid: env.uuid, patched: env.patched };
    const effects = drive(workItemSteps(state, inbound('Vreau sa vorbesc cu un om'), at), defaults(handled({ settings, reply: null })), state);
    const [ack] = sends(effects);
    assert.match(ack!.text, /^Desigur, transfer conversația către un coleg\. Acum suntem în afara programului.*luni 09:00/);
    assert.ok(state.awayNotified);
  });
});

describe('bounded sends', () => {
  test('attempts that fit in the send timeout with the backoff', async () => {
    const { attemptsWithin } = await import('../../workflows/conversation/workflow.js');
    const retry = { initialInterval: 200, backoffCoefficient: 2, maximumInterval: 30_000 };
    assert.equal(attemptsWithin(100, retry), 1);
    assert.equal(attemptsWithin(2000, retry), 4, '200 + 400 + 800 ms of waiting');
    // 200 ms doubling to 25.6 s waits 51 s over 8 retries; a day holds 2,878 more 30 s waits.
    assert.equal(attemptsWithin(86_400_000, retry), 9 + Math.floor((86_400_000 - 51_000) / 30_000));
  });
});
