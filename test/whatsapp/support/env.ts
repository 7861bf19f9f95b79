/** Gateway settings that make a test's reconnects and failovers take seconds, not minutes. */
export const fastGatewayEnv: Record<string, string> = {
  WHATSAPP_SESSION_HEARTBEAT_TIMEOUT_MS: '3000',
  WHATSAPP_RECONNECT_INITIAL_MS: '150',
  WHATSAPP_RECONNECT_MAX_MS: '600',
  WHATSAPP_CHAT_INTERVAL_MS: '0',
  WHATSAPP_SEND_JITTER_MS: '0',
  WHATSAPP_OVERLIMIT_BACKOFF_MS: '50',
  // Offline: never ask WhatsApp for its version.
  WHATSAPP_VERSION_FETCH_TIMEOUT_MS: '0',
};
