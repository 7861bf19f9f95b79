import type { MenuItem } from '../../db/schema.js';
import type { RichContent } from '../../workflows/conversation/domain.js';

/**
 * Buttons and lists no longer render for WhatsApp Web clients, so they travel as a native poll or
 * as a numbered text menu, and the customer's answer is mapped back to the item id the workflow
 * expects. Pure functions only: the sandbox and the workflow side can reuse them.
 */

export type RenderedMenu =
  | { kind: 'none'; text: string }
  | { kind: 'poll'; name: string; options: string[]; items: MenuItem[] }
  | { kind: 'text'; text: string; items: MenuItem[] };

/** WhatsApp's limits for polls; beyond them (or with descriptions to show) a text menu is used. */
export const POLL_LIMITS = { maxOptions: 12, maxOptionLength: 100, maxNameLength: 255 } as const;

export function menuItems(rich: RichContent | null | undefined): MenuItem[] {
  if (rich?.buttons?.length) return rich.buttons.map((b) => ({ id: b.id, title: b.title }));
  if (rich?.list?.items.length) return rich.list.items.map((i) => ({ id: i.id, title: i.title, ...(i.description ? { description: i.description } : {}) }));
  return [];
}

export function renderMenu(text: string, rich: RichContent | null | undefined): RenderedMenu {
  const items = menuItems(rich);
  if (items.length === 0) return { kind: 'none', text };
  const titles = items.map((i) => i.title.trim());
  const distinct = new Set(titles.map(normalise)).size === titles.length;
  const fitsPoll =
    items.length >= 2 &&
    items.length <= POLL_LIMITS.maxOptions &&
    distinct &&
    text.trim().length > 0 &&
    text.length <= POLL_LIMITS.maxNameLength &&
    titles.every((t) => t.length > 0 && t.length <= POLL_LIMITS.maxOptionLength) &&
    items.every((i) => !i.description);
  if (fitsPoll) return { kind: 'poll', name: text, options: titles, items };
  const heading = rich?.list?.title && rich.list.title.trim() !== text.trim() ? `${text}\n${rich.list.title}` : text;
  const lines = items.map((item, n) => `${n + 1}. ${item.title}${item.description ? ` - ${item.description}` : ''}`);
  return { kind: 'text', text: `${heading}\n\n${lines.join('\n')}`, items };
}

/** Lower case, no diacritics, punctuation as spaces: "Cumpără!" and "cumpara" are the same answer. */
function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The item a free-text answer picks: its number ("2", "2.", "nr 2"), its exact title, or a word
 * that only one title contains ("info"). Anything ambiguous is an ordinary message (undefined).
 */
export function matchMenuAnswer(items: MenuItem[], answer: string): string | undefined {
  const said = normalise(answer);
  if (!said) return undefined;
  const number = /^(?:nr |no |optiunea |option )?(\d{1,2})$/.exec(said);
  if (number) {
    const item = items[Number(number[1]) - 1];
    return item?.id;
  }
  const exact = items.filter((i) => normalise(i.title) === said || normalise(i.id) === said);
  if (exact.length === 1) return exact[0]!.id;
  if (exact.length > 1) return undefined;
  const words = said.split(' ');
  // A short reply made of words from exactly one title: "info" -> "Mai multe info".
  if (words.length > 3) return undefined;
  const containing = items.filter((i) => {
    const titleWords = normalise(i.title).split(' ');
    return words.every((w) => w.length >= 3 && titleWords.some((t) => t === w || (w.length >= 4 && t.startsWith(w))));
  });
  return containing.length === 1 ? containing[0]!.id : undefined;
}

/** The item a poll vote picks, from the option names it selected (the first one that matches). */
export function matchPollVote(items: MenuItem[], selectedOptionNames: string[]): string | undefined {
  for (const name of selectedOptionNames) {
    const item = items.find((i) => i.title.trim() === name.trim());
    if (item) return item.id;
  }
  return undefined;
}
