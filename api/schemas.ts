import { z } from 'zod';

/*
 * Every constraint the API enforces on the shape of a request is written so that the OpenAPI
 * document states it too (patterns, lengths, enums): a request the document allows is accepted,
 * one it forbids is refused with a 400. Rules that depend on several fields or on stored state are
 * checked apart and answer 422 (see `semantic`).
 */

/**
 * Any number in E.164 form (`+` and 7 to 15 digits, single spaces or dashes between them allowed
 * and removed). Not checked against the numbering plan: a real sender must never be refused
 * because a library's metadata is out of date.
 */
export const e164 = z
  .string()
  .regex(/^\+[1-9](?:[ -]?[0-9]){6,14}$/, 'must be a phone number in E.164 format, e.g. +40721234567')
  .overwrite((value) => value.replace(/[ -]/g, ''))
  .meta({ description: 'Phone number in E.164 format', examples: ['+40721234567'] });

export const languageCode = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 639-1 language code such as "ro" or "en"')
  .overwrite((code) => code.toLowerCase());

const BLANK = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

/** Text with something besides spaces in it, at most `max` characters; stored without surrounding spaces. */
export function text(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/[^\t\n\v\f\r ]/, 'must not be empty')
    .overwrite((value) => value.replace(BLANK, ''));
}

/** A file's name as people see it: no folders, no control characters (PostgreSQL text cannot hold NUL). */
export function fileName() {
  return text(255).regex(/^[^/\\\u0000-\u001f\u007f]+$/, 'must be a file name without a path or control characters');
}

/** Optional free text (may be empty), stored without surrounding spaces. */
export function optionalText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .overwrite((value) => value.replace(BLANK, ''));
}

/**
 * A rule the OpenAPI document cannot state (it relates fields to each other or to stored data):
 * a request that breaks it is well-formed but cannot be carried out, so it answers 422.
 */
export const semantic = { status: 422 } as const;

export const MAX_TEXT = 4096;
export const messageText = text(MAX_TEXT);

export const MAX_QUESTION = 1000;
export const MAX_ALTERNATIVES = 20;
export const MAX_TRANSLATIONS = 60;
export const MAX_KNOWLEDGE_ENTRIES = 5000;

const question = text(MAX_QUESTION);
const answer = text(MAX_TEXT);
const alternatives = z
  .array(question)
  .max(MAX_ALTERNATIVES, `at most ${MAX_ALTERNATIVES} alternatives per entry`)
  .describe('Other ways customers ask the same question');

export const knowledgeTranslation = z
  .object({ question: question.optional(), answer, alternatives: alternatives.optional() })
  .strict()
  .describe("The entry in another language: the answer, and the question and alternatives as customers ask them there");

/** A text's versions in other languages than the widget's default, keyed by ISO 639-1 code. */
function translations<T extends z.ZodType>(value: T, of: string) {
  return z
    .record(z.string().regex(/^[a-z]{2}$/, 'translations are keyed by lower-case ISO 639-1 codes such as "en"'), value)
    .superRefine((translations, ctx) => {
      if (Object.keys(translations).length > MAX_TRANSLATIONS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_TRANSLATIONS} translations per ${of}` });
    })
    .meta({ maxProperties: MAX_TRANSLATIONS });
}

export const knowledgeEntry = z
  .object({
    question,
    answer,
    alternatives: alternatives.optional(),
    translations: translations(knowledgeTranslation, 'entry')
      .optional()
      .describe('Keyed by ISO 639-1 language code: {"en": {"question": "...", "answer": "..."}}'),
  })
  .strict()
  .describe("A question and its answer in the widget's default language, with optional alternatives and translations");
export const knowledgeBase = z.array(knowledgeEntry).max(MAX_KNOWLEDGE_ENTRIES, `at most ${MAX_KNOWLEDGE_ENTRIES} entries`);

export const MAX_GREETING = 1000;

export const greeting = z
  .object({
    text: text(MAX_GREETING).describe("The greeting in the widget's default language"),
    translations: translations(text(MAX_GREETING), 'greeting').optional().describe('Keyed by ISO 639-1 language code: {"en": "Hi! I\'m Ana…"}'),
  })
  .strict()
  .describe(
    "What the web widget's panel says when it opens, before the visitor writes (the assistant's name and what it can help with): in the page's language when the widget speaks it, else in the default language. Without it, the catalogue's greeting",
  );

/** An entry translated into the widget's default language is a mistake: that text belongs in question/answer. */
export function defaultLanguageTranslations(entries: z.infer<typeof knowledgeBase>, defaultLanguage: string): string | null {
  const index = entries.findIndex((e) => e.translations && Object.hasOwn(e.translations, defaultLanguage));
  return index < 0
    ? null
    : `knowledge_base[${index}].translations.${defaultLanguage}: "${defaultLanguage}" is the widget's default language; write that text in the entry's question and answer`;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:00"');
const closingTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time like "18:00" (or "24:00" for midnight)');
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const day = z
  .array(z.tuple([time, closingTime]))
  .max(6)
  .superRefine((ranges, ctx) => {
    // A range that ends before it starts runs past midnight ("22:00"-"02:00").
    const spans = ranges.map(([from, to]) => [minutes(from), minutes(to) <= minutes(from) ? minutes(to) + 1440 : minutes(to)] as const);
    ranges.forEach(([from, to], i) => {
      if (from === to) ctx.addIssue({ code: 'custom', path: [i], params: semantic, message: `"${from}"-"${to}" is empty; use "00:00"-"24:00" for the whole day` });
    });
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] < sorted[i - 1]![1]) ctx.addIssue({ code: 'custom', params: semantic, message: 'opening ranges of one day must not overlap' });
    }
  });

/** The IANA zones this runtime knows, listed in the OpenAPI document. */
export const TIME_ZONES = [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort() as [string, ...string[]];

export const businessHours = z.object({
  timezone: z.enum(TIME_ZONES, { error: 'must be an IANA time zone such as "Europe/Bucharest"' }),
  days: z
    .object(Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<(typeof WEEKDAYS)[number], typeof day>)
    .partial()
    .strict()
    .describe('Opening ranges per weekday (mon…sun), in the business time zone; a day left out is closed'),
  away_message: text(MAX_TEXT).optional().describe("Sent once per closed period (in the widget's language) instead of the catalogue's away message"),
});

export const notifications = z.object({
  lead_alerts: z.boolean().default(false),
  alert_channel: z.enum(['whatsapp', 'webhook']).default('whatsapp'),
  alert_phone: e164.nullable().optional().describe('Where lead, handoff and connection alerts (a number logged out or away) go on WhatsApp; null removes it'),
});

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_DURATION = 30 * 86_400;
const DURATION_TEXT = /^([0-9]{1,9}(?:\.[0-9]{1,3})?)(ms|s|m|h|d)$/;

/** A duration as seconds, or as text like "30m", "45s", "2h"; stored and returned as seconds. */
export const duration = z
  .union([
    z.number().min(1, 'must be at least 1 second').max(MAX_DURATION, 'must be at most 30 days'),
    z
      .string()
      .regex(DURATION_TEXT, 'must be seconds, or text like "30m", "45s", "2h"')
      .transform((value) => {
        const [, amount, unit] = DURATION_TEXT.exec(value)!;
        return Number(amount) * DURATION_UNITS[unit!]!;
      }),
  ])
  // Text can say "0ms" or "90d": well-formed, but not a timer this service keeps.
  .refine((seconds) => seconds >= 1 && seconds <= MAX_DURATION, { params: semantic, message: 'must be between 1 second and 30 days' })
  .transform((seconds) => Math.round(seconds))
  .meta({ description: 'Seconds (1 to 2,592,000), or a duration such as "30m" (1 second to 30 days)' });

/** Handoff timers (seconds); `null` turns a timer off. */
export const handoff = z.object({
  auto_resume_after: duration.nullable().optional().describe('agent silence that resumes Caty (default 30 minutes)'),
  response_timeout: duration.nullable().optional().describe('wait for a person before the follow-up (default 10 minutes)'),
  on_response_timeout: z.enum(['resume', 'wait']).optional().describe('after the follow-up: Caty resumes (default) or keeps waiting'),
  pause_on_business_reply: z
    .boolean()
    .optional()
    .describe('a message typed on the business phone or sent by a person from the dashboard takes the conversation over, with the auto-resume timer of a takeover (default true)'),
  auto_assign: z.boolean().optional().describe('a conversation asking for a person is assigned to the signed-in person with the fewest open conversations (default false)'),
});

/**
 * Where the next page starts: `<epoch ms or n>.<id>`, as `next_cursor` gives it. Any string of
 * that shape is a valid position (an unknown one just starts after it); anything else is a 400.
 */
export const CURSOR = /^([0-9]{1,15}|n)\.([A-Za-z0-9_-]{1,100})$/;

export const pagination = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(CURSOR, 'not a cursor this API returned; pass `next_cursor` from the previous page').optional(),
};

export const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]+$`), `must be a ${prefix}_… id`);
