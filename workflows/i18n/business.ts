/**
 * Texts for the business side (alerts and notices to admins), in the widget's default language.
 * Customer-facing texts live in catalogue.ts; these go only to the business's own phones.
 */
export type BusinessMessageKey = 'handoffAlert' | 'noConversationToCommand';

const business: Record<string, Record<BusinessMessageKey, string>> = {
  ro: {
    handoffAlert: 'Clientul {customer} cere să vorbească cu un coleg. Răspundeți cu „PREIA {customer}” pentru a prelua conversația.',
    noConversationToCommand: 'Nu am găsit conversația. Scrieți comanda cu numărul clientului, de exemplu „PREIA +40721234567”.',
  },
  en: {
    handoffAlert: 'Customer {customer} asks to talk to a person. Reply "PREIA {customer}" to take the conversation over.',
    noConversationToCommand: 'I could not find that conversation. Send the command with the customer\'s number, e.g. "PREIA +40721234567".',
  },
};

export function businessMessage(key: BusinessMessageKey, language: string, params: Record<string, string> = {}): string {
  const texts = business[language] ?? business.en!;
  return texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
