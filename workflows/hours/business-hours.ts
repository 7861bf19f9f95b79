/**
 * Opening hours, pure and deterministic (usable in workflow code): the time is always passed in,
 * and Intl does the time-zone arithmetic, so daylight-saving changes follow the zone's rules.
 *
 * Settings as the API stores them: `{timezone, days: {mon: [["09:00","18:00"]], ...}, away_message?}`.
 * A range that ends at or before its start runs past midnight ("22:00"-"02:00"); "24:00" closes
 * at midnight; a day left out is closed.
 */

import { intlLocale } from '../i18n/intl-locale.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessHours {
  timezone: string;
  days: Partial<Record<Weekday, [string, string][]>>;
  away_message?: string;
}

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DAY_MINUTES = 1440;
/** Far enough to see every weekday once plus an overnight range. */
const HORIZON_DAYS = 8;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timezone, format);
  }
  return format;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    wallClockFormat(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The settings when they are usable; null otherwise (the caller then treats the business as always open). */
export function parseBusinessHours(value: unknown): BusinessHours | null {
  if (typeof value !== 'object' || value === null) return null;
  const { timezone, days, away_message } = value as Record<string, unknown>;
  if (typeof timezone !== 'string' || !isValidTimezone(timezone)) return null;
  if (typeof days !== 'object' || days === null || Array.isArray(days)) return null;
  const parsed: BusinessHours['days'] = {};
  for (const [day, ranges] of Object.entries(days)) {
    if (!(WEEKDAYS as readonly string[]).includes(day) || !Array.isArray(ranges)) return null;
    for (const range of ranges) {
      if (!Array.isArray(range) || range.length !== 2 || !START.test(range[0]) || !END.test(range[1]) || range[0] === range[1]) return null;
    }
    parsed[day as Weekday] = ranges as [string, string][];
  }
  return { timezone, days: parsed, ...(typeof away_message === 'string' && away_message.trim() ? { away_message } : {}) };
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

function wallClock(instant: number, timezone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of wallClockFormat(timezone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(instant: number, timezone: string): number {
  const parts: Record<string, string> = {};
  for (const part of wallClockFormat(timezone).formatToParts(instant)) parts[part.type] = part.value;
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local date and time happens in the zone: with the offset in force the day before
 * or the day after, whichever gives that wall clock (the earlier when a fall-back repeats it). A
 * time skipped by a spring-forward jump lands as far after the jump as it was past its start.
 */
function instantOf(year: number, month: number, day: number, minutes: number, timezone: string): number {
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  const before = wall - offsetAt(wall - 86_400_000, timezone);
  const after = wall - offsetAt(wall + 86_400_000, timezone);
  const matches = (instant: number) => {
    const local = wallClock(instant, timezone);
    return local.year === year && local.month === month && local.day === day && local.minutes === minutes;
  };
  const valid = [before, after].filter(matches);
  return valid.length ? Math.min(...valid) : before;
}

const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

/** A day's ranges as minutes from that day's midnight; an overnight range ends past 1440. */
function rangesOf(hours: BusinessHours, weekday: number): [number, number][] {
  return (hours.days[WEEKDAYS[weekday]!] ?? []).map(([from, to]) => {
    const start = toMinutes(from);
    const end = toMinutes(to);
    return [start, end <= start ? end + DAY_MINUTES : end];
  });
}

export function isOpen(hours: BusinessHours, now: number): boolean {
  const local = wallClock(now, hours.timezone);
  return openAt(hours, local.weekday, local.minutes);
}

/** Open at this local weekday and minute: within one of the day's ranges, or the night before's. */
function openAt(hours: BusinessHours, weekday: number, minutes: number): boolean {
  if (rangesOf(hours, weekday).some(([from, to]) => minutes >= from && minutes < to)) return true;
  const yesterday = (weekday + 6) % 7;
  return rangesOf(hours, yesterday).some(([, to]) => to > DAY_MINUTES && minutes < to - DAY_MINUTES);
}

/** The next time the business opens after `now` (when closed: the end of this closed period); null when it never opens. */
export function nextOpening(hours: BusinessHours, now: number): number | null {
  const today = wallClock(now, hours.timezone);
  // Calendar arithmetic on the local date: noon UTC of that date stays on it whatever the zone.
  const noon = Date.UTC(today.year, today.month - 1, today.day, 12);
  for (let offset = 0; offset < HORIZON_DAYS; offset++) {
    const date = new Date(noon + offset * 86_400_000);
    const weekday = (today.weekday + offset) % 7;
    const starts = rangesOf(hours, weekday)
      .map(([from]) => from)
      .sort((a, b) => a - b);
    for (const from of starts) {
      // A range that starts where another ends (midnight) continues an opening: not a new one.
      const continues = from === 0 ? openAt(hours, (weekday + 6) % 7, DAY_MINUTES - 1) : openAt(hours, weekday, from - 1);
      if (continues) continue;
      const instant = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), from, hours.timezone);
      if (instant > now) return instant;
    }
  }
  return null;
}

/**
 * The identity of the closed period `now` falls in (the business's next opening), so an away
 * message goes out once per closed period per conversation; null while open.
 */
export function closedPeriod(hours: BusinessHours, now: number): string | null {
  return isOpen(hours, now) ? null : closedPeriodUntil(nextOpening(hours, now));
}

function closedPeriodUntil(opens: number | null): string {
  return opens === null ? 'closed:never' : `closed:until:${new Date(opens).toISOString()}`;
}

/** "Monday 09:00" in the customer's language, at the business's local time. */
export function formatOpening(instant: number, hours: Pick<BusinessHours, 'timezone'>, language: string): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: hours.timezone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(intlLocale(language), options);
  } catch {
    format = new Intl.DateTimeFormat('en', options);
  }
  return format.format(instant);
}

export interface HoursStatus {
  open: boolean;
  /** Epoch ms of the next opening when closed; null when open or when it never opens. */
  nextOpening: number | null;
  /** See closedPeriod. */
  closedPeriod: string | null;
  /** The next opening for the catalogue's `{opens}`, in the customer's language; null when open or never. */
  opens: string | null;
}

/** Everything the conversation needs to know about the hours at `now`, for a customer writing in `language`. */
export function hoursStatus(hours: BusinessHours, now: number, language: string): HoursStatus {
  if (isOpen(hours, now)) return { open: true, nextOpening: null, closedPeriod: null, opens: null };
  const opens = nextOpening(hours, now);
  return {
    open: false,
    nextOpening: opens,
    closedPeriod: closedPeriodUntil(opens),
    opens: opens === null ? null : formatOpening(opens, hours, language),
  };
}
