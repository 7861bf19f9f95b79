import { fold } from './text.js';

/** What a lead is scored from. */
export interface ScoredFields {
  name: string | null;
  email: string | null;
  phone: string | null;
  interest: string | null;
  intent: boolean;
}

/**
 * Lead score, 1 to 5:
 *   1  anyone who wrote
 *  +1  we know their name
 *  +1  we can reach them (a phone number or an e-mail address)
 *  +1  they asked about something we offer (the caller's matched knowledge-base topic)
 *  +1  they said they want to buy, order, book or get a price or a demo
 * The seed's example (name, phone, e-mail, "Product demo" as the topic, no buying words) is 4/5.
 */
export function scoreLead(lead: ScoredFields): number {
  let score = 1;
  if (lead.name) score++;
  if (lead.phone || lead.email) score++;
  if (lead.interest) score++;
  if (lead.intent) score++;
  return Math.min(score, 5);
}

/** Buying words in the common languages, folded (no diacritics, lower case); `*` marks a word stem. */
const INTENT = new RegExp(
  [
    // ro
    'vreau sa (?:cumpar|comand|rezerv|programez)', 'as vrea sa (?:cumpar|comand|rezerv)', 'cumpar*', 'comand*', 'pret', 'pretul', 'preturi*', 'cat costa', 'cat ar costa',
    'oferta', 'rezerv*', 'programare', 'abonament', 'interesat de', 'interesata de',
    // en
    'buy', 'purchase', 'order', 'price', 'pricing', 'quote', 'how much', 'demo', 'book', 'booking', 'subscribe', 'sign up', 'interested in',
    // fr, es, de, it, pt
    'acheter', 'commander', 'prix', 'devis', 'combien', 'comprar', 'precio', 'cuanto cuesta', 'presupuesto', 'pedido',
    'kaufen', 'bestellen', 'preis', 'angebot', 'wie viel', 'comprare', 'ordinare', 'prezzo', 'preventivo', 'quanto costa', 'orcamento', 'encomendar',
  ]
    .map((p) => (p.endsWith('*') ? `(?:^|[^\\p{L}])${p.slice(0, -1)}` : `(?:^|[^\\p{L}])${p}(?![\\p{L}])`))
    .join('|'),
  'u',
);

/** True when the message shows buying intent ("vreau să cumpăr", "how much is…", "demo"). */
export function hasBuyingIntent(text: string): boolean {
  return INTENT.test(fold(text));
}
