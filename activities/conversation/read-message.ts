import { isHumanRequest } from '../../workflows/handoff/human-request.js';
import { hoursStatus, type BusinessHours } from '../../workflows/hours/business-hours.js';
import { readLeadFacts } from '../../workflows/leads/extract.js';
import { routeCustomerMessage } from '../../workflows/conversation/router.js';
import type { MessageReading, ReadingContext } from '../../workflows/conversation/activity-types.js';

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
