import type { LanguageCues } from './human-request.js';

/**
 * "Talk to a person" cues for the languages beyond the first twenty (Europe and the Caucasus),
 * in the folded form human-request.ts compares (lower case, diacritics dropped: č → c, ў → у,
 * й → и; letters that do not decompose stay: ø, æ, ð, þ, đ, ə, ı). Words for "person" that also
 * say "per person" ("na osobu", "á manneskju", "per persona") are only cues inside phrases with a
 * verb of talking, so "I want to pay per person" is not a request.
 */
export const europeCues: Record<string, LanguageCues> = {
  be: {
    person: ['аператарам', 'аператар', 'менеджарам', 'кансультантам', 'супрацоунікам', 'спецыялістам'],
    talk: ['пагаварыць', 'гаварыць', 'размауляць', 'звязацца', 'злучыце', 'пераключыце'],
    ask: ['хачу', 'хацеу', 'хацела', 'ласка', 'патрэбен'],
    phrases: ['пагаварыць з чалавекам', 'гаварыць з чалавекам', 'размауляць з чалавекам', 'жывым чалавекам', 'жывы чалавек'],
  },
  ca: {
    person: ['huma', 'agent', 'operador', 'operadora', 'assessor', 'assessora', 'representant', 'treballador', 'empleat'],
    talk: ['parlar', 'xerrar', 'contactar', 'connectar', 'transferir', 'passi', 'passeu'],
    ask: ['vull', 'voldria', 'necessito', 'plau'],
    phrases: ['parlar amb una persona', 'parlar amb algu', 'persona real', 'no vull parlar amb un bot'],
  },
  cs: {
    person: ['clovekem', 'operatorem', 'operatorkou', 'operatora', 'operator', 'pracovnikem', 'pracovnika', 'konzultantem', 'konzultanta', 'kolegou', 'nekym'],
    talk: ['mluvit', 'promluvit', 'hovorit', 'spojit', 'spojte', 'prepojit', 'prepojte'],
    ask: ['chci', 'chtel', 'chtela', 'potrebuji', 'potrebuju', 'prosim'],
    phrases: ['zivy clovek', 'zivym clovekem', 'skutecny clovek', 'skutecnym clovekem'],
  },
  da: {
    person: ['menneske', 'medarbejder', 'agent', 'operator', 'konsulent', 'radgiver', 'ansat'],
    talk: ['tale', 'snakke', 'chatte', 'forbinde', 'viderestille', 'omstille'],
    ask: ['vil', 'gerne', 'ønsker', 'brug', 'venligst'],
    phrases: ['tale med en person', 'snakke med en person', 'tale med nogen', 'snakke med nogen', 'rigtigt menneske', 'rigtig person', 'levende person'],
  },
  et: {
    person: ['inimesega', 'operaatoriga', 'klienditeenindajaga', 'klienditeenindaja', 'teenindajaga', 'tootajaga', 'konsultandiga', 'kolleegiga', 'kellegagi'],
    talk: ['raakida', 'raakima', 'suhelda', 'uhendage', 'uhendada', 'suunake', 'suunata'],
    ask: ['soovin', 'sooviksin', 'tahan', 'tahaksin', 'palun', 'vajan'],
    phrases: ['paris inimene', 'paris inimesega', 'elav inimene', 'elava inimesega'],
  },
  eu: {
    person: ['pertsonarekin', 'gizakiarekin', 'agentearekin', 'operadorearekin', 'langilearekin', 'lankidearekin', 'norbaitekin'],
    talk: ['hitz', 'hitzegin', 'mintzatu', 'berba', 'konektatu', 'pasatu', 'transferitu'],
    ask: ['nahi', 'nahiko', 'gura', 'behar', 'mesedez'],
    phrases: ['pertsona batekin hitz', 'pertsona batekin mintzatu', 'pertsona batekin berba', 'benetako pertsona', 'pertsona erreal'],
  },
  fi: {
    person: ['ihmisen', 'ihminen', 'asiakaspalvelijan', 'asiakaspalvelija', 'asiakaspalvelijalle', 'tyontekijan', 'edustajan', 'asiantuntijan'],
    talk: ['puhua', 'puhumaan', 'jutella', 'keskustella', 'yhdista', 'yhdistaa', 'siirra', 'siirtaa'],
    ask: ['haluan', 'haluaisin', 'tarvitsen'],
    phrases: ['henkilon kanssa', 'jonkun kanssa', 'oikea ihminen', 'oikean ihmisen', 'elava ihminen'],
  },
  hr: {
    person: ['covjekom', 'osobom', 'operaterom', 'operater', 'operaterkom', 'agentom', 'djelatnikom', 'djelatnik', 'zaposlenikom', 'savjetnikom', 'konzultantom', 'kolegom'],
    talk: ['razgovarati', 'pricati', 'popricati', 'spojite', 'spojiti', 'prebacite', 'proslijedite'],
    ask: ['zelim', 'zelio', 'zeljela', 'htio', 'htjela', 'molim', 'trebam'],
    phrases: ['razgovarati s nekim', 'razgovarati sa nekim', 'ziva osoba', 'zivom osobom', 'pravi covjek', 'pravim covjekom'],
  },
  is: {
    person: ['starfsmann', 'starfsmanni', 'starfsmaður', 'þjonustufulltrua', 'þjonustufulltrui', 'fulltrua'],
    talk: ['tala', 'talað', 'spjalla', 'tengja', 'tengdu'],
    ask: ['vil', 'vildi', 'langar', 'þarf'],
    phrases: ['tala við manneskju', 'spjalla við manneskju', 'tala við einhvern', 'alvoru manneskju', 'alvoru manneskja', 'raunverulega manneskju'],
  },
  lt: {
    person: ['operatoriumi', 'operatorius', 'konsultantu', 'konsultantas', 'darbuotoju', 'vadybininku', 'kazkuo'],
    talk: ['kalbeti', 'pasikalbeti', 'pakalbeti', 'susisiekti', 'sujunkite', 'sujungti', 'perjunkite', 'bendrauti'],
    ask: ['noriu', 'noreciau', 'prasau', 'reikia'],
    phrases: ['kalbeti su zmogumi', 'pasikalbeti su zmogumi', 'pakalbeti su zmogumi', 'bendrauti su zmogumi', 'gyvas zmogus', 'gyvu zmogumi', 'tikras zmogus', 'tikru zmogumi'],
  },
  lv: {
    person: ['operatoru', 'operators', 'konsultantu', 'konsultants', 'darbinieku', 'parstavi'],
    talk: ['runat', 'parunat', 'sarunaties', 'savienojiet', 'savienot', 'parslegt', 'sazinaties'],
    ask: ['velos', 'veletos', 'gribu', 'gribetu', 'ludzu', 'vajag'],
    phrases: ['runat ar cilveku', 'parunat ar cilveku', 'sarunaties ar cilveku', 'runat ar kadu', 'parunat ar kadu', 'dzivu cilveku', 'dzivs cilveks', 'istu cilveku', 'ists cilveks'],
  },
  no: {
    person: ['menneske', 'medarbeider', 'saksbehandler', 'kundebehandler', 'ansatt', 'agent', 'operator', 'radgiver'],
    talk: ['snakke', 'prate', 'chatte', 'koble', 'kobles'],
    ask: ['vil', 'gjerne', 'ønsker', 'trenger'],
    phrases: ['snakke med en person', 'prate med en person', 'snakke med noen', 'prate med noen', 'ekte menneske', 'ekte person'],
  },
  sk: {
    person: ['clovekom', 'operatorom', 'operatorkou', 'operator', 'pracovnikom', 'konzultantom', 'kolegom', 'niekym'],
    talk: ['hovorit', 'porozpravat', 'rozpravat', 'spojit', 'spojte', 'prepojit', 'prepojte'],
    ask: ['chcem', 'chcel', 'chcela', 'potrebujem', 'prosim'],
    phrases: ['zivy clovek', 'zivym clovekom', 'skutocny clovek', 'skutocnym clovekom'],
  },
  sl: {
    person: ['clovekom', 'operaterjem', 'operater', 'operaterko', 'agentom', 'svetovalcem', 'svetovalko', 'sodelavcem', 'zaposlenim'],
    talk: ['govoriti', 'govorim', 'pogovoriti', 'pogovorim', 'pogovarjati', 'klepetati', 'povezite', 'povezati', 'preusmerite'],
    ask: ['zelim', 'zelel', 'zelela', 'hocem', 'rad', 'rada', 'prosim', 'potrebujem'],
    phrases: ['govoriti z osebo', 'govorim z osebo', 'pogovoriti z osebo', 'pogovorim z osebo', 'govoriti z nekom', 'govorim z nekom', 'pogovoriti z nekom', 'pogovorim z nekom', 'zivo osebo', 'ziva oseba', 'pravo osebo'],
  },
  sq: {
    person: ['operator', 'operatorin', 'operatorit', 'agjent', 'agjentin', 'punonjes', 'punonjesin', 'konsulent', 'konsulentin', 'koleg', 'dike'],
    talk: ['flas', 'flasim', 'bisedoj', 'bisedojme', 'lidhni', 'lidhem', 'kaloni', 'transferoni'],
    ask: ['dua', 'doja', 'deshiroj', 'deshiroja', 'lutem', 'nevoje'],
    phrases: ['flas me nje njeri', 'flas me njeri', 'flas me nje person', 'bisedoj me nje njeri', 'njeri te vertete', 'njeri real', 'person real'],
  },
  sr: {
    person: ['covekom', 'osobom', 'operaterom', 'operater', 'operaterkom', 'agentom', 'zaposlenim', 'radnikom', 'savetnikom', 'konsultantom', 'kolegom'],
    talk: ['razgovaram', 'razgovarati', 'pricam', 'pricati', 'popricam', 'povezete', 'povezite', 'prebacite', 'spojite'],
    ask: ['zelim', 'hocu', 'hteo', 'htela', 'molim', 'potreban'],
    phrases: ['razgovaram sa nekim', 'razgovaram s nekim', 'ziva osoba', 'zivom osobom', 'pravi covek', 'pravim covekom'],
  },
  sv: {
    person: ['manniska', 'medarbetare', 'handlaggare', 'radgivare', 'agent', 'operator'],
    talk: ['prata', 'tala', 'snacka', 'chatta', 'koppla', 'kopplas'],
    ask: ['vill', 'skulle', 'garna', 'behover'],
    phrases: ['prata med en person', 'tala med en person', 'prata med nagon', 'tala med nagon', 'riktig person', 'riktig manniska', 'verklig person'],
  },
  hy: {
    person: ['օպերատորի', 'օպերատոր', 'աշխատակցի', 'աշխատակից', 'մասնագետի', 'խորհրդատուի', 'մենեջերի', 'ներկայացուցչի'],
    talk: ['խոսել', 'խոսեմ', 'զրուցել', 'կապվել', 'միացրեք', 'միացնել', 'փոխանցեք'],
    ask: ['ուզում', 'կուզենայի', 'ցանկանում', 'խնդրում', 'պետք'],
    phrases: ['խոսել մարդու հետ', 'մարդու հետ խոսել', 'խոսեմ մարդու հետ', 'կենդանի մարդու', 'կենդանի մարդ', 'իրական մարդու'],
  },
  ka: {
    person: ['ოპერატორთან', 'ოპერატორი', 'ადამიანთან', 'თანამშრომელთან', 'კონსულტანტთან', 'მენეჯერთან', 'ვინმესთან'],
    talk: ['საუბარი', 'ვისაუბრო', 'ლაპარაკი', 'ვილაპარაკო', 'დაველაპარაკო', 'დაკავშირება', 'დამაკავშირეთ', 'გადამრთეთ'],
    ask: ['მინდა', 'მსურს', 'მჭირდება', 'შეიძლება', 'გთხოვთ', 'ვისურვებდი'],
    phrases: ['ცოცხალ ადამიანთან', 'რეალურ ადამიანთან'],
  },
  az: {
    person: ['operator', 'operatorla', 'insan', 'insanla', 'numayəndə', 'əməkdas', 'əməkdasla', 'məsləhətci', 'menecer', 'menecerlə'],
    talk: ['danısmaq', 'danısım', 'danısa', 'əlaqə', 'qosun', 'birləsdirin', 'yonləndirin'],
    ask: ['istəyirəm', 'istərdim', 'zəhmət', 'xahis', 'olar', 'lazımdır'],
    phrases: ['canlı operator', 'canlı insan', 'real insan'],
  },
};

/**
 * Past forms one typo away from a talk cue above ("mluvil" / "mluvit", "snakket" / "snakke"):
 * for NOT_TYPOS in human-request.ts, so "I talked to an operator" is not read as a request.
 */
export const europeNotTypos: readonly string[] = [
  'parlat', 'contactat', 'connectat', 'transferit', // ca
  'mluvil', 'promluvil', 'hovoril', 'spojil', 'prepojil', // cs, sk
  'porozpraval', 'rozpraval', // sk
  'snakket', 'chattet', 'pratet', 'koblet', // da, no
  'pratat', 'pratar', 'snackat', 'chattat', 'kopplat', // sv
  'puhui', 'puhuu', // fi
  'govoril', 'pogovoril', // sl
  'razgovarao', 'razgovara', 'pricao', 'prica', 'popricao', // sr, hr
  'խոսեց', // hy
];
