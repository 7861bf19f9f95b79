/**
 * A small multilingual thesaurus of what shop customers ask about. Words that mean the same thing
 * across languages and synonyms ("shipping", "delivery", "livrare", "envío", "Lieferung") become
 * one concept term, so a question meets an entry written in another language or other words.
 *
 * Each entry is a folded word start (at least four letters: "livr" covers livrare, livraison,
 * livrer) or, after `=`, a whole word for short or ambiguous ones. Words not listed keep their
 * own stems, so the base works for any business; this only bridges the common topics.
 */
const LEXICON: Record<string, string> = {
  delivery: `livr deliver shipping shipp shipment =ship =ships curier courier expedi envoi =envio envios envia
    sped consegn entreg liefer versand versend zustell =porto dostaw wysyl przesyl bezorg verzend verstuur verzond
    =levering leveren szallit kargo teslim frete =postage postal transport trimit`,
  price: `cost pret price pricing =fee =fees =taxa =taxe tarif =cout coute couter prix kost preis gebuhr =precio =precios
    cuest cuesto prezz =custa =custo preco =cena ceny kosztu prijs =kerul =ar fiyat ucret gratu =free kostenlos
    gratis darmow bezplat cheap expens scump =ieftin`,
  duration: `durea durat =dura =duran =durano =duram =dure =durent =durata delai =dauer dauert tarda =tempo =tiempo
    =zile =zi days =day jours =jour =tage tagen zeit tijd =dias =dia giorni =giorno =dni dagen =dagen arriv ajung arrive
    recei recev =primi primesc primesti primim recib ricev receb otrzym ontvang =erhalte =erhalten bekomm llega
    chega dotrze aankom ankom =kommt =komt =arriva =arrivano =soon fast rapid quick
    schnell vite snel szybk`,
  hours: `program =orar orarul deschi inchi =open =opens opened opening =close =closed closing hours horair ouvert
    ouvr =ferme fermez fermet offnung geoffn =offen geschloss =uhr horario abiert =abre =abren cerrad apert =orari
    chius =aberto =abrem fechad godzin otwar czynn zamkni openingstijd geopend gesloten nyitva =schedule
    sunday duminic dimanch sonntag doming domenic niedziel zondag saturday sambat samedi samstag sabad sabat sobot
    zaterdag weekend`,
  return: `retur retour return refund rambursa rembours renvoy ruckgab ruckgeb zuruckg zurucks umtausch erstatt devol
    devuel reembols restitu =reso =resi rimbors zwrot zwroc oddac terugst terugbr =ruil ruilen schimb exchang echang
    cambiar =cambio =troca trocar wymian`,
  payment: `plat achit =pay payin payme paid paie paiem payer =zahlen zahlung zahlt bezahl =pago pagar
    pagam pagas =card =cards carduri =carte =karte tarjet =carta cartao =karta =kaart =cash numerar =ramburs espece efectiv
    contant dinheir gotowk fizet odeme paypal =visa mastercard revolut transfer virement uberweis transferenc
    bonific przelew overschrijv betal credit debit`,
  warranty: `garan guarant warrant gwaranc gewahrl =jotall`,
  tracking: `urmar track suivi suivre verfolg sendungsverf seguimi rastre tracci tracking sledz volgen =awb`,
  // A parcel is the order on its way: "where is my parcel" is "where is my order".
  order: `comand comman order bestell =pedido pedidos =ordine ordini encomend zamow rendel siparis colet =colis
    paket paquet paqu pacco pacchett pacote paczk pakket parcel packag`,
  product: `produ prodo =item =items artic artik =ware =waren marfa merch`,
  cancel: `=anula anulez anulare anulat cancel annul storn cancela anulow anuluj annuleer`,
  location: `adres addres =where =unde =wo =donde =dove =dov =onde =gdzie =waar =hol locat situat gases =find visit
    vizit besuch =visitar visitare showroom`,
  store: `magazin =shop =shops =store =stores magasin boutiq =geschaft =laden tienda negozi =loja =sklep sklepie
    winkel =bolt =uzlet`,
  abroad: `strain abroad internat etrang auslan extranj =estero =exterior zagranic buitenl kulfold yurtdis overseas
    foreign`,
  contact: `telef phone =call =suna contact contatt kontakt =email mail anruf appel llamar chiamar ligar zadzwon =bellen`,
};

const exact = new Map<string, string>();
const prefixes = new Map<string, string>();
for (const [concept, list] of Object.entries(LEXICON)) {
  for (const item of list.split(/\s+/).filter(Boolean)) {
    if (item.startsWith('=')) exact.set(item.slice(1), `~${concept}`);
    else prefixes.set(item, `~${concept}`);
  }
}
const LONGEST_PREFIX = Math.max(...[...prefixes.keys()].map((p) => p.length));

/** The concept a folded word names (`~delivery`), or null. */
export function conceptOf(word: string): string | null {
  return conceptsOf(word)[0] ?? null;
}

/**
 * The concepts a folded word names: one, or two for a compound whose parts both name one
 * ("versandkosten" is delivery and price, "levertijd" delivery and duration).
 */
export function conceptsOf(word: string): string[] {
  const whole = exact.get(word);
  if (whole) return [whole];
  for (let length = Math.min(word.length, LONGEST_PREFIX); length >= 4; length--) {
    const concept = prefixes.get(word.slice(0, length));
    if (!concept) continue;
    const rest = word.slice(length).replace(/^(s|en|n|e)(?=\p{L}{4})/u, '');
    const second = rest.length >= 4 ? conceptsOfPart(rest) : null;
    return second && second !== concept ? [concept, second] : [concept];
  }
  return [];
}

function conceptsOfPart(part: string): string | null {
  const whole = exact.get(part);
  if (whole) return whole;
  for (let length = Math.min(part.length, LONGEST_PREFIX); length >= 4; length--) {
    const concept = prefixes.get(part.slice(0, length));
    if (concept) return concept;
  }
  return null;
}

/** Every lexicon form with its concept, for correcting typos against it. */
export function lexiconForms(): { form: string; concept: string; prefix: boolean }[] {
  return [
    ...[...exact].map(([form, concept]) => ({ form, concept, prefix: false })),
    ...[...prefixes].map(([form, concept]) => ({ form, concept, prefix: true })),
  ];
}
