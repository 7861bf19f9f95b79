/**
 * Texts for the business side (alerts and notices to admins), in the widget's default language.
 * Customer-facing texts live in catalogue.ts; these go only to the business's own phones.
 */
export type BusinessMessageKey = 'handoffAlert' | 'webHandoffAlert' | 'noConversationToCommand' | 'callScheduled';

const business: Record<string, Record<BusinessMessageKey, string>> = {
  ro: {
    handoffAlert: 'Clientul {customer} cere să vorbească cu un coleg. Răspundeți cu „PREIA {customer}” pentru a prelua conversația.',
    webHandoffAlert: 'Un vizitator al site-ului cere să vorbească cu un coleg. Răspundeți cu „PREIA” ca Caty să tacă, apoi scrieți-i din panoul Caty (Conversații).',
    noConversationToCommand: 'Nu am găsit conversația. Scrieți comanda cu numărul clientului, de exemplu „PREIA +40721234567”.',
    callScheduled: 'Am notat: {name} ({customer}) va fi sunat. I-am spus clientului că un coleg îl va suna.',
  },
  en: {
    handoffAlert: 'Customer {customer} asks to talk to a person. Reply "PREIA {customer}" to take the conversation over.',
    webHandoffAlert: 'A website visitor asks to talk to a person. Reply "PREIA" to silence Caty, then answer them from the Caty dashboard (Conversations).',
    noConversationToCommand: 'I could not find that conversation. Send the command with the customer\'s number, e.g. "PREIA +40721234567".',
    callScheduled: 'Noted: {name} ({customer}) will be called. The customer was told a colleague will call.',
  },
};

export function businessMessage(key: BusinessMessageKey, language: string, params: Record<string, string> = {}): string {
  const texts = business[language] ?? business.en!;
  return texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
