/**
 * Texts for the business side (alerts and notices to admins), in the widget's default language.
 * Customer-facing texts live in catalogue.ts; these go only to the business's own phones.
 */
export type BusinessMessageKey = 'handoffAlert' | 'webHandoffAlert' | 'noConversationToCommand' | 'callScheduled' | 'channelLoggedOut' | 'channelDisconnected';

const business: Record<string, Record<BusinessMessageKey, string>> = {
  ro: {
    handoffAlert: 'Clientul {customer} cere să vorbească cu un coleg. Răspundeți cu „PREIA {customer}” pentru a prelua conversația.',
    webHandoffAlert: 'Un vizitator al site-ului cere să vorbească cu un coleg. Răspundeți cu „PREIA” ca Caty să tacă, apoi scrieți-i din panoul Caty (Conversații).',
    noConversationToCommand: 'Nu am găsit conversația. Scrieți comanda cu numărul clientului, de exemplu „PREIA +40721234567”.',
    callScheduled: 'Am notat: {name} ({customer}) va fi sunat. I-am spus clientului că un coleg îl va suna.',
    channelLoggedOut: 'Caty: numărul WhatsApp {phone} a fost deconectat de pe telefon. Clienții care scriu pe el nu mai primesc răspuns. Deschideți panoul Caty, Integrations, și apăsați „Scan again”.',
    channelDisconnected: 'Caty: numărul WhatsApp {phone} nu mai este conectat de {minutes} min. Caty reîncearcă; dacă telefonul a scos dispozitivul, deschideți panoul Caty, Integrations, și apăsați „Scan again”.',
  },
  en: {
    handoffAlert: 'Customer {customer} asks to talk to a person. Reply "PREIA {customer}" to take the conversation over.',
    webHandoffAlert: 'A website visitor asks to talk to a person. Reply "PREIA" to silence Caty, then answer them from the Caty dashboard (Conversations).',
    noConversationToCommand: 'I could not find that conversation. Send the command with the customer\'s number, e.g. "PREIA +40721234567".',
    callScheduled: 'Noted: {name} ({customer}) will be called. The customer was told a colleague will call.',
    channelLoggedOut: 'Caty: the WhatsApp number {phone} was logged out from the phone. Customers writing to it get no answer. Open the Caty dashboard, Integrations, and press "Scan again".',
    channelDisconnected: 'Caty: the WhatsApp number {phone} has not been connected for {minutes} min. Caty keeps trying; if the phone removed the linked device, open the Caty dashboard, Integrations, and press "Scan again".',
  },
};

export function businessMessage(key: BusinessMessageKey, language: string, params: Record<string, string> = {}): string {
  const texts = business[language] ?? business.en!;
  return texts[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
