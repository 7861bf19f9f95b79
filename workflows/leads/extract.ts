import type { CountryCode } from 'libphonenumber-js/min';
import { extractEmail, extractPhone } from './contact.js';
import { extractName } from './name.js';
import { hasBuyingIntent, scoreLead } from './score.js';

/** What is known about a customer as a potential buyer. Plain data: it lives in workflow state. */
export interface Lead {
  name: string | null;
  email: string | null;
  phone: string | null;
  interest: string | null;
  /** They showed buying intent at least once. */
  intent: boolean;
  /** 1-5, see scoreLead; never goes down. */
  score: number;
}

export type LeadField = 'name' | 'email' | 'phone' | 'interest' | 'intent';

export interface LeadInput {
  /** The customer's message. */
  text: string;
  /** The lead so far (null for the first message). */
  previous?: Lead | null;
  /** The knowledge-base topic the message matched, when any (the caller knows it). */
  interest?: string | null;
  /** The number the customer writes from: their phone unless they give another one. */
  customerPhone?: string | null;
  /** Country for local numbers such as 0721 234 567. Default RO. */
  defaultCountry?: CountryCode;
  /** The assistant has just asked for the customer's name: a message that is only a name counts. */
  expectName?: boolean;
}

export interface LeadUpdate {
  lead: Lead;
  /** The fields this message set or changed. */
  changed: LeadField[];
  /** True on the message that first made this a lead: a name and a way to reach them. */
  captured: boolean;
  /** True when the score went up with this message (including on capture). */
  scoreRaised: boolean;
}

export const emptyLead: Lead = { name: null, email: null, phone: null, interest: null, intent: false, score: 1 };

/** A lead is captured once we know who they are and how to reach them. */
export function isCaptured(lead: Lead): boolean {
  return lead.name !== null && (lead.phone !== null || lead.email !== null);
}

/**
 * What one message says about its writer, read with data that changes between releases (name
 * cues, the phone-number metadata, buying words). Read by the activity that stores the message,
 * so a conversation's history records it and replays the same whatever a later release knows.
 */
export interface LeadFacts {
  name: string | null;
  email: string | null;
  /** A phone number written in the message (E.164), not the one it came from. */
  phone: string | null;
  intent: boolean;
}

export function readLeadFacts(text: string, options: { expectName?: boolean; defaultCountry?: CountryCode } = {}): LeadFacts {
  return {
    name: extractName(text, { expectName: options.expectName ?? false }),
    email: extractEmail(text),
    phone: extractPhone(text, options.defaultCountry ?? 'RO'),
    intent: hasBuyingIntent(text),
  };
}

/**
 * The lead after a message's facts: a value the customer states again replaces the old one (they
 * corrected it), the interest keeps its first topic, the number they write from counts until they
 * give another, and the score never goes down. Plain code over recorded facts: workflow-safe.
 */
export function applyLeadFacts(previous: Lead | null | undefined, facts: LeadFacts, context: { interest?: string | null; customerPhone?: string | null } = {}): LeadUpdate {
  const before = previous ?? emptyLead;
  const found: Partial<Record<LeadField, string | boolean>> = {};
  if (facts.name) found.name = facts.name;
  if (facts.email) found.email = facts.email;
  const phone = facts.phone ?? (before.phone ? null : (context.customerPhone ?? null));
  if (phone) found.phone = phone;
  if (context.interest && !before.interest) found.interest = context.interest;
  if (facts.intent) found.intent = true;

  const next: Lead = { ...before };
  const changed: LeadField[] = [];
  for (const field of ['name', 'email', 'phone', 'interest', 'intent'] as const) {
    const value = found[field];
    if (value === undefined || value === before[field]) continue;
    (next as unknown as Record<LeadField, string | boolean>)[field] = value;
    changed.push(field);
  }
  next.score = Math.max(before.score, scoreLead(next));
  return {
    lead: next,
    changed,
    captured: isCaptured(next) && !isCaptured(before),
    scoreRaised: next.score > before.score,
  };
}

/**
 * Reads one customer message into the lead: name, e-mail, phone (E.164), interest and buying
 * intent, then rescores. Conversations recorded before their facts were read by an activity
 * still do this in workflow code.
 */
export function extractLead(input: LeadInput): LeadUpdate {
  const facts = readLeadFacts(input.text, { expectName: input.expectName ?? false, defaultCountry: input.defaultCountry ?? 'RO' });
  return applyLeadFacts(input.previous, facts, { interest: input.interest ?? null, customerPhone: input.customerPhone ?? null });
}
