import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** A phone number in E.164 (`+40721234567`); accepts spaces and dashes and normalises them away. */
export const e164 = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parsed = value.startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid phone number in E.164 format, e.g. +40721234567` });
      return z.NEVER;
    }
    return parsed.number as string;
  })
  .meta({ type: 'string', description: 'Phone number in E.164 format', examples: ['+40721234567'] });

export const languageCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 language code such as "ro" or "en"');

export const MAX_TEXT = 4096;
export const messageText = z
  .string()
  .refine((t) => t.trim().length > 0, 'must not be empty')
  .refine((t) => t.length <= MAX_TEXT, `must be at most ${MAX_TEXT} characters`);

export const MAX_QUESTION = 1000;
export const MAX_ALTERNATIVES = 20;
export const MAX_TRANSLATIONS = 60;
export const MAX_KNOWLEDGE_ENTRIES = 5000;

const question = z.string().trim().min(1, 'must not be empty').max(MAX_QUESTION);
const answer = z.string().trim().min(1, 'must not be empty').max(MAX_TEXT);
const alternatives = z
  .array(question)
  .max(MAX_ALTERNATIVES, `at most ${MAX_ALTERNATIVES} alternatives per entry`)
  .describe('Other ways customers ask the same question');

export const knowledgeTranslation = z
  .object({ question: question.optional(), answer, alternatives: alternatives.optional() })
  .strict()
  .describe("The entry in another language: the answer, and the question and alternatives as customers ask them there");

export const knowledgeEntry = z
  .object({
    question,
    answer,
    alternatives: alternatives.optional(),
    translations: z
      .record(z.string(), knowledgeTranslation)
      .superRefine((translations, ctx) => {
        const languages = Object.keys(translations);
        if (languages.length > MAX_TRANSLATIONS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_TRANSLATIONS} translations per entry` });
        for (const language of languages) {
          if (!/^[a-z]{2}$/.test(language)) {
            ctx.addIssue({ code: 'custom', path: [language], message: `"${language}" is not a language: translations are keyed by lower-case ISO 639-1 codes such as "en"` });
          }
        }
      })
      .optional()
      .describe('Keyed by ISO 639-1 language code: {"en": {"question": "...", "answer": "..."}}'),
  })
  .strict()
  .describe("A question and its answer in the widget's default language, with optional alternatives and translations");
export const knowledgeBase = z.array(knowledgeEntry).max(MAX_KNOWLEDGE_ENTRIES, `at most ${MAX_KNOWLEDGE_ENTRIES} entries`);

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
      if (from === to) ctx.addIssue({ code: 'custom', path: [i], message: `"${from}"-"${to}" is empty; use "00:00"-"24:00" for the whole day` });
    });
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]![0] < sorted[i - 1]![1]) ctx.addIssue({ code: 'custom', message: 'opening ranges of one day must not overlap' });
    }
  });
export const businessHours = z.object({
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as "Europe/Bucharest"'),
  days: z
    .object(Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<(typeof WEEKDAYS)[number], typeof day>)
    .partial()
    .strict()
    .describe('Opening ranges per weekday (mon…sun), in the business time zone; a day left out is closed'),
  away_message: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT).optional().describe('Sent outside the hours instead of the catalogue message'),
});

export const notifications = z.object({
  lead_alerts: z.boolean().default(false),
  alert_channel: z.enum(['whatsapp', 'webhook']).default('whatsapp'),
  alert_phone: e164.optional(),
});

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration as seconds, or as text like "30m", "45s", "2h"; stored and returned as seconds. */
export const duration = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const match = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value) : null;
    const seconds = typeof value === 'number' ? value : match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : NaN;
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 30 * 86_400) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration between 1 second and 30 days: seconds, or text like "30m", "45s", "2h"' });
      return z.NEVER;
    }
    return Math.round(seconds);
  })
  .meta({ description: 'Seconds, or a duration such as "30m"' });

/** Handoff timers (seconds); `null` turns a timer off. */
export const handoff = z.object({
  auto_resume_after: duration.nullable().optional().describe('agent silence that resumes Caty (default 30 minutes)'),
  response_timeout: duration.nullable().optional().describe('wait for a person before the follow-up (default 10 minutes)'),
  on_response_timeout: z.enum(['resume', 'wait']).optional().describe('after the follow-up: Caty resumes (default) or keeps waiting'),
});

export const pagination = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

export const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]+$`), `must be a ${prefix}_… id`);
