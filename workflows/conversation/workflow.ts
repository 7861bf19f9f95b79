import {
  ActivityFailure,
  allHandlersFinished,
  CancelledFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  TemporalFailure,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ConversationActivities } from './activity-types.js';
import type { SessionActivities } from '../../activities/whatsapp/session-activities.js';
import type { ConversationCloseActivities } from '../../activities/lifecycle/conversation-close.js';
import { composeReplyWithFallback } from '../ai/compose.js';
import { transcribeWithFallback } from '../media/transcribe.js';
import { EffectFailed, type Effect, type Send, type Steps } from './effects.js';
import { CatyLanguage, CatyLeadScore, CatyMode } from './search-attributes.js';
import { sessionTaskQueue } from './session-queue.js';
import {
  adminCommandSignal,
  inboundBatchSignal,
  inboundSignal,
  outboundSignal,
  stateQuery,
  type AdminCommandSignal,
  type InboundSignal,
  type LinkedSignal,
} from './signals.js';
import { ConversationState, type ConversationInput, type ConversationLink, type ConversationSettings } from './state.js';
import { chatCommand, PATCHES, replyTakeover, startSteps, timerSteps, workItemSteps, type StepEnv } from './steps.js';

// Database work is short and idempotent: local activities keep it off the server's round trips.
// Errors that can never succeed are non-retryable (see activities/errors.ts), so they end here
// as a recorded failure instead of blocking the conversation.
const local = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const DAY_MS = 86_400_000;

const lifecycle = proxyLocalActivities<ConversationCloseActivities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

/**
 * Where sends, receipts and typing run: a real socket's on the queue of the gateway worker that
 * holds it, the sandbox's locally. A channel may be offline for a while (phone out of battery,
 * re-pairing), so they keep trying for the configured time (a day by default); after that the
 * message is recorded as failed and the conversation goes on.
 */
function sessionActivities(link: ConversationLink, settings: ConversationSettings): SessionActivities {
  const scheduleToCloseTimeout = settings.sendTimeoutMs ?? DAY_MS;
  const queue = link.provider && link.channelId ? sessionTaskQueue(link.provider, link.channelId) : null;
  if (!queue) {
    const retry = { initialInterval: 200, backoffCoefficient: 2, maximumInterval: 30_000 };
    return proxyLocalActivities<SessionActivities>({
      startToCloseTimeout: '30s',
      scheduleToCloseTimeout,
      // A local activity that is backing off between attempts outlives its schedule-to-close
      // timeout (the SDK only times out a running attempt), so the attempts are bounded too.
      retry: { ...retry, maximumAttempts: attemptsWithin(scheduleToCloseTimeout, retry) },
      // Longer waits between attempts are durable timers, not a workflow task kept open (and
      // heartbeated into the history every few seconds) for as long as the channel is offline.
      localRetryThreshold: '5s',
    });
  }
  return proxyActivities<SessionActivities>({
    taskQueue: queue,
    startToCloseTimeout: '60s',
    scheduleToCloseTimeout,
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '2m' },
  });
}

/**
 * Read receipts and typing indicators: a few quick tries, then skipped (see `courtesy` in
 * steps.ts). Waiting a day for one, as sends may, would hold the reply and the queue behind it.
 */
function courtesyActivities(link: ConversationLink): Pick<SessionActivities, 'markWhatsAppRead' | 'setWhatsAppTyping'> | null {
  const queue = link.provider && link.channelId ? sessionTaskQueue(link.provider, link.channelId) : null;
  if (!queue) return null;
  return proxyActivities<SessionActivities>({
    taskQueue: queue,
    startToCloseTimeout: '10s',
    scheduleToCloseTimeout: '30s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5s' },
  });
}

/** How many attempts an exponential backoff makes within `ms`. */
export function attemptsWithin(ms: number, retry: { initialInterval: number; backoffCoefficient: number; maximumInterval: number }): number {
  let attempts = 1;
  let waited = 0;
  let interval = retry.initialInterval;
  while (interval < retry.maximumInterval && waited + interval <= ms) {
    waited += interval;
    attempts++;
    interval = Math.min(interval * retry.backoffCoefficient, retry.maximumInterval);
  }
  // Once the interval is at its cap, the rest of the time is whole capped intervals.
  return attempts + Math.max(0, Math.floor((ms - waited) / retry.maximumInterval));
}

/**
 * Local activities run inside one workflow task and are recorded when it completes. A backlog of
 * hundreds of messages would make that completion too large for the server, which then discards
 * it and every result in it, so the loop closes the task every few messages.
 */
const ITEMS_PER_WORKFLOW_TASK = 20;

/**
 * The patches conversationWorkflowV2 was born with: they apply without being asked. A patch costs
 * every new conversation that meets it a marker and a visibility write (the SDK upserts
 * TemporalChangeVersion with each), and no V2 conversation ever ran the code from before these.
 * Fixed for good: a later patch is asked with `patched()`, since V2 histories recorded before it exist.
 */
const BORN_WITH_V2: ReadonlySet<string> = new Set([PATCHES.receiptsBestEffort, PATCHES.media, PATCHES.readingRecorded, PATCHES.personReplyPauses, PATCHES.idleClose, PATCHES.commandsAwaitSettings]);

/** One customer conversation: a durable loop that handles its messages strictly in order. Every conversation starts as this type. */
export async function conversationWorkflowV2(input: ConversationInput): Promise<void> {
  return converse(input, { patched: (id) => BORN_WITH_V2.has(id) || patched(id), publishOncePerTask: true });
}

/**
 * Conversations started before conversationWorkflowV2 (2026-12-05) run on as this type until
 * they close, each patch asked as it was when they were recorded, so that they replay.
 */
export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  return converse(input, { patched, publishOncePerTask: false });
}

interface Release {
  patched: (id: string) => boolean;
  /**
   * What the Temporal UI shows (mode, language, lead score) goes out once per workflow task, only
   * what differs from what it shows: every upsert is a visibility write on the server.
   */
  publishOncePerTask: boolean;
}

async function converse(input: ConversationInput, release: Release): Promise<void> {
  const state = new ConversationState(input);
  const env: StepEnv = { now: () => Date.now(), uuid: uuid4, patched: release.patched };

  // Handlers only queue work (and flip the mode at once, so no queued reply slips out after a takeover).
  const follow = (signal: LinkedSignal) => {
    if (signal.link) state.link = signal.link;
  };
  const flip = (command: 'takeover' | 'resume', at: number) => {
    const changed = command === 'takeover' ? state.takeOver(at) : state.resume();
    if (changed) publish({ mode: true });
  };
  // A fresh run learns its settings and saved state first; commands that come before wait for them.
  let settled = input.carried !== undefined;
  const early: Array<{ command: 'takeover' | 'resume'; at: number }> = [];
  const admin = (command: AdminCommandSignal) => {
    if (!state.enqueue({ kind: 'admin', command }) || command.command === 'schedule_call') return;
    if (!settled && release.patched(PATCHES.commandsAwaitSettings)) early.push({ command: command.command, at: Date.now() });
    else flip(command.command, Date.now());
  };
  const inbound = (message: InboundSignal) => {
    follow(message);
    const command = chatCommand(state, message);
    if (command) return admin(command);
    if (!state.enqueue({ kind: 'inbound', message }) || !message.fromMe) return;
    const takeover = replyTakeover(state, state.link.businessPhone ?? 'business', env);
    if (takeover) admin(takeover);
    else state.agentSpoke(Date.now());
  };
  setHandler(inboundSignal, inbound);
  setHandler(inboundBatchSignal, (messages) => messages.forEach(inbound));
  setHandler(adminCommandSignal, (command) => {
    follow(command);
    admin(command);
  });
  setHandler(outboundSignal, (request) => {
    follow(request);
    if (!state.enqueue({ kind: 'outbound', request }) || !request.byPerson) return;
    const takeover = replyTakeover(state, request.byPerson, env);
    if (takeover) admin(takeover);
    else state.agentSpoke(Date.now());
  });
  setHandler(stateQuery, () => state.snapshot());

  function publish(changed: { mode?: boolean; language?: boolean; lead?: boolean }): void {
    // Published once per task instead, by flushPublished.
    if (!release.publishOncePerTask) {
      if (changed.mode) upsertSearchAttributes([{ key: CatyMode, value: state.mode }]);
      if (changed.language && state.language) upsertSearchAttributes([{ key: CatyLanguage, value: state.language }]);
      if (changed.lead && state.lead) upsertSearchAttributes([{ key: CatyLeadScore, value: state.lead.score }]);
    }
    setCurrentDetails(state.details());
  }

  /**
   * Before the workflow waits (its task ends there): one upsert of whatever differs from what
   * Temporal shows, which the SDK keeps up to date with every upsert (so replays decide the same).
   */
  function flushPublished(): void {
    if (!release.publishOncePerTask) return;
    const shown = workflowInfo().typedSearchAttributes;
    const updates: SearchAttributeUpdatePair[] = [];
    if (shown.get(CatyMode) !== state.mode) updates.push({ key: CatyMode, value: state.mode });
    if (state.language && shown.get(CatyLanguage) !== state.language) updates.push({ key: CatyLanguage, value: state.language });
    if (state.lead && shown.get(CatyLeadScore) !== state.lead.score) updates.push({ key: CatyLeadScore, value: state.lead.score });
    if (updates.length > 0) upsertSearchAttributes(updates);
  }

  const conversation = { conversationId: input.conversationId, widgetId: input.widgetId };

  async function send(message: Send): Promise<void> {
    const toCustomer = 'customer' in message.to;
    if (input.kind === 'web' && toCustomer) {
      // A web visitor reads replies from the database (the widget's stream), not from a phone.
      await local.recordWebReply({
        ...conversation,
        visitor: input.customer,
        idempotencyKey: message.idempotencyKey,
        text: message.text,
        rich: message.rich ?? null,
        author: message.author,
        language: message.language ?? null,
        ...(message.acceptedAt ? { acceptedAt: message.acceptedAt } : {}),
        ...(message.media ? { media: message.media } : {}),
      });
      return;
    }
    // A web conversation has no WhatsApp chat of its own; its alerts to the business go out from
    // the widget's linked number, looked up when one is sent.
    const link = input.kind === 'web' ? await local.findAlertChannel({ widgetId: input.widgetId }) : state.link;
    const channelId = link?.channelId;
    if (!link || !channelId) return;
    await sessionActivities(link, state.settings).sendWhatsAppMessage({
      channelId,
      to: 'customer' in message.to ? input.customer : message.to.business,
      text: message.text,
      rich: message.rich ?? null,
      ...(message.media ? { media: message.media } : {}),
      idempotencyKey: message.idempotencyKey,
      author: message.author,
      language: message.language ?? null,
      // Messages to the business's own phones are not part of the customer's chat.
      conversationId: toCustomer ? input.conversationId : null,
      ...(toCustomer ? { widgetId: input.widgetId } : {}),
      ...(message.acceptedAt ? { acceptedAt: message.acceptedAt } : {}),
    });
  }

  /** Runs one effect: an activity, or a Temporal command. */
  async function run(effect: Effect): Promise<unknown> {
    const { channelId } = state.link;
    switch (effect.kind) {
      case 'handleCustomerMessage':
        return local.handleCustomerMessage({ ...effect.input, ...conversation, customerPhone: input.customer, channel: input.kind });
      case 'composeReply':
        return composeReplyWithFallback({ ...conversation, messageId: effect.messageId, text: effect.text, language: effect.language, ...(effect.mediaId ? { mediaId: effect.mediaId } : {}) });
      case 'transcribe':
        return transcribeWithFallback({ ...conversation, mediaId: effect.mediaId });
      case 'recordAgentMessage':
        return local.recordAgentMessage({ ...conversation, customerPhone: input.customer, message: effect.message });
      case 'markRead':
        return channelId && courtesyActivities(state.link)?.markWhatsAppRead({ channelId, customerPhone: input.customer, messageIds: effect.messageIds });
      case 'typing':
        return channelId && courtesyActivities(state.link)?.setWhatsAppTyping({ channelId, customerPhone: input.customer, typing: true });
      case 'deleteChatMessage':
        return channelId && sessionActivities(state.link, state.settings).deleteWhatsAppMessage({ channelId, customerPhone: input.customer, messageId: effect.messageId, fromMe: true });
      case 'send':
        return send(effect.send);
      case 'saveMode':
        return local.saveConversationMode({ eventId: `cev_${uuid4()}`, ...conversation, customerPhone: input.customer, mode: effect.mode, actor: effect.actor, reason: effect.reason });
      case 'saveLead':
        return local.saveLead({ ...conversation, customerPhone: input.customer, lead: effect.lead, announce: effect.announce });
      case 'recordEvent':
        return local.recordConversationEvent({ eventId: `cev_${uuid4()}`, conversationId: input.conversationId, kind: effect.eventKind, actor: effect.actor, reason: effect.reason, data: effect.data });
      case 'scheduleLeadCall':
        return local.scheduleLeadCall({ conversationId: input.conversationId });
      case 'loadSettings':
        return local.loadConversationSettings({ widgetId: input.widgetId });
      case 'publish':
        return publish(effect);
      case 'recordFailure':
        return local.recordWorkFailure({ eventId: `cev_${uuid4()}`, ...conversation, customerPhone: input.customer, failure: effect.failure });
    }
  }

  /** Drives decisions: runs each effect they yield and hands back its result or its failure. */
  async function execute(steps: Steps): Promise<void> {
    let next = steps.next();
    while (!next.done) {
      let result: unknown;
      try {
        result = await run(next.value);
      } catch (error) {
        // An activity that gave up (a local one fails with its own failure, a remote one with an
        // ActivityFailure around it); a cancelled workflow is not the effect's failure.
        if (!(error instanceof TemporalFailure) || error instanceof CancelledFailure) throw error;
        const reason = error instanceof ActivityFailure ? (error.cause?.message ?? error.message) : error.message;
        next = steps.throw(new EffectFailed(next.value.kind, reason));
        continue;
      }
      next = steps.next(result);
    }
  }

  /** Whatever fails is recorded by the steps; if even that fails, the conversation still goes on. */
  async function attempt(steps: Steps): Promise<void> {
    // Seen only by queries (never recorded), so callers can wait for a conversation to settle.
    state.working = true;
    try {
      await execute(steps);
    } catch (error) {
      if (!(error instanceof EffectFailed)) throw error;
      log.error('conversation work could not be recorded', { conversationId: input.conversationId, effect: error.effect, error: error.message });
    } finally {
      state.working = false;
    }
  }

  // Conversations recorded before idle close never close (their replay must not change).
  let idleCloseMs: number | null = null;
  if (release.patched(PATCHES.idleClose)) {
    const run = await lifecycle.startConversationRun({ conversationId: input.conversationId, fresh: !input.carried });
    idleCloseMs = run.idleCloseMs;
    // The customer wrote again after the conversation closed: it goes on where it stopped.
    if (run.resumed) {
      state.restore(run.resumed);
      publish({ language: true, lead: true });
    }
  }
  if (!input.carried) await attempt(startSteps(state));
  settled = true;
  for (const { command, at } of early.splice(0)) flip(command, at);
  for (;;) {
    const deadline = state.nextDeadline();
    // Silence closes the run, unless a person holds the conversation or a timer is pending.
    const idleFor = idleCloseMs !== null && deadline === null && state.mode !== 'human' ? idleCloseMs : null;
    const wait = deadline === null ? (idleFor ?? undefined) : Math.max(0, deadline - Date.now());
    // Work already queued goes on in this same task, publishing once at its end.
    if (!state.hasWork()) flushPublished();
    const woke = await condition(() => state.hasWork() || workflowInfo().continueAsNewSuggested, wait);
    if (!woke && idleFor !== null) {
      await condition(allHandlersFinished);
      if (!state.hasWork()) {
        await lifecycle.closeConversationRun({ conversationId: input.conversationId, state: state.resumeState() });
        // A message that arrived while the state was saved keeps this run going.
        if (!state.hasWork()) return;
      }
      continue;
    }
    const due = state.dueTimer(Date.now());
    if (due) await attempt(timerSteps(state, due, env));
    let handledInTask = 0;
    while (state.hasWork() && !workflowInfo().continueAsNewSuggested) {
      if (handledInTask === ITEMS_PER_WORKFLOW_TASK) {
        // A 1 ms timer ends this workflow task, recording its results, and the next one goes on.
        flushPublished();
        await sleep(1);
        handledInTask = 0;
      }
      await attempt(workItemSteps(state, state.next()!, env));
      handledInTask++;
    }
    if (workflowInfo().continueAsNewSuggested) {
      // Handlers only queue work, so once they finish, everything unprocessed is in `pending`.
      await condition(allHandlersFinished);
      flushPublished();
      await continueAsNew<typeof conversationWorkflowV2>({ ...input, carried: state.carry() });
    }
  }
}
