/**
 * Every text Caty sends on her own (not from the knowledge base), per language. Pure data and a
 * pure lookup, so workflow code can use it. Keys are fixed; `{name}` placeholders are filled in
 * by `systemMessage`.
 */
export type MessageKey =
  | 'fallback'
  | 'qrFirstGreeting'
  | 'kbLeadIn'
  | 'handoffAcknowledged'
  | 'handoffFollowUp'
  | 'takeoverConfirmed'
  | 'resumeConfirmed'
  | 'awayMessage'
  | 'leadCallConfirmed'
  | 'menuInstructions';

export type Catalogue = Record<MessageKey, string>;

export const catalogues: Record<string, Catalogue> = {
  ro: {
    fallback:
      'Îmi pare rău, nu am găsit un răspuns la întrebarea dumneavoastră. Vă rog să o reformulați sau scrieți „vreau să vorbesc cu un om” și vă transfer unui coleg.',
    qrFirstGreeting: 'Bună ziua! Sunt {assistant}, asistentul virtual {business}. Cu cine am plăcerea să vorbesc?',
    kbLeadIn: 'Iată ce vă pot spune:',
    handoffAcknowledged: 'Desigur, transfer conversația către un coleg. Veți fi contactat în câteva minute.',
    handoffFollowUp:
      'Ne pare rău că durează. Colegii noștri sunt ocupați momentan; între timp vă pot ajuta eu cu alte întrebări.',
    takeoverConfirmed: 'Ai preluat conversația. Caty nu va mai răspunde.',
    resumeConfirmed: 'Caty este din nou activă.',
    awayMessage: 'Bună! Acum suntem în afara programului. Vă vom răspunde cât mai curând.',
    leadCallConfirmed: 'Mulțumim! Un coleg vă va suna în curând.',
    menuInstructions: 'Răspundeți cu numărul opțiunii dorite.',
  },
  en: {
    fallback:
      "Sorry, I couldn't find an answer to that. Could you rephrase it, or write \"I want to talk to a human\" and I'll pass you to a colleague.",
    qrFirstGreeting: "Hello! I'm {assistant}, the virtual assistant of {business}. Who am I talking to?",
    kbLeadIn: "Here's what I can tell you:",
    handoffAcknowledged: "Of course, I'm transferring the conversation to a colleague. You'll be contacted in a few minutes.",
    handoffFollowUp:
      "Sorry for the wait. Our colleagues are busy right now; meanwhile I'm happy to help with any other question.",
    takeoverConfirmed: 'You have taken over the conversation. Caty will not reply any more.',
    resumeConfirmed: 'Caty is active again.',
    awayMessage: "Hi! We're outside business hours right now. We'll get back to you as soon as we can.",
    leadCallConfirmed: 'Thank you! A colleague will call you soon.',
    menuInstructions: 'Reply with the number of the option you want.',
  },
};

export const supportedCatalogueLanguages = Object.keys(catalogues);

/** Looks a text up in `language`, else in `fallbackLanguage`, else in English. */
export function systemMessage(
  key: MessageKey,
  language: string | null | undefined,
  params: Record<string, string> = {},
  fallbackLanguage = 'ro',
): string {
  const catalogue = catalogues[language ?? ''] ?? catalogues[fallbackLanguage] ?? catalogues.en!;
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
