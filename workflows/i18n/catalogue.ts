/**
 * Every text Caty sends on her own (not from the knowledge base), per language. Pure data and a
 * pure lookup, so workflow code can use it. Keys are fixed; `{name}` placeholders are filled in
 * by `systemMessage`.
 */
import { asiaAfricaCatalogues } from './catalogue-asia-africa.js';
import { europeCatalogues } from './catalogue-europe.js';

export type MessageKey =
  | 'fallback'
  | 'qrFirstGreeting'
  | 'kbLeadIn'
  | 'handoffAcknowledged'
  | 'handoffFollowUp'
  | 'takeoverConfirmed'
  | 'resumeConfirmed'
  | 'awayMessage'
  | 'leadCallConfirmed'
  | 'menuInstructions'
  /** Before an answer in another language than the customer's: `{language}` is that language's name in the customer's. */
  | 'untranslatedLeadIn'
  /** Outside business hours, once per closed period: `{opens}` is the next opening, in the customer's language. */
  | 'awayMessageUntil'
  /** A request for a person outside business hours. */
  | 'handoffOutsideHours'
  /** A voice note that could not be transcribed (no transcriber, or it failed): please write. */
  | 'voiceNoteUnsupported'
  /** A photo, video, document, location or contact card with nothing to answer in words. */
  | 'attachmentReceived';

export type Catalogue = Record<MessageKey, string>;

/** The first twenty languages; the others live in their own files, by region. */
const firstTwenty: Record<string, Catalogue> = {
  ro: {
    fallback:
      'Îmi pare rău, nu am găsit un răspuns la întrebarea dumneavoastră. Vă rog să o reformulați sau scrieți „vreau să vorbesc cu un om” și vă transfer unui coleg.',
    qrFirstGreeting: 'Bună ziua! Sunt {assistant}, asistentul virtual {business}. Cu cine am plăcerea să vorbesc?',
    kbLeadIn: 'Iată ce vă pot spune:',
    handoffAcknowledged: 'Desigur, transfer conversația către un coleg. Veți fi contactat în câteva minute.',
    handoffFollowUp:
      'Ne pare rău că durează. Colegii noștri sunt ocupați momentan; între timp vă pot ajuta eu cu alte întrebări.',
    takeoverConfirmed: 'Ai preluat conversația. Caty nu va mai răspunde.',
    resumeConfirmed: 'Caty este din nou activă.',
    awayMessage: 'Bună! Acum suntem în afara programului. Vă vom răspunde cât mai curând.',
    leadCallConfirmed: 'Mulțumim! Un coleg vă va suna în curând.',
    menuInstructions: 'Răspundeți cu numărul opțiunii dorite.',
    untranslatedLeadIn: 'Am acest răspuns doar în {language}:',
    awayMessageUntil: 'Bună! Acum suntem închiși. Vă vom răspunde imediat ce redeschidem (următorul program: {opens}).',
    handoffOutsideHours: 'Desigur, transfer conversația către un coleg. Acum suntem în afara programului, așa că veți fi contactat după ce redeschidem (următorul program: {opens}).',
    voiceNoteUnsupported: "Îmi pare rău, nu pot asculta mesajele vocale. Vă rog să îmi scrieți întrebarea.",
    attachmentReceived: "Mulțumim, am primit. Dacă aveți o întrebare despre asta, vă rog să mi-o scrieți și vă ajut.",
  },
  en: {
    fallback:
      "Sorry, I couldn't find an answer to that. Could you rephrase it, or write \"I want to talk to a human\" and I'll pass you to a colleague.",
    qrFirstGreeting: "Hello! I'm {assistant}, the virtual assistant of {business}. Who am I talking to?",
    kbLeadIn: "Here's what I can tell you:",
    handoffAcknowledged: "Of course, I'm transferring the conversation to a colleague. You'll be contacted in a few minutes.",
    handoffFollowUp:
      "Sorry for the wait. Our colleagues are busy right now; meanwhile I'm happy to help with any other question.",
    takeoverConfirmed: 'You have taken over the conversation. Caty will not reply any more.',
    resumeConfirmed: 'Caty is active again.',
    awayMessage: "Hi! We're outside business hours right now. We'll get back to you as soon as we can.",
    leadCallConfirmed: 'Thank you! A colleague will call you soon.',
    menuInstructions: 'Reply with the number of the option you want.',
    untranslatedLeadIn: 'I only have this answer in {language}:',
    awayMessageUntil: "Hi! We're closed right now. We'll reply as soon as we open again (next opening: {opens}).",
    handoffOutsideHours: "Of course, I'm passing the conversation to a colleague. We're closed right now, so you'll be contacted once we open again (next opening: {opens}).",
    voiceNoteUnsupported: "Sorry, I can't listen to voice messages. Could you write your question to me instead?",
    attachmentReceived: "Thank you, I've received it. If you have a question about it, please write it to me and I'll help.",
  },
  es: {
    fallback:
      'Lo siento, no he encontrado una respuesta a su pregunta. ¿Podría formularla de otra manera? También puede escribir «quiero hablar con una persona» y le paso con un compañero.',
    qrFirstGreeting: '¡Hola! Soy {assistant}, el asistente virtual de {business}. ¿Con quién tengo el gusto de hablar?',
    kbLeadIn: 'Esto es lo que le puedo decir:',
    handoffAcknowledged: 'Por supuesto, paso la conversación a un compañero. Le contactarán en unos minutos.',
    handoffFollowUp:
      'Disculpe la espera. Nuestros compañeros están ocupados en este momento; mientras tanto, puedo ayudarle con cualquier otra pregunta.',
    takeoverConfirmed: 'Has tomado el control de la conversación. Caty ya no responderá.',
    resumeConfirmed: 'Caty vuelve a estar activa.',
    awayMessage: '¡Hola! Ahora mismo estamos fuera del horario de atención. Le responderemos lo antes posible.',
    leadCallConfirmed: '¡Gracias! Un compañero le llamará en breve.',
    menuInstructions: 'Responda con el número de la opción que desee.',
    untranslatedLeadIn: 'Solo tengo esta respuesta en {language}:',
    awayMessageUntil: '¡Hola! Ahora mismo estamos cerrados. Le responderemos en cuanto volvamos a abrir (próxima apertura: {opens}).',
    handoffOutsideHours: 'Por supuesto, paso la conversación a un compañero. Ahora mismo estamos cerrados, así que le contactarán cuando volvamos a abrir (próxima apertura: {opens}).',
    voiceNoteUnsupported: "Lo siento, no puedo escuchar mensajes de voz. ¿Podría escribirme su pregunta?",
    attachmentReceived: "Gracias, lo he recibido. Si tiene alguna pregunta al respecto, escríbamela y le ayudo.",
  },
  fr: {
    fallback:
      "Je n'ai malheureusement pas trouvé de réponse à votre question. Pourriez-vous la reformuler ? Vous pouvez aussi écrire « je veux parler à un conseiller » et je vous mets en relation avec un collègue.",
    qrFirstGreeting: "Bonjour ! Je suis {assistant}, l'assistant virtuel de {business}. À qui ai-je le plaisir de parler ?",
    kbLeadIn: 'Voici ce que je peux vous dire :',
    handoffAcknowledged: 'Bien sûr, je transfère la conversation à un collègue. Il vous contactera dans quelques minutes.',
    handoffFollowUp:
      "Merci de votre patience. Nos collègues sont occupés pour le moment ; en attendant, je peux vous aider pour toute autre question.",
    takeoverConfirmed: 'Vous avez repris la conversation. Caty ne répondra plus.',
    resumeConfirmed: 'Caty est de nouveau active.',
    awayMessage: "Bonjour ! Nous sommes actuellement en dehors de nos horaires d'ouverture. Nous vous répondrons dès que possible.",
    leadCallConfirmed: 'Merci ! Un collègue va vous appeler très bientôt.',
    menuInstructions: "Répondez avec le numéro de l'option souhaitée.",
    untranslatedLeadIn: "Je n'ai cette réponse qu'en {language} :",
    awayMessageUntil: 'Bonjour ! Nous sommes fermés pour le moment. Nous vous répondrons dès la réouverture (prochaine ouverture : {opens}).',
    handoffOutsideHours: 'Bien sûr, je transfère la conversation à un collègue. Nous sommes fermés pour le moment ; il vous contactera dès la réouverture (prochaine ouverture : {opens}).',
    voiceNoteUnsupported: "Désolé, je ne peux pas écouter les messages vocaux. Pourriez-vous m’écrire votre question ?",
    attachmentReceived: "Merci, je l’ai bien reçu. Si vous avez une question à ce sujet, écrivez-la-moi et je vous aiderai.",
  },
  de: {
    fallback:
      'Leider habe ich darauf keine Antwort gefunden. Könnten Sie Ihre Frage anders formulieren? Oder schreiben Sie „Ich möchte mit einem Menschen sprechen“, dann verbinde ich Sie mit einem Kollegen.',
    qrFirstGreeting: 'Hallo! Ich bin {assistant}, der virtuelle Assistent von {business}. Mit wem spreche ich?',
    kbLeadIn: 'Folgendes kann ich Ihnen dazu sagen:',
    handoffAcknowledged: 'Natürlich, ich leite das Gespräch an einen Kollegen weiter. Sie werden in wenigen Minuten kontaktiert.',
    handoffFollowUp:
      'Entschuldigen Sie die Wartezeit. Unsere Kollegen sind gerade beschäftigt; in der Zwischenzeit helfe ich Ihnen gern bei anderen Fragen.',
    takeoverConfirmed: 'Du hast das Gespräch übernommen. Caty antwortet nicht mehr.',
    resumeConfirmed: 'Caty ist wieder aktiv.',
    awayMessage: 'Hallo! Wir sind gerade außerhalb unserer Geschäftszeiten. Wir melden uns so schnell wie möglich bei Ihnen.',
    leadCallConfirmed: 'Vielen Dank! Ein Kollege ruft Sie in Kürze an.',
    menuInstructions: 'Antworten Sie mit der Nummer der gewünschten Option.',
    untranslatedLeadIn: 'Diese Antwort habe ich nur auf {language}:',
    awayMessageUntil: 'Hallo! Wir haben gerade geschlossen. Wir antworten Ihnen, sobald wir wieder geöffnet haben (nächste Öffnung: {opens}).',
    handoffOutsideHours: 'Natürlich, ich leite das Gespräch an einen Kollegen weiter. Wir haben gerade geschlossen; Sie werden kontaktiert, sobald wir wieder geöffnet haben (nächste Öffnung: {opens}).',
    voiceNoteUnsupported: "Entschuldigung, ich kann keine Sprachnachrichten anhören. Könnten Sie mir Ihre Frage bitte schreiben?",
    attachmentReceived: "Danke, ich habe es erhalten. Wenn Sie eine Frage dazu haben, schreiben Sie sie mir bitte, und ich helfe Ihnen.",
  },
  it: {
    fallback:
      'Mi dispiace, non ho trovato una risposta alla sua domanda. Può riformularla? Oppure scriva «voglio parlare con una persona» e la metto in contatto con un collega.',
    qrFirstGreeting: "Buongiorno! Sono {assistant}, l'assistente virtuale di {business}. Con chi ho il piacere di parlare?",
    kbLeadIn: 'Ecco cosa posso dirle:',
    handoffAcknowledged: 'Certo, trasferisco la conversazione a un collega. La contatterà entro pochi minuti.',
    handoffFollowUp:
      "Ci scusi per l'attesa. I nostri colleghi sono occupati in questo momento; nel frattempo posso aiutarla con altre domande.",
    takeoverConfirmed: 'Hai preso in carico la conversazione. Caty non risponderà più.',
    resumeConfirmed: 'Caty è di nuovo attiva.',
    awayMessage: "Salve! Al momento siamo fuori dall'orario di lavoro. Le risponderemo il prima possibile.",
    leadCallConfirmed: 'Grazie! Un collega la chiamerà a breve.',
    menuInstructions: "Risponda con il numero dell'opzione desiderata.",
    untranslatedLeadIn: 'Ho questa risposta solo in {language}:',
    awayMessageUntil: 'Salve! Al momento siamo chiusi. Le risponderemo appena riapriamo (prossima apertura: {opens}).',
    handoffOutsideHours: 'Certo, trasferisco la conversazione a un collega. Al momento siamo chiusi, quindi verrà contattato alla riapertura (prossima apertura: {opens}).',
    voiceNoteUnsupported: "Mi dispiace, non posso ascoltare i messaggi vocali. Potrebbe scrivermi la sua domanda?",
    attachmentReceived: "Grazie, l’ho ricevuto. Se ha una domanda al riguardo, me la scriva e la aiuto volentieri.",
  },
  pt: {
    fallback:
      'Desculpe, não encontrei uma resposta para a sua pergunta. Pode reformulá-la? Ou escreva "quero falar com uma pessoa" e eu transfiro a conversa para um colega.',
    qrFirstGreeting: 'Olá! Sou {assistant}, o assistente virtual de {business}. Com quem estou falando?',
    kbLeadIn: 'Veja o que posso dizer sobre isso:',
    handoffAcknowledged: 'Claro, vou transferir a conversa para um colega. Ele entrará em contato em poucos minutos.',
    handoffFollowUp:
      'Desculpe a demora. Nossos colegas estão ocupados no momento; enquanto isso, posso ajudar com outras dúvidas.',
    takeoverConfirmed: 'Você assumiu a conversa. A Caty não vai mais responder.',
    resumeConfirmed: 'A Caty está ativa novamente.',
    awayMessage: 'Olá! No momento estamos fora do horário de atendimento. Responderemos o mais breve possível.',
    leadCallConfirmed: 'Obrigado! Um colega vai ligar para você em breve.',
    menuInstructions: 'Responda com o número da opção desejada.',
    untranslatedLeadIn: 'Só tenho esta resposta em {language}:',
    awayMessageUntil: 'Olá! No momento estamos fechados. Responderemos assim que reabrirmos (próxima abertura: {opens}).',
    handoffOutsideHours: 'Claro, vou transferir a conversa para um colega. No momento estamos fechados, então você será contatado assim que reabrirmos (próxima abertura: {opens}).',
    voiceNoteUnsupported: "Desculpe, não consigo ouvir mensagens de voz. Pode escrever-me a sua pergunta?",
    attachmentReceived: "Obrigado, recebi. Se tiver alguma pergunta sobre isso, escreva-me e eu ajudo.",
  },
  nl: {
    fallback:
      'Sorry, daar heb ik geen antwoord op gevonden. Kunt u uw vraag anders formuleren? U kunt ook "ik wil met een medewerker spreken" typen, dan verbind ik u door met een collega.',
    qrFirstGreeting: 'Hallo! Ik ben {assistant}, de virtuele assistent van {business}. Met wie spreek ik?',
    kbLeadIn: 'Dit kan ik u erover vertellen:',
    handoffAcknowledged: 'Natuurlijk, ik verbind u door met een collega. Er wordt binnen enkele minuten contact met u opgenomen.',
    handoffFollowUp:
      "Excuses voor het wachten. Onze collega's zijn op dit moment bezet; intussen help ik u graag met andere vragen.",
    takeoverConfirmed: 'Je hebt het gesprek overgenomen. Caty reageert niet meer.',
    resumeConfirmed: 'Caty is weer actief.',
    awayMessage: 'Hallo! We zijn op dit moment buiten onze openingstijden. We reageren zo snel mogelijk.',
    leadCallConfirmed: 'Bedankt! Een collega belt u binnenkort.',
    menuInstructions: 'Antwoord met het nummer van de gewenste optie.',
    untranslatedLeadIn: 'Dit antwoord heb ik alleen in het {language}:',
    awayMessageUntil: 'Hallo! We zijn op dit moment gesloten. We antwoorden zodra we weer open zijn (volgende opening: {opens}).',
    handoffOutsideHours: 'Natuurlijk, ik verbind u door met een collega. We zijn op dit moment gesloten; er wordt contact met u opgenomen zodra we weer open zijn (volgende opening: {opens}).',
    voiceNoteUnsupported: "Sorry, ik kan geen spraakberichten beluisteren. Wilt u uw vraag aan mij schrijven?",
    attachmentReceived: "Bedankt, ik heb het ontvangen. Als u er een vraag over hebt, schrijf die dan aan mij en ik help u verder.",
  },
  pl: {
    fallback:
      'Przepraszam, nie udało mi się znaleźć odpowiedzi na to pytanie. Spróbuj zapytać inaczej albo napisz „chcę rozmawiać z konsultantem”, a przekażę rozmowę komuś z zespołu.',
    qrFirstGreeting: 'Dzień dobry! Jestem {assistant}, wirtualny asystent firmy {business}. Z kim mam przyjemność rozmawiać?',
    kbLeadIn: 'Oto, co mogę powiedzieć na ten temat:',
    handoffAcknowledged: 'Oczywiście, przekazuję rozmowę komuś z zespołu. Skontaktujemy się z Tobą w ciągu kilku minut.',
    handoffFollowUp:
      'Przepraszamy za oczekiwanie. Nasi konsultanci są teraz zajęci; w międzyczasie chętnie pomogę w innych sprawach.',
    takeoverConfirmed: 'Rozmowa została przejęta. Caty nie będzie już odpowiadać.',
    resumeConfirmed: 'Caty jest znowu aktywna.',
    awayMessage: 'Cześć! Jesteśmy teraz poza godzinami pracy. Odpowiemy najszybciej, jak to możliwe.',
    leadCallConfirmed: 'Dziękujemy! Ktoś z naszego zespołu wkrótce do Ciebie zadzwoni.',
    menuInstructions: 'Odpowiedz, podając numer wybranej opcji.',
    untranslatedLeadIn: 'Ta odpowiedź jest dostępna tylko w języku: {language}.',
    awayMessageUntil: 'Cześć! Jesteśmy teraz zamknięci. Odpowiemy, gdy tylko ponownie otworzymy (najbliższe otwarcie: {opens}).',
    handoffOutsideHours: 'Oczywiście, przekazuję rozmowę komuś z zespołu. Jesteśmy teraz zamknięci, więc skontaktujemy się z Tobą po otwarciu (najbliższe otwarcie: {opens}).',
    voiceNoteUnsupported: "Przepraszam, nie mogę odsłuchiwać wiadomości głosowych. Czy może Pan/Pani napisać mi swoje pytanie?",
    attachmentReceived: "Dziękuję, otrzymałam. Jeśli ma Pan/Pani pytanie w tej sprawie, proszę je napisać, a chętnie pomogę.",
  },
  hu: {
    fallback:
      'Sajnos nem találtam választ erre a kérdésre. Meg tudná fogalmazni másképp? Vagy írja be, hogy „szeretnék egy emberrel beszélni”, és átadom egy kollégámnak.',
    qrFirstGreeting: 'Üdvözlöm! {assistant} vagyok, {business} virtuális asszisztense. Kivel beszélhetek?',
    kbLeadIn: 'Ezt tudom mondani erről:',
    handoffAcknowledged: 'Természetesen, átadom a beszélgetést egy kollégámnak. Néhány percen belül felveszik Önnel a kapcsolatot.',
    handoffFollowUp:
      'Elnézést a várakozásért. Kollégáink jelenleg elfoglaltak; addig szívesen segítek más kérdésekben.',
    takeoverConfirmed: 'Átvetted a beszélgetést. Caty nem válaszol többet.',
    resumeConfirmed: 'Caty újra aktív.',
    awayMessage: 'Üdvözlöm! Jelenleg nyitvatartási időn kívül vagyunk. Amint lehet, válaszolunk.',
    leadCallConfirmed: 'Köszönjük! Egy kollégánk hamarosan felhívja.',
    menuInstructions: 'Válaszoljon a kívánt opció számával.',
    untranslatedLeadIn: 'Ez a válasz csak ezen a nyelven érhető el: {language}.',
    awayMessageUntil: 'Üdvözlöm! Jelenleg zárva vagyunk. Amint újra nyitunk, válaszolunk (következő nyitás: {opens}).',
    handoffOutsideHours: 'Természetesen, átadom a beszélgetést egy kollégámnak. Jelenleg zárva vagyunk, ezért nyitás után felveszik Önnel a kapcsolatot (következő nyitás: {opens}).',
    voiceNoteUnsupported: "Sajnálom, a hangüzeneteket nem tudom meghallgatni. Kérem, írja meg nekem a kérdését.",
    attachmentReceived: "Köszönöm, megkaptam. Ha kérdése van ezzel kapcsolatban, kérem, írja meg, és segítek.",
  },
  tr: {
    fallback:
      'Üzgünüm, sorunuza bir yanıt bulamadım. Sorunuzu farklı bir şekilde sorabilir misiniz? Ya da "bir yetkiliyle görüşmek istiyorum" yazın, sizi bir çalışma arkadaşıma aktarayım.',
    qrFirstGreeting: 'Merhaba! Ben {assistant}, {business} sanal asistanıyım. Kiminle görüşüyorum?',
    kbLeadIn: 'Bu konuda size şunları söyleyebilirim:',
    handoffAcknowledged: 'Elbette, görüşmeyi bir çalışma arkadaşıma aktarıyorum. Birkaç dakika içinde sizinle iletişime geçilecek.',
    handoffFollowUp:
      'Beklettiğimiz için özür dileriz. Ekibimiz şu anda yoğun; bu arada başka sorularınızda size yardımcı olabilirim.',
    takeoverConfirmed: 'Görüşmeyi devraldınız. Caty artık yanıt vermeyecek.',
    resumeConfirmed: 'Caty yeniden aktif.',
    awayMessage: 'Merhaba! Şu anda çalışma saatlerimizin dışındayız. En kısa sürede size dönüş yapacağız.',
    leadCallConfirmed: 'Teşekkürler! Bir çalışma arkadaşımız sizi kısa süre içinde arayacak.',
    menuInstructions: 'Lütfen istediğiniz seçeneğin numarasıyla yanıt verin.',
    untranslatedLeadIn: 'Bu yanıt yalnızca şu dilde mevcut: {language}.',
    awayMessageUntil: 'Merhaba! Şu anda kapalıyız. Yeniden açıldığımızda size hemen yanıt vereceğiz (bir sonraki açılış: {opens}).',
    handoffOutsideHours: 'Elbette, görüşmeyi bir çalışma arkadaşıma aktarıyorum. Şu anda kapalıyız; açıldığımızda sizinle iletişime geçilecek (bir sonraki açılış: {opens}).',
    voiceNoteUnsupported: "Üzgünüm, sesli mesajları dinleyemiyorum. Sorunuzu bana yazabilir misiniz?",
    attachmentReceived: "Teşekkürler, aldım. Bununla ilgili bir sorunuz varsa lütfen bana yazın, yardımcı olayım.",
  },
  ru: {
    fallback:
      'К сожалению, мне не удалось найти ответ на ваш вопрос. Попробуйте сформулировать его иначе или напишите «хочу поговорить с оператором» — и я передам разговор коллеге.',
    qrFirstGreeting: 'Здравствуйте! Я {assistant}, виртуальный помощник компании {business}. Как к вам обращаться?',
    kbLeadIn: 'Вот что я могу сказать:',
    handoffAcknowledged: 'Конечно, передаю разговор коллеге. С вами свяжутся в течение нескольких минут.',
    handoffFollowUp:
      'Извините за ожидание. Сейчас все коллеги заняты; пока я могу помочь вам с другими вопросами.',
    takeoverConfirmed: 'Вы взяли разговор на себя. Caty больше не будет отвечать.',
    resumeConfirmed: 'Caty снова активна.',
    awayMessage: 'Здравствуйте! Сейчас у нас нерабочее время. Мы ответим вам как можно скорее.',
    leadCallConfirmed: 'Спасибо! Наш сотрудник скоро вам позвонит.',
    menuInstructions: 'Ответьте номером нужного варианта.',
    untranslatedLeadIn: 'Этот ответ есть только на таком языке: {language}.',
    awayMessageUntil: 'Здравствуйте! Сейчас мы закрыты. Мы ответим вам, как только откроемся (ближайшее открытие: {opens}).',
    handoffOutsideHours: 'Конечно, передаю разговор коллеге. Сейчас мы закрыты, поэтому с вами свяжутся после открытия (ближайшее открытие: {opens}).',
    voiceNoteUnsupported: "Извините, я не могу прослушивать голосовые сообщения. Напишите, пожалуйста, ваш вопрос текстом.",
    attachmentReceived: "Спасибо, я получила. Если у вас есть вопрос по этому поводу, напишите его мне, и я помогу.",
  },
  uk: {
    fallback:
      'На жаль, мені не вдалося знайти відповідь на ваше запитання. Спробуйте сформулювати його інакше або напишіть «хочу поговорити з оператором» — і я передам розмову колезі.',
    qrFirstGreeting: 'Вітаю! Я {assistant}, віртуальний помічник компанії {business}. Як до вас звертатися?',
    kbLeadIn: 'Ось що я можу сказати:',
    handoffAcknowledged: 'Звісно, передаю розмову колезі. З вами зв’яжуться протягом кількох хвилин.',
    handoffFollowUp:
      'Вибачте за очікування. Зараз усі колеги зайняті; тим часом я можу допомогти вам з іншими питаннями.',
    takeoverConfirmed: 'Ви взяли розмову на себе. Caty більше не відповідатиме.',
    resumeConfirmed: 'Caty знову активна.',
    awayMessage: 'Вітаю! Зараз у нас неробочий час. Ми відповімо вам якнайшвидше.',
    leadCallConfirmed: 'Дякуємо! Наш колега невдовзі вам зателефонує.',
    menuInstructions: 'Дайте відповідь номером потрібного варіанта.',
    untranslatedLeadIn: 'Ця відповідь є лише такою мовою: {language}.',
    awayMessageUntil: 'Вітаю! Зараз ми зачинені. Ми відповімо вам, щойно відкриємося (найближче відкриття: {opens}).',
    handoffOutsideHours: 'Звісно, передаю розмову колезі. Зараз ми зачинені, тож з вами зв’яжуться після відкриття (найближче відкриття: {opens}).',
    voiceNoteUnsupported: "Вибачте, я не можу прослуховувати голосові повідомлення. Напишіть, будь ласка, ваше запитання текстом.",
    attachmentReceived: "Дякую, я отримала. Якщо у вас є запитання щодо цього, напишіть його мені, і я допоможу.",
  },
  bg: {
    fallback:
      'За съжаление не успях да намеря отговор на въпроса ви. Опитайте да го зададете по друг начин или напишете „искам да говоря с консултант“ и ще прехвърля разговора към колега.',
    qrFirstGreeting: 'Здравейте! Аз съм {assistant}, виртуалният асистент на {business}. С кого разговарям?',
    kbLeadIn: 'Ето какво мога да ви кажа:',
    handoffAcknowledged: 'Разбира се, прехвърлям разговора към колега. Ще се свържат с вас до няколко минути.',
    handoffFollowUp:
      'Извинете за изчакването. Колегите ни в момента са заети; междувременно мога да ви помогна с други въпроси.',
    takeoverConfirmed: 'Поехте разговора. Caty вече няма да отговаря.',
    resumeConfirmed: 'Caty отново е активна.',
    awayMessage: 'Здравейте! В момента сме извън работно време. Ще ви отговорим възможно най-скоро.',
    leadCallConfirmed: 'Благодарим ви! Наш колега ще ви се обади скоро.',
    menuInstructions: 'Отговорете с номера на избраната опция.',
    untranslatedLeadIn: 'Този отговор е наличен само на следния език: {language}.',
    awayMessageUntil: 'Здравейте! В момента сме затворени. Ще ви отговорим веднага щом отворим отново (следващо отваряне: {opens}).',
    handoffOutsideHours: 'Разбира се, прехвърлям разговора към колега. В момента сме затворени, затова ще се свържат с вас след отварянето (следващо отваряне: {opens}).',
    voiceNoteUnsupported: "Съжалявам, не мога да слушам гласови съобщения. Моля, напишете ми въпроса си.",
    attachmentReceived: "Благодаря, получих го. Ако имате въпрос за това, моля, напишете ми и ще ви помогна.",
  },
  el: {
    fallback:
      'Λυπάμαι, δεν βρήκα απάντηση στην ερώτησή σας. Μπορείτε να τη διατυπώσετε διαφορετικά; Ή γράψτε «θέλω να μιλήσω με έναν άνθρωπο» και θα σας συνδέσω με έναν συνάδελφο.',
    qrFirstGreeting: 'Γεια σας! Είμαι {assistant}, ο ψηφιακός βοηθός της εταιρείας {business}. Με ποιον μιλάω;',
    kbLeadIn: 'Να τι μπορώ να σας πω:',
    handoffAcknowledged: 'Βεβαίως, μεταφέρω τη συνομιλία σε έναν συνάδελφο. Θα επικοινωνήσει μαζί σας σε λίγα λεπτά.',
    handoffFollowUp:
      'Συγγνώμη για την αναμονή. Οι συνάδελφοί μας είναι απασχολημένοι αυτή τη στιγμή· στο μεταξύ μπορώ να σας βοηθήσω με οποιαδήποτε άλλη ερώτηση.',
    takeoverConfirmed: 'Ανέλαβες τη συνομιλία. Η Caty δεν θα απαντά πλέον.',
    resumeConfirmed: 'Η Caty είναι ξανά ενεργή.',
    awayMessage: 'Γεια σας! Αυτή τη στιγμή είμαστε εκτός ωραρίου. Θα σας απαντήσουμε το συντομότερο δυνατό.',
    leadCallConfirmed: 'Ευχαριστούμε! Ένας συνάδελφος θα σας καλέσει σύντομα.',
    menuInstructions: 'Απαντήστε με τον αριθμό της επιλογής που θέλετε.',
    untranslatedLeadIn: 'Αυτή η απάντηση είναι διαθέσιμη μόνο στη γλώσσα: {language}.',
    awayMessageUntil: 'Γεια σας! Αυτή τη στιγμή είμαστε κλειστά. Θα σας απαντήσουμε μόλις ανοίξουμε ξανά (επόμενο άνοιγμα: {opens}).',
    handoffOutsideHours: 'Βεβαίως, μεταφέρω τη συνομιλία σε έναν συνάδελφο. Αυτή τη στιγμή είμαστε κλειστά, οπότε θα επικοινωνήσει μαζί σας μόλις ανοίξουμε (επόμενο άνοιγμα: {opens}).',
    voiceNoteUnsupported: "Λυπάμαι, δεν μπορώ να ακούσω φωνητικά μηνύματα. Θα μπορούσατε να μου γράψετε την ερώτησή σας;",
    attachmentReceived: "Ευχαριστώ, το έλαβα. Αν έχετε κάποια ερώτηση σχετικά, γράψτε μου και θα σας βοηθήσω.",
  },
  ar: {
    fallback:
      'عذرًا، لم أجد إجابة عن سؤالك. هل يمكنك إعادة صياغته؟ أو اكتب «أريد التحدث مع موظف» وسأحوّلك إلى أحد زملائي.',
    qrFirstGreeting: 'مرحبًا! أنا {assistant}، المساعد الافتراضي لـ {business}. مع من أتحدث؟',
    kbLeadIn: 'إليك ما يمكنني قوله:',
    handoffAcknowledged: 'بالتأكيد، سأحوّل المحادثة إلى أحد زملائي. سيتواصل معك خلال بضع دقائق.',
    handoffFollowUp: 'نعتذر عن الانتظار. زملاؤنا مشغولون حاليًا، وفي هذه الأثناء يسعدني مساعدتك في أي سؤال آخر.',
    takeoverConfirmed: 'لقد توليت المحادثة. لن ترد Caty بعد الآن.',
    resumeConfirmed: 'عادت Caty إلى العمل من جديد.',
    awayMessage: 'مرحبًا! نحن الآن خارج ساعات العمل. سنرد عليك في أقرب وقت ممكن.',
    leadCallConfirmed: 'شكرًا لك! سيتصل بك أحد زملائنا قريبًا.',
    menuInstructions: 'يرجى الرد برقم الخيار الذي تريده.',
    untranslatedLeadIn: 'هذه الإجابة متوفرة فقط باللغة: {language}.',
    awayMessageUntil: 'مرحبًا! نحن مغلقون الآن. سنرد عليك فور إعادة فتحنا (موعد الفتح القادم: {opens}).',
    handoffOutsideHours: 'بالتأكيد، سأحوّل المحادثة إلى أحد زملائي. نحن مغلقون الآن، لذا سيتواصل معك بعد إعادة الفتح (موعد الفتح القادم: {opens}).',
    voiceNoteUnsupported: "عذرًا، لا أستطيع الاستماع إلى الرسائل الصوتية. هل يمكنك كتابة سؤالك لي؟",
    attachmentReceived: "شكرًا، لقد استلمته. إذا كان لديك سؤال بخصوصه، فاكتبه لي وسأساعدك.",
  },
  hi: {
    fallback:
      'माफ़ कीजिए, आपके सवाल का जवाब नहीं मिला। क्या आप इसे दूसरे शब्दों में पूछ सकते हैं? या लिखें "मुझे किसी व्यक्ति से बात करनी है" और आपकी बातचीत किसी सहकर्मी को सौंप दी जाएगी।',
    qrFirstGreeting: 'नमस्ते! मैं {assistant} हूँ, {business} का वर्चुअल असिस्टेंट। कृपया अपना नाम बताएँ।',
    kbLeadIn: 'इस बारे में यह जानकारी है:',
    handoffAcknowledged: 'ज़रूर, आपकी बातचीत एक सहकर्मी को सौंपी जा रही है। कुछ ही मिनटों में आपसे संपर्क किया जाएगा।',
    handoffFollowUp:
      'इंतज़ार के लिए क्षमा करें। हमारे सहकर्मी अभी व्यस्त हैं; तब तक आपके किसी भी दूसरे सवाल में मदद के लिए मैं यहाँ हूँ।',
    takeoverConfirmed: 'आपने बातचीत संभाल ली है। Caty अब जवाब नहीं देगी।',
    resumeConfirmed: 'Caty फिर से सक्रिय है।',
    awayMessage: 'नमस्ते! अभी हमारे काम के घंटे नहीं हैं। हम जल्द से जल्द आपको जवाब देंगे।',
    leadCallConfirmed: 'धन्यवाद! हमारे एक सहकर्मी जल्द ही आपको कॉल करेंगे।',
    menuInstructions: 'अपने चुने हुए विकल्प का नंबर लिखकर जवाब दें।',
    untranslatedLeadIn: 'यह जवाब केवल इस भाषा में उपलब्ध है: {language}।',
    awayMessageUntil: 'नमस्ते! अभी हम बंद हैं। दोबारा खुलते ही हम आपको जवाब देंगे (अगली बार खुलने का समय: {opens})।',
    handoffOutsideHours: 'ज़रूर, आपकी बातचीत एक सहकर्मी को सौंपी जा रही है। अभी हम बंद हैं, इसलिए खुलने के बाद आपसे संपर्क किया जाएगा (अगली बार खुलने का समय: {opens})।',
    voiceNoteUnsupported: "क्षमा करें, मैं वॉइस संदेश नहीं सुन सकती। क्या आप अपना सवाल लिखकर भेज सकते हैं?",
    attachmentReceived: "धन्यवाद, मुझे यह मिल गया है। अगर इसके बारे में आपका कोई सवाल है, तो कृपया लिखकर भेजें, मैं आपकी मदद करूँगी।",
  },
  zh: {
    fallback: '抱歉，我没有找到您问题的答案。您可以换个说法再问一次，或者输入“我想找人工客服”，我会为您转接同事。',
    qrFirstGreeting: '您好！我是{assistant}，{business}的虚拟助手。请问怎么称呼您？',
    kbLeadIn: '以下是我能为您提供的信息：',
    handoffAcknowledged: '好的，正在为您转接同事，几分钟内会有人联系您。',
    handoffFollowUp: '抱歉让您久等了。同事们目前都在忙，在此期间我可以帮您解答其他问题。',
    takeoverConfirmed: '您已接管此对话，Caty 将不再回复。',
    resumeConfirmed: 'Caty 已重新启用。',
    awayMessage: '您好！现在是非工作时间，我们会尽快回复您。',
    leadCallConfirmed: '谢谢！我们的同事会尽快给您打电话。',
    menuInstructions: '请回复您所选选项的编号。',
    untranslatedLeadIn: '这个回答目前只有{language}版本：',
    awayMessageUntil: '您好！我们现在已下班，重新营业后会第一时间回复您（下次营业时间：{opens}）。',
    handoffOutsideHours: '好的，正在为您转接同事。我们现在已下班，营业后会有人联系您（下次营业时间：{opens}）。',
    voiceNoteUnsupported: "抱歉，我无法收听语音消息。请把您的问题用文字发给我好吗？",
    attachmentReceived: "谢谢，我已收到。如果您对此有任何问题，请用文字告诉我，我来帮您。",
  },
  ja: {
    fallback:
      '申し訳ありません、ご質問への回答が見つかりませんでした。言い方を変えてもう一度お試しいただくか、「担当者と話したい」と入力していただければ、スタッフにおつなぎします。',
    qrFirstGreeting: 'こんにちは！{business}のバーチャルアシスタント、{assistant}です。お名前を伺ってもよろしいですか？',
    kbLeadIn: 'ご案内できる内容は次のとおりです：',
    handoffAcknowledged: 'かしこまりました。担当スタッフにおつなぎします。数分以内にご連絡いたします。',
    handoffFollowUp: 'お待たせして申し訳ありません。ただいまスタッフが対応中です。その間、ほかのご質問があればお手伝いします。',
    takeoverConfirmed: '会話を引き継ぎました。Catyは今後返信しません。',
    resumeConfirmed: 'Catyが再び有効になりました。',
    awayMessage: 'こんにちは！ただいま営業時間外です。できるだけ早くご返信いたします。',
    leadCallConfirmed: 'ありがとうございます！まもなく担当者からお電話いたします。',
    menuInstructions: 'ご希望の項目の番号でご返信ください。',
    untranslatedLeadIn: 'この回答は{language}でのみご用意しています：',
    awayMessageUntil: 'こんにちは！ただいま営業時間外です。営業再開後すぐにご返信いたします（次回営業開始：{opens}）。',
    handoffOutsideHours: 'かしこまりました。担当スタッフにおつなぎします。ただいま営業時間外のため、営業再開後にご連絡いたします（次回営業開始：{opens}）。',
    voiceNoteUnsupported: "申し訳ありませんが、音声メッセージは聞くことができません。ご質問を文字で送っていただけますか？",
    attachmentReceived: "ありがとうございます。受け取りました。これについてご質問があれば、文字でお送りください。お手伝いします。",
  },
  ko: {
    fallback:
      '죄송합니다. 질문에 대한 답변을 찾지 못했습니다. 다르게 표현해서 다시 질문해 주시거나, "상담원과 이야기하고 싶어요"라고 입력하시면 담당자에게 연결해 드리겠습니다.',
    qrFirstGreeting: '안녕하세요! 저는 {business}의 가상 도우미 {assistant}입니다. 성함이 어떻게 되시나요?',
    kbLeadIn: '안내해 드릴 내용은 다음과 같습니다:',
    handoffAcknowledged: '네, 담당자에게 대화를 연결해 드리겠습니다. 몇 분 안에 연락드릴 예정입니다.',
    handoffFollowUp:
      '기다리시게 해서 죄송합니다. 지금 담당자들이 모두 바쁜 상태입니다. 그동안 다른 궁금한 점이 있으시면 제가 도와드리겠습니다.',
    takeoverConfirmed: '대화를 인계받았습니다. 이제 Caty는 답변하지 않습니다.',
    resumeConfirmed: 'Caty가 다시 활성화되었습니다.',
    awayMessage: '안녕하세요! 지금은 영업시간이 아닙니다. 최대한 빨리 답변드리겠습니다.',
    leadCallConfirmed: '감사합니다! 곧 담당자가 전화드리겠습니다.',
    menuInstructions: '원하시는 항목의 번호로 답장해 주세요.',
    untranslatedLeadIn: '이 답변은 {language}로만 제공됩니다:',
    awayMessageUntil: '안녕하세요! 지금은 영업시간이 아닙니다. 영업을 다시 시작하는 대로 답변드리겠습니다(다음 영업 시작: {opens}).',
    handoffOutsideHours: '네, 담당자에게 대화를 연결해 드리겠습니다. 지금은 영업시간이 아니므로 영업 시작 후 연락드리겠습니다(다음 영업 시작: {opens}).',
    voiceNoteUnsupported: "죄송합니다. 음성 메시지는 들을 수 없습니다. 질문을 글로 보내 주시겠어요?",
    attachmentReceived: "감사합니다. 잘 받았습니다. 이에 대해 궁금한 점이 있으시면 글로 보내 주세요. 도와드리겠습니다.",
  },
};

export const catalogues: Record<string, Catalogue> = { ...firstTwenty, ...europeCatalogues, ...asiaAfricaCatalogues };

export const supportedCatalogueLanguages = Object.keys(catalogues);

/**
 * Looks a text up in `language`, else in `fallbackLanguage` (the widget's default), else in
 * English. Regional tags ("pt-BR", "zh-TW") and upper case use their base language's catalogue.
 */
export function systemMessage(
  key: MessageKey,
  language: string | null | undefined,
  params: Record<string, string> = {},
  fallbackLanguage = 'ro',
): string {
  const catalogue = lookup(language) ?? lookup(fallbackLanguage) ?? catalogues.en!;
  return catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

function lookup(code: string | null | undefined): Catalogue | undefined {
  const base = (code ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  // Own keys only: a language like "constructor" must not find Object.prototype's members.
  return Object.hasOwn(catalogues, base) ? catalogues[base] : undefined;
}
