# Our own words: customer (c) and agent (a) lines per language, oldest first in a chain.
T = {
    "en": [
        "Hello, my parcel 4471 was marked delivered but nothing arrived.",
        "Sorry to hear that, we have opened a claim with the courier.",
        "Still nothing after a week, this is the third time I write.",
        "The courier confirmed the loss, a replacement ships today.",
        "Thanks, the replacement arrived this morning.",
    ],
    "de": [
        "Guten Tag, meine Bestellung 7712 ist beschädigt angekommen.",
        "Das tut uns leid, bitte senden Sie uns ein Foto.",
        "Anbei die Fotos, der Karton war völlig zerdrückt.",
        "Danke, wir schicken Ihnen kostenlos Ersatz.",
        "Der Ersatz ist da, vielen Dank für die schnelle Hilfe.",
    ],
    "fr": [
        "Bonjour, j'ai été débité deux fois pour la commande 3308.",
        "Nous vérifions avec notre service comptable.",
        "Toujours aucun remboursement, merci de me répondre enfin.",
        "Le remboursement a été lancé ce matin.",
        "Bien reçu, merci beaucoup.",
    ],
    "es": [
        "Hola, quiero cambiar la dirección de entrega del pedido 5120.",
        "Claro, indíquenos la nueva dirección completa.",
        "Calle Mayor 12, 3º B, 28013 Madrid, por favor.",
        "Dirección actualizada, el envío sale mañana.",
        "Perfecto, muchas gracias por todo.",
    ],
    "it": [
        "Buongiorno, il rimborso dell'ordine 9001 non è ancora arrivato.",
        "Ci scusi, controlliamo subito con la banca.",
        "Sono passate due settimane, aspetto ancora.",
        "Il rimborso è stato emesso oggi.",
    ],
    "nl": [
        "Goedemiddag, mijn abonnement is twee keer afgeschreven.",
        "Excuses, we zetten de dubbele betaling terug.",
        "Ik zie nog steeds geen terugboeking.",
        "De terugboeking staat nu klaar.",
    ],
    "pt": [
        "Olá, o meu pedido 6612 chegou com uma peça em falta.",
        "Lamentamos, vamos enviar a peça em falta.",
        "Ainda não recebi nada, podem verificar?",
        "A peça foi enviada hoje por correio.",
    ],
    "pl": [
        "Dzień dobry, zamówienie 2290 nadal nie dotarło.",
        "Przepraszamy, sprawdzamy status przesyłki.",
        "Minął tydzień i dalej nic nie wiem.",
        "Paczka została wysłana ponownie.",
    ],
    "ru": [
        "Здравствуйте, мой заказ 5531 так и не доставлен.",
        "Приносим извинения, мы уточняем у курьера.",
        "Прошла неделя, ответа до сих пор нет.",
        "Курьер подтвердил, заказ привезут завтра.",
    ],
    "uk": [
        "Добрий день, я двічі оплатив замовлення 8120.",
        "Перепрошуємо, перевіряємо платіж.",
        "Гроші досі не повернули, чекаю відповіді.",
        "Повернення коштів оформлено сьогодні.",
    ],
    "tr": [
        "Merhaba, 3390 numaralı siparişim hâlâ gelmedi.",
        "Özür dileriz, kargo firmasıyla görüşüyoruz.",
        "Bir hafta oldu, hâlâ haber yok.",
        "Siparişiniz yarın teslim edilecek.",
    ],
    "hu": [
        "Jó napot, a 7402-es rendelésem sérülten érkezett.",
        "Elnézést kérünk, kérjük küldjön fotót.",
        "Csatoltam a képeket, a doboz teljesen összetört.",
        "Köszönjük, küldjük a cserét.",
    ],
    "ro": [
        "Bună ziua, comanda 1187 nu a ajuns încă.",
        "Ne cerem scuze, verificăm cu firma de curierat.",
        "A trecut o săptămână și tot nimic.",
        "Coletul va fi livrat mâine.",
    ],
    "hr": [
        "Poštovani, narudžba 6604 stigla je oštećena.",
        "Žao nam je, molimo pošaljite fotografiju.",
        "U prilogu su slike oštećenog paketa.",
        "Hvala, šaljemo vam zamjenu.",
    ],
    "sk": [
        "Dobrý deň, objednávka 4418 stále nedorazila.",
        "Ospravedlňujeme sa, overujeme to s kuriérom.",
        "Prešiel týždeň a stále nič.",
        "Zásielka bude doručená zajtra.",
    ],
    "et": [
        "Tere, minu tellimus 2231 pole siiani kohale jõudnud.",
        "Vabandame, kontrollime kullerilt.",
        "Nädal on möödas ja ikka midagi.",
        "Pakk toimetatakse homme kohale.",
    ],
    "nb": [
        "Hei, jeg har blitt trukket to ganger for ordre 5093.",
        "Beklager, vi sjekker betalingen nå.",
        "Jeg har fortsatt ikke fått pengene tilbake.",
        "Tilbakebetalingen er sendt i dag.",
    ],
    "da": [
        "Hej, min pakke 7710 er aldrig kommet frem.",
        "Det beklager vi, vi undersøger sagen.",
        "Der er gået en uge, og jeg har intet hørt.",
        "Pakken bliver leveret i morgen.",
    ],
    "fi": [
        "Hei, tilaukseni 3017 ei ole vieläkään saapunut.",
        "Pahoittelemme, selvitämme asian kuljetusliikkeen kanssa.",
        "Viikko on kulunut eikä mitään kuulu.",
        "Paketti toimitetaan huomenna.",
    ],
    "ja": [
        "お世話になっております。注文番号4519の商品がまだ届いていません。",
        "ご迷惑をおかけして申し訳ございません。配送状況を確認いたします。",
        "一週間経ちましたが、まだ連絡がありません。",
        "明日お届けできる見込みです。",
    ],
}
# customers and agents: (name, email) per language
C = {
    "en": ("Grace Whitfield", "grace.whitfield@outlook.example"),
    "de": ("Jörg Lehmann", "joerg.lehmann@t-online.example"),
    "fr": ("Amélie Garnier", "amelie.garnier@laposte.example"),
    "es": ("Lucía Romero", "lucia.romero@telefonica.example"),
    "it": ("Marco Bianchi", "marco.bianchi@libero.example"),
    "nl": ("Sanne de Vries", "sanne.devries@ziggo.example"),
    "pt": ("João Ferreira", "joao.ferreira@sapo.example"),
    "pl": ("Agnieszka Nowak", "a.nowak@wp.example"),
    "ru": ("Ирина Смирнова", "irina.smirnova@mail.example"),
    "uk": ("Тарас Шевчук", "taras.shevchuk@ukr.example"),
    "tr": ("Ayşe Demir", "ayse.demir@yandex.example"),
    "hu": ("Kovács Péter", "kovacs.peter@freemail.example"),
    "ro": ("Elena Ionescu", "elena.ionescu@yahoo.example"),
    "hr": ("Marko Kovačević", "marko.kovacevic@t-com.example"),
    "sk": ("Zuzana Horváthová", "zuzana.horvathova@azet.example"),
    "et": ("Mari Kask", "mari.kask@neti.example"),
    "nb": ("Ola Hansen", "ola.hansen@online.example"),
    "da": ("Mette Jensen", "mette.jensen@jubii.example"),
    "fi": ("Mikko Virtanen", "mikko.virtanen@kolumbus.example"),
    "ja": ("佐藤 健", "ken.sato@nifty.example"),
}
A = {
    "en": ("Priya Raman", "priya.raman@northwind-help.com"),
    "de": ("Kundenservice Nordwind", "service@northwind-help.com"),
    "fr": ("Service clients Nordwind", "clients@northwind-help.com"),
    "es": ("Atención al cliente", "atencion@northwind-help.com"),
}


def agent(lang):
    return A.get(lang, ("Northwind Support", "support@northwind-help.com"))
