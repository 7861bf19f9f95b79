import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A web visitor's token: its session id and an HMAC over the widget and the session, so any API
 * process can check it without a lookup and a token never opens another widget's conversations.
 * The key is derived from the operator key, which every API process of a deployment shares.
 */
export class VisitorTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', 'caty-visitor-token').update(secret).digest();
  }

  issue(widgetId: string): { sessionId: string; token: string } {
    const sessionId = `vis_${randomBytes(12).toString('base64url')}`;
    return { sessionId, token: `${sessionId}.${this.sign(widgetId, sessionId)}` };
  }

  /** The session id the token was issued for this widget, or null. */
  verify(widgetId: string, token: string): string | null {
    const match = /^(vis_[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const expected = Buffer.from(this.sign(widgetId, match[1]!));
    const given = Buffer.from(match[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? match[1]! : null;
  }

  private sign(widgetId: string, sessionId: string): string {
    return createHmac('sha256', this.key).update(`${widgetId}\n${sessionId}`).digest('base64url');
  }
}
