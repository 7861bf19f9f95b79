import type { ChannelProvider } from './domain.js';

/**
 * Where a channel's session activities run. A real socket lives in exactly one gateway worker,
 * which polls this queue only while it owns the session; when it dies, the next owner polls the
 * same queue and picks up whatever was waiting. Sandbox sessions exist in every worker, so their
 * activities run locally in the conversation worker (null).
 */
export function sessionTaskQueue(provider: ChannelProvider, channelId: string): string | null {
  return provider === 'sandbox' ? null : `whatsapp-channel:${channelId}`;
}
