import { parseAdminCommand } from '../commands/admin-command.js';
import { isHumanRequest } from '../handoff/human-request.js';
import { businessMessage } from '../i18n/business.js';
import { systemMessage } from '../i18n/catalogue.js';
import { formatLeadAlert } from '../leads/alert.js';
import { applyLeadFacts, extractLead, type LeadUpdate } from '../leads/extract.js';
import { hoursStatus, type HoursStatus } from '../hours/business-hours.js';
import { EffectFailed, perform, type Effect, type Send, type Steps } from './effects.js';
import { replyKey } from './keys.js';
import { extractSource, routeCustomerMessage, type CustomerMessageRoute } from './router.js';
import type { AdminCommandSignal, InboundSignal, OutboundSignal } from './signals.js';
import type { ConversationState, DueTimer, WorkItem } from './state.js';
import { hasAttachment } from './attachments.js';

/**
 * The conversation's decisions, as plain functions of its state: for each piece of work they
 * yield the effects to run, in order, and read the results they need. No Temporal APIs, so table
 * tests drive them with scripted results; the workflow only runs the effects.
 */
export interface StepEnv {
  /** Workflow time, epoch ms. */
  now(): number;
  /** A fresh unique id (deterministic in a workflow). */
  uuid(): string;
  /**
   * Temporal's `patched(id)`: true where this code's newer behaviour applies (new work, and
   * histories that recorded it), false when replaying a history recorded before it. Every change
   * to what the decisions do, for work already recorded, goes behind one (see README).
   */
  patched(id: string): boolean;
}

/** Patch ids: each names one change of behaviour, for histories recorded before it. */
export const PATCHES = {
  /** A read receipt or typing indicator that fails costs nothing: the reply still goes out. */
  receiptsBestEffort: 'receipts-best-effort',
  /** Messages carry media (photos, voice notes, files, locations, contacts). */
  media: 'media-messages',
  /**
   * A customer message is read by the activity that stores it (handoff request, lead facts,
   * business hours), not with data compiled into the workflow code.
   */
  readingRecorded: 'reading-recorded',
  /** A message typed on the business phone, or sent by a person from the dashboard, takes the conversation over. */
  personReplyPauses: 'person-reply-pauses',
  /**
   * After a silence (CATY_CONVERSATION_IDLE_CLOSE, recorded by an activity) the run completes, its
   * state kept in PostgreSQL, and a new chain of runs starts from it.
   */
  idleClose: 'idle-close',
  /**
   * A takeover or resume that arrives before the run has its settings (and the state a closed
   * conversation saved) takes effect once they are in: an auto-resume counts from the widget's
   * setting, not the default, and a reopened conversation's saved mode does not undo it.
   */
  commandsAwaitSettings: 'commands-await-settings',
} as const;

/**
 * The takeover a person's own reply to the customer amounts to (see `businessReplyTakesOver`), or
 * null. Asked only when it would change something, so histories recorded before never meet the patch.
 */
export function replyTakeover(state: ConversationState, by: string, env: Pick<StepEnv, 'patched'>): AdminCommandSignal | null {
  if (!state.businessReplyTakesOver() || !env.patched(PATCHES.personReplyPauses)) return null;
  return { command: 'takeover', by, via: 'reply', messageId: null };
}

/** The business phone typed `PREIA` or `/caty on` in the customer's chat: a command, not a message. */
export function chatCommand(state: ConversationState, message: InboundSignal): AdminCommandSignal | null {
  if (!message.fromMe) return null;
  const command = message.command !== undefined ? message.command : (parseAdminCommand(message.text)?.command ?? null);
  if (!command) return null;
  return { command, by: state.link.businessPhone ?? 'business', via: 'chat', messageId: message.id };
}

/** First run of a conversation: its settings, and its mode in the Temporal UI. */
export function* startSteps(state: ConversationState): Steps {
  state.settings = yield* perform({ kind: 'loadSettings' });
  yield* perform({ kind: 'publish', mode: true });
}

/** One piece of work. A failure that can never succeed is recorded and the conversation goes on. */
export function* workItemSteps(state: ConversationState, item: WorkItem, env: StepEnv): Steps {
  try {
    switch (item.kind) {
      case 'inbound':
        if (item.message.fromMe) yield* perform({ kind: 'recordAgentMessage', message: item.message });
        else yield* customerMessageSteps(state, item.message, item.seq, env);
        return;
      case 'outbound':
        yield* agentSendSteps(state, item.request, env);
        return;
      case 'admin':
        yield* adminCommandSteps(state, item.command, env);
        return;
    }
  } catch (error) {
    if (!(error instanceof EffectFailed)) throw error;
    yield* perform({
      kind: 'recordFailure',
      failure: { what: 'work', messageKey: workItemKey(item), text: item.kind === 'inbound' ? item.message.text : null, author: null, error: `${error.effect}: ${error.message}` },
    });
  }
}

export function* timerSteps(state: ConversationState, timer: DueTimer, env: StepEnv): Steps {
  if (timer === 'auto_resume') {
    state.resume();
    yield* perform({ kind: 'publish', mode: true });
    const seconds = Math.round((state.settings.autoResumeAfterMs ?? 0) / 1000);
    yield* perform({ kind: 'saveMode', mode: 'ai', actor: 'system', reason: `no message from the agent for ${seconds} s` });
    return;
  }
  const followUp = systemMessage('handoffFollowUp', state.language, {}, state.settings.defaultLanguage);
  const resumed = state.handoffTimedOut();
  yield* perform({ kind: 'publish', mode: resumed });
  yield* sendSteps({ to: { customer: true }, text: followUp, idempotencyKey: `handoff-followup:${env.uuid()}`, author: 'ai', language: state.language });
  if (resumed) yield* perform({ kind: 'saveMode', mode: 'ai', actor: 'system', reason: 'nobody took the conversation over in time' });
}

function* customerMessageSteps(state: ConversationState, message: InboundSignal, seq: number, env: StepEnv): Steps {
  // Asked only for a message with an attachment: histories recorded before never meet the question.
  const media = hasAttachment(message) && env.patched(PATCHES.media);
  // A voice note is heard first, and its words then count exactly as if typed.
  const transcript = media && message.media?.kind === 'audio' ? (yield* perform({ kind: 'transcribe', mediaId: message.media.id })).transcript : null;
  const understood = transcript ?? message.text;
  const first = state.customerMessages === 0;
  const source = first && !state.source ? extractSource(understood) : null;
  // The reply after the qr_first greeting answers "who am I talking to?": a bare name counts.
  const expectName = state.greeted && state.link.channelType === 'qr_first' && state.customerMessages + 1 === 2;
  // Read by the activity (handoff cues, lead facts, business hours: data that changes between
  // releases), so what it found is recorded and replays the same. Histories recorded before read here.
  const recorded = env.patched(PATCHES.readingRecorded);
  const reading = recorded ? { mode: state.mode, channelType: state.link.channelType, greeted: state.greeted, notice: Boolean(message.notice), expectName, now: env.now() } : null;
  const here = recorded ? null : readHere(state, message, understood, env);
  // Where this worker reaches the customer itself (the website, a sandbox number), the activity
  // that writes a reply also delivers it: one round trip a message (not when something must come first).
  const deliverReply = state.repliesInWorker() && (here ? here.deliver : state.mode === 'ai') ? { channelId: state.link.channelId } : null;
  const handled = yield* perform({
    kind: 'handleCustomerMessage',
    input: {
      ingestKey: `${seq}:${message.id}`,
      message,
      previousLanguage: state.language,
      source,
      ...(reading ? { reading } : { route: here!.route }),
      ...(deliverReply ? { deliverReply } : {}),
      ...(media ? { transcript } : {}),
    },
  });
  const { wantsPerson, route } = handled.read ?? here!;
  // Stored for another queue item and dealt with: a redelivery older than the remembered ids.
  // (Stored before but unanswered is a retry after a crash: it still gets its reply.)
  if (!handled.firstDelivery && (handled.alreadyAnswered || route === 'silent')) return;
  state.customerMessages++;
  if (source) state.source = source;
  const justGreeted = state.greeted && state.link.channelType === 'qr_first' && state.customerMessages === 2;
  state.settings = handled.settings;
  const languageChanged = handled.language !== state.language;
  state.language = handled.language;
  if (route === 'greet') state.greeted = true;
  yield* perform({ kind: 'publish', language: languageChanged });
  if (state.sendsToPhone()) yield* courtesy({ kind: 'markRead', messageIds: [message.id] }, env);
  let reply = handled.reply;
  let typing = false;
  if (handled.replyDeferred && state.mode === 'ai') {
    // A model takes a moment to write: the customer sees Caty typing meanwhile.
    if (state.sendsToPhone()) yield* courtesy({ kind: 'typing' }, env);
    typing = true;
    const photo = media && message.media?.kind === 'image' ? { mediaId: message.media.id } : {};
    reply = yield* perform({ kind: 'composeReply', messageId: message.id, text: understood, language: handled.language, ...photo });
  }
  if (!message.notice) {
    const context = { interest: reply?.topic ?? null, customerPhone: state.input.kind === 'whatsapp' ? state.input.customer : null };
    const update = handled.read
      ? applyLeadFacts(state.lead, handled.read.lead, context)
      : extractLead({ text: understood, previous: state.lead, ...context, expectName: justGreeted });
    yield* leadSteps(state, update);
  }
  if (handled.replyDelivered) return;
  if (message.notice) {
    yield* sendSteps({ to: { customer: true }, text: message.notice, idempotencyKey: `notice:${message.id}`, author: 'system', language: state.settings.defaultLanguage });
    return;
  }
  const hours = handled.read ? handled.read.hours : businessHoursNow(state, env);
  if (wantsPerson) return yield* handoffRequestSteps(state, message, env, hours);
  // A takeover may have arrived while the reply was being written.
  if (!reply || state.mode !== 'ai') return;
  if (hours && !hours.open) yield* awaySteps(state, hours);
  if (state.sendsToPhone() && !typing) yield* courtesy({ kind: 'typing' }, env);
  yield* sendSteps({
    to: { customer: true },
    text: reply.text,
    idempotencyKey: replyKey(message.id),
    author: 'ai',
    language: reply.language ?? state.language,
    acceptedAt: message.at,
  });
}

/**
 * How conversations recorded before PATCHES.readingRecorded read a message: in workflow code,
 * with the cue lists and time zones compiled into this release. Kept only so that they replay.
 */
function readHere(state: ConversationState, message: InboundSignal, understood: string, env: StepEnv): { wantsPerson: boolean; route: CustomerMessageRoute; deliver: boolean } {
  const wantsPerson = !message.notice && state.mode === 'ai' && state.link.channelType !== 'notifications' && isHumanRequest(understood);
  const route = wantsPerson || message.notice ? 'silent' : routeCustomerMessage(state.link.channelType, state.mode, state.greeted);
  const closedNow = businessHoursNow(state, env)?.open === false;
  return { wantsPerson, route, deliver: route !== 'silent' && state.mode === 'ai' && !closedNow };
}

function* leadSteps(state: ConversationState, update: LeadUpdate): Steps {
  if (state.link.channelType === 'notifications') return;
  if (update.changed.length === 0) return;
  const scoreChanged = update.lead.score !== state.lead?.score;
  state.lead = update.lead;
  yield* perform({ kind: 'publish', lead: scoreChanged });
  const announce = update.captured || (update.scoreRaised && update.lead.name !== null);
  const { alertTo } = yield* perform({ kind: 'saveLead', lead: update.lead, announce });
  if (!alertTo || alertTo === state.input.customer) return;
  // Keyed by the lead's state: one alert per change, however often this is retried or replayed.
  const lead = update.lead;
  const key = `lead-alert:${state.input.conversationId}:${lead.score}:${lead.name}:${lead.phone}:${lead.email}`;
  yield* alertSteps(alertTo, formatLeadAlert(lead), key, 'lead');
}

/** An alert to the business, remembered first so a bare PREIA or CALL from that phone finds what it answers. */
function* alertSteps(to: string, text: string, idempotencyKey: string, kind: 'lead' | 'handoff'): Steps {
  yield* perform({ kind: 'recordEvent', eventKind: 'alert.sent', actor: 'system', reason: kind === 'lead' ? 'lead captured' : 'handoff requested', data: { to, kind } });
  yield* sendSteps({ to: { business: to }, text, idempotencyKey, author: 'system' });
}

/** The business's opening hours right now, in the customer's language; null when it keeps none. */
function businessHoursNow(state: ConversationState, env: StepEnv): HoursStatus | null {
  const hours = state.settings.businessHours;
  return hours ? hoursStatus(hours, env.now(), state.language ?? state.settings.defaultLanguage) : null;
}

/**
 * Outside business hours Caty still answers, and tells the customer once per closed period when
 * people are back: the business's own away message when the customer writes in the widget's
 * language, the catalogue's (with the next opening) in any other.
 */
function* awaySteps(state: ConversationState, hours: HoursStatus): Steps {
  if (!hours.closedPeriod || state.awayNotified === hours.closedPeriod) return;
  state.awayNotified = hours.closedPeriod;
  const defaultLanguage = state.settings.defaultLanguage;
  const own = state.settings.businessHours?.away_message;
  const text =
    own && (state.language ?? defaultLanguage) === defaultLanguage
      ? own
      : hours.opens
        ? systemMessage('awayMessageUntil', state.language, { opens: hours.opens }, defaultLanguage)
        : systemMessage('awayMessage', state.language, {}, defaultLanguage);
  yield* sendSteps({ to: { customer: true }, text, idempotencyKey: `away:${state.input.conversationId}:${hours.closedPeriod}`, author: 'system', language: state.language });
}

function* handoffRequestSteps(state: ConversationState, message: InboundSignal, env: StepEnv, hours: HoursStatus | null): Steps {
  if (!state.requestHandoff(env.now())) return;
  yield* perform({ kind: 'publish', mode: true });
  yield* perform({ kind: 'saveMode', mode: 'handoff_requested', actor: state.input.customer, reason: 'the customer asked for a person' });
  // Outside hours the customer learns when a person can answer; that also stands for the away message.
  const closed = hours !== null && !hours.open && hours.opens !== null;
  if (closed) state.awayNotified = hours.closedPeriod;
  const acknowledgement = closed
    ? systemMessage('handoffOutsideHours', state.language, { opens: hours.opens! }, state.settings.defaultLanguage)
    : systemMessage('handoffAcknowledged', state.language, {}, state.settings.defaultLanguage);
  yield* sendSteps({ to: { customer: true }, text: acknowledgement, idempotencyKey: `handoff-ack:${message.id}`, author: 'ai', language: state.language });
  const alertPhone = state.settings.alertPhone;
  if (alertPhone && alertPhone !== state.input.customer) {
    // A website visitor has no number to name: a bare PREIA answers the latest alert.
    const text = businessMessage(state.input.kind === 'web' ? 'webHandoffAlert' : 'handoffAlert', state.settings.defaultLanguage, { customer: state.input.customer });
    yield* alertSteps(alertPhone, text, `handoff-alert:${message.id}`, 'handoff');
  }
}

function* agentSendSteps(state: ConversationState, request: OutboundSignal, env: StepEnv): Steps {
  const media = request.media && (env.patched(PATCHES.media)) ? { media: request.media } : {};
  yield* sendSteps({ to: { customer: true }, text: request.text, rich: request.rich ?? null, idempotencyKey: `api:${request.id}`, author: 'agent', language: state.language, ...media });
}

function* adminCommandSteps(state: ConversationState, command: AdminCommandSignal, env: StepEnv): Steps {
  if (command.command === 'schedule_call') return yield* scheduleCallSteps(state, command, env);
  // The mode itself flipped when the command arrived (see the workflow's handlers); this records it.
  const mode = command.command === 'takeover' ? 'human' : 'ai';
  yield* perform({ kind: 'saveMode', mode, actor: command.by, reason: `${command.command} via ${command.via}` });
  if (command.via === 'chat' && command.messageId && state.link.channelId) {
    // The customer must never see the command typed in their chat.
    yield* perform({ kind: 'deleteChatMessage', messageId: command.messageId });
  }
  const confirmTo = command.via === 'chat' ? state.link.businessPhone : (command.confirmTo ?? null);
  if (confirmTo && confirmTo !== state.input.customer) {
    const key = command.command === 'takeover' ? 'takeoverConfirmed' : 'resumeConfirmed';
    yield* sendSteps({ to: { business: confirmTo }, text: systemMessage(key, state.settings.defaultLanguage), idempotencyKey: `confirm:${command.messageId ?? env.uuid()}`, author: 'system' });
  }
}

function* scheduleCallSteps(state: ConversationState, command: AdminCommandSignal, env: StepEnv): Steps {
  if (!(yield* perform({ kind: 'scheduleLeadCall' }))) return;
  yield* sendSteps({
    to: { customer: true },
    text: systemMessage('leadCallConfirmed', state.language, {}, state.settings.defaultLanguage),
    idempotencyKey: `call-confirm:${command.messageId ?? env.uuid()}`,
    author: 'system',
    language: state.language,
  });
  if (command.confirmTo) {
    const customer = state.input.kind === 'web' ? (state.lead?.phone ?? state.lead?.email ?? 'web') : state.input.customer;
    const text = businessMessage('callScheduled', state.settings.defaultLanguage, { customer, name: state.lead?.name ?? customer });
    yield* sendSteps({ to: { business: command.confirmTo }, text, idempotencyKey: `call-admin:${command.messageId ?? env.uuid()}`, author: 'system' });
  }
}

/**
 * A read receipt or typing indicator: nice to have, never worth the reply. One that fails (its
 * short timeout passed, the socket is gone) is skipped. Histories recorded before this rule
 * failed the whole piece of work instead, and replay as they were.
 */
function* courtesy(effect: Extract<Effect, { kind: 'markRead' | 'typing' }>, env: StepEnv): Steps {
  try {
    yield* perform(effect);
  } catch (error) {
    if (!(error instanceof EffectFailed) || !env.patched(PATCHES.receiptsBestEffort)) throw error;
  }
}

/** A send that cannot go out is recorded as failed (visible on the message); the work goes on. */
function* sendSteps(send: Send): Steps {
  try {
    yield* perform({ kind: 'send', send });
  } catch (error) {
    if (!(error instanceof EffectFailed)) throw error;
    yield* perform({ kind: 'recordFailure', failure: { what: 'send', messageKey: send.idempotencyKey, text: send.text, author: send.author, toCustomer: 'customer' in send.to, error: error.message } });
  }
}

function workItemKey(item: WorkItem): string | null {
  switch (item.kind) {
    case 'inbound':
      return item.message.id;
    case 'outbound':
      return `api:${item.request.id}`;
    case 'admin':
      return item.command.messageId ?? null;
  }
}
