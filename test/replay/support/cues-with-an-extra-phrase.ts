/**
 * The handoff cues of a later release that learnt one more phrase, for the replay guard test: it
 * makes "Cat costa livrarea?", a question in the recorded histories, a request for a person.
 */
import { europeCues as released, europeNotTypos } from '../../../workflows/handoff/cues-europe.js';
import type { LanguageCues } from '../../../workflows/handoff/human-request.js';

export { europeNotTypos };

export const EXTRA_PHRASE = 'cat costa livrarea';

export const europeCues: Record<string, LanguageCues> = { ...released, 'x-later-release': { person: [], talk: [], ask: [], phrases: [EXTRA_PHRASE] } };
