import type { ChannelProvider, ChannelType, ConversationMode } from './domain.js';
import type { AdminCommandSignal, InboundSignal, OutboundSignal } from './signals.js';
import type { Lead } from '../leads/extract.js';
import type { BusinessHours } from '../hours/business-hours.js';

/** How many processed message ids a conversation remembers for duplicate detection. */
export const RECENT_IDS_LIMIT = 500;

export interface ConversationInput {
  conversationId: string;
  accountId: string;
  widgetId: string;
  kind: 'whatsapp' | 'web';
  /** E.164 for WhatsApp, session id for the web widget. */
  customer: string;
  channelId: string | null;
  provider: ChannelProvider | null;
  businessPhone: string | null;
  channelType: ChannelType;
  /** State handed over by continue-as-new. */
  carried?: CarriedState;
}

/**
 * Which of the business's channels this conversation speaks through, and how its messages are
 * routed. It starts as the link the first message came through and follows the number when it is
 * linked again (another channel after a new scan, another channel type).
 */
export interface ConversationLink {
  channelId: string | null;
  provider: ChannelProvider | null;
  businessPhone: string | null;
  channelType: ChannelType;
}

export type WorkItemBody =
  | { kind: 'inbound'; message: InboundSignal }
  | { kind: 'outbound'; request: OutboundSignal }
  | { kind: 'admin'; command: AdminCommandSignal };

/**
 * Work in arrival order. `seq` numbers every item this conversation ever queued (carried across
 * continue-as-new): the same item keeps its number however often it is retried or handed to a
 * new run, while a redelivery of an old message gets a new one.
 */
export type WorkItem = WorkItemBody & { seq: number };

/** The widget's handoff and alert settings, as the workflow needs them (refreshed by activities). */
export interface ConversationSettings {
  /** Silence from the agent after which Caty takes over again; null: never. */
  autoResumeAfterMs: number | null;
  /** How long a customer waits for a person before the follow-up; null: no follow-up. */
  responseTimeoutMs: number | null;
  onResponseTimeout: 'resume' | 'wait';
  /** Where the business is alerted on WhatsApp, when it wants to be. */
  alertPhone: string | null;
  defaultLanguage: string;
  /** How long a send may keep trying before it is recorded as failed (absent in older runs: a day). */
  sendTimeoutMs?: number;
  /** Opening hours; null or absent: always open. */
  businessHours?: BusinessHours | null;
  /** A person answering by hand takes the conversation over (absent in older runs: yes). */
  pauseOnBusinessReply?: boolean;
}

export const DEFAULT_SETTINGS: ConversationSettings = {
  autoResumeAfterMs: 30 * 60_000,
  responseTimeoutMs: 10 * 60_000,
  onResponseTimeout: 'resume',
  alertPhone: null,
  defaultLanguage: 'ro',
};

export type DueTimer = 'auto_resume' | 'handoff_timeout';

export interface CarriedState {
  settings: ConversationSettings;
  autoResumeAt: number | null;
  handoffDeadline: number | null;
  mode: ConversationMode;
  language: string | null;
  source: string | null;
  lead: Lead | null;
  greeted: boolean;
  customerMessages: number;
  recentIds: string[];
  pending: WorkItem[];
  nextSeq: number;
  /** Absent in state carried by runs that kept the link of their first input. */
  link?: ConversationLink;
  /** The closed period the customer was last told about (see workflows/hours). */
  awayNotified?: string | null;
}

/**
 * What a conversation keeps in PostgreSQL when its workflow completes after a silence, and what
 * the next run (the customer's next message) starts from: everything but work in hand and timers
 * (a conversation closes only without either) and settings (read again).
 */
export type ResumeState = Omit<CarriedState, 'settings' | 'autoResumeAt' | 'handoffDeadline' | 'pending'> & {
  /** One line about it (the Temporal UI's current details at the close). */
  summary: string;
};

export interface ConversationSnapshot {
  conversationId: string;
  mode: ConversationMode;
  /** ISO time of the next timer (auto-resume or handoff follow-up), when one is set. */
  nextDeadline: string | null;
  language: string | null;
  source: string | null;
  lead: Lead | null;
  greeted: boolean;
  customerMessages: number;
  pending: number;
  processed: number;
  /** A work item or timer is being handled now: with nothing pending, false means settled. */
  working: boolean;
}

/**
 * The conversation as plain data and transitions: no Temporal APIs, so it is unit-testable and
 * the workflow stays a thin loop around it.
 */
export class ConversationState {
  settings: ConversationSettings;
  /** Workflow-clock epoch ms at which an unattended takeover ends. */
  autoResumeAt: number | null;
  /** Workflow-clock epoch ms at which a waiting customer gets the follow-up. */
  handoffDeadline: number | null;
  mode: ConversationMode;
  language: string | null;
  source: string | null;
  lead: Lead | null;
  greeted: boolean;
  customerMessages: number;
  link: ConversationLink;
  /** The closed period whose away message this customer already got. */
  awayNotified: string | null;
  processed = 0;
  working = false;
  private readonly recent: string[];
  private readonly recentSet: Set<string>;
  private readonly queue: WorkItem[];
  private nextSeq: number;

  constructor(readonly input: ConversationInput) {
    const carried = input.carried;
    this.settings = carried?.settings ?? DEFAULT_SETTINGS;
    this.autoResumeAt = carried?.autoResumeAt ?? null;
    this.handoffDeadline = carried?.handoffDeadline ?? null;
    this.mode = carried?.mode ?? 'ai';
    this.language = carried?.language ?? null;
    this.source = carried?.source ?? null;
    this.lead = carried?.lead ?? null;
    this.greeted = carried?.greeted ?? false;
    this.customerMessages = carried?.customerMessages ?? 0;
    this.recent = [...(carried?.recentIds ?? [])];
    this.recentSet = new Set(this.recent);
    this.queue = [...(carried?.pending ?? [])];
    this.nextSeq = carried?.nextSeq ?? 1;
    this.awayNotified = carried?.awayNotified ?? null;
    this.link = carried?.link ?? { channelId: input.channelId, provider: input.provider, businessPhone: input.businessPhone, channelType: input.channelType };
    for (const item of this.queue) {
      const id = itemId(item);
      if (id) this.recentSet.add(id);
    }
  }

  /** Queues work unless its id was seen; returns whether it was queued. */
  enqueue(item: WorkItemBody): boolean {
    const id = itemId(item);
    if (id !== null) {
      if (this.recentSet.has(id)) return false;
      this.remember(id);
    }
    this.queue.push({ ...item, seq: this.nextSeq++ });
    return true;
  }

  /** Read receipts and typing only exist on a real phone; the sandbox has neither. */
  sendsToPhone(): boolean {
    return this.link.channelId !== null && this.link.provider !== null && this.link.provider !== 'sandbox';
  }

  /** Replies reach this customer from the worker itself: the website's stream, or the sandbox. */
  repliesInWorker(): boolean {
    return this.input.kind === 'web' || this.link.provider === 'sandbox';
  }

  hasWork(): boolean {
    return this.queue.length > 0;
  }

  next(): WorkItem | undefined {
    const item = this.queue.shift();
    if (item) this.processed++;
    return item;
  }

  /** A person takes the conversation: Caty is silent until resumed or the agent goes quiet. */
  takeOver(now: number): boolean {
    this.handoffDeadline = null;
    this.autoResumeAt = this.settings.autoResumeAfterMs === null ? null : now + this.settings.autoResumeAfterMs;
    return this.setMode('human');
  }

  resume(): boolean {
    this.autoResumeAt = null;
    this.handoffDeadline = null;
    return this.setMode('ai');
  }

  /** The customer asked for a person: Caty acknowledged and waits for one. */
  requestHandoff(now: number): boolean {
    this.handoffDeadline = this.settings.responseTimeoutMs === null ? null : now + this.settings.responseTimeoutMs;
    return this.setMode('handoff_requested');
  }

  /**
   * A person answered the customer by hand (on the business phone, or from the dashboard): unless
   * the widget turned it off, Caty stops talking over them, as after PREIA. Already taken over,
   * the message only restarts the silence that ends the takeover.
   */
  businessReplyTakesOver(): boolean {
    return this.mode !== 'human' && this.settings.pauseOnBusinessReply !== false;
  }

  /** Every message from the agent restarts the silence that ends a takeover. */
  agentSpoke(now: number): void {
    if (this.mode === 'human' && this.settings.autoResumeAfterMs !== null) this.autoResumeAt = now + this.settings.autoResumeAfterMs;
  }

  /** Nobody took over in time: the follow-up is sent once, then Caty resumes or keeps waiting. */
  handoffTimedOut(): boolean {
    this.handoffDeadline = null;
    return this.settings.onResponseTimeout === 'resume' ? this.setMode('ai') : false;
  }

  nextDeadline(): number | null {
    if (this.mode === 'human') return this.autoResumeAt;
    if (this.mode === 'handoff_requested') return this.handoffDeadline;
    return null;
  }

  dueTimer(now: number): DueTimer | null {
    const deadline = this.nextDeadline();
    if (deadline === null || deadline > now) return null;
    return this.mode === 'human' ? 'auto_resume' : 'handoff_timeout';
  }

  private setMode(mode: ConversationMode): boolean {
    if (this.mode === mode) return false;
    this.mode = mode;
    return true;
  }

  carry(): CarriedState {
    return {
      settings: this.settings,
      autoResumeAt: this.autoResumeAt,
      handoffDeadline: this.handoffDeadline,
      mode: this.mode,
      language: this.language,
      source: this.source,
      lead: this.lead,
      greeted: this.greeted,
      customerMessages: this.customerMessages,
      recentIds: this.recent.slice(-RECENT_IDS_LIMIT),
      pending: [...this.queue],
      nextSeq: this.nextSeq,
      link: this.link,
      awayNotified: this.awayNotified,
    };
  }

  /** The state a closing run keeps (see ResumeState). */
  resumeState(): ResumeState {
    const { settings: _settings, autoResumeAt: _a, handoffDeadline: _h, pending: _p, ...kept } = this.carry();
    return { ...kept, summary: this.details() };
  }

  /** A new run starts where the closed one stopped; work queued meanwhile stays queued, after it. */
  restore(saved: ResumeState): void {
    this.mode = saved.mode;
    this.language = saved.language;
    this.source = saved.source;
    this.lead = saved.lead;
    this.greeted = saved.greeted;
    this.customerMessages = saved.customerMessages;
    this.awayNotified = saved.awayNotified ?? null;
    if (saved.link) this.link = saved.link;
    for (const id of saved.recentIds) if (!this.recentSet.has(id)) this.remember(id);
    // Numbers stay unique across runs: queued items are renumbered after the saved ones.
    for (const item of this.queue) item.seq = saved.nextSeq + item.seq - 1;
    this.nextSeq = saved.nextSeq + this.nextSeq - 1;
  }

  snapshot(): ConversationSnapshot {
    return {
      conversationId: this.input.conversationId,
      mode: this.mode,
      nextDeadline: this.nextDeadline() === null ? null : new Date(this.nextDeadline()!).toISOString(),
      language: this.language,
      source: this.source,
      lead: this.lead,
      greeted: this.greeted,
      customerMessages: this.customerMessages,
      pending: this.queue.length,
      processed: this.processed,
      working: this.working,
    };
  }

  /** One line for the Temporal UI's "current details". */
  details(): string {
    const who = this.input.kind === 'whatsapp' ? `WhatsApp ${this.input.customer}` : `web session ${this.input.customer}`;
    const parts = [
      `**${who}** · ${this.link.channelType}`,
      `mode: **${this.mode}**`,
      ...(this.nextDeadline() !== null ? [`${this.mode === 'human' ? 'auto-resume' : 'follow-up'} at ${new Date(this.nextDeadline()!).toISOString()}`] : []),
      `language: ${this.language ?? 'unknown'}`,
      `customer messages: ${this.customerMessages}`,
    ];
    if (this.source) parts.push(`source: ${this.source}`);
    return parts.join(' · ');
  }

  private remember(id: string): void {
    this.recent.push(id);
    this.recentSet.add(id);
    if (this.recent.length > RECENT_IDS_LIMIT * 2) {
      for (const old of this.recent.splice(0, this.recent.length - RECENT_IDS_LIMIT)) this.recentSet.delete(old);
    }
  }
}

function itemId(item: WorkItemBody): string | null {
  switch (item.kind) {
    case 'inbound':
      return `in:${item.message.id}`;
    case 'outbound':
      return `out:${item.request.id}`;
    case 'admin':
      return item.command.messageId ? `in:${item.command.messageId}` : null;
  }
}
