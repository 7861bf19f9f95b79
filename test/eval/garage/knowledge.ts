import type { KnowledgeEntry } from '../../../workflows/widgets/knowledge.js';

/**
 * A second business for `npm run eval:ai`, not a shop: a car-service garage. Written in English
 * (the widget's default language); some entries are translated into German, French or Romanian,
 * most into nothing, so questions in Spanish, Italian, Polish or Dutch meet only the English text.
 * Written for the evaluation and never used to tune retrieval (no lexicon entry, stop word or
 * threshold was added for it).
 */
export const GARAGE_DEFAULT_LANGUAGE = 'en';

export const GARAGE_ENTRY_NAMES = [
  'hours',
  'oil_change',
  'tyres',
  'inspection',
  'booking',
  'courtesy_car',
  'diagnostics',
  'location',
  'payment',
  'warranty',
  'air_con',
  'brakes',
] as const;

export const GARAGE_KNOWLEDGE: KnowledgeEntry[] = [
  {
    question: 'What are your opening hours?',
    answer: 'The garage is open Monday to Friday from 7:30 to 18:00 and on Saturday from 8:00 to 13:00. We are closed on Sundays and public holidays.',
    translations: {
      de: { question: 'Wann haben Sie geöffnet?', answer: 'Die Werkstatt ist Montag bis Freitag von 7:30 bis 18:00 und samstags von 8:00 bis 13:00 geöffnet. Sonntags und an Feiertagen ist geschlossen.' },
      fr: { question: "Quels sont vos horaires d'ouverture ?", answer: 'Le garage est ouvert du lundi au vendredi de 7h30 à 18h00 et le samedi de 8h00 à 13h00. Fermé le dimanche et les jours fériés.' },
      ro: { question: 'Care este programul service-ului?', answer: 'Service-ul este deschis de luni până vineri între 7:30 și 18:00 și sâmbăta între 8:00 și 13:00. Duminica și de sărbători este închis.' },
    },
  },
  {
    question: 'How much does an oil change cost?',
    answer: 'An oil change with a new oil filter costs 60 EUR for most cars, labour included; fully synthetic oil is 20 EUR more.',
    alternatives: ['What is the price of an oil service?'],
    translations: {
      de: { question: 'Was kostet ein Ölwechsel?', answer: 'Ein Ölwechsel mit neuem Ölfilter kostet für die meisten Autos 60 EUR inklusive Arbeit; vollsynthetisches Öl kostet 20 EUR mehr.' },
    },
  },
  {
    question: 'Do you fit and store tyres?',
    answer: 'Yes: fitting and balancing four tyres costs 40 EUR. We can also store your summer or winter tyres between seasons for 50 EUR a season.',
    alternatives: ['Tyre fitting price', 'Seasonal tyre storage'],
    translations: {
      de: { question: 'Montieren und lagern Sie Reifen?', answer: 'Ja: Montage und Auswuchten von vier Reifen kostet 40 EUR. Wir lagern Ihre Sommer- oder Winterreifen auch für 50 EUR pro Saison ein.' },
      fr: { question: 'Montez-vous et stockez-vous les pneus ?', answer: "Oui : le montage et l'équilibrage de quatre pneus coûtent 40 EUR. Nous gardons aussi vos pneus été ou hiver pour 50 EUR la saison." },
    },
  },
  {
    question: 'Do you carry out the annual roadworthiness inspection?',
    answer: 'Yes, we carry out the periodic technical inspection on site: it costs 35 EUR and takes about 45 minutes. Please book it ahead.',
    translations: {
      ro: { question: 'Faceți inspecția tehnică periodică (ITP)?', answer: 'Da, facem ITP la noi în service: costă 35 EUR și durează cam 45 de minute. Vă rugăm să faceți o programare.' },
    },
  },
  {
    question: 'How do I book an appointment?',
    answer: 'Book online at motorex.example/book or call 0264 555 010. We confirm every appointment by SMS.',
    translations: {
      de: { question: 'Wie kann ich einen Termin vereinbaren?', answer: 'Buchen Sie online unter motorex.example/book oder rufen Sie 0264 555 010 an. Wir bestätigen jeden Termin per SMS.' },
    },
  },
  {
    question: 'Do you offer a courtesy car?',
    answer: 'A courtesy car is available free of charge for repairs that take more than one day. Ask for it when you book.',
    alternatives: ['Can I get a replacement vehicle during the repair?'],
  },
  {
    question: 'How much is a diagnostic check?',
    answer: 'A computer diagnostic check (reading the fault codes) costs 30 EUR, deducted from the bill if we then do the repair.',
  },
  {
    question: 'Where is the garage?',
    answer: 'We are at 14 Fabricii Street in Cluj-Napoca, next to the petrol station. Customers park for free in our yard.',
    translations: {
      de: { question: 'Wo befindet sich die Werkstatt?', answer: 'Wir sind in der Strada Fabricii 14 in Cluj-Napoca, neben der Tankstelle. Kunden parken kostenlos auf unserem Hof.' },
      ro: { question: 'Unde se află service-ul?', answer: 'Suntem pe strada Fabricii 14 din Cluj-Napoca, lângă benzinărie. Clienții parchează gratuit în curtea noastră.' },
    },
  },
  {
    question: 'Which payment methods do you accept?',
    answer: 'We accept cash, cards and bank transfer for companies. Repairs over 1,000 EUR can be paid in three monthly instalments.',
    translations: {
      fr: { question: 'Quels moyens de paiement acceptez-vous ?', answer: 'Nous acceptons les espèces, les cartes et le virement pour les entreprises. Les réparations de plus de 1 000 EUR peuvent être payées en trois fois.' },
    },
  },
  {
    question: 'Is there a warranty on repairs?',
    answer: 'Every repair comes with a warranty of 12 months or 20,000 km on parts and labour.',
  },
  {
    question: 'Do you recharge car air conditioning?',
    answer: 'Yes: an air-conditioning recharge with a leak test costs 45 EUR and takes about an hour.',
  },
  {
    question: 'How much does it cost to replace brake pads?',
    answer: 'Replacing the front brake pads costs from 80 EUR with parts, depending on the model. We check the brake discs for free.',
  },
];
