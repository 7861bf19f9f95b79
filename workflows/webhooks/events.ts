/**
 * The event names of the public contract (DESIGN §6), plus `whatsapp.message.failed` (a message
 * that could not be sent). Pure, so workflows, activities and the API share it.
 */
export const EVENT_NAMES = [
  'whatsapp.message.received',
  'whatsapp.message.sent',
  'whatsapp.message.failed',
  'conversation.handoff_requested',
  'conversation.taken_over',
  'conversation.resumed',
  'lead.captured',
  'channel.status_changed',
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(value: string): value is EventName {
  return (EVENT_NAMES as readonly string[]).includes(value);
}
