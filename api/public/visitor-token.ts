import { randomBytes } from 'node:crypto';
import type { KeyRing } from '../../config/key-ring.js';

/** How long a visitor's token opens its conversation; then the widget starts a new one. */
export const VISITOR_TOKEN_TTL_MS = 30 * 86_400_000;

/**
 * A web visitor's token: its session id, when it expires (unix seconds) and an HMAC over the
 * widget, the session and the expiry, so any API process can check it without a lookup and a
 * token never opens another widget's conversations. The keys are their own setting
 * (CATY_VISITOR_TOKEN_KEY), shared by every API process: rotating the operator key leaves
 * visitors signed in, and rotating these (a new key first, the old one kept a while) does too.
 */
export class VisitorTokens {
  constructor(
    private readonly keys: KeyRing,
    private readonly ttlMs = VISITOR_TOKEN_TTL_MS,
  ) {}

  issue(widgetId: string, now = Date.now()): { sessionId: string; token: string; expiresAt: Date } {
    const sessionId = `vis_${randomBytes(12).toString('base64url')}`;
    const expires = Math.floor((now + this.ttlMs) / 1000);
    return { sessionId, token: `${sessionId}.${expires}.${this.keys.sign(signed(widgetId, sessionId, expires))}`, expiresAt: new Date(expires * 1000) };
  }

  /** The session id the token was issued for this widget, or null (forged, another widget's, expired). */
  verify(widgetId: string, token: string, now = Date.now()): string | null {
    const match = /^(vis_[A-Za-z0-9_-]{16})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const [, sessionId, expires] = match as unknown as [string, string, string, string];
    if (Number(expires) * 1000 <= now) return null;
    return this.keys.verify(signed(widgetId, sessionId, Number(expires)), match[3]!) ? sessionId : null;
  }
}

function signed(widgetId: string, sessionId: string, expires: number): string {
  return `caty visitor token\n${widgetId}\n${sessionId}\n${expires}`;
}
