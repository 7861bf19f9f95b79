import type { ChannelType, ConversationMode } from '../../db/schema.js';
import { isHumanRequest } from '../../workflows/handoff/human-request.js';
import { hoursStatus, type BusinessHours, type HoursStatus } from '../../workflows/hours/business-hours.js';
import { readLeadFacts, type LeadFacts } from '../../workflows/leads/extract.js';
import { routeCustomerMessage, type CustomerMessageRoute } from '../../workflows/conversation/router.js';

/** What the conversation knows when one of its customer's messages is read (workflow state). */
export interface ReadingContext {
  mode: ConversationMode;
  channelType: ChannelType;
  greeted: boolean;
  /** The message carries an admin's notice instead of a question (see InboundSignal.notice). */
  notice: boolean;
  /** The assistant has just asked for the customer's name: a message that is only a name counts. */
  expectName: boolean;
  /** Workflow time, epoch ms: the business hours are read at the conversation's own clock. */
  now: number;
}

/**
 * A customer message read with everything that changes between releases: the handoff cues of 60
 * languages, the name cues and phone-number metadata behind leads, the time-zone data behind
 * business hours. The activity that stores the message reads it, so the conversation's history
 * records these answers and its decisions replay the same on any later release.
 */
export interface MessageReading {
  /** The customer asks for a person (and nothing stops that counting: Caty answers, not a notice). */
  wantsPerson: boolean;
  route: CustomerMessageRoute;
  /** The business's opening hours now, in the customer's language; null when it keeps none. */
  hours: HoursStatus | null;
  lead: LeadFacts;
}

export function readCustomerMessage(text: string, context: ReadingContext, widget: { businessHours: BusinessHours | null; language: string }): MessageReading {
  const wantsPerson = !context.notice && context.mode === 'ai' && context.channelType !== 'notifications' && isHumanRequest(text);
  const route = wantsPerson || context.notice ? 'silent' : routeCustomerMessage(context.channelType, context.mode, context.greeted);
  return {
    wantsPerson,
    route,
    hours: widget.businessHours ? hoursStatus(widget.businessHours, context.now, widget.language) : null,
    lead: readLeadFacts(text, { expectName: context.expectName }),
  };
}
