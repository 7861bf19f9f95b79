import snowball from 'snowball-stemmers';
import { conceptsOf } from './concepts.js';

/**
 * Normalised terms for matching chat text against a knowledge base, in any of the languages
 * customers write in: lower case, diacritics folded (ș→s, ä→a, ł→l: customers often type without
 * them), punctuation and function words dropped, words that name a customer-service concept
 * replaced by that concept (so "shipping", "livrare" and "Lieferung" meet), the rest cut to a
 * short stem so "livrare", "livrarea" and "livrari" meet.
 */

/** Letters that Unicode does not decompose into a base letter and a mark. */
const SPECIAL_LETTERS: Record<string, string> = { ł: 'l', ß: 'ss', ø: 'o', æ: 'ae', œ: 'oe', đ: 'd', ı: 'i', ð: 'd', þ: 'th' };

export function foldDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[łßøæœđıðþ]/g, (c) => SPECIAL_LETTERS[c]!);
}

/** Lower case, folded, words only. */
export function words(text: string): string[] {
  return foldDiacritics(text.toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Function words, greetings and courtesy in the languages the catalogue speaks, after folding.
 * A word that is a function word in one language is dropped in all: content words were left out.
 */
const STOP_WORDS = new Set(
  `
  si sa se la de in pe cu un o ca ce cum care este e sunt am ai are as vreau dori doresc va voi eu tu noi mi ma te ne le lui
  al ale a din pentru prin sau dar nu da mai foarte fi fost buna ziua salut rog multumesc mersi aveti puteti pot poate cat
  cand cate daca nici asta acest aceasta acum imi iti isi meu mea mele tau ta voastra vostru dvs dumneavoastra oare niste pana mine azi astazi acolo aici
  the a an is are do does did you your i me my we our us to of and or in on for with can could would should will what how when
  which who it its this that these those have has had be been being hi hello hey please thanks thank there any
  much many some am was were if at by from about get got ok okay yes no not just also so then than
  want need like know tell take bought buy last week today there here
  le la les un une des du de et ou est sont je tu il elle nous vous ils elles mon ma mes votre vos notre nos ce cette ces
  que qui quoi quel quelle quels quelles comment quand est ce pour par sur avec dans pas ne puis peux peut pouvez bonjour
  salut merci svp plait sil y a en au aux avez ai as suis etes moi toi lui leur leurs se si
  voudrais voudrai veux veut aimerais aujourd hui
  der die das den dem des ein eine einen einem einer und oder ist sind ich du er sie es wir ihr mein meine ihre ihren
  was wie wann welche welcher welches kann konnen konnte konnen habe hast hat haben zu im am an auf fur mit von bei
  nicht kein keine bitte danke hallo guten ja nein auch noch schon mal gibt man
  mochte mochten will heute habt ihr euer eure
  el la los las un una unos unas y o es son yo tu usted ustedes nosotros mi mis su sus que como cuando cual
  puedo puede pueden para por con sin en del al se lo le les hola gracias favor buenos buenas hay tengo tiene tienen
  estan esta estoy quiero quisiera hoy
  il lo la gli le uno una e ed o sono io noi voi mio mia miei suo sua che come quando quale posso puo potete per
  con di da del della dei delle nel nella sul ciao grazie buongiorno salve ho hai ha abbiamo avete non mi ti ci vi si
  hanno siete voglio vorrei oggi gli
  o a os as um uma e ou sou eu voce voces nos meu minha seu sua que como quando qual posso pode podem para por com
  em no na nos nas do da dos das ola obrigado obrigada bom tenho tem temos
  estao esta estou quero queria hoje minha
  i w z na do nie jest sa ja ty my wy moj moja twoj jak kiedy jaki jaka ktory moge mozna czy prosze dziekuje
  dzien dobry czesc sie to od za po przy ze
  moje moja moj jakich jakie jestescie jestes jestem chce chcialbym dzisiaj
  de het een en of is zijn ik jij je u wij we mijn uw wat hoe wanneer welke kan kunnen kunt voor met van op
  in aan bij niet geen hallo hoi bedankt dank alstublieft graag er ook
  jullie zit wil vandaag
  `
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Question phrases whose meaning lives in the phrase, not its words ("how much" asks a price,
 * "how long" a duration), per language, after folding. Longer phrases first.
 */
const PHRASES: [RegExp, string][] = [
  [/\b(buna ziua|buna seara|good (morning|afternoon|evening)|guten (tag|morgen|abend)|buenos dias|buenas tardes|bom dia|boa tarde|dzien dobry|goede(n)? (dag|middag|morgen)|jo napot)\b/g, ' '],
  [/\b(how long|cat timp|cat dureaza|cate zile|combien de temps|en combien de|wie lange|wie viele tage|cuanto tiempo|cuanto tarda|quanto tempo|quanto ci vuole|ile czasu|jak dlugo|hoe lang|hoeveel dagen)\b/g, ' ~duration '],
  [/\b(what time|at what time|la ce ora|a quelle heure|um wie viel uhr|a que hora|a che ora|a que horas|o ktorej|hoe laat)\b/g, ' ~hours '],
  [/\b(money back|banii inapoi|argent|geld zuruck|geld terug|dinero|soldi indietro|dinheiro de volta|zwrot pieniedzy)\b/g, ' ~return '],
  [/\b(ou est|ou sont|ou se trouve)\b/g, ' ~location '],
  [/\b(how much|cat e|cat este|cat face|combien|wie viel|wieviel|cuanto|cuanta|cuesta|quanto|quanta|ile kosztuje|ile|hoeveel|mennyibe)\b/g, ' ~price '],
];

const STEM_LENGTH = 5;

/** Snowball's stemmers by ISO 639-1 code, for the catalogue languages it has one for. */
const SNOWBALL: Record<string, string> = {
  ar: 'arabic', ca: 'catalan', cs: 'czech', da: 'danish', de: 'german', en: 'english', es: 'spanish', eu: 'basque', fi: 'finnish',
  fr: 'french', ga: 'irish', hu: 'hungarian', hy: 'armenian', it: 'italian', nb: 'norwegian', nl: 'dutch', no: 'norwegian',
  pt: 'portuguese', ro: 'romanian', ru: 'russian', sl: 'slovene', sv: 'swedish', ta: 'tamil', tr: 'turkish',
};
const stemmers = new Map<string, { stem(word: string): string } | null>();
let snowballStemming = true;

/** `npm run eval:ai` compares retrieval with and without Snowball's stemmers (without: the folded word cut short, as before them). */
export function useSnowballStemming(enabled: boolean): void {
  snowballStemming = enabled;
}

function stemmerFor(language: string | undefined) {
  if (!language || !snowballStemming) return null;
  let stemmer = stemmers.get(language);
  if (stemmer === undefined) {
    const algorithm = SNOWBALL[language];
    stemmer = algorithm ? snowball.newStemmer(algorithm) : null;
    stemmers.set(language, stemmer);
  }
  return stemmer;
}

/**
 * A word's terms: its concepts, or its stem; none for words that carry no meaning here. With the
 * text's language, the stem is Snowball's for that language ("booking" and "book", "parcare" and
 * "parcarea" meet), cut to a few letters so that a verb and its noun, and cognates across
 * languages ("reservation", "réservation", "reserva"), still meet.
 */
export function termsOf(word: string, language?: string): string[] {
  if (word.startsWith('~')) return [word];
  if (STOP_WORDS.has(word)) return [];
  if (word.length < 2 && !/\d/.test(word)) return [];
  const concepts = conceptsOf(word);
  if (concepts.length > 0) return concepts;
  return [stem(word, language)];
}

export function stem(word: string, language?: string): string {
  const stemmed = stemmerFor(language)?.stem(word);
  const base = stemmed && stemmed.length >= 3 ? stemmed : word;
  return base.length > STEM_LENGTH ? base.slice(0, STEM_LENGTH) : base;
}

/** Folded words with the phrase rules applied (concept markers such as `~price` kept as words). */
export function phraseWords(text: string): string[] {
  let folded = ` ${words(text).join(' ')} `;
  for (const [pattern, concept] of PHRASES) folded = folded.replace(pattern, concept);
  return folded.match(/~?[\p{L}\p{N}]+/gu) ?? [];
}

export function tokenize(text: string, language?: string): string[] {
  return phraseWords(text).flatMap((word) => termsOf(word, language));
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}
