/**
 * The idempotency key of Caty's reply to one inbound message: the workflow sends with it and the
 * activity looks for it to know a message was answered, so both must spell it the same way.
 */
export function replyKey(inboundId: string): string {
  return `reply:${inboundId}`;
}
