import type { SupportedLanguage } from './supported.js';
import { foldCyrillic, foldLatin } from './text.js';

/**
 * Very common chat words per language: greetings, thanks, yes/no, pronouns, articles,
 * prepositions, frequent verbs and the vocabulary of shop conversations (order, delivery, price).
 * Statistical detectors need a dozen characters to be right; a customer writing "ok merci",
 * "pret?" or "nein danke" gives them two words, and these lists are what makes those decidable.
 *
 * Latin words are written without diacritics, the way most people type on a phone: the detector
 * folds the message the same way before looking words up, and weighs the diacritics separately.
 * A word may appear under several languages ("la", "de", "super"): its evidence is then shared.
 */
const LATIN_WORDS: Partial<Record<SupportedLanguage, string>> = {
  ro: `
    buna salut salutare servus ziua seara dimineata noapte multumesc multumim multumiri mersi
    merci mersii msm mltm multam rog scuze scuzati pardon pa pupici noroc apreciez da nu ba
    sigur desigur bineinteles exact corect ok oke okei bine perfect super minunat excelent
    grozav inteles clar gata asa deci adica eu tu el ea noi voi ei ele dumneavoastra dvs dv mie
    imi mi ma meu mea mei mele tau ta tale sau nostru noastra vostru lor lui acesta aceasta asta
    acest aceste acestea ala aia acela aceea cineva ceva nimic nimeni niciun nicio fiecare toti
    toate tot ce cine cand unde cum cat cata cati cate care oare cumva si dar ca daca cu de la
    pe in din pentru pt fara pana dupa despre prin spre intre langa sub peste ori iar insa decat
    sa nici doar numai chiar inca deja acum azi astazi maine ieri curand repede urgent mai
    foarte mult multa multe putin prea tare destul este e sunt esti suntem sunteti era fost fi
    am ai are avem aveti au avea as ar vreau vrei vrea vrem vreti doresc dori doriti pot poti
    poate putem puteti trebuie stiu stii stie stiti fac face faceti merge mearga vine ajunge
    ajuns primit primesc primi trimis trimite trimiteti sunati astept asteptam vorbesc vorbi
    vorbim spune spuneti zice vad vedea luat plati platesc platit costa costat comandat comand
    anulez anula returnez schimb schimba inteleg ajutati ajuta ajutor functioneaza potriveste
    lipseste incerc dureaza ridica ridic livrati livrez pret pretul preturi comanda comenzii
    comenzi livrare livrarea livrari curier curierul colet coletul produs produsul produse
    produsele factura facturi plata cardul ramburs numerar bani banii stoc marime marimea marimi
    masura culoare culoarea reducere reducerea reduceri codul retur returul garantie garantia
    adresa adresei programul magazin magazinul magazine depozit om operator coleg persoana numar
    numarul zi zile saptamana intrebare problema raspuns transport transportul taxa oferta
    promotie aplicatia aplicatie contul parola marfa bucata bucati luni marti miercuri joi
    vineri sambata duminica bravo aha ceau pup altceva nevoie informatie informatii link linkul
    gratuit gratuita rate transfer bancar contactati contacta disponibil disponibila telefon
    telefonul ecran ecranul stricat alo
  `,
  en: `
    hi hello hey thanks thank thx ty tnx please pls plz yes yeah yep yup no nope ok okay sure
    great good morning afternoon evening night bye sorry cool nice awesome perfect fine welcome
    i you u he she we they it me my mine your ur our their his her this that these those is are
    am was were be been do does did done have has had can could would should will shall may
    might must want wanna need like get got know see send sent pay paid buy order ordered orders
    ship shipping shipped delivery deliver price cost costs much many how what when where why
    who which the a an of to in on at for from with by about and or but if so not still yet
    already just only also too very really any some all there here now today tomorrow yesterday
    week back again size stock available return refund cancel change address invoice discount
    code store shop open hours work working doesnt don't dont didn't didnt isn't isnt can't cant
    i'm im i'd i'll it's what's whats thats that's there's let let's call person human someone
    agent help update nothing something anything wrong item received arrived damaged package
    tracking number free long take pick up instead charged twice same warranty valid
    international waterproof fit black tell info question problem us them him monday tuesday
    wednesday thursday friday saturday sunday weekend worries thank's hiya anyone everyone
    bought broke broken screen phone last month located link close closed maybe
  `,
  es: `
    hola buenas buenos dias tardes noches gracias grasias muchas muchisimas por favor porfa
    porfavor si no vale claro genial perfecto bueno bien ok oye mira disculpa perdon siento
    adios hasta luego saludos yo tu el ella usted ustedes nosotros me te se le les nos mi mis su
    sus tus este esta esto estos estas ese esa eso que como cuando donde cuanto cuanta cuantos
    cual cuales quien porque la los las un una unos unas de del al a en con sin para sobre entre
    desde y o pero ni tambien ya aun todavia muy mucho mucha poco mas menos solo hoy manana ayer
    ahora semana es son estan estoy ser estar hay tiene tienen tengo tienes tenemos puede pueden
    puedo quiero quisiera quiere necesito hacer hace hacen hice llega llego llegado llegue envio
    envios enviar mandar mandan pedido pedidos pedi precio cuesta costo pagar pago tienda talla
    producto factura devolver devolucion cambiar cancelar direccion descuento codigo oferta
    garantia horario funciona problema ayuda persona alguien hablar llamar llamais llaman nombre
    empresa numero seguimiento correo dinero cobrado veces tarda vuelve disponible nada algo
    todo roto entonces espero equivoque lunes martes miercoles jueves viernes sabado domingo tal
    acuerdo enlace compre compra movil pantalla mes pasado ubicados gratis rojo ayudar vez pues
  `,
  fr: `
    bonjour bonsoir salut coucou merci beaucoup svp stp plait s'il vous oui ouais non d'accord
    dacc d'acc ok super parfait genial top bien tres bon bonne journee soiree desole pardon
    excusez moi je j' tu il elle on nous ils elles me m' te t' se s' le la les l' un une des du
    de d' au aux ce c' cet cette ces mon ma mes ton ta tes son sa ses notre votre vos nos leur
    qui que qu' quoi quand comment combien pourquoi ou quel quelle quels quelles et mais donc
    car ni avec sans pour par dans sur sous chez en y est sont suis es etes sommes etre ai as
    avez avons ont avoir fait faire peux peut pouvez pouvons veux veut voulez voudrais souhaite
    souhaiterais faut dois doit pas plus rien toujours encore deja aussi trop peu aujourd'hui
    demain hier maintenant semaine jours commande livraison colis prix coute payer paiement
    facture article taille magasin boutique remboursement retour retourner annuler adresse promo
    reduction garantie horaires marche fonctionne appeler rappeler rappelez conseiller quelqu'un
    personne parler recu arrive abime mauvais numero suivi moyens acceptez dispo disponible
    envoyer envoyez alors attends ca c'est est-ce lundi mardi mercredi jeudi vendredi samedi
    dimanche va souci telephone ecran mois dernier achete casse besoin aide aider situes gratuit
    lien rembourse
  `,
  de: `
    hallo hi hey moin servus tag guten morgen abend danke dankeschon vielen dank bitte ja jo
    nein nee ok okay klar alles gut super prima toll passt genau sorry entschuldigung tschuss
    ich du er sie es wir ihr mich mir dich dir uns euch ihnen mein meine meinen meiner dein
    deine ihre unser euer eure der die das den dem des ein eine einen einem einer kein keine
    keinen und oder aber wenn dass weil ob mit ohne fur von vom zu zum zur bei beim nach aus auf
    an am im in uber unter vor seit bis ist sind bin bist seid war waren habe hab hast hat haben
    habt hatte kann kannst konnen konnte mochte mochten will wollen muss mussen soll wird werden
    wurde gibt geht gehen kommt kam bekommen bekomme erhalten schicken senden bestellen bestellt
    bestellung lieferung liefern liefert versand paket preis kostet kosten zahlen bezahlen
    rechnung artikel grosse laden geschaft ruckgabe zuruck stornieren adresse rabatt gutschein
    garantie offnungszeiten funktioniert nicht nichts noch schon auch sehr mehr nur immer wieder
    jetzt heute gestern woche tage wann wie wo was warum wer welche welcher welches wieviel
    lange mitarbeiter jemand sprechen anrufen rufen hilfe helfen falsch falsche falschen kaputt
    beschadigt lager verfugbar angebot firma zweimal dann warte montag dienstag mittwoch
    donnerstag freitag samstag sonntag gute nacht gekauft handy bildschirm monat letzten brauche
    geld kostenlos wochenende problem
  `,
  it: `
    ciao salve buongiorno buonasera buonanotte buona grazie mille prego per favore perfavore si
    no ok va bene benissimo perfetto ottimo certo certamente esatto fantastico scusa scusi
    scusate arrivederci io tu lui lei noi voi loro mi ti ci vi lo la li le gli ne il i un uno
    una un' di del della dello dei delle degli a al alla allo ai alle da dal dalla in nel nella
    nei con su sul sulla tra fra e ed o ma che se perche come quando dove quanto quanta quanti
    quale quali chi cosa cos' c' l' d' dell' all' nell' sull' po' mio mia miei mie tuo tua suo
    sua nostro vostro questo questa quello quella sono sei siamo siete ero stato essere ho hai
    ha abbiamo avete hanno avere posso puoi puo possiamo potete possono voglio vorrei vuole devo
    deve dovete serve fare fate faccio fa arriva arrivato arrivata spedire spedite spedizione
    spedito ordine ordinato ordini prezzo costa pagare pagamento contrassegno fattura articolo
    taglia negozio reso restituire annullare indirizzo sconto codice offerta garanzia orari
    orario funziona operatore qualcuno persona parlare chiamare richiamate aiuto ancora gia
    anche molto tanto poco piu meno solo sempre oggi domani ieri adesso ora settimana giorni
    niente nulla tutto qualcosa sbagliato rotto numero disponibile allora aspetto lunedi martedi
    mercoledi giovedi venerdi sabato domenica nessun nessuno problema bisogno aiutare gratis
    rimborso consegnate comprato telefono schermo mese scorso tutti viene
  `,
  pt: `
    ola oi bom boa dia tarde noite obrigado obrigada obg brigado valeu vlw por favor pfv sim nao
    ok beleza blz certo claro otimo perfeito show legal tudo bem desculpa desculpe tchau ate
    logo eu voce vc voces vcs ele ela nos eles elas me te se lhe meu minha meus minhas seu sua
    seus suas nosso nossa o a os as um uma uns umas de do da dos das em no na nas ao aos pra pro
    para pelo pela com sem sobre e ou mas que como quando onde quanto quanta quantos qual quais
    quem porque cade este esta isto esse essa isso aquele sao sou estao estou foi ser estar tem
    tenho temos tinha ter ha pode posso podem podemos quero queria gostaria preciso precisa
    fazer faz fiz chegou chega chegar enviar enviam envio mandar pedido pedidos compra comprar
    comprei preco custa frete entrega pagar pagamento boleto pix cartao nota fiscal fatura
    produto tamanho loja troca trocar devolver devolucao cancelar endereco desconto cupom codigo
    promocao garantia horario funciona atendente alguem pessoa falar ligar liguem ajuda ainda ja
    tambem muito muita pouco mais menos so sempre hoje amanha ontem agora semana dias nada algo
    errado errei danificado rastreio numero disponivel estoque entao aguardar vou ta to ne ai
    segunda terca quarta quinta sexta sabado domingo problema fica gratis dinheiro volta celular
    tela quebrou passado mes ajudar fim
  `,
  nl: `
    hoi hallo hey goedemorgen goedemiddag goedenavond goedendag dag doei dank bedankt dankjewel
    dankuwel alstublieft alsjeblieft aub ajb graag ja jawel nee neen ok oke prima top super goed
    mooi helemaal sorry excuses ik jij je u hij zij ze wij we jullie mij me mijn jouw jou uw
    zijn haar ons onze hun het de een dit dat deze die wat wie waar wanneer hoe hoeveel waarom
    welke welk en of maar want dus als omdat met zonder voor van naar op in uit bij aan over tot
    om door is ben bent was waren heb hebt heeft hebben had kan kun kunt kunnen wil wilt willen
    moet moeten mag zal zou wordt worden krijg krijgen gekregen ontvangen sturen verzenden
    verzending bestellen besteld bestelling levering leveren pakket prijs kost kosten betalen
    betaling factuur artikel maat winkel retour retourneren annuleren adres korting kortingscode
    garantie openingstijden werkt niet niks niets nog al ook heel erg veel meer alleen altijd
    weer nu vandaag morgen gisteren week dagen iemand spreken bellen terugbellen hulp helpen
    verkeerde verkeerd kapot beschadigd voorraad beschikbaar aanbieding bedrijf keer dan wacht
    even toch gewoon echt nodig maandag dinsdag woensdag donderdag vrijdag zaterdag zondag geen
    probleem terug gratis gekocht telefoon scherm vorige maand zitten bezorgen
  `,
  pl: `
    czesc hej witam witaj dzien dobry dobra dobrze wieczor dziekuje dzieki dziekujemy prosze tak
    nie ok okej jasne super spoko swietnie pewnie dokladnie przepraszam pozdrawiam ja ty on ona
    my wy oni mnie mi cie ciebie nas was wam moj moja moje twoj nasz wasz jego jej ich ten ta to
    te tego tej co kto gdzie kiedy jak ile dlaczego czemu jaki jaka jakie czy i oraz a ale albo
    lub bo ze zeby jesli jezeli w we z na do od po przy dla bez o za pod nad przez u jest sa
    jestem jestes byl byla bylo byc mam masz ma mamy macie maja moge mozna mozecie moze chce
    chcialbym chcialabym chcemy potrzebuje musze trzeba robic zrobic przyszla przyszlo przyszedl
    dostalem dostalam dostac wyslac wysylka wysylacie zamowienie zamowilem zamowilam zamowic
    dostawa paczka cena kosztuje koszt zaplacic platnosc faktura produkt rozmiar sklep zwrot
    zwrocic anulowac adres rabat kod rabatowy promocja gwarancja godziny dziala konsultant ktos
    rozmawiac zadzwonic pomoc juz jeszcze tez takze bardzo duzo malo wiecej tylko zawsze znowu
    dzis dzisiaj jutro wczoraj teraz tydzien dni nic cos wszystko zly zle uszkodzona numer
    dostepne dostepny dalej nadal czekam wiec sie poniedzialek wtorek sroda czwartek piatek
    sobota niedziela problemu pomocy darmowa pieniedzy kupilem kupilam telefon ekran miesiacu
    zepsul poprosze
  `,
  hu: `
    szia sziasztok szervusz jo napot estet reggelt koszi koszonom koszonjuk kosz kerem kerlek
    legyszi igen nem oke ok rendben persze szuper kiraly remek tokeletes bocsi elnezest viszlat
    en te mi ti maga on onok engem nekem neked neki nekunk nektek az a egy ez azt ezt ami aki
    mit mikor hol hova honnan hogy hogyan mennyi mennyibe miert melyik milyen es vagy de hanem
    ha mert is meg mar csak nagyon sok kicsit tobb kevesebb mindig ujra most ma holnap tegnap
    het hete nap napja nincs van vannak volt lesz lehet kell kellene szeretnek szeretnem akarok
    tudom tudok tudna tudnak kaptam kapom kuldeni kuldtem rendeles rendelesem rendeltem rendelni
    szallitas csomag ar ara kerul fizetni fizetes szamla szamlat termek termeket meret uzlet
    bolt boltban visszakuldeni lemondani cim cimet kedvezmeny kupon kuponkod garancia nyitva
    mukodik ugyintezo valaki beszelni hivni segitseg segiteni rossz serult serulten semmi valami
    minden szam szamot raktaron keszleten akcio akcios ceg cegem ketszer akkor varok ember
    emberrel hetfo kedd szerda csutortok pentek szombat vasarnap gond szukseg szukségem ingyenes
    penz penzem vettem telefont kijelzo honapban eltort
  `,
  tr: `
    merhaba selam slm selamlar gunaydin iyi aksamlar geceler gunler tesekkurler tesekkur ederim
    ederiz sagol sagolun eyvallah lutfen evet hayir yok var tamam tamamdir tmm ok olur peki
    super harika guzel mukemmel kusura bakmayin pardon ozur dilerim hosca kal ben sen o biz siz
    onlar bana beni bende sana size bizim sizin benim senin onun bu su bunu sunu ne neden nicin
    nasil nerede nereye kac kaca kim hangi mi mu misiniz musunuz miyim ve veya ama fakat ile
    icin gibi kadar daha cok az en hic hala hep yine tekrar simdi bugun yarin dun hafta gun
    gunde siparis siparisim siparisi kargo kargom teslimat gonderim fiyat fiyati ucret ucreti
    odeme kapida fatura faturayi urun urunu beden magaza magazaniz magazadan iade iptal adres
    adresi indirim kod kodu garanti calisiyor calismiyor yetkili biri birisi gorusmek konusmak
    aramak arar arayabilir yardim yanlis hasarli numara numarasi takip stok stokta gelmedi geldi
    geliyor istiyorum istiyoruz lazim bekliyorum zaman alabilir yapiyor nedir olarak ise bir iki
    de da ki pazartesi sali carsamba persembe cuma cumartesi pazar merhabalar sorun degil
    ihtiyacim yardima ucretsiz para param geri aldim telefon ekrani kirildi gecen ay edebilir
  `,
};

const CYRILLIC_WORDS: Partial<Record<SupportedLanguage, string>> = {
  ru: `
    да нет не спасибо спс пожалуйста пжл привет здравствуйте здрасте добрый доброе день вечер
    утро хорошо ок окей ладно понял поняла понятно ясно отлично супер класс я мы вы ты он она
    они мне меня нам нас вас вам тебе его её ее их мой моя моё мое мои ваш ваша ваше ваши наш
    наша у в на с со по за до из от к и а но или что чтобы как где когда сколько почему зачем
    какой какая какие какое кто это этот эта эти есть можно нужно нужен нужна надо хочу хотел
    хотела хотим буду будет был была было были уже еще очень большое заказ заказа заказал
    заказала доставка доставку доставки оплата оплаты оплатить цена товар товара размер скидка
    скидки магазин магазина деньги номер пришел пришло пришла получил получила снова тогда жду
    помощь помогите оператор оператором человек человеком сейчас сегодня завтра вчера неделю
    назад сих пор ничего всё все тот та то так также тоже только ещё работает работаете вернуть
    отменить изменить адрес адресом прислать пришлите счет почту перезвоните подскажите скажите
    спасибки понедельник вторник среду четверг пятницу субботу воскресенье помочь помощи
    кто-нибудь кто-то что-то купил купила прошлом месяце экран бесплатная бесплатно находитесь
    ссылка проблем без выходные позвонить придет
  `,
  uk: `
    так ні дякую дякуємо будь ласка привіт вітаю добрий доброго день вечір ранок добре гаразд ок
    окей зрозумів зрозуміла зрозуміло чудово супер клас я ми ви ти він вона вони мені мене нам
    нас вас вам тобі його її їх мій моя моє мої ваш ваша ваше ваші наш наша у в на з із зі по за
    до від і й та а але або що щоб як де коли скільки чому який яка які яке хто це цей ця ці є
    немає можна треба потрібно потрібен потрібна хочу хотів хотіла буду буде був була було були
    вже ще дуже щиро замовлення замовила замовив доставка доставку доставки оплата оплати
    оплатити ціна товар товару розмір знижка знижки магазин магазину гроші номер прийшов прийшло
    прийшла отримав отримала знову тоді чекаю допомога допомогу допоможіть оператор оператором
    людина людиною зараз сьогодні завтра вчора тиждень тому досі нічого все той також тільки
    лише чи працює працюєте повернути скасувати змінити адресу надіслати надішліть рахунок пошту
    передзвоніть підкажіть скажіть понеділок вівторок середу четвер пʼятницю п'ятницю суботу
    неділю може можу можете можемо хтось щось якось допомогти купила купив минулого місяця екран
    безкоштовна безкоштовно знаходитесь посилання проблем без вихідні зателефонувати прийде
  `,
  bg: `
    да не благодаря мерси моля здравей здравейте здрасти здрасе добър добро добра ден вечер утро
    добре ок окей разбрах разбирам ясно супер страхотно аз ние вие ти той тя те ми ме нас вас ви
    ги го ѝ им мой моя мое мои ваш ваша ваше вашия наш наша в във на с със по за до от към и а
    но или какво как къде кога колко защо кой коя кои кое това този тази тези има няма може
    трябва искам искаме ще беше бяха съм си е сме сте са вече още много поръчка поръчката
    поръчах поръчки доставка доставката доставяте плащане платя цена цената продукт продукта
    продуктът размер размерът отстъпка отстъпката магазин магазина пари номер номера пристигна
    получих получила получил отново тогава чакам помощ помощта консултант човек сега днес утре
    вчера седмица преди нищо всичко ли ами айде само също работи работите върна върнете откажа
    промени адреса пратите фактура фактурата имейл обадете понеделник вторник сряда четвъртък
    петък събота неделя някой нещо помогне помогнете купих миналия месец екранът безплатна
    безплатно намирате линкът проблем парите обратно уикенда обадите пристигне пратката
  `,
};

function buildIndex(
  lists: Partial<Record<SupportedLanguage, string>>,
  fold: (word: string) => string,
): Map<string, SupportedLanguage[]> {
  const index = new Map<string, SupportedLanguage[]>();
  for (const [language, words] of Object.entries(lists) as [SupportedLanguage, string][]) {
    for (const entry of words.split(/\s+/)) {
      if (entry === '') continue;
      const word = fold(entry.replace(/\u02bc/g, "'"));
      const languages = index.get(word) ?? [];
      if (!languages.includes(language)) languages.push(language);
      index.set(word, languages);
    }
  }
  return index;
}

/** Folded Latin word -> the languages in which it is a common chat word. */
export const LATIN_LEXICON: ReadonlyMap<string, readonly SupportedLanguage[]> = buildIndex(LATIN_WORDS, foldLatin);
/** Cyrillic word (ё written as е) -> the languages in which it is a common chat word. */
export const CYRILLIC_LEXICON: ReadonlyMap<string, readonly SupportedLanguage[]> = buildIndex(CYRILLIC_WORDS, foldCyrillic);

export interface WordEvidence {
  /** The languages the word is common in. */
  languages: readonly SupportedLanguage[];
  /** 1 for a whole word, less for the elided article of "l'app" or "c'est". */
  weight: number;
}

/** The known chat words among `words` (lower-cased), and the languages each points at. */
export function wordEvidence(words: readonly string[], script: 'latin' | 'cyrillic'): WordEvidence[] {
  const lexicon = script === 'latin' ? LATIN_LEXICON : CYRILLIC_LEXICON;
  const fold = script === 'latin' ? foldLatin : foldCyrillic;
  const evidence: WordEvidence[] = [];
  for (const word of words) {
    const folded = fold(word);
    const languages = lexicon.get(folded);
    if (languages !== undefined) {
      evidence.push({ languages, weight: 1 });
      continue;
    }
    // Elisions ("c'est", "l'app", "j'ai") are looked up as their two halves.
    const apostrophe = folded.indexOf("'");
    if (apostrophe > 0) {
      const head = lexicon.get(folded.slice(0, apostrophe + 1));
      const tail = lexicon.get(folded.slice(apostrophe + 1));
      if (head !== undefined) evidence.push({ languages: head, weight: 0.5 });
      if (tail !== undefined) evidence.push({ languages: tail, weight: 1 });
    }
  }
  return evidence;
}
