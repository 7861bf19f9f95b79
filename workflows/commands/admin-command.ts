import type { AdminCommandName } from '../conversation/signals.js';

export interface ParsedAdminCommand {
  command: AdminCommandName;
  /** The customer named after the command (`PREIA +40721234567`), when any. */
  target: string | null;
}

function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `PREIA` (take over) and `/caty on` (resume), ignoring case, surrounding spaces and diacritics,
 * optionally followed by the customer's number. Anything else is an ordinary message. Whether the
 * words count depends on who typed them, which the caller decides.
 */
export function parseAdminCommand(text: string): ParsedAdminCommand | null {
  const match = /^(preia|\/caty on)(?: (\+?[\d ()-]{6,20}))?$/.exec(normalise(text));
  if (!match) return null;
  const target = match[2] ? `+${match[2].replace(/\D/g, '')}` : null;
  return { command: match[1] === 'preia' ? 'takeover' : 'resume', target };
}
