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

export const knowledgeEntry = z.object({
  question: z.string().trim().min(1, 'must not be empty').max(1000),
  answer: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT),
});
export const knowledgeBase = z.array(knowledgeEntry).max(5000);

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "09:00"');
const day = z.array(z.tuple([time, time])).max(6);
export const businessHours = z.object({
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as "Europe/Bucharest"'),
  days: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).partial(),
  away_message: z.string().max(MAX_TEXT).optional(),
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
