import type { KnowledgeEntry } from '../workflows/widgets/knowledge.js';

/**
 * The demo shop's knowledge base: written in Romanian (the widget's default language), with other
 * phrasings and translations. Some entries are translated into fewer languages on purpose, so a
 * question in another language shows the answer in Romanian under the catalogue's lead-in.
 * Also the base the AI evaluation (`npm run eval:ai`) runs against.
 */
export const DEMO_DEFAULT_LANGUAGE = 'ro';

export const DEMO_KNOWLEDGE: KnowledgeEntry[] = [
  {
    question: 'Cât costă livrarea?',
    answer: 'Livrarea costă 15 lei și este gratuită pentru comenzile de peste 200 de lei.',
    alternatives: ['Care este taxa de transport?', 'Livrarea este gratuită?', 'Cât plătesc pentru curier?'],
    translations: {
      en: { question: 'How much does shipping cost?', answer: 'Shipping costs 15 lei and is free for orders over 200 lei.', alternatives: ['Is delivery free?', 'What is the delivery fee?'] },
      fr: { question: 'Combien coûte la livraison ?', answer: 'La livraison coûte 15 lei et elle est gratuite dès 200 lei de commande.', alternatives: ['Les frais de port sont de combien ?'] },
      de: { question: 'Was kostet der Versand?', answer: 'Der Versand kostet 15 Lei und ist ab 200 Lei Bestellwert kostenlos.', alternatives: ['Wie hoch sind die Versandkosten?'] },
      es: { question: '¿Cuánto cuesta el envío?', answer: 'El envío cuesta 15 lei y es gratis para pedidos de más de 200 lei.' },
      it: { question: 'Quanto costa la spedizione?', answer: 'La spedizione costa 15 lei ed è gratuita per ordini superiori a 200 lei.' },
    },
  },
  {
    question: 'Cât durează livrarea?',
    answer: 'Livrarea durează 1-3 zile lucrătoare în toată țara.',
    alternatives: ['Când ajunge comanda mea?', 'În câte zile primesc coletul?'],
    translations: {
      en: { question: 'How long does delivery take?', answer: 'Delivery takes 1-3 working days anywhere in the country.', alternatives: ['When will my order arrive?'] },
      fr: { question: 'Quel est le délai de livraison ?', answer: 'La livraison prend 1 à 3 jours ouvrés dans tout le pays.' },
      de: { question: 'Wie lange dauert die Lieferung?', answer: 'Die Lieferung dauert 1-3 Werktage im ganzen Land.' },
      es: { question: '¿Cuánto tarda el envío?', answer: 'El envío tarda de 1 a 3 días hábiles en todo el país.' },
    },
  },
  {
    question: 'Care este programul magazinului?',
    answer: 'Suntem deschiși de luni până vineri, între 9:00 și 18:00, și sâmbăta între 10:00 și 14:00.',
    alternatives: ['La ce oră deschideți?', 'Sunteți deschiși duminica?'],
    translations: {
      en: { question: 'What are your opening hours?', answer: 'We are open Monday to Friday, 9:00 to 18:00, and Saturday 10:00 to 14:00.', alternatives: ['When are you open?'] },
      fr: { question: "Quels sont vos horaires d'ouverture ?", answer: 'Nous sommes ouverts du lundi au vendredi de 9h à 18h, et le samedi de 10h à 14h.' },
      de: { question: 'Wie sind Ihre Öffnungszeiten?', answer: 'Wir haben Montag bis Freitag von 9 bis 18 Uhr und samstags von 10 bis 14 Uhr geöffnet.' },
      es: { question: '¿Cuál es su horario?', answer: 'Abrimos de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 14:00.' },
      it: { question: 'Quali sono i vostri orari di apertura?', answer: 'Siamo aperti dal lunedì al venerdì dalle 9 alle 18 e il sabato dalle 10 alle 14.' },
      pt: { question: 'Qual é o horário de funcionamento?', answer: 'Abrimos de segunda a sexta, das 9h às 18h, e ao sábado das 10h às 14h.' },
    },
  },
  {
    question: 'Pot returna un produs?',
    answer: 'Da, aveți 30 de zile pentru retur gratuit. Scrieți-ne numărul comenzii și vă trimitem eticheta de retur.',
    alternatives: ['Cum fac un retur?', 'Vreau banii înapoi', 'Pot schimba mărimea?'],
    translations: {
      en: { question: 'Can I return a product?', answer: 'Yes, you have 30 days for a free return. Send us your order number and we will send you the return label.', alternatives: ['How do I get a refund?', 'Can I exchange an item?'] },
      fr: { question: 'Puis-je retourner un produit ?', answer: 'Oui, vous avez 30 jours pour un retour gratuit. Envoyez-nous votre numéro de commande et nous vous enverrons l’étiquette de retour.' },
      de: { question: 'Kann ich ein Produkt zurückgeben?', answer: 'Ja, Sie haben 30 Tage Zeit für eine kostenlose Rücksendung. Schicken Sie uns Ihre Bestellnummer, dann senden wir Ihnen das Rücksendeetikett.' },
      es: { question: '¿Puedo devolver un producto?', answer: 'Sí, tiene 30 días para una devolución gratuita. Envíenos su número de pedido y le mandamos la etiqueta de devolución.' },
      it: { question: 'Posso restituire un prodotto?', answer: 'Sì, ha 30 giorni per il reso gratuito. Ci mandi il numero dell’ordine e le inviamo l’etichetta di reso.' },
      pt: { question: 'Posso devolver um produto?', answer: 'Sim, tem 30 dias para uma devolução gratuita. Envie-nos o número da encomenda e mandamos a etiqueta de devolução.' },
    },
  },
  {
    question: 'Ce metode de plată acceptați?',
    answer: 'Acceptăm card online, transfer bancar și plata ramburs la curier.',
    alternatives: ['Pot plăti cu cardul?', 'Se poate plăti la livrare?'],
    translations: {
      en: { question: 'Which payment methods do you accept?', answer: 'We accept cards online, bank transfer and cash on delivery.', alternatives: ['Can I pay by card?'] },
      fr: { question: 'Quels moyens de paiement acceptez-vous ?', answer: 'Nous acceptons la carte en ligne, le virement bancaire et le paiement à la livraison.' },
      de: { question: 'Welche Zahlungsarten akzeptieren Sie?', answer: 'Wir akzeptieren Kartenzahlung online, Überweisung und Nachnahme.' },
      es: { question: '¿Qué métodos de pago aceptan?', answer: 'Aceptamos tarjeta online, transferencia bancaria y pago contra reembolso.' },
    },
  },
  {
    question: 'Ce garanție au produsele?',
    answer: 'Toate produsele au garanție de 2 ani.',
    translations: {
      en: { question: 'What warranty do the products have?', answer: 'All products come with a 2-year warranty.' },
      de: { question: 'Welche Garantie haben die Produkte?', answer: 'Alle Produkte haben 2 Jahre Garantie.' },
    },
  },
  {
    question: 'Cum pot urmări comanda?',
    answer: 'Primiți pe e-mail un link de urmărire imediat ce coletul pleacă din depozit.',
    alternatives: ['Unde este comanda mea?', 'Am primit AWB-ul?'],
    translations: {
      en: { question: 'How can I track my order?', answer: 'You get a tracking link by e-mail as soon as the parcel leaves our warehouse.', alternatives: ['Where is my order?'] },
      fr: { question: 'Comment suivre ma commande ?', answer: 'Vous recevez un lien de suivi par e-mail dès que le colis quitte notre entrepôt.' },
    },
  },
  {
    question: 'Unde se află magazinul?',
    answer: 'Showroom-ul nostru este pe Strada Lipscani 10, București.',
    alternatives: ['Aveți magazin fizic?', 'Care este adresa?'],
    translations: {
      en: { question: 'Where is your shop?', answer: 'Our showroom is at 10 Lipscani Street, Bucharest.', alternatives: ['What is your address?'] },
    },
  },
  {
    question: 'Livrați în străinătate?',
    answer: 'Da, livrăm în toată Uniunea Europeană; costul se calculează la finalizarea comenzii.',
    translations: {
      en: { question: 'Do you ship abroad?', answer: 'Yes, we ship across the European Union; the cost is calculated at checkout.', alternatives: ['Do you deliver internationally?'] },
      de: { question: 'Liefern Sie ins Ausland?', answer: 'Ja, wir liefern in die ganze Europäische Union; die Kosten werden an der Kasse berechnet.' },
    },
  },
  {
    question: 'Pot anula o comandă?',
    answer: 'Da, puteți anula comanda gratuit până la expediere: răspundeți cu numărul comenzii.',
    translations: {
      en: { question: 'Can I cancel an order?', answer: 'Yes, you can cancel free of charge until it ships: reply with your order number.' },
      es: { question: '¿Puedo cancelar un pedido?', answer: 'Sí, puede cancelarlo gratis hasta el envío: responda con el número de pedido.' },
    },
  },
];
