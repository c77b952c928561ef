# ruff: noqa: E501, I001
# fmt: off
# (hand-laid data: one case per call, its text beside its label)
"""Writes bench/data/threads/dev_v5.json (issue 14, helper h3, 2026-12-02), typed after heldout_v5.json was frozen
and without reading its misses: the same kinds of layout in the other languages and client variants (each Gmail /
new Outlook / Outlook desktop / banner kind in languages the held-out file gives another kind), more chains with
signatures, Cc lines and rules, deep forwards in other mixes, HTML-only and quoted-printable mails.
Run: python bench/data/threads/v5_build/dev.py OUT.json
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
from render import (
    Cases, M, esc, f, gmail_attribution, gmail_chain, gmail_forward, html_paras, label, outlook_block,
    outlook_chain, quote, raw_html, raw_qp, wrap,
)  # fmt: skip

C = Cases("v5d")
UI = "the client's layout as its UI writes it (labels and date form of that UI language), our own names and words"
SUP = "Kundenservice <support@shop.example>"
CET = timezone(timedelta(hours=1))


def dt(*a: int, tzinfo: timezone | None = None) -> datetime:
    return datetime(*a, tzinfo=tzinfo)  # type: ignore[arg-type,misc]


TEXT = {
    "ru": "Посылка 2231 так и не пришла.", "uk": "Посилка 2231 так і не прийшла.", "tr": "2231 numaralı paket gelmedi.",
    "hu": "A 2231-es csomag nem érkezett meg.", "ro": "Coletul 2231 nu a sosit.", "hr": "Paket 2231 nije stigao.",
    "sk": "Balík 2231 neprišiel.", "et": "Pakk 2231 ei jõudnud kohale.", "nb": "Pakke 2231 har ikke kommet.",
    "da": "Pakke 2231 er ikke kommet.", "fi": "Paketti 2231 ei saapunut.", "ja": "荷物 2231 がまだ届きません。",
    "de": "Paket 2231 ist nicht angekommen.", "fr": "Le colis 2231 n'est pas arrivé.", "es": "El paquete 2231 no ha llegado.",
    "en": "Parcel 2231 never arrived.", "pl": "Paczka 2231 nie dotarła.", "pt": "A encomenda 2231 não chegou.",
    "nl": "Pakket 2231 is niet aangekomen.", "sv": "Paket 2231 har inte kommit.", "cs": "Balík 2231 nedorazil.",
}
NAME = {
    "ru": ("Сергей Иванов", "sergey.ivanov"), "uk": ("Ірина Бондар", "iryna.bondar"), "tr": ("Can Yıldız", "can.yildiz"),
    "hu": ("Tóth Eszter", "eszter.toth"), "ro": ("Maria Ionescu", "maria.ionescu"), "hr": ("Marko Kovačić", "marko.kovacic"),
    "sk": ("Lucia Horváthová", "lucia.horvathova"), "et": ("Mari Kuusk", "mari.kuusk"), "nb": ("Ingrid Dahl", "ingrid.dahl"),
    "da": ("Mads Larsen", "mads.larsen"), "fi": ("Juha Nieminen", "juha.nieminen"), "ja": ("鈴木一郎", "ichiro.suzuki"),
    "de": ("Petra Fischer", "petra.fischer"), "fr": ("Julien Moreau", "julien.moreau"), "es": ("Carmen López", "carmen.lopez"),
    "en": ("Grace Hill", "grace.hill"), "pl": ("Piotr Zieliński", "piotr.zielinski"), "pt": ("João Costa", "joao.costa"),
    "nl": ("Sanne de Vries", "sanne.devries"), "sv": ("Karin Berg", "karin.berg"), "cs": ("Petr Svoboda", "petr.svoboda"),
}


def person(lang: str, when: datetime, domain: str = "mail.example") -> M:
    name, local = NAME[lang]
    return M(name, f"{local}@{domain}", when, TEXT[lang])


# -- Gmail forwards in the languages the held-out file gives another kind -------------------------------------
for i, lang in enumerate(["uk", "hu", "sk", "nb", "fi", "ro", "de", "es", "fr", "en"]):
    who = person(lang, dt(2021, 10, 4 + i, 8 + i, 5 * i))
    C.add(f"gmail_forward_{lang}", f"Gmail ({lang}) forward: banner, localised labels and date; {UI}",
          [label(who)], text=f"FYI\n\n{gmail_forward(who, lang, 'support@shop.example', 'Paket 2231')}\n\n\n{who.text}\n")

# -- new Outlook / Outlook for Mac blocks ----------------------------------------------------------------------
for i, lang in enumerate(["ru", "tr", "hr", "et", "da", "ja", "de", "fr", "es"]):
    who = person(lang, dt(2021, 11, 1 + i, 9 + i, 3 * i))
    rule = "________________________________\n" if i % 2 == 0 else ""
    C.add(f"outlook_mac_{lang}", f"new Outlook / Outlook for Mac ({lang}) 'From/Date/To/Subject' block{' under the rule' if rule else ''}; {UI}",
          [label(who)], text=f"FYI\n\n{rule}{outlook_block(who, lang, 'support@shop.example', 'Paket', cc='team@shop.example' if i % 3 == 0 else '', mac=True)}\n\n{who.text}\n")

# -- Gmail reply attributions ---------------------------------------------------------------------------------
for i, lang in enumerate(["tr", "ro", "hr", "sk", "da", "ja", "de", "fr", "es"]):
    who = person(lang, dt(2021, 12, 1 + i, 10 + i, 7 * i))
    width = 72 if i % 2 else 0
    C.add(f"gmail_reply_{lang}" + ("_wrapped" if width else ""), f"Gmail ({lang}) reply attribution{' wrapped at 72 columns' if width else ''}; {UI}",
          [label(who)], text=f"Hallo\n\n{gmail_attribution(who, lang, wrap_at=width)}\n\n{quote(who.text)}\n")

# -- Yahoo's glued one-line block -----------------------------------------------------------------------------
YAHOO = {
    "de": ("----- Weitergeleitete Nachricht -----", "Von", "An", "Gesendet", "Betreff", "{wd}, {d}. {mon} {y}, {H}:{M}:{S} MEZ"),
    "da": ("----- Videresendt meddelelse -----", "Fra", "Til", "Sendt", "Emne", "{wd} den {d}. {mon} {y} {H}.{M}.{S} CET"),
    "it": ("----- Messaggio inoltrato -----", "Da", "A", "Inviato", "Oggetto", "{wd} {d} {mon} {y}, {H}:{M}:{S} CET"),
    "en2": ("----- Forwarded Message -----", "From", "To", "Cc", "Subject", ""),
}
for lang in ["de", "da", "it"]:
    who = M("Yahoo Kunde", f"kunde.{lang}@yahoo.example", dt(2021, 11, 2, 9, 26, 50, tzinfo=CET), TEXT.get(lang, "Il pacco 2231 non è arrivato."))
    banner, lf, lt, ls, lsub, date_t = YAHOO[lang]
    line = f"{banner} {lf}: {who.name} <{who.email}> {lt}: support@shop.example {ls}: {f(date_t, lang, who.when)} {lsub}: Paket 2231"
    C.add(f"yahoo_oneline_{lang}", f"Yahoo Mail ({lang}) forward whose header block is glued on one line; {UI}",
          [label(who)], text=f"Bitte ansehen\n\n\n{line}\n\n{who.text}\n")
who = M("Dana Reed", "dana.reed@yahoo.example", dt(2021, 11, 2, 9, 26, 50, tzinfo=timezone(timedelta(hours=-5))), "The invoice total is wrong.")
C.add("yahoo_oneline_en_cc_est", f"Yahoo Mail (en) one-line block with a Cc and 'Sent:' in EST after Subject order; {UI}",
      [label(who)], text=("See below\n\n\n----- Forwarded Message ----- From: Dana Reed <dana.reed@yahoo.example> To: Billing <billing@shop.example> "
                          "Cc: Sam Reed <sam.reed@yahoo.example> Sent: Tuesday, November 2, 2021, 09:26:50 AM EST Subject: Invoice 7781\n\n" + who.text + "\n"))
who = M("Dana Reed", "dana.reed@yahoo.example", dt(2021, 11, 2, 9, 26, 50, tzinfo=timezone(timedelta(hours=-4))), "The invoice total is still wrong.")
C.add("yahoo_oneline_en_wrapped", f"Yahoo Mail (en) one-line block wrapped at 76 columns by the forwarder's client; {UI}",
      [label(who)], text=("See below\n\n\n" + wrap("----- Forwarded Message ----- From: Dana Reed <dana.reed@yahoo.example> To: billing@shop.example "
                          "Sent: Tuesday, November 2, 2021, 09:26:50 AM GMT-4 Subject: Invoice 7782", 76) + "\n\n" + who.text + "\n"))

# -- "Original Message" banners ---------------------------------------------------------------------------------
BANNER = {
    "pl": ("-----Wiadomość oryginalna-----", "pl"), "pt": ("-----Mensagem original-----", "pt"), "nl": ("-----Oorspronkelijk bericht-----", "nl"),
    "nb": ("-----Opprinnelig melding-----", "nb"), "ru": ("-----Исходное сообщение-----", "ru"), "de": ("-----Ursprüngliche Nachricht-----", "de"),
    "fr": ("-----Message d'origine-----", "fr"), "es": ("-----Mensaje original-----", "es"), "ja": ("-----Original Message-----", "ja"),
    "et": ("-----Algne sõnum-----", "et"), "sk": ("-----Pôvodná správa-----", "sk"), "uk": ("-----Оригінальне повідомлення-----", "uk"),
}
OL_LANG = {"pl": "de", "pt": "es", "nl": "de"}  # the block's labels in a language render.py has (the banner is the point)
for i, (lang, (banner, _)) in enumerate(BANNER.items()):
    who = person(lang, dt(2021, 10, 10 + i, 8 + i, 4 * i))
    block_lang = OL_LANG.get(lang, lang)
    C.add(f"original_message_{lang}", f"Outlook '{banner}' banner over a {block_lang} block with a '[mailto:]' sender; {UI}",
          [label(who)], text=f"Zur Info.\n\n{banner}\n{outlook_block(who, block_lang, 'support@shop.example', 'Paket', mailto=True)}\n\n{who.text}\n")


# -- chains ----------------------------------------------------------------------------------------------------
def chain(lang: str, names: list[tuple[str, str]], texts: list[str], start: datetime, step: timedelta) -> list[M]:
    return [M(names[i % 2][0], names[i % 2][1], start + step * i, t) for i, t in enumerate(texts)]


cde = chain("de", [("Michael Braun", "michael.braun@kunde.example"), ("Service Team", "service@nordwind.example")],
            ["Hallo,\ndie Rechnung 4471 ist falsch.", "Danke, wir prüfen das sofort.", "Der Betrag muss 120 Euro sein.", "Korrigiert, die neue Rechnung folgt.", "Danke, passt jetzt."],
            dt(2021, 9, 6, 8, 15), timedelta(hours=5, minutes=20))
C.add("thread_outlook_de_cc_rule_signatures", f"Outlook desktop (de) chain, rule, Cc, signatures with '--' and phone lines; {UI}",
      [label(m) for m in cde],
      text=outlook_chain(cde, "Bitte ablegen.", lambda m, i: outlook_block(m, "de", "service@nordwind.example" if i % 2 == 0 else "Michael Braun <michael.braun@kunde.example>", "AW: Rechnung 4471", cc="buchhaltung@nordwind.example"),
                         sigs={0: "-- \nMichael Braun\nBraun Elektro\nTel.: 089 123456", 1: "Freundliche Grüße\nService Team", 2: "Gruß\nM. Braun", 3: "Freundliche Grüße\nService Team\nNordwind GmbH · Hauptstr. 1 · 10115 Berlin"}, rule=True))
cfr = chain("fr", [("Camille Petit", "camille.petit@client.example"), ("Support", "support@boutique.example")],
            ["Bonjour,\nje n'ai pas reçu ma commande.", "Bonjour, pouvez-vous nous donner le numéro ?", "C'est la commande 5521."],
            dt(2021, 9, 13, 9, 0), timedelta(hours=3, minutes=10))
C.add("thread_outlook_fr_signatures", f"Outlook desktop (fr) chain 'De :/Envoyé :/À :/Objet :' with signatures, no rule; {UI}",
      [label(m) for m in cfr],
      text=outlook_chain(cfr, "Merci de traiter.", lambda m, i: outlook_block(m, "fr", "support@boutique.example" if i % 2 == 0 else "camille.petit@client.example", "RE: Commande"),
                         sigs={0: "Bien cordialement,\nCamille Petit", 1: "Cordialement,\nL'équipe Support\nTél. 01 23 45 67 89", 2: "Camille"}))
ces = chain("es", [("Diego Martín", "diego.martin@cliente.example"), ("Soporte", "soporte@tienda.example")],
            ["Buenos días,\nmi factura 3321 está duplicada.", "Lo revisamos y le decimos algo.", "¿Alguna novedad?", "Ya está anulada la factura duplicada."],
            dt(2021, 9, 20, 10, 30), timedelta(hours=6, minutes=5))
C.add("thread_outlook_es_rule_cc", f"Outlook desktop (es) chain 'De:/Enviado el:/Para:/CC:/Asunto:' under the rule, signatures; {UI}",
      [label(m) for m in ces],
      text=outlook_chain(ces, "Para vuestra información.", lambda m, i: outlook_block(m, "es", "soporte@tienda.example" if i % 2 == 0 else "diego.martin@cliente.example", "RE: Factura 3321", cc="contabilidad@tienda.example"),
                         sigs={0: "Saludos cordiales,\nDiego Martín\nTel. 600 123 456", 1: "Atentamente,\nSoporte", 3: "Atentamente,\nSoporte"}, rule=True))
cuk = chain("uk", [("Андрій Шевченко", "andriy.shevchenko@client.example"), ("Підтримка", "support@shop.example")],
            ["Добрий день, рахунок 9001 неправильний.", "Перевіримо та відповімо.", "Дякую, чекаю."], dt(2021, 10, 1, 9, 0), timedelta(hours=2, minutes=30))
C.add("thread_outlook_uk", f"Outlook desktop (uk) chain 'Від:/Надіслано:/Кому:/Тема:' with signatures; {UI}",
      [label(m) for m in cuk],
      text=outlook_chain(cuk, "Передаю.", lambda m, i: outlook_block(m, "uk", "support@shop.example", "RE: Рахунок 9001"), sigs={0: "З повагою,\nАндрій Шевченко", 2: "З повагою,\nАндрій"}))
chu = chain("hu", [("Varga Béla", "bela.varga@client.example"), ("Ügyfélszolgálat", "ugyfel@shop.example")],
            ["Jó napot, a számla hibás.", "Köszönjük, javítjuk.", "Megkaptam, köszönöm."], dt(2021, 10, 4, 8, 0), timedelta(hours=4, minutes=15))
C.add("thread_outlook_hu_rule", f"Outlook desktop (hu) chain 'Feladó:/Elküldve:/Címzett:/Tárgy:' under the rule; {UI}",
      [label(m) for m in chu],
      text=outlook_chain(chu, "Továbbítom.", lambda m, i: outlook_block(m, "hu", "ugyfel@shop.example", "VS: Számla"), rule=True, sigs={1: "Üdvözlettel:\nÜgyfélszolgálat"}))
cja = chain("ja", [("高橋健", "ken.takahashi@client.example"), ("サポート", "support@shop.example")],
            ["お世話になっております。請求書が届いていません。", "確認いたします。", "よろしくお願いします。"], dt(2021, 10, 5, 9, 0), timedelta(hours=1, minutes=45))
C.add("thread_outlook_ja", f"Outlook desktop (ja) chain '差出人:/送信日時:/宛先:/件名:' under the rule; {UI}",
      [label(m) for m in cja],
      text=outlook_chain(cja, "ご確認ください。", lambda m, i: outlook_block(m, "ja", "support@shop.example", "RE: 請求書"), rule=True))
gde = chain("de", [("Laura Becker", "laura.becker@mail.example"), ("Kundendienst", "kundendienst@versand.example")],
            ["Hallo,\nich möchte meine Bestellung stornieren.", "Gerne, welche Bestellnummer?", "Es ist die 8812.\n\nViele Grüße\nLaura Becker"],
            dt(2021, 10, 11, 7, 45), timedelta(hours=2, minutes=40))
C.add("thread_gmail_de_signature", f"Gmail (de) 'Am ... schrieb ...:' chain, a signature in the quoted text; {UI}",
      [label(m) for m in gde], text=gmail_chain(gde, "Bitte stornieren.", lambda m, i: gmail_attribution(m, "de")))
gfr = chain("fr", [("Lucie Roux", "lucie.roux@mail.example"), ("Service client", "service@boutique.example")],
            ["Bonjour,\nle produit est défectueux.", "Pouvez-vous envoyer une photo ?", "Voici la photo.", "Merci, un remplacement part demain."],
            dt(2021, 10, 12, 9, 10), timedelta(hours=3, minutes=25))
C.add("thread_gmail_fr", f"Gmail (fr) chain 'Le mer. 13 oct. 2021 à 09:10, Name <a> a écrit :'; {UI}",
      [label(m) for m in gfr], text=gmail_chain(gfr, "À traiter.", lambda m, i: gmail_attribution(m, "fr")))
ges = chain("es", [("Pablo Sanz", "pablo.sanz@mail.example"), ("Atención", "atencion@tienda.example")],
            ["Hola,\nno puedo acceder a mi cuenta.", "¿Ha probado a restablecer la contraseña?", "Sí, y sigue sin funcionar."],
            dt(2021, 10, 13, 11, 0), timedelta(hours=1, minutes=50))
C.add("thread_gmail_es_wrapped", f"Gmail (es) chain 'El ... escribió:' wrapped at 72 columns; {UI}",
      [label(m) for m in ges], text=gmail_chain(ges, "Revisad esto.", lambda m, i: gmail_attribution(m, "es", wrap_at=72)))
gru = chain("ru", [("Алексей Кузнецов", "alexey.kuznetsov@mail.example"), ("Поддержка", "support@magazin.example")],
            ["Добрый день, не пришёл чек.", "Отправили повторно.", "Получил, спасибо."], dt(2021, 10, 14, 12, 0), timedelta(hours=2, minutes=5))
C.add("thread_gmail_ru", f"Gmail (ru) chain 'ср, 27 окт. 2021 г. в 09:31, Name <a>:'; {UI}",
      [label(m) for m in gru], text=gmail_chain(gru, "Закрываю.", lambda m, i: gmail_attribution(m, "ru")))
mfr = chain("fr", [("Hugo Laurent", "hugo.laurent@mail.example"), ("Service", "service@boutique.example")],
            ["La livraison 7781 est en retard.", "Elle partira demain.", "Toujours rien reçu."], dt(2021, 10, 15, 8, 30), timedelta(hours=26))
C.add("thread_outlook_over_gmail_fr", f"Outlook desktop (fr) reply above a Gmail (fr) 'Le ... a écrit :' reply; {UI}",
      [label(m) for m in mfr],
      text=("Voir ci-dessous.\n\n" + outlook_block(mfr[2], "fr", "service@boutique.example", "RE: Livraison 7781") + "\n\n" + mfr[2].text
            + "\n\nCordialement\nHugo Laurent\n\n" + gmail_attribution(mfr[1], "fr") + "\n\n"
            + quote(mfr[1].text + "\n\n" + gmail_attribution(mfr[0], "fr") + "\n\n" + quote(mfr[0].text)) + "\n"))
mes = chain("es", [("Elena Vidal", "elena.vidal@mail.example"), ("Soporte", "soporte@tienda.example")],
            ["El cargo 5512 está duplicado.", "Lo devolvemos en 5 días.", "Gracias."], dt(2021, 10, 18, 9, 0), timedelta(hours=20))
C.add("thread_outlook_over_gmail_es_rule", f"Outlook desktop (es) reply under the rule above a Gmail (es) reply; {UI}",
      [label(m) for m in mes],
      text=("Reenvío.\n\n________________________________\n" + outlook_block(mes[2], "es", "soporte@tienda.example", "RE: Cargo") + "\n\n" + mes[2].text
            + "\n\n" + gmail_attribution(mes[1], "es") + "\n\n"
            + quote(mes[1].text + "\n\n" + gmail_attribution(mes[0], "es") + "\n\n" + quote(mes[0].text)) + "\n"))


# -- deep forwards --------------------------------------------------------------------------------------------
def nested(levels: list[tuple[M, str]], top: str) -> str:
    text = levels[0][0].text
    for i, (m, client) in enumerate(levels):
        kind, lang = client.split("-")
        if kind == "gmail":
            head = gmail_forward(m, lang, "next@mail.example", "Fwd: Vorgang")
        elif kind == "outlook":
            head = "________________________________\n" + outlook_block(m, lang, "next@mail.example", "WG: Vorgang")
        elif kind == "mac":
            head = outlook_block(m, lang, "next@mail.example", "Fw: Vorgang", mac=True)
        else:
            head = "-----Original Message-----\n" + outlook_block(m, "en", "next@mail.example", "FW: Vorgang", mailto=True)
        own = levels[i + 1][0].text if i + 1 < len(levels) else top
        text = f"{own}\n\n{head}\n\n{text}"
    return text + "\n"


langs = ["de", "fr", "es", "ru", "uk", "tr", "hu", "ro", "hr", "sk", "et", "nb", "da", "fi", "ja", "en"]
for n, clients, start in [
    (11, ["outlook-de", "gmail-fr", "banner-en", "mac-ru", "outlook-uk", "gmail-tr", "mac-hu", "outlook-ro", "gmail-hr", "mac-sk", "outlook-et"], dt(2021, 9, 1, 8, 0)),
    (11, ["gmail-nb", "gmail-da", "outlook-fi", "mac-ja", "gmail-en", "outlook-en", "banner-en", "outlook-de", "outlook-de", "mac-fr", "gmail-es"], dt(2021, 9, 8, 7, 0)),
    (9, ["mac-de", "mac-es", "outlook-fr", "gmail-ru", "gmail-uk", "outlook-tr", "outlook-hu", "banner-en", "gmail-de"], dt(2021, 9, 15, 10, 0)),
]:
    lv = []
    for i, client in enumerate(clients):
        lang = client.split("-")[1]
        name, local = NAME[lang]
        lv.append((M(name, f"{local}.{i}@corp.example", start + timedelta(hours=4 * i, minutes=9 * i), f"Stufe {i + 1}: " + TEXT[lang]), client))
    C.add(f"nested_{n}_{clients[0].replace('-', '_')}", f"a {n}-level forward, each level forwarded by another client and UI language; {UI}",
          [label(m) for m, _ in lv], text=nested(lv, "Zur Kenntnis."))

# -- whole mails -------------------------------------------------------------------------------------------------
hde = chain("de", [("Stefan Wolf", "stefan.wolf@mail.example"), ("Service", "service@nordwind.example")],
            ["Guten Tag, die Ware ist beschädigt.", "Bitte senden Sie ein Foto.", "Foto anbei."], dt(2021, 10, 20, 8, 0), timedelta(hours=5))


def word_block(m: M, lang: str, to: str, subject: str) -> str:
    lines = []
    for line in outlook_block(m, lang, to, subject).split("\n"):
        lab, _, value = line.partition(":")
        lines.append(f"<b>{esc(lab)}:</b> {esc(value.strip())}")
    return ('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal">'
            + "<br>".join(lines) + "</p></div>")


html = '<html><body><div class="WordSection1">' + html_paras("Bitte übernehmen.")
for i in range(len(hde) - 1, -1, -1):
    html += word_block(hde[i], "de", "service@nordwind.example", "AW: Ware") + html_paras("\n" + hde[i].text + "\n\nMit freundlichen Grüßen\n" + hde[i].name + "\n")
html += "</div></body></html>"
C.add("html_only_outlook_de_chain_qp", f"Outlook desktop (de) chain as text/html only in quoted-printable (Word HTML, signatures); {UI}",
      [label(m) for m in hde], raw=raw_html(html, "WG: AW: Ware", qp=True))
hes = chain("es", [("Rosa Molina", "rosa.molina@mail.example"), ("Soporte", "soporte@tienda.example")],
            ["Hola, el pedido no llegó.", "Lo reenviamos hoy."], dt(2021, 10, 21, 9, 0), timedelta(hours=3))
html = '<html><body><div class="WordSection1">' + html_paras("Para revisar.")
for i in range(len(hes) - 1, -1, -1):
    html += word_block(hes[i], "es", "soporte@tienda.example", "RE: Pedido") + html_paras("\n" + hes[i].text + "\n")
html += "</div></body></html>"
C.add("html_only_outlook_es_chain", f"Outlook desktop (es) chain as text/html only (8-bit); {UI}",
      [label(m) for m in hes], raw=raw_html(html, "RV: RE: Pedido"))
g = person("de", dt(2021, 10, 22, 14, 35))
ghtml = ('<div dir="ltr">Zur Info<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Weitergeleitete Nachricht ---------<br>'
         f'Von: <strong class="gmail_sendername" dir="auto">{g.name}</strong> <span dir="auto">&lt;<a href="mailto:{g.email}">{g.email}</a>&gt;</span><br>'
         f'Date: {f("{wda}, {d}. {mona} {y} um {H}:{M} Uhr", "de", g.when)}<br>Subject: Paket<br>To: &lt;<a href="mailto:support@shop.example">support@shop.example</a>&gt;<br></div><br><br>'
         f'<div dir="ltr">{g.text}</div></div></div>')
C.add("html_only_gmail_forward_de", f"Gmail (de) forward sent as text/html only (gmail_attr div); {UI}", [label(g)], raw=raw_html(ghtml, "Fwd: Paket"))
g = person("uk", dt(2021, 10, 22, 16, 5))
ghtml = ('<div dir="ltr">Пересилаю<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Переслане повідомлення ---------<br>'
         f'Від: <strong class="gmail_sendername" dir="auto">{g.name}</strong> <span dir="auto">&lt;<a href="mailto:{g.email}">{g.email}</a>&gt;</span><br>'
         f'Дата: {f("{wda}, {d} {mona} {y} р. о {H}:{M}", "uk", g.when)}<br>Тема: Посилка<br>Кому: &lt;<a href="mailto:support@shop.example">support@shop.example</a>&gt;<br></div><br><br>'
         f'<div dir="ltr">{g.text}</div></div></div>')
C.add("html_only_gmail_forward_uk_qp", f"Gmail (uk) forward as text/html only in quoted-printable; {UI}", [label(g)], raw=raw_html(ghtml, "Fwd: Посилка", qp=True))
qfr = chain("fr", [("Agnès Lefèvre", "agnes.lefevre@mail.example"), ("Service après-vente", "sav@boutique.example")],
            ["Bonjour, l'appareil ne s'allume plus après deux semaines d'utilisation, je souhaite un échange.", "Nous vous envoyons une étiquette de retour prépayée."],
            dt(2021, 10, 25, 10, 0), timedelta(hours=4))
C.add("qp_outlook_fr_chain", f"Outlook desktop (fr) chain in quoted-printable; {UI}",
      [label(m) for m in qfr], raw=raw_qp(outlook_chain(qfr, "Merci de suivre ce dossier.", lambda m, i: outlook_block(m, "fr", "sav@boutique.example", "RE: Échange")), "TR: RE: Échange"))
qes = chain("es", [("Nuria Peña", "nuria.pena@mail.example"), ("Atención", "atencion@tienda.example")],
            ["Buenas, el número de seguimiento no funciona desde el martes pasado.", "Le enviamos el número correcto en un momento."],
            dt(2021, 10, 26, 11, 0), timedelta(hours=2))
C.add("qp_gmail_es_chain", f"Gmail (es) chain in quoted-printable; {UI}",
      [label(m) for m in qes], raw=raw_qp(gmail_chain(qes, "Gracias.", lambda m, i: gmail_attribution(m, "es")), "Re: Seguimiento", name="Nuria Peña", addr="nuria.pena@mail.example"))

# -- wrapped Outlook values, Danish/Norwegian dates with seconds ---------------------------------------------------
for lang in ["de", "fr", "nb"]:
    wm = M("Friederike von Hohenlohe-Langenburg", "friederike.vonhohenlohe-langenburg@unternehmen.example", dt(2021, 11, 3, 15, 12), TEXT[lang])
    blk = outlook_block(wm, lang, "Service <service@shop.example>; Buchhaltung <buchhaltung@shop.example>; Lager <lager@shop.example>", "Paket", cc="Team <team@unternehmen.example>")
    C.add(f"outlook_{lang}_wrapped_to", f"Outlook desktop ({lang}) block with the long From and To lines wrapped at 76 columns; {UI}",
          [label(wm)], text="Siehe unten.\n\n" + "\n".join(wrap(line, 76) for line in blk.split("\n")) + f"\n\n{wm.text}\n")
th = M("Line Holm", "line.holm@mail.example", dt(2021, 11, 9, 14, 3, 7, tzinfo=CET), "Varen er ikke kommet endnu.")
C.add("thunderbird_nb_seconds_cet", f"Thunderbird-style (nb) forward table with a long date with seconds and CET; {UI}",
      [label(th)], text=("Videresendt.\n\n-------- Videresendt melding --------\nEmne: \tVare\nDato: \t"
                         + f("{wd} {d}. {mon} {y} {H}.{M}.{S} CET", "nb", th.when) + f"\nFra: \t{th.name} <{th.email}>\nTil: \tsupport@shop.example\n\n\n\n{th.text}\n"))

# -- mails that quote nothing -----------------------------------------------------------------------------------
C.add("nothing_uk_labels", "A Ukrainian text naming Від: and Дата: fields of a form; our words",
      [], text="У бланку поле Від: порожнє.\nДата: теж не вказана.\nДопоможіть.\n", kind="quotes-nothing")
C.add("nothing_fr_ecrit", "A French text 'Le technicien a écrit :' then a list, quoting nothing; our words",
      [], text="Le technicien a écrit :\n- pièce manquante\n- retour sous 10 jours\nQu'en pensez-vous ?\n", kind="quotes-nothing")


# -- second batch: attribution and block variants of the families the older splits name (Czech, Greek, Romanian,
# Polish, Portuguese, German sender-first, T-Online/Samsung banners, device lines, Arabic, nl/it Outlook <mailto:>,
# Yahoo fr, Zimbra, Windows Mail), typed by hand -----------------------------------------------------------------


def lab(email: str, when: str | None, starts: str, name: str | None = None) -> dict[str, object]:
    out: dict[str, object] = {"from_email": "" if name else email, "starts": starts}
    if name:
        out["from_name"] = name
    if when:
        out["sent_at"] = when
    return out


def single(name: str, source: str, head: str, text: str, want: dict[str, object], top: str = "Dobrý den,\nposílám znovu.") -> None:
    C.add(name, f"{source}; {UI}", [want], text=f"{top}\n\n{head}\n{quote(text)}\n")


single("gmail_cs_uzivatel", "Gmail (cs) 'Dne st 27. 10. 2021 9:31 uživatel Name <a> napsal:'",
       "Dne st 27. 10. 2021 9:31 uživatel Petr Svoboda <petr.svoboda@mail.example> napsal:\n", "Balík 2231 nedorazil.",
       lab("petr.svoboda@mail.example", "2021-10-27T09:31", "Balík 2231 nedorazil."))
single("gmail_cs_odesilatel_wrapped", "Gmail (cs) 'Dne ... v 9:31 odesílatel Name <a> napsal:' wrapped before the address",
       "Dne st 27. 10. 2021 v 16:05 odesílatel Kateřina Dvořáková\n<katerina.dvorakova@mail.example> napsal:\n", "Faktura je chybná.",
       lab("katerina.dvorakova@mail.example", "2021-10-27T16:05", "Faktura je chybná."))
single("gmail_el", "Gmail (el) 'Στις Τετ 27 Οκτ 2021 στις 9:31 μ.μ., ο χρήστης Name <a> έγραψε:'",
       "Στις Τετ 27 Οκτ 2021 στις 9:31 μ.μ., ο χρήστης Νίκος Παππάς <nikos.pappas@mail.example> έγραψε:\n", "Η παραγγελία δεν έφτασε.",
       lab("nikos.pappas@mail.example", "2021-10-27T21:31", "Η παραγγελία δεν έφτασε."), top="Καλησπέρα")
single("gmail_ro_pe", "Gmail (ro) 'Pe mie., 27 oct. 2021 la 09:31, Name <a> a scris:'",
       "Pe mie., 27 oct. 2021 la 09:31, Andrei Popa <andrei.popa@mail.example> a scris:\n", "Coletul nu a sosit.",
       lab("andrei.popa@mail.example", "2021-10-27T09:31", "Coletul nu a sosit."), top="Bună ziua")
single("gmail_ro_wrapped", "Gmail (ro) 'mie., 27 oct. 2021, 14:02 Name <a> a scris:' wrapped before the address",
       "mie., 27 oct. 2021, 14:02 Ioana Stanciu-Georgescu\n<ioana.stanciu-georgescu@mail.example> a scris:\n", "Factura are o eroare.",
       lab("ioana.stanciu-georgescu@mail.example", "2021-10-27T14:02", "Factura are o eroare."), top="Bună ziua")
single("gmail_pl_w_dniu", "Gmail (pl) 'W dniu śr., 27.10.2021 o 09:31 Name <a> napisał(a):'",
       "W dniu śr., 27.10.2021 o 09:31 Piotr Zieliński <piotr.zielinski@mail.example> napisał(a):\n", "Paczka nie dotarła.",
       lab("piotr.zielinski@mail.example", "2021-10-27T09:31", "Paczka nie dotarła."), top="Dzień dobry")
single("gmail_pl_short", "Gmail (pl) 'śr., 27 paź 2021 o 17:45 Name <a> napisał(a):'",
       "śr., 27 paź 2021 o 17:45 Anna Wiśniewska <anna.wisniewska@mail.example> napisał(a):\n", "Faktura jest błędna.",
       lab("anna.wisniewska@mail.example", "2021-10-27T17:45", "Faktura jest błędna."), top="Dzień dobry")
single("thunderbird_pl_pisze", "Thunderbird (pl) 'W dniu 27.10.2021 o 09:31, Name pisze:' (display name only)",
       "W dniu 27.10.2021 o 09:31, Tomasz Nowak pisze:\n", "Zamówienie jest niekompletne.",
       lab("", "2021-10-27T09:31", "Zamówienie jest niekompletne.", name="Tomasz Nowak"), top="Dzień dobry")
single("gmail_pt_em", "Gmail (pt-BR) 'Em qua., 27 de out. de 2021 às 09:31, Name <a> escreveu:'",
       "Em qua., 27 de out. de 2021 às 09:31, João Costa <joao.costa@mail.example> escreveu:\n", "A encomenda não chegou.",
       lab("joao.costa@mail.example", "2021-10-27T09:31", "A encomenda não chegou."), top="Olá")
single("apple_pt_as", "Apple Mail (pt-BR) 'Em 27 de out. de 2021, à(s) 09:31, Name <a> escreveu:'",
       "Em 27 de out. de 2021, à(s) 09:31, Beatriz Lima <beatriz.lima@mail.example> escreveu:\n", "O produto veio com defeito.",
       lab("beatriz.lima@mail.example", "2021-10-27T09:31", "O produto veio com defeito."), top="Olá")
single("gmail_android_de_sender_first", "Gmail for Android (de) 'Name <a> schrieb am Mi., 27. Okt. 2021, 09:31:'",
       "Petra Fischer <petra.fischer@mail.example> schrieb am Mi., 27. Okt. 2021, 09:31:\n", "Paket ist nicht angekommen.",
       lab("petra.fischer@mail.example", "2021-10-27T09:31", "Paket ist nicht angekommen."), top="Hallo")
single("gmail_de_name_in_parentheses", "Gmail (de) sender-first with the company in parentheses 'Fischer, Petra (Nordwind) <a> schrieb am Mi., 27. Okt. 2021 um 09:31:'",
       "Fischer, Petra (Nordwind) <petra.fischer@nordwind.example> schrieb am Mi., 27. Okt. 2021 um 09:31:\n", "Die Lieferung fehlt.",
       lab("petra.fischer@nordwind.example", "2021-10-27T09:31", "Die Lieferung fehlt."), top="Hallo")
single("apple_de_ch", "Apple Mail (de-CH) 'Am 27.10.2021 um 09:31 schrieb Name <a>:'",
       "Am 27.10.2021 um 09:31 schrieb Urs Meier <urs.meier@mail.example>:\n", "Die Rechnung stimmt nicht, bitte korrigieren Sie sie.",
       lab("urs.meier@mail.example", "2021-10-27T09:31", "Die Rechnung stimmt nicht,"), top="Grüezi")
C.add("tonline_original_nachricht", f"T-Online Mail (de) '-----Original-Nachricht-----' with Betreff/Datum/Von/An; {UI}",
      [lab("petra.fischer@t-online.example", "2021-10-27T09:31", "Guten Tag, das Paket")],
      text=("Zur Info.\n\n-----Original-Nachricht-----\nBetreff: Paket 2231\nDatum: 27.10.2021, 09:31\nVon: \"Petra Fischer\" <petra.fischer@t-online.example>\n"
            "An: support@shop.example\n\nGuten Tag, das Paket ist nicht angekommen.\n"))
C.add("samsung_glued_de", f"Samsung Email (de) '-------- Ursprüngliche Nachricht --------' glued to 'Von:' and its fields on one line; {UI}",
      [lab("petra.fischer@mail.example", "2021-10-27T09:31+01:00", "Das Paket fehlt.")],
      text=("Bitte prüfen.\n\n-------- Ursprüngliche Nachricht --------Von: Petra Fischer <petra.fischer@mail.example> Datum: 27.10.21 09:31 (GMT+01:00) "
            "An: support@shop.example Betreff: Paket\n\nDas Paket fehlt.\n"))
C.add("device_line_bare_wrote", f"an iPhone sign-off above a bare 'a@b wrote:' (no date); {UI}",
      [lab("grace.hill@mail.example", None, "Parcel 2231 never arrived.")],
      text="Any news?\n\nSent from my iPhone\n\ngrace.hill@mail.example wrote:\n\n> Parcel 2231 never arrived.\n")
C.add("gmail_en_wrote_glued_quote", f"Gmail (en) attribution whose '>' is glued after 'wrote:' by a re-wrapping client; {UI}",
      [lab("grace.hill@mail.example", "2021-10-27T09:31", "Parcel 2231 never arrived.")],
      text="Any news?\n\nOn Wed, Oct 27, 2021 at 9:31 AM Grace Hill <grace.hill@mail.example> wrote:\n>\n> Parcel 2231 never arrived.\n")
C.add("outlook_ar", f"Outlook desktop (ar) block 'من:/تم الإرسال:/إلى:/الموضوع:'; {UI}",
      [lab("ahmed.ali@mail.example", "2021-10-27T09:31", "لم يصل الطلب.")],
      text="مرحبا\n\nمن: أحمد علي <ahmed.ali@mail.example>\nتم الإرسال: الأربعاء، 27 أكتوبر، 2021 09:31 ص\nإلى: support@shop.example\nالموضوع: الطلب\n\nلم يصل الطلب.\n")
C.add("gmail_ar_indic_digits", f"Gmail (ar) attribution with Arabic-Indic digits 'في الأربعاء، ٢٧ أكتوبر ٢٠٢١ في ٩:٣١ م، كتب Name <a>:'; {UI}",
      [lab("omar.hassan@mail.example", "2021-10-27T21:31", "الفاتورة غير صحيحة.")],
      text="مرحبا\n\nفي الأربعاء، ٢٧ أكتوبر ٢٠٢١ في ٩:٣١ م، كتب عمر حسن <omar.hassan@mail.example>:\n\n> الفاتورة غير صحيحة.\n")
C.add("outlook_nl_mailto", f"Outlook (nl) block with '<mailto:>' after every address (as HTML-to-text prints links); {UI}",
      [lab("sanne.devries@mail.example", "2021-10-27T09:31", "Pakket 2231 is niet")],
      text=("Zie hieronder.\n\nVan: Sanne de Vries <sanne.devries@mail.example<mailto:sanne.devries@mail.example>>\nVerzonden: woensdag 27 oktober 2021 09:31\n"
            "Aan: Support <support@shop.example<mailto:support@shop.example>>\nOnderwerp: Pakket\n\nPakket 2231 is niet aangekomen.\n"))
C.add("outlook_it_mailto", f"Outlook (it) block 'Da:/Inviato:/A:/Oggetto:' with '<mailto:>'; {UI}",
      [lab("marco.rossi@mail.example", "2021-10-27T09:31", "Il pacco non è")],
      text=("Vedi sotto.\n\nDa: Marco Rossi <marco.rossi@mail.example<mailto:marco.rossi@mail.example>>\nInviato: mercoledì 27 ottobre 2021 09:31\n"
            "A: supporto@shop.example<mailto:supporto@shop.example>\nOggetto: Pacco\n\nIl pacco non è arrivato.\n"))
C.add("yahoo_fr_indented_utc", f"Yahoo (fr) indented attribution 'Le mercredi 27 octobre 2021, 09:31:12 UTC+2, Name <a> a écrit :'; {UI}",
      [lab("julien.moreau@yahoo.example", "2021-10-27T09:31:12+02:00", "Le colis n'est pas")],
      text="Bonjour,\n\n\n     Le mercredi 27 octobre 2021, 09:31:12 UTC+2, Julien Moreau <julien.moreau@yahoo.example> a écrit :\n\n     Le colis n'est pas arrivé.\n")
C.add("gmail_fr_10h30", f"a French attribution with the time as '10h30': 'Le mercredi 27 octobre 2021 à 10h30, Name <a> a écrit :'; {UI}",
      [lab("julien.moreau@mail.example", "2021-10-27T10:30", "Le colis n'est pas")],
      text="Bonjour,\n\nLe mercredi 27 octobre 2021 à 10h30, Julien Moreau <julien.moreau@mail.example> a écrit :\n> Le colis n'est pas arrivé.\n")
C.add("gmail_nl_op", f"Gmail (nl) 'Op wo 27 okt. 2021 om 09:31 schreef Name <a>:'; {UI}",
      [lab("sanne.devries@mail.example", "2021-10-27T09:31", "Pakket 2231 is niet")],
      text="Hallo,\n\nOp wo 27 okt. 2021 om 09:31 schreef Sanne de Vries <sanne.devries@mail.example>:\n\n> Pakket 2231 is niet aangekomen.\n")
C.add("gmail_it_il_giorno", f"Gmail (it) 'Il giorno mer 27 ott 2021 alle ore 09:31 Name <a> ha scritto:'; {UI}",
      [lab("marco.rossi@mail.example", "2021-10-27T09:31", "Il pacco non è")],
      text="Salve,\n\nIl giorno mer 27 ott 2021 alle ore 09:31 Marco Rossi <marco.rossi@mail.example> ha scritto:\n\n> Il pacco non è arrivato.\n")
C.add("it_no_time", f"an Italian attribution with a date and no time 'Il 27/10/2021 Name ha scritto:'; {UI}",
      [lab("", None, "Il pacco non è", name="Marco Rossi")],
      text="Salve,\n\nIl 27/10/2021 Marco Rossi ha scritto:\n> Il pacco non è arrivato.\n")
C.add("thunderbird_hu_keltezessel", f"Thunderbird (hu) '2021. 10. 27. 9:31 keltezéssel, Name írta:'; {UI}",
      [lab("", "2021-10-27T09:31", "A csomag nem érkezett", name="Tóth Eszter")],
      text="Jó napot,\n\n2021. 10. 27. 9:31 keltezéssel, Tóth Eszter írta:\n> A csomag nem érkezett meg.\n")
C.add("zimbra_fr_dash", f"Zimbra (fr) '- Le 27 Oct 21, à 09:31, Name a@b a écrit :'; {UI}",
      [lab("julien.moreau@mail.example", "2021-10-27T09:31", "Le colis n'est pas")],
      text="Bonjour,\n\n- Le 27 Oct 21, à 09:31, Julien Moreau julien.moreau@mail.example a écrit :\n> Le colis n'est pas arrivé.\n")
C.add("windows_mail_en", f"Mail for Windows 10 (en) block 'From: Name<mailto:a>' / 'Sent: 27 October 2021 09:31'; {UI}",
      [lab("grace.hill@mail.example", "2021-10-27T09:31", "Parcel 2231 never arrived.")],
      text=("Please help.\n\nSent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows 10\n\nFrom: Grace Hill<mailto:grace.hill@mail.example>\n"
            "Sent: 27 October 2021 09:31\nTo: support@shop.example<mailto:support@shop.example>\nSubject: Parcel\n\nParcel 2231 never arrived.\n"))
C.add("message_du_fr", f"a French webmail block 'Message du : 27/10/2021 09:31 / De : / A : / Objet :'; {UI}",
      [lab("julien.moreau@orange.example", "2021-10-27T09:31", "Le colis n'est pas")],
      text=("Bonjour,\n\n> Message du : 27/10/2021 09:31\n> De : julien.moreau@orange.example\n> A : support@shop.example\n> Objet : Colis\n>\n> Le colis n'est pas arrivé.\n"))

# chains in the same families
C.add("thread_outlook_pl", f"Outlook desktop (pl) chain 'Od:/Wysłano:/Do:/Temat:' with signatures; {UI}",
      [lab("piotr.zielinski@mail.example", "2021-10-25T09:10", "Dzień dobry, paczka nie"),
       lab("obsluga@sklep.example", "2021-10-25T13:40", "Sprawdzamy status przesyłki."),
       lab("piotr.zielinski@mail.example", "2021-10-26T08:05", "Nadal nic nie dotarło.")],
      text=("Proszę o pomoc.\n\nOd: Piotr Zieliński <piotr.zielinski@mail.example>\nWysłano: wtorek, 26 października 2021 08:05\nDo: obsluga@sklep.example\nTemat: RE: Paczka\n\n"
            "Nadal nic nie dotarło.\n\nPozdrawiam\nPiotr Zieliński\n\nOd: Obsługa klienta <obsluga@sklep.example>\nWysłano: poniedziałek, 25 października 2021 13:40\n"
            "Do: Piotr Zieliński <piotr.zielinski@mail.example>\nTemat: RE: Paczka\n\nSprawdzamy status przesyłki.\n\nZ poważaniem\nObsługa klienta\n\n"
            "Od: Piotr Zieliński <piotr.zielinski@mail.example>\nWysłano: poniedziałek, 25 października 2021 09:10\nDo: obsluga@sklep.example\nTemat: Paczka\n\n"
            "Dzień dobry, paczka nie dotarła.\n"))
C.add("thread_gmail_pt", f"Gmail (pt-BR) chain 'Em ... escreveu:' one '>' deeper per message; {UI}",
      [lab("joao.costa@mail.example", "2021-10-25T10:00", "Olá, a encomenda não"),
       lab("suporte@loja.example", "2021-10-25T15:20", "Vamos verificar, João."),
       lab("joao.costa@mail.example", "2021-10-26T09:45", "Alguma novidade?")],
      text=("Obrigado.\n\nEm ter., 26 de out. de 2021 às 09:45, João Costa <joao.costa@mail.example> escreveu:\n\n> Alguma novidade?\n>\n"
            "> Em seg., 25 de out. de 2021 às 15:20, Suporte <suporte@loja.example> escreveu:\n>\n>> Vamos verificar, João.\n>>\n"
            ">> Em seg., 25 de out. de 2021 às 10:00, João Costa <joao.costa@mail.example> escreveu:\n>>\n>>> Olá, a encomenda não chegou.\n"))
C.add("thread_helpdesk_de_thunderbird", f"a German helpdesk chain: Outlook 'Von: Support [mailto:]' block above a Thunderbird 'Am ... schrieb Name:' reply; {UI}",
      [lab("", "2021-10-25T08:12", "Hallo, der Drucker druckt", name="Petra Fischer"),
       lab("support@nordwind.example", "2021-10-25T11:30", "Bitte starten Sie ihn"),
       lab("petra.fischer@mail.example", "2021-10-25T14:02", "Hat nicht geholfen.")],
      text=("Ticket bitte eskalieren.\n\n-----Ursprüngliche Nachricht-----\nVon: Petra Fischer [mailto:petra.fischer@mail.example]\nGesendet: Montag, 25. Oktober 2021 14:02\n"
            "An: Support <support@nordwind.example>\nBetreff: AW: Drucker\n\nHat nicht geholfen.\n\nGruß\nPetra\n\n"
            "Am 25.10.2021 um 11:30 schrieb Support <support@nordwind.example>:\n> Bitte starten Sie ihn neu.\n>\n"
            "> Am 25.10.2021 um 08:12 schrieb Petra Fischer:\n>> Hallo, der Drucker druckt nicht.\n"))
C.add("thread_gmail_en_signatures", f"Gmail (en) chain with '-- ' signatures in every quoted message; {UI}",
      [lab("grace.hill@mail.example", "2021-10-27T09:31", "Hi, parcel 2231 never"),
       lab("help@shop.example", "2021-10-27T14:10", "Sorry Grace, we are"),
       lab("grace.hill@mail.example", "2021-10-28T08:00", "Still nothing here.")],
      text=("Escalating.\n\nOn Thu, Oct 28, 2021 at 8:00 AM Grace Hill <grace.hill@mail.example> wrote:\n\n> Still nothing here.\n>\n> --\n> Grace Hill\n>\n"
            "> On Wed, Oct 27, 2021 at 2:10 PM Shop Help <help@shop.example> wrote:\n>\n>> Sorry Grace, we are checking.\n>>\n>> --\n>> Shop Help Team\n>>\n"
            ">> On Wed, Oct 27, 2021 at 9:31 AM Grace Hill <grace.hill@mail.example> wrote:\n>>\n>>> Hi, parcel 2231 never arrived.\n>>>\n>>> --\n>>> Grace Hill\n"))
C.add("thread_apple_de", f"Apple Mail (de) chain 'Am 27.10.2021 um 09:31 schrieb Name <a>:' quoted one level deeper; {UI}",
      [lab("urs.meier@mail.example", "2021-10-27T09:31", "Die Rechnung stimmt nicht."),
       lab("buchhaltung@shop.example", "2021-10-27T13:05", "Wir korrigieren sie."),
       lab("urs.meier@mail.example", "2021-10-28T07:50", "Danke, erhalten.")],
      text=("Erledigt.\n\n> Am 28.10.2021 um 07:50 schrieb Urs Meier <urs.meier@mail.example>:\n>\n> Danke, erhalten.\n>\n"
            ">> Am 27.10.2021 um 13:05 schrieb Buchhaltung <buchhaltung@shop.example>:\n>>\n>> Wir korrigieren sie.\n>>\n"
            ">>> Am 27.10.2021 um 09:31 schrieb Urs Meier <urs.meier@mail.example>:\n>>>\n>>> Die Rechnung stimmt nicht.\n"))


# -- third batch: 2024 dates and the forms EdgeTier-style fixtures use, in our own words --------------------------
def t(name: str, source: str, text: str, want: list[dict[str, object]], kind: str = "reply-or-forward") -> None:
    C.add(name, f"{source}; {UI}", want, text=text, kind=kind)


t("gmail_el_comma", "Gmail (el) 'Στις Πέμ, 18 Απρ 2024, 9:15 π.μ. ο χρήστης Name <a> έγραψε:'",
  "Γεια σας\n\nΣτις Πέμ, 18 Απρ 2024, 9:15 π.μ. ο χρήστης Μαρία Γεωργίου <maria.georgiou@mail.example> έγραψε:\n\n> Δεν έλαβα την επιστροφή χρημάτων.\n",
  [lab("maria.georgiou@mail.example", "2024-04-18T09:15", "Δεν έλαβα την επιστροφή")])
t("gmail_cs_ut", "Gmail (cs) 'Dne út 14. 5. 2024 15:42 uživatel Name <a> napsal:'",
  "Dobrý den\n\nDne út 14. 5. 2024 15:42 uživatel Jiří Král <jiri.kral@mail.example> napsal:\n\n> Objednávka stále nedorazila.\n",
  [lab("jiri.kral@mail.example", "2024-05-14T15:42", "Objednávka stále nedorazila.")])
t("gmail_ro_2024", "Gmail (ro) 'joi, 9 mai 2024, 18:20 Name <a> a scris:'",
  "Bună\n\njoi, 9 mai 2024, 18:20 Elena Dumitru <elena.dumitru@mail.example> a scris:\n\n> Nu am primit factura.\n",
  [lab("elena.dumitru@mail.example", "2024-05-09T18:20", "Nu am primit factura.")])
t("gmail_pl_dnia", "Gmail (pl) 'Dnia 14.05.2024 o 08:30 Name <a> napisał(a):'",
  "Dzień dobry\n\nDnia 14.05.2024 o 08:30 Marek Lewandowski <marek.lewandowski@mail.example> napisał(a):\n\n> Proszę o fakturę korygującą.\n",
  [lab("marek.lewandowski@mail.example", "2024-05-14T08:30", "Proszę o fakturę korygującą.")])
t("apple_pl_wiadomosc", "Apple Mail (pl) 'Wiadomość napisana przez Name <a> w dniu 14.05.2024, o godz. 09:05:'",
  "Dzień dobry\n\n> Wiadomość napisana przez Ewa Kamińska <ewa.kaminska@mail.example> w dniu 14.05.2024, o godz. 09:05:\n>\n> Zamówienie przyszło uszkodzone.\n",
  [lab("ewa.kaminska@mail.example", "2024-05-14T09:05", "Zamówienie przyszło uszkodzone.")])
t("pl_glued_temat_nadawca", "a Polish webmail quote header glued on one line 'Temat: ... Nadawca: Name <a> Data: 14.05.2024 10:11'",
  "Dzień dobry\n\nTemat: Reklamacja Nadawca: Adam Wójcik <adam.wojcik@mail.example> Data: 14.05.2024 10:11\n\n> Produkt nie działa.\n",
  [lab("adam.wojcik@mail.example", "2024-05-14T10:11", "Produkt nie działa.")])
t("gmail_pt_pt", "Gmail (pt-PT) 'Em ter., 14/05/2024 às 10:20, Name <a> escreveu:'",
  "Bom dia\n\nEm ter., 14/05/2024 às 10:20, Rui Almeida <rui.almeida@mail.example> escreveu:\n\n> A fatura está errada.\n",
  [lab("rui.almeida@mail.example", "2024-05-14T10:20", "A fatura está errada.")])
t("pt_decoy_escreveu", "a Portuguese text whose own line says 'o técnico escreveu:' above a real Gmail attribution",
  "Bom dia\n\nComo o técnico escreveu: a peça falta.\n\nEm qua., 15 de mai. de 2024 às 11:00, Rui Almeida <rui.almeida@mail.example> escreveu:\n\n> A peça não veio na caixa.\n",
  [lab("rui.almeida@mail.example", "2024-05-15T11:00", "A peça não veio")])
t("gmail_de_sender_first_paren_no_comma", "Gmail (de) sender-first 'Name (Firma) <a> schrieb am Di. 15. Aug. 2023 um 16:45:' (no comma after the weekday)",
  "Hallo\n\nKarl Huber (Huber GmbH) <karl.huber@huber.example> schrieb am Di. 15. Aug. 2023 um 16:45:\n\n> Die Ware ist defekt.\n",
  [lab("karl.huber@huber.example", "2023-08-15T16:45", "Die Ware ist defekt.")])
t("outlook_fr_bold", "Outlook (fr) block with bold-marked labels '**De :**' as a Markdown converter prints them",
  "Bonjour\n\n**De :** Julien Moreau <julien.moreau@mail.example>\n**Envoyé :** mardi 14 mai 2024 10:05\n**À :** support@shop.example\n**Objet :** Colis\n\nLe colis est abîmé.\n",
  [lab("julien.moreau@mail.example", "2024-05-14T10:05", "Le colis est abîmé.")])
t("gmail_forward_fr_nameless", "Gmail (fr) forward with a nameless 'De : <a>'",
  "Pour info\n\n---------- Forwarded message ---------\nDe : <julien.moreau@mail.example>\nDate: mar. 14 mai 2024 à 10:05\nSubject: Colis\nTo: <support@shop.example>\n\n\nLe colis est abîmé.\n",
  [lab("julien.moreau@mail.example", "2024-05-14T10:05", "Le colis est abîmé.")])
t("original_nachricht_gmx", "GMX/web.de '-----Original-Nachricht-----' with 'Gesendet: Dienstag, 14. Mai 2024 um 10:05 Uhr'",
  "Zur Info\n\n-----Original-Nachricht-----\nGesendet: Dienstag, 14. Mai 2024 um 10:05 Uhr\nVon: \"Karl Huber\" <karl.huber@web.example>\nAn: support@shop.example\nBetreff: Ware\n\nDie Ware ist defekt.\n",
  [lab("karl.huber@web.example", "2024-05-14T10:05", "Die Ware ist defekt.")])
t("glued_ursprungliche_outlook_ios", "Outlook for iOS (de) '-------- Ursprüngliche Nachricht --------Von: ...' glued, the fields on their own lines",
  "Bitte ansehen\n\n-------- Ursprüngliche Nachricht --------Von: Karl Huber <karl.huber@mail.example>\nDatum: 14.05.24 10:05 (GMT+01:00)\nAn: support@shop.example\nBetreff: Ware\n\nDie Ware ist defekt.\n",
  [lab("karl.huber@mail.example", "2024-05-14T10:05+01:00", "Die Ware ist defekt.")])
t("attribution_wrapped_in_brackets", "Gmail (en) attribution wrapped inside the angle brackets 'Name <\\na@b> wrote:'",
  "Hi\n\nOn Tue, May 14, 2024 at 10:05 AM Grace Hill <\ngrace.hill@mail.example> wrote:\n\n> The parcel never arrived.\n",
  [lab("grace.hill@mail.example", "2024-05-14T10:05", "The parcel never arrived.")])
t("attribution_wrapped_en_three_lines", "Gmail (en) attribution wrapped over three lines",
  "Hi\n\nOn Tue, May 14, 2024 at 10:05 AM\nGrace Elizabeth Hill-Montgomery\n<grace.hill-montgomery@mail.example> wrote:\n\n> The parcel never arrived.\n",
  [lab("grace.hill-montgomery@mail.example", "2024-05-14T10:05", "The parcel never arrived.")])
t("device_nl_bare_wrote", "a Dutch device line 'Verzonden vanaf mijn iPhone' above a bare 'a@b wrote:'",
  "Nog nieuws?\n\nVerzonden vanaf mijn iPhone\n\nsanne.devries@mail.example wrote:\n\n> Pakket is niet aangekomen.\n",
  [lab("sanne.devries@mail.example", None, "Pakket is niet aangekomen.")])
t("wrote_glued_quote", "'...wrote:>' with the quote glued to the attribution by a re-wrapping client",
  "Hi\n\nOn Tue, May 14, 2024 at 10:05 AM Grace Hill <grace.hill@mail.example> wrote:> The parcel never arrived.\n> Please check.\n",
  [lab("grace.hill@mail.example", "2024-05-14T10:05", "The parcel never arrived.")])
t("swiss_outlook_block", "Outlook (de-CH) block 'Von: / Gesendet: Dienstag, 14. Mai 2024 10:05 / An: / Betreff:' with 'Grüezi'",
  "Grüezi\n\nVon: Urs Meier <urs.meier@mail.example>\nGesendet: Dienstag, 14. Mai 2024 10:05\nAn: support@shop.example\nBetreff: Rechnung\n\nDie Rechnung ist falsch.\n",
  [lab("urs.meier@mail.example", "2024-05-14T10:05", "Die Rechnung ist falsch.")])
t("thread_gmail_cs", "Gmail (cs) chain 'Dne ... uživatel ... napsal:'",
  ("Děkuji\n\nDne st 15. 5. 2024 9:00 uživatel Jiří Král <jiri.kral@mail.example> napsal:\n\n> Stále nic.\n>\n"
   "> Dne út 14. 5. 2024 16:30 uživatel Podpora <podpora@obchod.example> napsal:\n>\n>> Prověříme to.\n>>\n"
   ">> Dne út 14. 5. 2024 15:42 uživatel Jiří Král <jiri.kral@mail.example> napsal:\n>>\n>>> Objednávka nedorazila.\n"),
  [lab("jiri.kral@mail.example", "2024-05-14T15:42", "Objednávka nedorazila."), lab("podpora@obchod.example", "2024-05-14T16:30", "Prověříme to."),
   lab("jiri.kral@mail.example", "2024-05-15T09:00", "Stále nic.")], kind="thread")
t("thread_gmail_pl", "Gmail (pl) chain 'W dniu ... napisał(a):'",
  ("Dziękuję\n\nW dniu śr., 15.05.2024 o 09:00 Marek Lewandowski <marek.lewandowski@mail.example> napisał(a):\n\n> Nadal czekam.\n>\n"
   "> W dniu wt., 14.05.2024 o 16:30 Obsługa <obsluga@sklep.example> napisał(a):\n>\n>> Sprawdzimy to.\n>>\n"
   ">> W dniu wt., 14.05.2024 o 08:30 Marek Lewandowski <marek.lewandowski@mail.example> napisał(a):\n>>\n>>> Paczka nie dotarła.\n"),
  [lab("marek.lewandowski@mail.example", "2024-05-14T08:30", "Paczka nie dotarła."), lab("obsluga@sklep.example", "2024-05-14T16:30", "Sprawdzimy to."),
   lab("marek.lewandowski@mail.example", "2024-05-15T09:00", "Nadal czekam.")], kind="thread")
t("thread_gmail_el_ro", "Gmail (ro) reply above a Gmail (el) one",
  ("Mulțumesc\n\njoi, 16 mai 2024, 10:00 Elena Dumitru <elena.dumitru@mail.example> a scris:\n\n> Vă rog verificați.\n>\n"
   "> Στις Τετ, 15 Μαΐ 2024, 8:02 μ.μ. ο χρήστης Μαρία Γεωργίου <maria.georgiou@mail.example> έγραψε:\n>\n>> Δεν έλαβα τίποτα.\n"),
  [lab("maria.georgiou@mail.example", "2024-05-15T20:02", "Δεν έλαβα τίποτα."), lab("elena.dumitru@mail.example", "2024-05-16T10:00", "Vă rog verificați.")], kind="thread")
t("thread_outlook_pt_ar", "Outlook (pt) block above an Arabic Outlook block",
  ("Segue\n\nDe: Rui Almeida <rui.almeida@mail.example>\nEnviado: quarta-feira, 15 de maio de 2024 11:00\nPara: suporte@loja.example\nAssunto: RE: Pedido\n\nPor favor, vejam abaixo.\n\n"
   "من: أحمد علي <ahmed.ali@mail.example>\nتم الإرسال: الثلاثاء، 14 مايو، 2024 09:31 ص\nإلى: rui.almeida@mail.example\nالموضوع: Pedido\n\nلم يصل الطلب.\n"),
  [lab("ahmed.ali@mail.example", "2024-05-14T09:31", "لم يصل الطلب."), lab("rui.almeida@mail.example", "2024-05-15T11:00", "Por favor, vejam abaixo.")], kind="thread")


# -- fourth batch: Windows Mail, Yahoo indented, Zimbra, Italian Apple Mail, Polish and German variants ------------
t("windows_mail_fr", "Courrier pour Windows 10 (fr) 'De : Name<mailto:a>' / 'Envoyé le :mercredi 27 octobre 2021 09:31'",
  ("Bonjour\n\nEnvoyé à partir de Courrier<https://go.microsoft.com/fwlink/?LinkId=550986> pour Windows 10\n\n"
   "De : Julien Moreau<mailto:julien.moreau@mail.example>\nEnvoyé le :mercredi 27 octobre 2021 09:31\nÀ : support@shop.example<mailto:support@shop.example>\n"
   "Objet :Colis\n\nLe colis n'est pas arrivé.\n"),
  [lab("julien.moreau@mail.example", "2021-10-27T09:31", "Le colis n'est pas")])
t("windows_mail_de", "Mail für Windows 10 (de) 'Von: Name<mailto:a>' / 'Gesendet: Mittwoch, 27. Oktober 2021 09:31'",
  ("Hallo\n\nGesendet von Mail<https://go.microsoft.com/fwlink/?LinkId=550986> für Windows 10\n\n"
   "Von: Petra Fischer<mailto:petra.fischer@mail.example>\nGesendet: Mittwoch, 27. Oktober 2021 09:31\nAn: support@shop.example<mailto:support@shop.example>\n"
   "Betreff: Paket\n\nPaket ist nicht angekommen.\n"),
  [lab("petra.fischer@mail.example", "2021-10-27T09:31", "Paket ist nicht angekommen.")])
t("yahoo_fr_indented_10h30", "Yahoo (fr) indented attribution 'Le mercredi 27 octobre 2021 10h30, Name <a> a écrit :' and an indented quote",
  "Bonjour\n\n\n    Le mercredi 27 octobre 2021 10h30, Julien Moreau <julien.moreau@yahoo.example> a écrit :\n\n    Le colis n'est pas arrivé.\n    Merci.\n",
  [lab("julien.moreau@yahoo.example", "2021-10-27T10:30", "Le colis n'est pas")])
t("yahoo_en_indented", "Yahoo (en) indented attribution 'On Wednesday, October 27, 2021, 09:31:12 AM GMT+2, Name <a> wrote:'",
  "Hi\n\n\n     On Wednesday, October 27, 2021, 09:31:12 AM GMT+2, Grace Hill <grace.hill@yahoo.example> wrote:\n\n     Parcel 2231 never arrived.\n",
  [lab("grace.hill@yahoo.example", "2021-10-27T09:31:12+02:00", "Parcel 2231 never arrived.")])
t("outlook_nl_mailto_brackets", "Outlook (nl) 'Van: Name [mailto:a]' / 'Verzonden: woensdag 27 oktober 2021 9:31'",
  "Hallo\n\nVan: Sanne de Vries [mailto:sanne.devries@mail.example]\nVerzonden: woensdag 27 oktober 2021 9:31\nAan: support@shop.example\nOnderwerp: Pakket\n\nPakket is niet aangekomen.\n",
  [lab("sanne.devries@mail.example", "2021-10-27T09:31", "Pakket is niet aangekomen.")])
t("apple_it_il_giorno", "Apple Mail (it) 'Il giorno 27 ott 2021, alle ore 09:31, Name <a> ha scritto:'",
  "Salve\n\n> Il giorno 27 ott 2021, alle ore 09:31, Marco Rossi <marco.rossi@mail.example> ha scritto:\n>\n> Il pacco non è arrivato.\n",
  [lab("marco.rossi@mail.example", "2021-10-27T09:31", "Il pacco non è")])
t("apple_it_il", "Apple Mail iOS (it) 'Il 27 ott 2021, alle ore 09:31, Name <a> ha scritto:'",
  "Salve\n\nInviato da iPhone\n\n> Il 27 ott 2021, alle ore 09:31, Marco Rossi <marco.rossi@mail.example> ha scritto:\n>\n> Il pacco non è arrivato.\n",
  [lab("marco.rossi@mail.example", "2021-10-27T09:31", "Il pacco non è")])
t("outlook_mac_hu_long", "Outlook for Mac (hu) 'Dátum: 2021. október 27., szerda 9:31'",
  "Jó napot\n\nFeladó: Tóth Eszter <eszter.toth@mail.example>\nDátum: 2021. október 27., szerda 9:31\nCímzett: support@shop.example\nTárgy: Csomag\n\nA csomag nem érkezett meg.\n",
  [lab("eszter.toth@mail.example", "2021-10-27T09:31", "A csomag nem érkezett")])
t("zimbra_en_original", "Zimbra (en) '----- Original Message -----' with 'Sent: Wednesday, October 27, 2021 9:31:12 AM'",
  "Hi\n\n----- Original Message -----\nFrom: \"Grace Hill\" <grace.hill@mail.example>\nTo: \"support\" <support@shop.example>\nSent: Wednesday, October 27, 2021 9:31:12 AM\nSubject: Parcel\n\nParcel 2231 never arrived.\n",
  [lab("grace.hill@mail.example", "2021-10-27T09:31:12", "Parcel 2231 never arrived.")])
t("zimbra_fr_mail_original_quoted", "Zimbra (fr) '----- Mail original -----' quoted with '>'",
  "Bonjour\n\n----- Mail original -----\n> De: \"Julien Moreau\" <julien.moreau@mail.example>\n> À: \"support\" <support@shop.example>\n> Envoyé: Mercredi 27 Octobre 2021 09:31:12\n> Objet: Colis\n>\n> Le colis n'est pas arrivé.\n",
  [lab("julien.moreau@mail.example", "2021-10-27T09:31:12", "Le colis n'est pas")])
t("outlook_pl_mailto", "Outlook (pl) 'Od: Name [mailto:a]' / 'Wysłano: 27 października 2021 09:31'",
  "Dzień dobry\n\nOd: Piotr Zieliński [mailto:piotr.zielinski@mail.example]\nWysłano: 27 października 2021 09:31\nDo: obsluga@sklep.example\nTemat: Paczka\n\nPaczka nie dotarła.\n",
  [lab("piotr.zielinski@mail.example", "2021-10-27T09:31", "Paczka nie dotarła.")])
t("pl_uzytkownik_napisal", "Gmail (pl) 'W dniu 27 października 2021 09:31 użytkownik Name <a> napisał:'",
  "Dzień dobry\n\nW dniu 27 października 2021 09:31 użytkownik Piotr Zieliński <piotr.zielinski@mail.example> napisał:\n> Paczka nie dotarła.\n",
  [lab("piotr.zielinski@mail.example", "2021-10-27T09:31", "Paczka nie dotarła.")])
t("pl_dnia_o_godz", "a Polish attribution 'Dnia 27.10.2021 o godz. 09:31 Name <a> napisał(a):'",
  "Dzień dobry\n\nDnia 27.10.2021 o godz. 09:31 Piotr Zieliński <piotr.zielinski@mail.example> napisał(a):\n> Paczka nie dotarła.\n",
  [lab("piotr.zielinski@mail.example", "2021-10-27T09:31", "Paczka nie dotarła.")])
t("thunderbird_de_two_digit_year", "Thunderbird (de) 'Am 27.10.21 um 09:31 schrieb Name:' (two-digit year, display name only)",
  "Hallo\n\nAm 27.10.21 um 09:31 schrieb Petra Fischer:\n> Paket ist nicht angekommen.\n",
  [lab("", "2021-10-27T09:31", "Paket ist nicht angekommen.", name="Petra Fischer")])
t("yahoo_de_old_schrieb_am", "old Yahoo (de) 'Petra Fischer <a> schrieb am 9:31 Mittwoch, 27.Oktober 2021:'",
  "Hallo\n\n\n\nPetra Fischer <petra.fischer@yahoo.example> schrieb am 9:31 Mittwoch, 27.Oktober 2021:\n\n\nPaket ist nicht angekommen.\n",
  [lab("petra.fischer@yahoo.example", "2021-10-27T09:31", "Paket ist nicht angekommen.")])
t("outlook_de_helpdesk_ticket", "Outlook (de) helpdesk block with a quoted name, a Cc and a ticket subject",
  ("Bitte bearbeiten.\n\nVon: \"Fischer, Petra\" <petra.fischer@kunde.example>\nGesendet: Mittwoch, 27. Oktober 2021 09:31\nAn: 'Support' <support@nordwind.example>\n"
   "Cc: Meier, Klaus <klaus.meier@kunde.example>\nBetreff: AW: [Ticket#2021102710000123] Drucker\n\nDer Drucker druckt nicht.\n"),
  [lab("petra.fischer@kunde.example", "2021-10-27T09:31", "Der Drucker druckt nicht.")])
t("outlook_de_name_only", "Outlook (de) block from an address book: 'Von: Fischer, Petra' with no address",
  "Bitte bearbeiten.\n\nVon: Fischer, Petra\nGesendet: Mittwoch, 27. Oktober 2021 09:31\nAn: Support\nBetreff: Drucker\n\nDer Drucker druckt nicht.\n",
  [lab("", "2021-10-27T09:31", "Der Drucker druckt nicht.", name="Fischer, Petra")])
t("thread_fiedl_like_de", "a German helpdesk thread: the agent's reply with a Thunderbird attribution over the customer's Outlook block",
  ("Danke.\n\nAm 27.10.2021 um 11:02 schrieb Support Nordwind:\n> Bitte starten Sie neu.\n>\n> -----Ursprüngliche Nachricht-----\n"
   "> Von: Petra Fischer <petra.fischer@kunde.example>\n> Gesendet: Mittwoch, 27. Oktober 2021 09:31\n> An: support@nordwind.example\n> Betreff: Drucker\n>\n> Der Drucker druckt nicht.\n"),
  [lab("petra.fischer@kunde.example", "2021-10-27T09:31", "Der Drucker druckt nicht."), lab("", "2021-10-27T11:02", "Bitte starten Sie neu.", name="Support Nordwind")], kind="thread")


# -- fifth batch: chains whose signatures carry labels, logos, disclaimers and device lines ------------------------
SIG_LABELS = "Mit freundlichen Grüßen\n\nPetra Fischer\nEinkauf\nTel.: +49 89 1234-56\nFax: +49 89 1234-99\nE-Mail: petra.fischer@kunde.example\nWeb: www.kunde.example"
DISCLAIMER = ("Diese E-Mail enthält vertrauliche Informationen. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den "
              "Absender und vernichten Sie diese E-Mail.")
t("thread_outlook_de_label_signatures", "Outlook (de) chain whose signatures carry 'Tel.:/Fax:/E-Mail:/Web:' lines and a logo [cid:], a disclaimer under the agent's",
  ("Bitte übernehmen.\n\nVon: Petra Fischer <petra.fischer@kunde.example>\nGesendet: Donnerstag, 28. Oktober 2021 08:15\nAn: Service <service@nordwind.example>\n"
   "Betreff: AW: Angebot 5521\n\nPasst, bitte bestellen.\n\n" + SIG_LABELS + "\n[cid:image001.png@01D7CB12.3F4A1B20]\n\n"
   "Von: Service <service@nordwind.example>\nGesendet: Mittwoch, 27. Oktober 2021 16:40\nAn: Petra Fischer <petra.fischer@kunde.example>\n"
   "Betreff: AW: Angebot 5521\n\nAnbei das Angebot.\n\nFreundliche Grüße\nService Nordwind\n\n" + DISCLAIMER + "\n\n"
   "Von: Petra Fischer <petra.fischer@kunde.example>\nGesendet: Mittwoch, 27. Oktober 2021 09:31\nAn: Service <service@nordwind.example>\n"
   "Betreff: Angebot 5521\n\nBitte senden Sie uns ein Angebot.\n\n" + SIG_LABELS + "\n"),
  [lab("petra.fischer@kunde.example", "2021-10-27T09:31", "Bitte senden Sie uns"), lab("service@nordwind.example", "2021-10-27T16:40", "Anbei das Angebot."),
   lab("petra.fischer@kunde.example", "2021-10-28T08:15", "Passt, bitte bestellen.")], kind="thread")
t("thread_outlook_android_en", "Outlook for Android (en) replies: 'Get Outlook for Android', the rule, 'Sent: Wednesday, October 27, 2021 9:31:12 AM'",
  ("Forwarding for the team.\n\nGet Outlook for Android<https://aka.ms/ghei36>\n\n________________________________\nFrom: Grace Hill <grace.hill@mail.example>\n"
   "Sent: Thursday, October 28, 2021 8:02:45 AM\nTo: Help <help@shop.example>\nSubject: Re: Parcel 2231\n\nStill nothing.\n\nGet Outlook for Android<https://aka.ms/ghei36>\n\n"
   "________________________________\nFrom: Help <help@shop.example>\nSent: Wednesday, October 27, 2021 3:10:05 PM\nTo: Grace Hill <grace.hill@mail.example>\n"
   "Subject: Re: Parcel 2231\n\nWe are checking with the courier.\n\n________________________________\nFrom: Grace Hill <grace.hill@mail.example>\n"
   "Sent: Wednesday, October 27, 2021 9:31:12 AM\nTo: Help <help@shop.example>\nSubject: Parcel 2231\n\nParcel 2231 never arrived.\n"),
  [lab("grace.hill@mail.example", "2021-10-27T09:31:12", "Parcel 2231 never arrived."), lab("help@shop.example", "2021-10-27T15:10:05", "We are checking with"),
   lab("grace.hill@mail.example", "2021-10-28T08:02:45", "Still nothing.")], kind="thread")
t("thread_outlook_es_am_pm", "Outlook (es-MX) chain with 12-hour times '9:31 a. m.' and a mobile sign-off between",
  ("Reviso.\n\nDe: Carmen López <carmen.lopez@mail.example>\nEnviado el: jueves, 28 de octubre de 2021 04:05 p. m.\nPara: soporte@tienda.example\nAsunto: RE: Pedido\n\n"
   "¿Alguna noticia?\n\nEnviado desde mi iPhone\n\nDe: Soporte <soporte@tienda.example>\nEnviado el: miércoles, 27 de octubre de 2021 11:20 a. m.\n"
   "Para: Carmen López <carmen.lopez@mail.example>\nAsunto: RE: Pedido\n\nLo estamos revisando.\n\nDe: Carmen López <carmen.lopez@mail.example>\n"
   "Enviado el: miércoles, 27 de octubre de 2021 09:31 a. m.\nPara: soporte@tienda.example\nAsunto: Pedido\n\nEl paquete no ha llegado.\n"),
  [lab("carmen.lopez@mail.example", "2021-10-27T09:31", "El paquete no ha"), lab("soporte@tienda.example", "2021-10-27T11:20", "Lo estamos revisando."),
   lab("carmen.lopez@mail.example", "2021-10-28T16:05", "¿Alguna noticia?")], kind="thread")
t("thread_outlook_en_gb", "Outlook (en-GB) chain 'Sent: 27 October 2021 09:31' with a '-- ' signature and a Cc",
  ("See below.\n\nFrom: Oliver Smith <oliver.smith@mail.example>\nSent: 28 October 2021 10:12\nTo: Help <help@shop.example>\nCc: Amelia Smith <amelia.smith@mail.example>\n"
   "Subject: RE: Refund\n\nThanks, received.\n\n-- \nOliver Smith\n07700 900123\n\nFrom: Help <help@shop.example>\nSent: 27 October 2021 17:45\n"
   "To: Oliver Smith <oliver.smith@mail.example>\nSubject: RE: Refund\n\nThe refund has been issued.\n\nFrom: Oliver Smith <oliver.smith@mail.example>\n"
   "Sent: 27 October 2021 09:31\nTo: Help <help@shop.example>\nSubject: Refund\n\nI would like a refund for order 5120.\n\n-- \nOliver Smith\n07700 900123\n"),
  [lab("oliver.smith@mail.example", "2021-10-27T09:31", "I would like a"), lab("help@shop.example", "2021-10-27T17:45", "The refund has been"),
   lab("oliver.smith@mail.example", "2021-10-28T10:12", "Thanks, received.")], kind="thread")
t("thread_mac_de_reply_to", "Outlook for Mac (de) chain 'Von:/Antworten an:/Datum:/An:/Betreff:' (a Reply-To line in every block)",
  ("Weiter.\n\nVon: Petra Fischer <petra.fischer@kunde.example>\nAntworten an: Petra Fischer <petra.fischer@kunde.example>\nDatum: Donnerstag, 28. Oktober 2021 um 08:15\n"
   "An: Service <service@nordwind.example>\nBetreff: AW: Angebot\n\nPasst.\n\nVon: Service <service@nordwind.example>\nDatum: Mittwoch, 27. Oktober 2021 um 16:40\n"
   "An: Petra Fischer <petra.fischer@kunde.example>\nBetreff: AW: Angebot\n\nAnbei das Angebot.\n"),
  [lab("service@nordwind.example", "2021-10-27T16:40", "Anbei das Angebot."), lab("petra.fischer@kunde.example", "2021-10-28T08:15", "Passt.")], kind="thread")
t("thread_gmail_fr_signature_dashes", "Gmail (fr) chain where each quoted message ends with a '-- ' signature right above the next attribution",
  ("Merci\n\nLe jeu. 28 oct. 2021 à 08:15, Lucie Roux <lucie.roux@mail.example> a écrit :\n\n> Toujours rien.\n>\n> --\n> Lucie Roux\n> 06 12 34 56 78\n>\n"
   "> Le mer. 27 oct. 2021 à 16:40, Service client <service@boutique.example> a écrit :\n>\n>> Nous vérifions.\n>>\n>> --\n>> Service client\n>>\n"
   ">> Le mer. 27 oct. 2021 à 09:31, Lucie Roux <lucie.roux@mail.example> a écrit :\n>>\n>>> Le produit est défectueux.\n>>>\n>>> --\n>>> Lucie Roux\n"),
  [lab("lucie.roux@mail.example", "2021-10-27T09:31", "Le produit est défectueux."), lab("service@boutique.example", "2021-10-27T16:40", "Nous vérifions."),
   lab("lucie.roux@mail.example", "2021-10-28T08:15", "Toujours rien.")], kind="thread")

if __name__ == "__main__":
    C.save(sys.argv[1], "dev", (
        "Fifth dev split (issue 14, helper h3, 2026-12-02), tuned on: the kinds of heldout_v5.json in the other languages "
        "and client variants, more chains (Outlook de/fr/es/uk/hu/ja, Gmail de/fr/es/ru, Outlook over Gmail), three deep "
        "forwards, HTML-only and quoted-printable mails, wrapped Outlook blocks. Rendered from a model, labelled by construction."))
