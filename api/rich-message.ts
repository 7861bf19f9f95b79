import { z } from 'zod';
import type { RichContent } from '../workflows/conversation/domain.js';
import { messageText, optionalText, semantic, text } from './schemas.js';

// WhatsApp's own limits for interactive messages: longer values are refused by the network, so
// they are refused here first, naming the field.
export const RICH_LIMITS = { buttons: 3, buttonTitle: 20, listItems: 10, listTitle: 24, itemTitle: 24, itemDescription: 72, id: 200 } as const;

const optionId = text(RICH_LIMITS.id);
const title = (max: number) => text(max);

function uniqueIds(options: { id: string }[], ctx: z.RefinementCtx, at: (string | number)[]): void {
  const seen = new Set<string>();
  options.forEach((option, index) => {
    if (seen.has(option.id)) ctx.addIssue({ code: 'custom', path: [...at, index, 'id'], params: semantic, message: `duplicate id "${option.id}"; ids must be unique` });
    seen.add(option.id);
  });
}

const button = z.object({ id: optionId, title: title(RICH_LIMITS.buttonTitle) }).strict();
const listItem = z
  .object({
    id: optionId,
    title: title(RICH_LIMITS.itemTitle),
    description: optionalText(RICH_LIMITS.itemDescription).optional(),
  })
  .strict();

export const richMessage = z
  .object({
    text: messageText,
    buttons: z
      .array(button)
      .min(1, 'must have at least one button')
      .max(RICH_LIMITS.buttons, `must have at most ${RICH_LIMITS.buttons} buttons`)
      .optional(),
    list: z
      .object({
        title: title(RICH_LIMITS.listTitle),
        items: z
          .array(listItem)
          .min(1, 'must have at least one item')
          .max(RICH_LIMITS.listItems, `must have at most ${RICH_LIMITS.listItems} items`),
      })
      .strict()
      .optional(),
  })
  .strict()
  // Checked on the whole message, not on each array: a refinement on an array would make a
  // failed length check read as "Invalid input" through the string-or-object union.
  .superRefine((message, ctx) => {
    if (message.buttons) uniqueIds(message.buttons, ctx, ['buttons']);
    if (message.list) uniqueIds(message.list.items, ctx, ['list', 'items']);
    if (message.buttons && message.list) ctx.addIssue({ code: 'custom', path: ['list'], params: semantic, message: 'a message carries buttons or a list, not both' });
  });

/** WhatsApp's limit for a caption. */
export const MAX_CAPTION = 1024;

/** A file uploaded with POST /api/media, with an optional caption (DESIGN §11). */
export const mediaMessage = z
  .object({
    media: z.object({ id: z.string().min(1).max(200).describe('from POST /api/media') }).strict(),
    text: optionalText(MAX_CAPTION).optional().describe('the caption'),
  })
  .strict();

/** A plain text, text with reply buttons or a list (the seed's "Rich Messages"), or a file with a caption. */
export const outboundMessage = z.union([messageText, richMessage, mediaMessage]);

/** What a person sends in a conversation: text (with buttons or a list) or a file. */
export const agentMessage = z.union([richMessage, mediaMessage]);

/** The text and the buttons, list or file of a message, as the conversation stores and sends them. */
export function splitMessage(message: z.infer<typeof outboundMessage>): { text: string; rich: RichContent | null; media?: { id: string } } {
  if (typeof message === 'string') return { text: message, rich: null };
  if ('media' in message) return { text: message.text ?? '', rich: null, media: message.media };
  const rich = message.buttons ? { buttons: message.buttons } : message.list ? { list: message.list } : null;
  return { text: message.text, rich };
}
