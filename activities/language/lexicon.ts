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
  // The languages added after the first twenty: greetings, thanks, yes/no, pronouns, question
  // words, the commonest verbs and a shop's vocabulary, in the spellings people type.
  az: `
    salam sagol sag olun tesekkur edirem cox cox beli xeyr yox var bəli xahis edirem zəhmət
    zehmet olmasa necə nece neçə nece qiymət qiymet qiymeti catdirilma çatdırılma sifaris
    sifariş sifarisim sifarisim mağaza magaza pul odenis ödəniş geri qaytarmaq olcu ölçü reng
    rəng bakiya bakıya gonderirsiniz göndərirsiniz gonderin neçəyə neceye harada haradadır nə
    ne vaxt niyə niye kim mən men sən sen siz biz onlar mənə mene sizə  mənim menim sizin
    bu o və ve amma ilə ile ucun üçün indi bu gün sabah dünən dunen həftə hefte gün gun
    istəyirəm isteyirem lazımdır lazimdir olar olarmı olarmi varmı varmi yoxdur edə bilərəm
    danışmaq danismaq operator insanla adam məhsul mehsul
  `,
  ca: `
    hola bon dia bona tarda nit adeu adéu gracies gràcies merces mercès si sí siusplau sisplau
    vale d'acord perfecte molt moltes quant costa quan on com per què perquè qui què que
    jo tu ell ella nosaltres vosaltres ells elles meu meva teu teva nostre vostre aquest aquesta
    això aixo allò el la els les un una uns unes i o però pero amb sense des fins cap per a al
    del dels als és es són son està esta estan tinc tens té tenim teniu vull vols voleu puc pots
    pot podeu podria sé saber fer fa envieu envien enviament enviaments comanda comandes preu
    preus botiga botigues devolució devolucio talla talles color colors pagament targeta
    factura avui demà dema ahir setmana dilluns dimarts dimecres dijous divendres dissabte
    diumenge encara ja també tambe molt gaire res ningú algú persona parlar horari obert
    tancat rebut arribat
  `,
  cs: `
    skladem sklade
    dobry den dobrý dobre dobré ahoj cau čau zdravim zdravím dekuji děkuji dekuju děkuju diky
    díky prosim prosím ano ne jo jasne jasně  v pořádku poradku ja já ty on ona my vy oni
    mi mě me mne mně vam vám vas vás nas nás muj můj moje vaše vase tohle toto ten ta to co kdo
    kde kdy jak proc proč kolik kolko který ktery jsem jsi je jsme jste jsou byl byla bude mam
    mám mate máte muzu můžu muzete můžete chci chtel chtěl chtela chtěla potrebuji potřebuji
    posilate posíláte poslat doprava dopravu doprava objednavka objednávka objednavku objednávku
    cena ceny stoji stojí kc kč korun obchod vraceni vrácení vratit vrátit velikost barva platba
    kartou faktura dnes zitra zítra vcera včera tyden týden pondeli pondělí utery úterý streda
    středa ctvrtek čtvrtek patek pátek sobota nedele neděle uz už jeste ještě take také taky
    nic nekdo někdo clovekem člověkem mluvit otevreno otevřeno zavreno zavřeno prislo přišlo
    dorazilo balik balík
  `,
  da: `
    hej hejsa goddag godmorgen tak tusind mange ja nej jo  fint  godt jeg du han hun vi
    i de mig dig os jer min mit mine din dit dine vores jeres det den denne dette hvad hvem hvor
    hvornår hvornar hvordan hvorfor hvilken hvor meget mange er var bliver har havde kan kunne
    vil ville skal skulle må maa gerne sender sende levering leveringen fragt forsendelse ordre
    bestilling bestillingen pris prisen koster kr butik butikken returnere retur størrelse
    storrelse farve betaling betale kort faktura i dag idag morgen i går igaar uge mandag
    tirsdag onsdag torsdag fredag lørdag lordag søndag sondag også ogsaa stadig allerede ikke
    noget nogen ingen menneske snakke tale med til fra på paa af og eller men hvis fordi jeres
    åbent aabent lukket modtaget kommet pakke pakken
  `,
  et: `
    kas laos
    tere tervist tsau tänan tanan aitäh aitah palun jah ei jaa  hästi hasti  väga vaga
    mina minu mind mulle sina sinu teie teid meie nemad see need mis kes kus millal kuidas miks
    kui palju mitu on oli olen oled oleme olete saan saate saab tahan tahaksin soovin vaja
    saadate saatma saatmine tarne tarnimine tellimus tellimuse hind hinna maksab eurot pood
    poes tagastus tagastada suurus värv varv makse kaardiga arve täna tana homme eile nädal
    nadal esmaspäev teisipäev kolmapäev neljapäev reede laupäev pühapäev ka juba veel mitte
    midagi keegi inimesega rääkida raakida avatud suletud kätte katte jõudis joudis pakk pakki
  `,
  eu: `
    kaixo egun on arratsalde gabon agur eskerrik asko mila esker bai ez ados ondo oso primeran
    ni zu hura gu zuek haiek nire zure gure zuen hau hori hura zer nor non noiz nola zergatik
    zenbat zein da dira naiz zara gara zarete dut duzu dugu du dute nahi dut behar dut
    daukazu badaukazu al bidaltzen bidalketa bidalketak eskaera eskaeraren prezioa prezioak
    balio euro denda dendan itzuli itzulketa neurria tamaina kolorea ordainketa txartelarekin
    faktura gaur bihar atzo astea astelehena asteartea asteazkena osteguna ostirala larunbata
    igandea ere jada oraindik ezer norbait inor pertsona batekin hitz egin irekita itxita
    iritsi jaso paketea eta edo baina
  `,
  fi: `
    moi hei terve moikka hyvää hyvaa päivää paivaa huomenta iltaa kiitos kiitti paljon ole hyvä
    kyllä kylla joo ei  selvä selva hyvä  minä mina minun minulle mua mulle sinä sina
    sinun teidän teidan te me he se ne tämä tama tuo mikä mika kuka missä missa milloin miten
    miksi kuinka paljonko montako on oli olen olet olemme olette ovat voin voitte voiko voinko
    haluan haluaisin tarvitsen lähetättekö lahetattteko lähetätte lahetatte toimitus toimitusta
    toimituskulut tilaus tilaukseni tilauksen hinta hinnat maksaa maksu kortilla lasku kauppa
    kaupassa palautus palauttaa koko väri vari tänään tanaan huomenna eilen viikko maanantai
    tiistai keskiviikko torstai perjantai lauantai sunnuntai myös myos jo vielä viela mitään
    mitaan joku kukaan ihmisen kanssa puhua auki kiinni tullut saapunut paketti pakettia
  `,
  hr: `
    li imate bijelu otoke
    bok pozdrav dobar dan jutro vecer večer hvala puno lijepa molim da ne može moze  
    dobro ja ti on ona mi vi oni meni mene tebi vama vas nas moj moja vaš vas naš taj ta to ovo
    ono što sto tko gdje kada kad kako zašto zasto koliko koji koja je su sam si smo ste bio bila
    bit ću cu imam imate imamo mogu možete mozete želim zelim trebam htio htjela šaljete saljete
    slati dostava dostavu narudžba narudzba narudžbu narudzbu cijena cijenu košta kosta kuna eura
    trgovina dućan ducan povrat vratiti veličina velicina boja plaćanje placanje karticom račun
    racun danas sutra jučer jucer tjedan tjedna ponedjeljak utorak srijeda četvrtak cetvrtak petak
    subota nedjelja već vec još jos također takodjer ništa nista netko nitko osobom razgovarati
    otvoreno zatvoreno stiglo paket vrijeme uvijek ovdje lijepo prije tisuća tisuca kruh
  `,
  is: `
    hæ hae halló hallo góðan godan daginn kvöld kvold takk kærlega kaerlega fyrir já ja nei
    allt í lagi lagi frábært frabaert gott ég eg þú thu hann hún hun við vid þið thid þeir
    mig mér mer þig thig okkur ykkur minn mín min þinn thinn þetta thetta hvað hvad hver hvar
    hvenær hvenaer hvernig hvers vegna hversu mikið mikid er var eru erum getið getid get má
    ma vil vildi þarf tharf sendið sendid senda sending sendingin pöntun pontun pöntunin verð
    verd kostar krónur kronur búð bud verslun skila skil stærð staerd litur greiðsla greidsla
    korti reikningur í dag idag á morgun í gær vika mánudagur þriðjudagur miðvikudagur
    fimmtudagur föstudagur laugardagur sunnudagur líka lika þegar thegar ennþá ekki ekkert
    einhver enginn manneskju tala opið opid lokað lokad kominn pakki pakkinn og eða eda en
  `,
  lt: `
    ar turite turi
    labas laba diena sveiki ačiū aciu dėkoju dekoju prašau prasau taip ne gerai  puiku aš
    as tu jis ji mes jūs jus jie man mane tau jums mus mano tavo jūsų jusu mūsų musu tai šis
    sis ši ką ka kas kur kada kaip kodėl kodel kiek kuris yra buvo esu esame galiu galite
    galima noriu norėčiau noreciau reikia siunčiate siunciate siųsti siusti pristatymas
    pristatymo užsakymas uzsakymas užsakymą uzsakyma kaina kainuoja eurų euru parduotuvė
    parduotuve grąžinti grazinti grąžinimas dydis spalva mokėjimas mokejimas kortele sąskaita
    saskaita šiandien siandien rytoj vakar savaitė savaite pirmadienį antradienį
    trečiadienį ketvirtadienį penktadienį šeštadienį sekmadienį taip pat jau dar nieko kažkas
    kazkas niekas žmogumi zmogumi kalbėti kalbeti atidaryta uždaryta uzdaryta atėjo atejo
    siuntinys siuntinio ir arba bet
  `,
  lv: `
    sveiki sveiks labdien labrīt labrit paldies lūdzu ludzu jā nē labi  lieliski es
    tu viņš vins viņa vina mēs mes jūs jus viņi vini man mani tev jums mums mans mana jūsu
    jusu mūsu musu tas tā ta šis sis šī kas kur kad kā kapēc kapec cik kurš kurs ir bija esmu
    esam varu varat var gribu gribētu gribetu vajag vajadzīgs sūtāt sutat sūtīt sutit piegāde
    piegade piegādi piegadi pasūtījums pasutijums pasūtījumu cena cenu maksā maksa eiro veikals
    veikalā atgriezt atgriešana izmērs izmers krāsa krasa apmaksa ar karti rēķins rekins šodien
    sodien rīt rit vakar nedēļa nedela pirmdien otrdien trešdien ceturtdien piektdien sestdien
    svētdien arī ari jau vēl vel nekas kāds kads neviens cilvēku cilveku runāt runat atvērts
    slēgts atnāca atnaca paka paku un vai bet
  `,
  ms: `
      selamat pagi petang malam terima kasih banyak sama ya tidak tak boleh  baik bagus
    saya aku awak anda kamu dia kami kita mereka ini itu apa siapa mana bila bagaimana macam
    mana kenapa mengapa berapa harga harganya kos penghantaran hantar menghantar pesanan tempahan
    barang kedai pulangkan pemulangan saiz warna bayaran bayar kad invois hari esok semalam
    minggu isnin selasa rabu khamis jumaat sabtu ahad juga sudah dah belum masih tiada ada
    seseorang orang bercakap dengan buka tutup sampai bungkusan dan atau tetapi tapi nak mahu
    perlu sila tolong ke di dari untuk berapa lama ringgit rm
  `,
  no: `
    hei hallo god morgen dag kveld takk tusen mange ja nei jo  greit flott bra jeg du han hun
    vi dere de meg deg oss min mitt mine din ditt dine vår vaar var deres det den denne dette
    hva hvem hvor når naar hvordan hvorfor hvilken hvor mye er var blir har hadde kan kunne vil
    ville skal skulle må maa gjerne sender sende levering leveringen frakt forsendelse ordre
    bestilling bestillingen pris prisen koster kr kroner butikk butikken returnere retur
    størrelse storrelse farge betaling betale kort faktura i dag idag i morgen i går uke
    mandag tirsdag onsdag torsdag fredag lørdag lordag søndag sondag også ogsaa fortsatt
    allerede ikke noe noen ingen menneske snakke med til fra på paa av og eller men hvis fordi
    åpent aapent stengt mottatt kommet pakke pakken dere
  `,
  sk: `
    skladom sklade
    dobry den dobrý deň den ahoj čau cau zdravím zdravim ďakujem dakujem dik vďaka vdaka
    prosím prosim áno ano nie jasné jasne  v poriadku poriadku ja ty on ona my vy oni mi
    mňa mna mne vám vam vás vas nás nas môj moj moja vaša vasa toto ten tá to čo co kto kde
    kedy ako prečo preco koľko kolko ktorý ktory som si je sme ste sú su bol bola bude mám mam
    máte mate môžem mozem môžete mozete chcem chcel chcela potrebujem posielate posielat
    doprava dopravu objednávka objednavka objednávku objednavku cena ceny stojí stoji eur obchod
    vrátenie vratenie vrátiť vratit veľkosť velkost farba platba kartou faktúra faktura dnes
    zajtra včera vcera týždeň tyzden pondelok utorok streda štvrtok stvrtok piatok sobota
    nedeľa nedela už uz ešte este tiež tiez nič nic niekto nikto človekom clovekom hovoriť
    hovorit otvorené otvorene zatvorené zatvorene prišlo prislo balík balik
  `,
  sl: `
    zalogi zalogo
    živjo zivjo zdravo pozdravljeni dober dan jutro večer vecer hvala lepa prosim ja ne lahko
      dobro jaz ti on ona mi vi oni meni mene tebi vam vas nas moj moja vaš vas naš
    ta to tole kaj kdo kje kdaj kako zakaj koliko kateri je so sem si smo ste bil bila bo
    imam imate lahko morem hočem hocem želim zelim potrebujem pošiljate posiljate pošiljanje
    dostava dostavo naročilo narocilo naročila cena ceno stane evrov trgovina vračilo vracilo
    vrniti velikost barva plačilo placilo s kartico račun racun danes jutri včeraj vceraj teden
    ponedeljek torek sreda četrtek cetrtek petek sobota nedelja že ze še se tudi nič nic nekdo
    nihče nihce osebo govoriti odprto zaprto prišlo prislo paket in ali vendar
  `,
  sq: `
    ka gjendje keni
    përshëndetje pershendetje tungjatjeta mirëdita miredita mirëmëngjes miremengjes mirëmbrëma
    faleminderit flm ju lutem po jo në rregull rregull mirë mire shumë shume unë une ti ai ajo
    ne ju ata mua ty juve neve im ime jote juaj jonë jone ky kjo këto keto çfarë cfare kush ku
    kur si pse sa cili është eshte janë jane jam jemi keni kemi kam mund mundem dua dëshiroj
    deshiroj duhet dërgoni dergoni dërgesa dergesa transporti porosia porosinë porosine çmimi
    cmimi kushton lekë leke euro dyqani kthim kthej madhësia madhesia ngjyra pagesa kartë karte
    faturë fature sot nesër neser dje javë jave e hënë e martë e mërkurë e enjte e premte
    e shtunë e diel edhe tashmë ende asgjë asgje dikush askush person flas flasim hapur mbyllur
    arriti paketa dhe ose por
  `,
  sr: `
    izvinjavamo izvinite izvini javićemo javicemo prebaciću prebacicu pronađem pronadjem kog
    zdravo ćao cao pozdrav dobar dan jutro veče vece hvala puno lepa molim da ne može moze 
     dobro ja ti on ona mi vi oni meni mene tebi vama vas nas moj moja vaš vas naš taj to
    ovo šta sta ko gde kada kad kako zašto zasto koliko koji je su sam si smo ste bio bila ću cu
    imam imate možete mozete želim zelim treba hteo htela šaljete saljete dostava dostavu
    porudžbina porudzbina porudžbinu porudzbinu cena cenu košta kosta dinara din prodavnica
    povraćaj povracaj vratiti veličina velicina boja plaćanje placanje karticom račun racun
    danas sutra juče juce nedelja nedelju ponedeljak utorak sreda četvrtak cetvrtak petak subota
    već vec još jos takođe takodje ništa nista neko niko osobom razgovarati otvoreno zatvoreno
    stiglo paket vreme uvek ovde lepo pre hiljada hleb da li je l
  `,
  sv: `
    kommer
    hej hejsan tjena hallå halla god morgon dag kväll kvall tack så sa mycket ja nej japp okej
    bra  jättebra jattebra jag du han hon vi ni de dem mig dig oss er min mitt mina din
    ditt dina vår var vårt vart era det den denna detta vad vem var när nar hur varför varfor
    vilken hur mycket är ar var blir har hade kan kunde vill ville ska skulle måste maste gärna
    garna skickar skicka leverans leveransen frakt frakten beställning bestallning beställningen
    ordern pris priset kostar kronor kr butik butiken returnera retur storlek färg farg betalning
    betala kort faktura idag imorgon igår igar vecka måndag mandag tisdag onsdag torsdag fredag
    lördag lordag söndag sondag också ocksa fortfarande redan inte något nagot någon nagon ingen
    människa manniska prata med till från fran på pa av och eller men om eftersom öppet oppet
    stängt stangt fått fatt kommit paket paketet
  `,
  tl: `
      kumusta magandang umaga hapon gabi salamat po opo oo hindi sige  ayos sana ako
    ikaw ka siya kami tayo kayo sila ko mo niya namin natin ninyo nila akin iyo ito iyan iyon
    ano sino saan kailan paano bakit magkano ilan alin ang ng mga sa na ay at o pero kasi kung
    may mayroon meron wala gusto kailangan pwede puwede ba nyo niyo padala nagpapadala
    pagpapadala   presyo halaga bayad tindahan ibalik sukat kulay  ngayon
    bukas kahapon linggo lunes martes miyerkules huwebes biyernes sabado rin din na pa wala
    tao kausap makausap bukas sarado dumating natanggap
  `,
  vi: `
    còn ko hok
    xin chào chao chào cảm ơn cam on cám ơn nhiều nhieu dạ da vâng vang có co không khong 
    được duoc tốt tot tôi toi mình minh bạn ban anh chị chi em họ ho chúng chung ta cái cai
    này nay đó do gì gi ai đâu dau khi nào nao bao nhiêu nhieu sao tại tai vì vi là la của
    cua và va hoặc hoac nhưng nhung muốn muon cần can có thể the giao hàng hang phí phi 
    đơn don đặt dat giá gia tiền tien cửa cua tiệm đổi doi trả tra  màu mau thanh toán
    toan thẻ the hóa đơn hôm hom nay mai qua tuần tuan thứ thu chủ nhật nhat cũng cung đã
    roi rồi chưa chua người nguoi nói noi chuyện chuyen mở mo đóng dong nhận nhan được gửi gui
     ạ a nhé nhe
  `,
  yo: `
    bawo pẹlẹ pele ẹ kaaarọ kaaaro ẹ kaasan e kaasan ẹ kaalẹ e kaale ẹ ṣe e se o ṣeun o seun
    ẹ jọọ e jo jọwọ jowo bẹẹni beeni rara o dara daadaa mo emi iwọ iwo o oun awa ẹyin eyin
    awọn awon mi yin wa eyi iyẹn iyen kini kí ki tani ibo nibo nigba nigbawo bawo melo elo
    idi ṣe se ni jẹ je si ati tabi ṣugbọn sugbon fẹ fe nilo le firanṣẹ firanse ifijiṣẹ
    ifijise aṣẹ ase owo iye ile itaja pada iwọn iwon awọ awo sisanwo kaadi oni ọla ola ana
    ọsẹ ose tun ti nkankan ẹnikan enikan eniyan sọrọ soro ṣi si sisi ti de gba
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
  be: `
    вядома размова размову калега калегу звяжуцца хвілін некалькі некалькіх працягу вамі
    прывітанне вітаю добры дзень дзякуй калі ласка так не добра выдатна я ты ён яна мы вы яны
    мне мяне табе вам вас нас мой мая ваш наш гэта гэты што хто дзе калі як чаму колькі які
    ёсць быў была магу можаце хачу трэба дасылаеце дастаўка дастаўку заказ заказу цана кошт
    каштуе рублёў крама вяртанне вярнуць памер колер аплата картай рахунак сёння заўтра учора
    тыдзень панядзелак аўторак серада чацвер пятніца субота нядзеля ужо яшчэ таксама нічога
    нехта ніхто чалавекам пагаварыць адкрыта зачынена прыйшла пасылка і ці але
  `,
  sr: `
    здраво ћао поздрав добар дан јутро вече хвала пуно лепа молим да не може ок супер добро
    ја ти он она ми ви они мени мене теби вама вас нас мој моја ваш наш тај то ово шта ко где
    када кад како зашто колико који је су сам си смо сте био била ћу имам имате можете желим
    треба шаљете достава доставу поруџбина поруџбину цена цену кошта динара продавница повраћај
    вратити величина боја плаћање картицом рачун данас сутра јуче недеља понедељак уторак
    среда четвртак петак субота већ још такође ништа неко нико особом разговарати отворено
    затворено стигло пакет време увек овде лепо пре хиљада хлеб
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
