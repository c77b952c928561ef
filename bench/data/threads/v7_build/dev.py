"""Writes bench/data/threads/dev_v7.json (issue 14, helper h3, session 9, 2026-12-02; tuned on).

Dev data for the held-out `heldout_v7.json`'s kind (a client's own translated attribution and forward strings),
from a client that file does not use: Claws Mail 4.1.1 (`claws-mail-i18n` 4.1.1-2, Debian bookworm, GPL-3.0+;
`usr/share/locale/*/LC_MESSAGES/claws-mail.mo`, read after `apt-get download` and `dpkg-deb -x`). Its default quote
format msgid "On %d\\n%f wrote:\\n\\n%q" and forward format "\\n\\nBegin forwarded message:\\n\\n?d{Date: %d\\n}?f{From:
%f\\n}..." in each translation that holds them, rendered as Claws' quote_fmt does: %d the Date header as it came
(RFC 5322), %f the From header ("Name <a@b>"), %q the text quoted with "> ", %M the text, ?x{...} only when the
header is there, "\\n" a line break, and Polish's %D{%F}/%D{%T} the date and time in the sender's zone. The
attribution is thus two lines: the date, then "Name <a@b> wrote:". Names, addresses and words are ours.
Written after heldout_v7.json was frozen and run once; its misses were not read. A second batch (below) adds KMail's
reply-all attribution in 30 translations, a third Thunderbird 153.8's strings in 20 locales tuned_v6.json lacks, a fourth Horde IMP's in 34, a fifth Thunderbird in 24 further
locales.
Run: python bench/data/threads/v7_build/dev.py bench/data/threads/dev_v7.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, quote, save

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v7d")
SOURCE = "Debian claws-mail-i18n 4.1.1-2, usr/share/locale/{loc}/LC_MESSAGES/claws-mail.mo"
AGENT = ("Support", "support@shop.example")

CLAWS: dict[str, tuple[str, str]] = {
    'ca': ('El %d\\n%f va escriure el següent:\\n\\n%q',
           '\\n\\nInici del missatge reenviat:\\n\\n?d{Data: %d\\n}?f{Des de: %f\\n}?t{Per a: %t\\n}?c{Cc: %c\\n}?n{Grups de notícies: %n\\n}?s{Assumpte: %s\\n}\\n\\n%M'),
    'cs': ('Dne %d\\n%f napsal(a):\\n\\n%q',
           '\\n\\nZačátek předané zprávy:\\n\\n?d{Datum: %d\\n}?f{Od: %f\\n}?t{Komu: %t\\n}?c{Kopie: %c\\n}?n{Diskuzní skupina: %n\\n}?s{Předmět: %s\\n}\\n\\n%M'),
    'da': ('Den %d\\n%f skrev:\\n\\n%q',
           '\\n\\nBegynd videresendt e-mail:\\n\\n?d{Dato: %d\\n}?f{Fra: %f\\n}?t{Til: %t\\n}?c{Cc: %c\\n}?n{Nyhedsgrupper: %n\\n}?s{Emne: %s\\n}\\n\\n%M'),
    'de': ('Am %d\\nschrieb %f:\\n\\n%q',
           '\\n\\nBeginn der weitergeleiteten Nachricht:\\n\\n?d{Datum: %d\\n}?f{Von: %f\\n}?t{An: %t\\n}?c{Cc: %c\\n}?n{Newsgruppen: %n\\n}?s{Betreff: %s\\n}\\n\\n%M'),
    'el_GR': ('Στις %d\\n%f έγραψε:\\n\\n%q',
           '\\n\\nΑρχή προωθημένου μηνύματος:\\n\\n?d{Ημερομηνία: %d\\n}?f{Από: %f\\n}?t{Προς: %t\\n}?c{Cc: %c\\n}?n{Newsgroups: %n\\n}?s{Θέμα: %s\\n}\\n\\n%M'),
    'es': ('El %d\\n%f escribió:\\n\\n%q',
           '\\n\\nInicio del mensaje redirigido:\\n\\n?d{Fecha: %d\\n}?f{Desde: %f\\n}?t{Para: %t\\n}?c{Cc: %c\\n}?n{Grupos: %n\\n}?s{Asunto: %s\\n}\\n\\n%M'),
    'fi': ('%d\\n%f kirjoitti:\\n\\n%q',
           '\\n\\nEdelleenlähetetty viesti:\\n\\n?d{Päiväys: %d\\n}?f{Lähettäjä: %f\\n}?t{Vastaanottaja: %t\\n}?c{Kopiot: %c\\n}?n{Uutisryhmät: %n\\n}?s{Aihe: %s\\n}\\n\\n%M'),
    'fr': ('Le %d,\\n%f a écrit :\\n\\n%q',
           '\\n\\n----- Message Transféré -----\\n\\n?d{Date : %d\\n}?f{De : %f\\n}?t{À : %t\\n}?c{Cc : %c\\n}?n{Groupe de discussion : %n\\n}?s{Sujet : %s\\n}\\n\\n%M'),
    'hu': ('%d -n\\n%f írta:\\n\\n%q',
           '\\n\\nTovábbított üzenet:\\n\\n?d{Dátum: %d\\n}?f{Feladó: %f\\n}?t{Címzett: %t\\n}?c{Másolatot kap: %c\\n}?n{Hírcsoportok: %n\\n}?s{Tárgy: %s\\n}\\n\\n%M'),
    'id_ID': ('Pada %d\\n%f menulis:\\n\\n%q',
           '\\n\\nAwal pesan yang diteruskan:\\n\\n?d{Tanggal: %d\\n}?f{Dari: %f\\n}?t{Kepada: %t\\n}?c{Cc: %c\\n}?n{Newsgroups: %n\\n}?s{Subyek: %s\\n}\\n\\n%M'),
    'it': ('Il giorno %d\\n%f ha scritto:\\n\\n%q',
           '\\n\\nInizio messaggio inoltrato:\\n\\n?d{Data: %d\\n}?f{Da: %f\\n}?t{A: %t\\n}?c{Cc: %c\\n}?n{Newsgroup: %n\\n}?s{Oggetto: %s\\n}\\n\\n%M'),
    'ja': ('On %d\\n%f wrote:\\n\\n%q',
           '\\n\\nBegin forwarded message:\\n\\n?d{Date: %d\\n}?f{From: %f\\n}?t{To: %t\\n}?c{Cc: %c\\n}?n{Newsgroups: %n\\n}?s{Subject: %s\\n}\\n\\n%M'),
    'nb': ('Den %d\\n%f skrev:\\n\\n%q',
           '\\n\\nStart videresendt melding:\\n\\n?d{Dato: %d\\n}?f{Fra: %f\\n}?t{Til: %t\\n}?c{Kopi-Til: %c\\n}?n{Nyhetsgruppe: %n\\n}?s{Emne: %s\\n}\\n\\n%M'),
    'nl': ('Op %d\\nschreef %f:\\n\\n%q',
           '\\n\\nBegin doorgestuurd bericht:\\n\\n?d{Datum: %d\\n}?f{Van: %f\\n}?t{Aan: %t\\n}?c{Cc: %c\\n}?n{Nieuwsgroepen: %n\\n}?s{Onderwerp: %s\\n}\\n\\n%M'),
    'pl': ('Dnia %D{%F}, o godz. %D{%T}\\n%f napisał(a):\\n\\n%q',
           '\\n\\nPoczątek przekazywanej wiadomości:\\n\\n?d{Data: %d\\n}?f{Od: %f\\n}?t{Do: %t\\n}?c{Kopia: %c\\n}?n{Lista news: %n\\n}?s{Temat: %s\\n}\\n\\n%M'),
    'pt_BR': ('Em %d\\n%f escreveu:\\n\\n%q',
           '\\n\\nIniciando encaminhamento de mensagem:\\n\\n?d{Data: %d\\n}?f{De: %f\\n}?t{Para: %t\\n}?c{Cc: %c\\n}?n{Newsgroups: %n\\n}?s{Assunto: %s\\n}\\n\\n%M'),
    'ro': ('În data de %d\\n%f a scris:\\n\\n%q',
           '\\n\\nÎnceputul mesajului înaintat:\\n\\n?d{Dată: %d\\n}?f{De la: %f\\n}?t{Către: %t\\n}?c{Cc: %c\\n}?n{Grupuri de știri: %n\\n}?s{Subiect: %s\\n}\\n\\n%M'),
    'ru': ('В %d\\n%f пишет:\\n\\n%q',
           '\\n\\nНачало пересылаемого сообщения:\\n\\n?d{Дата: %d\\n}?f{От: %f\\n}?t{Кому: %t\\n}?c{Копия: %c\\n}?n{Группы новостей: %n\\n}?s{Тема: %s\\n}\\n\\n%M'),
    'sk': ('Dňa %d\\n%f napísal:\\n\\n%q',
           '\\n\\nZačiatok správy poslanej ďalej:\\n\\n?d{Dátum: %d\\n}?f{Od: %f\\n}?t{Komu: %t\\n}?c{Cc: %c\\n}?n{Diskusné skupiny: %n\\n}?s{Predmet: %s\\n}\\n\\n%M'),
    'sv': ('Den %d\\nskrev %f:\\n\\n%q',
           '\\n\\nStart av vidarebefordrat meddelande:\\n\\n?d{Datum:%d\\n}?f{Från:%f\\n}?t{Till: %t\\n}?c{Kopia: %c\\n}?n{Diskussionsgrupper: %n\\n}?s{Ämne: %s\\n}\\n\\n%M'),
    'tr': ('%d tarihinde\\n%f yazdı:\\n\\n%q',
           '\\n\\nYönlendirilen iletiye başla:\\n\\n?d{Tarih: %d\\n}?f{Gönderen: %f\\n}?t{Alıcı: %t\\n}?c{Cc: %c\\n}?n{Habergrubu: %n\\n}?s{Başlık: %s\\n}\\n\\n%M'),
    'zh_TW': ('在 %d\\n%f 上， 已寫入\\n\\n%q',
           '\\n\\n開始轉寄郵件：\\n\\n?d{日期： %d\\n}?f{寄件者： %f\\n}?t{收件者： %t\\n}?c{副本： %c\\n}?n{新聞群組： %n\\n}?s{主旨： %s\\n}\\n\\n%M'),
}

# Our customers, one per locale: (display name, address, text, a line above the quote)
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "ca": ("Marta Soler", "marta.soler@mail.example", "La meva comanda 5530 encara no ha arribat.", "Gràcies."),
    "cs": ("Jana Novotná", "jana.novotna@mail.example", "Objednávka 5530 pořád nepřišla.", "Díky."),
    "da": ("Sofie Jensen", "sofie.jensen@mail.example", "Ordre 5530 er ikke kommet.", "Tak."),
    "de": ("Lena Schmitt", "lena.schmitt@mail.example", "Die Lieferung 5530 fehlt noch.", "Danke."),
    "el_GR": ("Ελένη Γεωργίου", "eleni.g@mail.example", "Η παραγγελία 5530 δεν ήρθε.", "Ευχαριστώ."),
    "es": ("Carmen Ruiz", "carmen.ruiz@mail.example", "El pedido 5530 no ha llegado.", "Gracias."),
    "fi": ("Emma Korhonen", "emma.korhonen@mail.example", "Tilaus 5530 puuttuu yhä.", "Kiitos."),
    "fr": ("Léa Bernard", "lea.bernard@mail.example", "La commande 5530 n'est pas arrivée.", "Merci."),
    "hu": ("Tóth Réka", "reka.toth@mail.example", "Az 5530-as rendelés nem jött meg.", "Köszönöm."),
    "id_ID": ("Dewi Lestari", "dewi.lestari@mail.example", "Pesanan 5530 belum datang.", "Terima kasih."),
    "it": ("Chiara Conti", "chiara.conti@mail.example", "L'ordine 5530 non è arrivato.", "Grazie."),
    "ja": ("鈴木 一郎", "ichiro.suzuki@mail.example", "注文 5530 が届いていません。", "よろしくお願いします。"),
    "nb": ("Nora Olsen", "nora.olsen@mail.example", "Ordre 5530 har ikke kommet.", "Takk."),
    "nl": ("Eva Bakker", "eva.bakker@mail.example", "Bestelling 5530 is niet aangekomen.", "Dank u."),
    "pl": ("Anna Wiśniewska", "anna.wis@mail.example", "Zamówienie 5530 nie dotarło.", "Dziękuję."),
    "pt_BR": ("Ana Lima", "ana.lima@mail.example", "O pedido 5530 não chegou.", "Obrigada."),
    "ro": ("Elena Ionescu", "elena.ionescu@mail.example", "Comanda 5530 nu a ajuns.", "Mulțumesc."),
    "ru": ("Анна Иванова", "anna.ivanova@mail.example", "Заказ 5530 не пришёл.", "Спасибо."),
    "sk": ("Zuzana Horváthová", "zuzana.h@mail.example", "Objednávka 5530 neprišla.", "Ďakujem."),
    "sv": ("Maja Andersson", "maja.andersson@mail.example", "Order 5530 har inte kommit.", "Tack."),
    "tr": ("Zeynep Kaya", "zeynep.kaya@mail.example", "5530 numaralı sipariş gelmedi.", "Teşekkürler."),
    "zh_TW": ("林美玲", "meiling.lin@mail.example", "訂單 5530 還沒到。", "謝謝。"),
}
RFC_DATE = "Wed, 27 Oct 2021 09:31:12 +0200"
WHEN = "2021-10-27T09:31:12+02:00"
_COND = re.compile(r"\?([a-zA-Z])\{((?:[^{}]|\{[^{}]*\})*)\}")


def render(fmt: str, values: dict[str, str]) -> str:
    """Claws' quote_fmt, the few symbols its default formats use."""
    fmt = _COND.sub(lambda m: m.group(2) if values.get(m.group(1)) else "", fmt)
    fmt = fmt.replace("%D{%F}", "2021-10-27").replace("%D{%T}", "09:31:12")
    for key in ("d", "f", "t", "c", "n", "s", "q", "M", "X"):
        fmt = fmt.replace("%" + key, values.get(key, ""))
    return fmt.replace("\\n", "\n")


def src(loc: str, what: str) -> str:
    return f"Claws Mail ({loc}) {what}, from {SOURCE.format(loc=loc)}; our names and words"


for loc, (reply_fmt, fwd_fmt) in CLAWS.items():
    name, email, text, top = PEOPLE[loc]
    when = "2021-10-27T09:31:12" if "%D{" in reply_fmt else WHEN
    quoted = render(reply_fmt, {"d": RFC_DATE, "f": f"{name} <{email}>", "q": quote(text)})
    case(f"claws_reply_{loc}", src(loc, "reply with the default quote format"), f"{top}\n\n{quoted}\n",
         [msg(email, when, text)])
    body = render(fwd_fmt, {"d": RFC_DATE, "f": f"{name} <{email}>", "t": AGENT[1], "s": "5530", "M": text})
    case(f"claws_forward_{loc}", src(loc, "forward inline with the default forward format"), f"{top}{body}\n",
         [msg(email, WHEN, text)])

for loc in ("de", "fr", "ru", "pl", "zh_TW", "tr"):  # chains: our answer quoting the customer, quoted again
    reply_fmt, _ = CLAWS[loc]
    name, email, text, top = PEOPLE[loc]
    ours = "We are checking order 5530 with the carrier."
    older = render(reply_fmt, {"d": "Wed, 20 Oct 2021 08:02:40 +0200", "f": f"{name} <{email}>", "q": quote(text)})
    newer = render(reply_fmt, {"d": "Wed, 27 Oct 2021 15:05:12 +0200", "f": f"{AGENT[0]} <{AGENT[1]}>",
                               "q": quote(f"{ours}\n\n{older}")})
    if "%D{" in reply_fmt:
        older_when, newer_when = "2021-10-27T09:31:12", "2021-10-27T09:31:12"
    else:
        older_when, newer_when = "2021-10-20T08:02:40+02:00", "2021-10-27T15:05:12+02:00"
    case(f"chain_claws_{loc}", src(loc, "reply chain of two default quote formats"), f"{top}\n\n{newer}\n",
         [msg(email, older_when, text), msg(AGENT[1], newer_when, ours)])

case("nothing_claws_de", "A German customer text starting 'Am Montag' with 'schrieb' in its own words; our words",
     "Am Montag\nschrieb mir der Fahrer:\nDas Paket liegt in der Filiale.\n", [], kind="quotes-nothing")


# -- second batch (added after the first was fixed): KMail's default reply-all template -----------------------------
# kf5-messagelib-data 4:22.12.3-2~deb12u1 (Debian bookworm, LGPL-2.0+), usr/share/locale/*/LC_MESSAGES/
# libtemplateparser.mo, msgctxt "Default reply all template: ..." msgid "On %1 %2 %3 wrote:\n%4\n%5", filled as
# TemplateParser does with %ODATE (QLocale's long date, typed here by hand from CLDR's full date patterns),
# %OTIMELONG (the long time with the zone's abbreviation) and %OFROMNAME (the display name). The first line only.
KMAIL_SOURCE = "Debian kf5-messagelib-data 4:22.12.3-2~deb12u1, usr/share/locale/{loc}/LC_MESSAGES/libtemplateparser.mo"
KMAIL: dict[str, tuple[str, str, str]] = {  # locale: (translation, long date of 2021-10-27, person)
    "bg": ("На %1 %2 %3 написа: ", "сряда, 27 октомври 2021 г.", "ru"),
    "ca": ("El %1, a les %2, %3 va escriure:", "dimecres, 27 d’octubre de 2021", "ca"),
    "cs": ("Dne %1 %2, %3 napsal(a):", "středa 27. října 2021", "cs"),
    "da": ("%1 %2 skrev %3:", "onsdag den 27. oktober 2021", "da"),
    "de": ("Am %1, %2 schrieb %3:", "Mittwoch, 27. Oktober 2021", "de"),
    "el": ("Στις %1 %2 %3 έγραψε:", "Τετάρτη 27 Οκτωβρίου 2021", "el_GR"),
    "es": ("El %1 %2 %3 escribió:", "miércoles, 27 de octubre de 2021", "es"),
    "et": ("Ühel kenal päeval (%1 %2) kirjutas %3:", "kolmapäev, 27. oktoober 2021", "fi"),
    "fi": ("%3 kirjoitti %1 %2:", "keskiviikko 27. lokakuuta 2021", "fi"),
    "fr": ("Le %1, %2 %3 a écrit\xa0:", "mercredi 27 octobre 2021", "fr"),
    "hu": ("%3 a következőt írta ekkor: %1 %2", "2021. október 27., szerda", "hu"),
    "it": ("In data %1 %2, %3 ha scritto:", "mercoledì 27 ottobre 2021", "it"),
    "ko": ("%1 %2에 %3 님이 쓴 글:", "2021년 10월 27일 수요일", "ja"),
    "lt": ("%1 %2 %3 rašė:", "2021 m. spalio 27 d., trečiadienis", "sk"),
    "nb": ("%1 %2 skrev %3:", "onsdag 27. oktober 2021", "nb"),
    "nl": ("Op %1 %2 schreef %3:", "woensdag 27 oktober 2021", "nl"),
    "pl": ("Dnia %1 %2 %3 pisze:", "środa, 27 października 2021", "pl"),
    "pt": ("A %1 %2 %3 escreveu:", "quarta, 27 de outubro de 2021", "pt_BR"),
    "pt_BR": ("Em %1, às %2, %3 escreveu:", "quarta-feira, 27 de outubro de 2021", "pt_BR"),
    "ro": ("În ziua de %1, la %2, %3 a scris:", "miercuri, 27 octombrie 2021", "ro"),
    "ru": ("В письме от %1 %2 пользователь %3 написал:", "среда, 27 октября 2021 г.", "ru"),
    "sk": ("Na %1 %2 %3 napísali:", "streda 27. októbra 2021", "sk"),
    "sl": ("Dne %1 ob %2 je %3 napisal(a):", "sreda, 27. oktober 2021", "cs"),
    "sr": ("Дана %1 у %2, %3 написа:", "среда, 27. октобар 2021.", "ru"),
    "sv": ("%1 %2 skrev  %3:", "onsdag 27 oktober 2021", "sv"),
    "tr": ("%1 %2 tarihinde %3, şunu yazdı:", "27 Ekim 2021 Çarşamba", "tr"),
    "uk": ("%1 %2 %3 написано:", "середа, 27 жовтня 2021 р.", "ru"),
    "zh_CN": ("在 %1 %2，%3 写道：", "2021年10月27日星期三", "zh_TW"),
    "zh_TW": ("在 %1 %2，%3 寫道:", "2021年10月27日 星期三", "zh_TW"),
    "ar": ("كتب \u2068%3\u2069 في \u2068%1\u2069 \u2068%2\u2069:", "الأربعاء، ٢٧ أكتوبر ٢٠٢١", "tr"),
}
for loc, (template, long_date, person) in KMAIL.items():
    name, email, text, top = PEOPLE[person]
    line = template.replace("%1", long_date).replace("%2", "09:31:12 CEST").replace("%3", name).rstrip()
    case(f"kmail_reply_{loc}", f"KMail ({loc}) reply-all template's attribution, from {KMAIL_SOURCE.format(loc=loc)}; our names and words",
         f"{top}\n\n{line}\n" + quote(text) + "\n", [msg("", "2021-10-27T09:31:12+02:00", text, name=name)])


# -- third batch (added after the second was fixed): Thunderbird 153.8 desktop in 20 more locales ---------------------
# thunderbird-l10n-* 1:153.8.0esr-1~deb12u1 (Debian bookworm-security, MPL-2.0), each langpack's
# chrome/.../messengercompose/composeMsgs.properties (`mailnews.reply_header_ondateauthorwrote`,
# `mailnews.reply_header_authorwrotesingle`, `mailnews.forward_header_originalmessage`) and mime.properties
# (1000 Subject, 1007 Date, 1009 From, 1012 To): the kinds of tuned_v6.json in locales it does not hold.
TB_SOURCE = "Debian thunderbird-l10n-{pkg} 1:153.8.0esr-1~deb12u1, langpack composeMsgs.properties and mime.properties"
TB_SHORT: dict[str, tuple[str, str]] = {  # locale: CLDR short date of 2021-10-27 and short time of 09:31, typed by hand
    'bg': ('27.10.21 г.', '9:31 ч.'),
    'cs': ('27.10.21', '9:31'),
    'da': ('27.10.2021', '09.31'),
    'el': ('27/10/21', '9:31 π.μ.'),
    'et': ('27.10.21', '09:31'),
    'fi': ('27.10.2021', '9.31'),
    'gl': ('27/10/21', '09:31'),
    'hr': ('27. 10. 2021.', '09:31'),
    'hu': ('2021. 10. 27.', '9:31'),
    'it': ('27/10/21', '09:31'),
    'lt': ('2021-10-27', '09:31'),
    'nl': ('27-10-2021', '09:31'),
    'pl': ('27.10.2021', '09:31'),
    'pt-BR': ('27/10/2021', '09:31'),
    'pt-PT': ('27/10/21', '09:31'),
    'sk': ('27. 10. 2021', '9:31'),
    'tr': ('27.10.2021', '09:31'),
    'uk': ('27.10.21', '09:31'),
    'vi': ('27/10/21', '09:31'),
    'zh-CN': ('2021/10/27', '09:31'),
}
TB: dict[str, tuple[str, str, str, tuple[str, str, str, str]]] = {  # reply, reply without date, banner, (Subject, Date, From, To)
    'bg': ('На #2 в #3, #1 написа:', '#1 написа:', '-------- Препратено писмо --------',
           ('Тема', 'Дата', 'От', 'До')),
    'cs': ('Dne #2 v #3 #1 napsal(a):', '#1 napsal(a):', '-------- Přeposlaná zpráva --------',
           ('Předmět', 'Datum', 'Od', 'Komu')),
    'da': ('Den #2 kl. #3 skrev #1:', '#1 skrev:', '-------- Videresendt meddelelse --------',
           ('Emne', 'Dato', 'Fra', 'Til')),
    'el': ('Στις #2 #3, ο/η #1 έγραψε:', 'Ο/Η #1 έγραψε:', '-------- Προωθημένο μήνυμα --------',
           ('Θέμα', 'Ημερομηνία', 'Από', 'Προς')),
    'et': ('#2 #3 #1 kirjutas:', '#1 kirjutas:', '-------- Edastatud kiri --------',
           ('Teema', 'Kuupäev', 'Saatja', 'Saaja')),
    'fi': ('#1 kirjoitti #2 klo #3:', '#1 kirjoitti:', '-------- Välitetty viesti / Fwd.Msg --------',
           ('Aihe', 'Päiväys', 'Lähettäjä', 'Vastaanottaja')),
    'gl': ('O #2 ás #3, #1 escribiu:', '#1 escribiu:', '-------- Mensaxe reenviada --------',
           ('Asunto', 'Data', 'De', 'Para')),
    'hr': ('#2 u #3, #1 piše:', '#1 piše:', '-------- Proslijeđena poruka --------',
           ('Naslov', 'Datum', 'Šalje', 'Prima')),
    'hu': ('#2 #3 keltezéssel, #1 írta:', '#1 írta:', '-------- Továbbított üzenet --------',
           ('Tárgy', 'Dátum', 'Feladó', 'Címzett')),
    'it': ('Il #2 #3, #1 ha scritto:', '#1 ha scritto:', '-------- Messaggio Inoltrato --------',
           ('Oggetto', 'Data', 'Mittente', 'A')),
    'lt': ('#2 #3, #1 rašė:', '#1 rašė:', '-------- Persiųstas laiškas --------',
           ('Tema', 'Data', 'Kas', 'Kam')),
    'nl': ('Op #2 om #3 schreef #1:', '#1 schreef:', '-------- Doorgestuurd bericht --------',
           ('Onderwerp', 'Datum', 'Van', 'Aan')),
    'pl': ('W dniu #2 o\xa0#3, #1 pisze:', '#1 pisze:', '--- Treść przekazanej wiadomości ---',
           ('Temat', 'Data', 'Nadawca', 'Adresat')),
    'pt-BR': ('Em #2 #3, #1 escreveu:', '#1 escreveu:', '-------- Mensagem encaminhada --------',
           ('Assunto', 'Data', 'De', 'Para')),
    'pt-PT': ('Às #3 de #2, #1 escreveu:', '#1 escreveu:', '-------- Mensagem reencaminhada --------',
           ('Assunto', 'Data', 'De', 'Para')),
    'sk': ('Dňa #2 o #3 #1 napísal(a):', '#1 napísal(a):', '-------- Preposlaná správa --- Forwarded Message --------',
           ('Predmet', 'Dátum', 'Od', 'Pre')),
    'tr': ('#2 #3 tarihinde #1 yazdı:', '#1 yazdı:', '-------- İletilen İleti --------',
           ('Konu', 'Tarih', 'Kimden', 'Kime')),
    'uk': ('#2 #3, #1:', '#1 написав:', '-------- Переслане повідомлення --------',
           ('Тема', 'Дата', 'Від', 'Кому')),
    'vi': ('Vào lúc #3 #2, #1 đã viết:', '#1 đã viết:', '-------- Tin nhắn đã được chuyển tiếp --------',
           ('Tiêu đề', 'Ngày', 'Từ', 'Tới')),
    'zh-CN': ('在 #2 #3, #1 写道:', '#1 写道:', '-------- 转发的消息 --------',
           ('主题', '日期', '发件人', '收件人')),
}
TB_PEOPLE = {"bg": "ru", "cs": "cs", "da": "da", "el": "el_GR", "et": "fi", "fi": "fi", "gl": "es", "hr": "cs", "hu": "hu",
             "it": "it", "lt": "sk", "nl": "nl", "pl": "pl", "pt-BR": "pt_BR", "pt-PT": "pt_BR", "sk": "sk", "tr": "tr",
             "uk": "ru", "vi": "id_ID", "zh-CN": "zh_TW"}
def thunderbird(loc: str, strings: tuple[str, str, str, tuple[str, str, str, str]], person: str, date: str, time: str) -> None:
    """A Thunderbird locale's three cases: reply attribution, attribution without a date, inline forward."""
    ondate, single, banner, (ls, ld, lf, lt) = strings
    name, email, text, top = PEOPLE[person]
    where = TB_SOURCE.format(pkg=loc.lower())
    line = ondate.replace("#1", name).replace("#2", date).replace("#3", time)
    case(f"thunderbird_reply_{loc}", f"Thunderbird ({loc}) reply attribution, from {where}; our names and words",
         f"{top}\n\n{line}\n" + quote(text) + "\n", [msg("", "2021-10-27T09:31", text, name=name)])
    line = single.replace("# 1", "#1").replace("#1", name)  # lv writes "# 1"
    case(f"thunderbird_reply_nodate_{loc}", f"Thunderbird ({loc}) attribution without a date, from {where}; our names and words",
         f"{top}\n\n{line}\n" + quote(text) + "\n", [msg("", None, text, name=name)])
    block = "\n".join([banner, f"{ls}: \t5530", f"{ld}: \t{RFC_DATE}", f"{lf}: \t{name} <{email}>", f"{lt}: \t{AGENT[1]}"])
    case(f"thunderbird_forward_{loc}", f"Thunderbird ({loc}) inline forward, from {where}; our names and words",
         f"{top}\n\n\n{block}\n\n\n\n{text}\n", [msg(email, WHEN, text)])


for loc, strings in TB.items():
    thunderbird(loc, strings, TB_PEOPLE[loc], *TB_SHORT[loc])


# -- fourth batch (added after the third was fixed): Horde IMP webmail ------------------------------------------------
# php-horde-imp 6.2.27-3 (Debian bookworm, GPL-2.0), usr/share/horde/imp/locale/*/LC_MESSAGES/imp.mo: the default
# attribution pref "Quoting %f:" (%f the From header, "Name <a@b>"; no date) above a "> " quote, and the inline
# forward `forwardMessageText` writes: "----- Forwarded message from %s -----", the Date/From/Subject/To labels
# right-aligned to the longest (`_getMsgHeaders`), the text, "----- End forwarded message -----".
HORDE_SOURCE = "Debian php-horde-imp 6.2.27-3, usr/share/horde/imp/locale/{loc}/LC_MESSAGES/imp.mo"
HORDE: dict[str, tuple[str | None, str, str, tuple[str, str, str, str]]] = {  # locale: (Quoting %f:, Forwarded message from %s, End forwarded message, (Date, From, Subject, To))
    'ar': (None, 'رسالة محولة من %s', 'إنهاء الرسائل المحولة', ('التاريخ', 'من', 'الموضوع', 'إلى')),
    'bg': (None, 'Препратено писмо от %s', 'Край на препратеното писмо', ('Дата', 'От', 'Тема', 'До')),
    'ca': ("S'està citant %f:", 'Missatge reenviat de %s', 'Fi del missatge reenviat', ('Data', 'De', 'Assumpte', 'Per a')),
    'cs': ('Cituji %f:', 'Přeposlaná zpráva od %s', 'Konec přeposlané zprávy', ('Datum', 'Od', 'Předmět', 'Komu')),
    'da': ('Citat af %f:', 'Videresendt besked fra %s', 'Slutning af videresendt besked', ('Dato', 'Fra', 'Emne', 'Til')),
    'de': ('Zitat von %f:', 'Weitergeleitete Nachricht von %s', 'Ende der weitergeleiteten Nachricht', ('Datum', 'Von', 'Betreff', 'An')),
    'el': ('Παραθέτοντας από %f:', 'Προώθηση μηνύματος από %s', 'Τέλος προωθημένου μηνύματος', ('Ημερομηνία', 'Από', 'Θέμα', 'Προς')),
    'es': ('%f escribió:', 'Mensaje reenviado de %s', 'Terminar mensaje reenviado', ('Fecha', 'De', 'Asunto', 'Para')),
    'et': ('%f kirjutas:', "Edastatud kiri %s'lt", 'Edastatud kirja lõpp', ('Kuupäev', 'Kellelt', 'Teema', 'Kellele')),
    'eu': ('%f erabiltzaileak idatzi du:', '%s(e)tik birbidalitako mezua', 'Amaitu birbidalitako mezua', ('Data', 'Nork', 'Gaia', 'Nori')),
    'fa': ('نقل قول %f:', 'پیغام ارجاع شده از %s', 'انتهای پیغام\u200c ارجاع شده', ('تاریخ', 'از', 'عنوان', 'به')),
    'fi': ('Lainaus %f:', 'Välitetty viesti lähettäjältä %s', 'Välitetty viesti päättyy', ('Päiväys', 'Lähettäjä', 'Otsikko', 'Vastaanottaja')),
    'fr': ('%f a écrit\xa0:', 'Message transféré de %s', 'Fin du message transféré', ('Date', 'De', 'Objet', 'À')),
    'gl': ('Estase citando %f:', 'Reenviouse a mensaxe desde %s', 'Fin da mensaxe reenviada', ('Data', 'Remitente', 'Asunto', 'Destinatario')),
    'hr': ('Citiram %f:', 'Proslijeđena poruka od %s', 'Završi proslijeđenu poruku', ('Datum', 'Od', 'Naslov', 'Prima')),
    'hu': ('Idézet (%f):', 'Továbbított levél %s címről', 'Vége a továbbított levélnek', ('Dátum', 'Feladó', 'Tárgy', 'Címzett')),
    'is': ('Vísa til %f:', 'Áframsent skeyti frá %s', 'Ljúka framsendu skeyti', ('Dags', 'Frá', 'Efni', 'Til')),
    'it': ('%f ha scritto:', 'Messaggio inoltrato da %s', 'Fine messaggio inoltrato.', ('Data', 'Da', 'Oggetto', 'A')),
    'ja': ('引用 %f：', '%s から転送されたメッセージ', '転送するメッセージは以上です', ('日付', 'From', '件名', 'To')),
    'ko': ('%f wrote:', '%s로부터 전달된 편지', '전달 편지 끝', ('날짜', '보낸사람', '제목', '받는사람')),
    'lt': ('%f rašė:', 'Persiųstas laiškas nuo %s', 'Persiųsto laiško pabaiga', ('Data', 'Nuo', 'Tema', 'Kam')),
    'lv': ('Citēju %f:', 'Pārsūtīta vēstule no %s', 'Pārsūtītās vēstules beigas', ('Datums', 'Sūtītājs', 'Temats', 'Saņēmējs')),
    'nb': ('Siterer %f:', 'Videresendt melding fra %s', 'Slutt på videresendt melding', ('Dato', 'Fra', 'Emne', 'Til')),
    'nl': ('Citeren %f:', 'Doorgestuurd bericht van %s', 'Einde doorgestuurd bericht', ('Datum', 'Van', 'Onderwerp', 'Aan')),
    'pl': ('Cytowanie %f:', 'Przekazana wiadomość od %s', 'Koniec przekazanej wiadomości', ('Data', 'Od', 'Temat', 'Do')),
    'pt_BR': ('Citando %f:', 'Mensagem encaminhada de %s', 'Final da mensagem encaminhada', ('Data', 'De', 'Assunto', 'Para')),
    'ru': ('Цитирую %f:', 'Переправленое сообщение от %s', 'Конец пересылаемого сообщения', ('Дата', 'От кого', 'Тема', 'Кому')),
    'sk': ('Citát %f:', 'Preposlaná správa od %s', 'Koniec preposlanej správy', ('Dátum', 'Od', 'Predmet', 'Pre')),
    'sl': ('Citiram %f:', 'Posredovano sporočilo od %s', 'Konec posredovanega sporočila', ('Datum', 'Od', 'Zadeva', 'Za')),
    'sv': ('Citerar %f:', 'Vidarebefordrat meddelande från %s', 'Slut på vidarebefordrat meddelande', ('Datum', 'Från', 'Ärende', 'Till')),
    'tr': ('Alıntı %f:', '%s tarafından yönlendirilen ileti', 'İletilen iletinin sonu', ('Tarih', 'Kimden', 'Konu', 'Kime')),
    'uk': ('Цитую %f:', 'Пересланий лист від %s', 'Кiнець пересланого лист', ('Дата', 'Від', 'Тема', 'До')),
    'zh_CN': ('引用 %f：', '从 %s 转发的邮件', '结束转发的邮件', ('日期', '发件人', '主题', '收件人')),
    'zh_TW': ('引述 %f:', '從 %s 轉寄的郵件', '完成轉寄郵件', ('日期', '寄件人', '主旨', '收件人')),
}
HORDE_PEOPLE = {"ar": "tr", "bg": "ru", "ca": "ca", "cs": "cs", "da": "da", "de": "de", "el": "el_GR", "es": "es", "et": "fi",
                "eu": "es", "fa": "tr", "fi": "fi", "fr": "fr", "gl": "es", "hr": "cs", "hu": "hu", "is": "da", "it": "it",
                "ja": "ja", "ko": "ja", "lt": "sk", "lv": "sk", "nb": "nb", "nl": "nl", "pl": "pl", "pt_BR": "pt_BR",
                "ru": "ru", "sk": "sk", "sl": "cs", "sv": "sv", "tr": "tr", "uk": "ru", "zh_CN": "zh_TW", "zh_TW": "zh_TW"}
for loc, (quoting, banner, end, labels) in HORDE.items():
    name, email, text, top = PEOPLE[HORDE_PEOPLE[loc]]
    where = HORDE_SOURCE.format(loc=loc)
    sender = f"{name} <{email}>"
    if quoting:
        case(f"horde_reply_{loc}", f"Horde IMP ({loc}) reply attribution 'Quoting %f:', from {where}; our names and words",
             f"{top}\n\n{quoting.replace('%f', sender)}\n\n" + quote(text) + "\n", [msg(email, None, text)])
    width = max(len(label) for label in labels) + 2
    rows = [f"{label}: ".rjust(width) + value for label, value in zip(labels, (RFC_DATE, sender, "5530", AGENT[1]), strict=True)]
    body = "\n".join([f"{top}\n", f"----- {banner.replace('%s', sender)} -----", *rows, "", text, "", f"----- {end} -----"])
    case(f"horde_forward_{loc}", f"Horde IMP ({loc}) inline forward, from {where}; our names and words", body + "\n",
         [msg(email, WHEN, text)])


# -- fifth batch (added after the fourth was fixed): Thunderbird 153.8 in 24 further locales --------------------------
# The same packages and strings as the third batch (thunderbird-l10n-*, MPL-2.0); the label text's trailing no-break
# space (fr "Sujet\xa0") is stripped, as the header labels print without it before the colon.
TB2_SHORT: dict[str, str] = {  # locale: CLDR short date of 2021-10-27, typed by hand (the time as 24-hour 09:31)
    'af': '2021/10/27',
    'ast': '27/10/21',
    'be': '27.10.21',
    'br': '27/10/2021',
    'cy': '27/10/2021',
    'de': '27.10.21',
    'dsb': '27.10.21',
    'es-AR': '27/10/21',
    'es-ES': '27/10/21',
    'fr': '27/10/2021',
    'fy-NL': '27-10-2021',
    'ga-IE': '27/10/2021',
    'gd': '27/10/2021',
    'hsb': '27.10.21',
    'hy-AM': '27.10.21',
    'is': '27.10.2021',
    'kk': '27.10.21',
    'lv': '27.10.21',
    'ms': '27/10/21',
    'nn-NO': '27.10.2021',
    'rm': '27-10-21',
    'ru': '27.10.2021',
    'sq': '27.10.21',
    'uz': '27/10/21',
}
TB2: dict[str, tuple[str, str, str, tuple[str, str, str, str]]] = {
    'af': ('On #2 #3, #1 wrote:', '#1 wrote:', '-------- Forwarded Message --------',
           ('Onderwerp', 'Datum', 'Van', 'Aan')),
    'ast': ('El #2 a les #3, #1 escribió:', '#1 escribió:', '-------- Mensaxe reunviáu --------',
           ('Asuntu', 'Data', 'De', 'Pa')),
    'be': ('#2 у #3 #1 напісаў:', '#1 напісаў:', '-------- Перанакіраванае паведамленне --------',
           ('Тэма', 'Дата', 'Ад', 'Да')),
    'br': ("D'an/ar #2 #3 eo bet skrivet gant #1 :", 'Skrivet eo bet gant #1 :', '-------- Kemennadenn orinel --------',
           ('Danvez', 'Deiziad', 'A-berzh', 'Da')),
    'cy': ('Ar #2 #3, ysgrifennodd #1:', 'Ysgrifennodd #1:', '-------- Neges Wreiddiol --------',
           ('Pwnc', 'Dyddiad', 'Oddi wrth', 'At')),
    'de': ('Am #2 um #3 schrieb #1:', '#1 schrieb:', '-------- Weitergeleitete Nachricht --------',
           ('Betreff', 'Datum', 'Von', 'An')),
    'dsb': ('#2 #3 jo #1 napisał:', '#1 jo napisał:', '-------- Dalej pósrědnjona powěsć --------',
           ('Tema', 'Datum', 'Wót', 'Komu')),
    'es-AR': ('El #2 a las #3, #1 escribió:', '#1 escribió:', '-------- Mensaje reenviado --------',
           ('Asunto', 'Fecha', 'De', 'A')),
    'es-ES': ('El #2 a las #3, #1 escribió:', '#1 escribió:', '-------- Mensaje reenviado --------',
           ('Asunto', 'Fecha', 'De', 'Para')),
    'fr': ('Le #2 à #3, #1 a écrit\xa0:', '#1 a écrit\xa0:', '-------- Message transféré --------',
           ('Sujet', 'Date', 'De', 'Pour')),
    'fy-NL': ('Op #2 om #3, skreau #1:', '#1 skreau:', '-------- Trochstjoerd berjocht --------',
           ('Underwerp', 'Datum', 'Fan', 'Oan')),
    'ga-IE': ('Ar #2 #3, scríobh #1:', 'Scríobh #1:', '-------- Teachtaireacht Ar Aghaidh --------',
           ('Ábhar', 'Dáta', 'Ó', 'Chuig')),
    'gd': ('Sgrìobh #1 na leanas #2 aig #3:', 'Sgrìobh #1 na leanas:', '-------- An teachdaireachd a tha ’ga shìneadh air adhart --------',
           ('Cuspair', 'Ceann-là', 'O', 'Gu')),
    'hsb': ('#2 #3 #1 napisa:', '#1 napisa:', '-------- Dale sposrědkowana powěsć --------',
           ('Tema', 'Datum', 'Wot', 'Komu')),
    'hy-AM': ('#2 #3-ին #1ը գրել է.', '#1-ը գրել է.', '-------- Փոխանցվող նամակը --------',
           ('Վերնագիր', 'Ամսաթիվ', 'Ումից', 'Ում')),
    'is': ('Þann #2 #3, skrifaði #1:', '#1 skrifaði:', '-------- Áframsendur póstur --------',
           ('Viðfangsefni', 'Dagsetning', 'Frá', 'Til')),
    'kk': ('#2 #3 уақытында, #1 жазған:', '#1 жазған:', '-------- Әрі қарай жіберілген хабарлама --------',
           ('Тақырыбы', 'Күні', 'Кімнен', 'Кімге')),
    'lv': ('#2 #3 #1 rakstīja:', '# 1 rakstīja:', '-------- Pārsūtītā vēstule --------',
           ('Temats', 'Datums', 'No', 'Uz')),
    'ms': ('Pada #2 #3, #1 membalas:', '#1 membalas:', '-------- Mesej Dikirim Semula --------',
           ('Subjek', 'Tarikh', 'Daripada', 'Kepada')),
    'nn-NO': ('Den #2 #3, skreiv #1:', '#1 skreiv:', '-------- Vidaresend melding --------',
           ('Emne', 'Dato', 'Frå', 'Til')),
    'rm': ('Ils #2 a las #3 ha #1 scrit:', '#1 ha scrit:', '--------  Messadi  renvià  --------',
           ('Object', 'Data', 'Da', 'A')),
    'ru': ('#2 #3, #1 пишет:', '#1 пишет:', '-------- Перенаправленное сообщение --------',
           ('Тема', 'Дата', 'От', 'Кому')),
    'sq': ('Më #2, #3, #1 shkroi:', '#1 shkroi:', '-------- Mesazhi i Përcjellë --------',
           ('Subjekt', 'Datë', 'Nga', 'Për')),
    'uz': ('#2 #3, #1 da yozdi:', '#1 yozdi:', '-------- Uzatilgan xabar --------',
           ('Mavzu', 'Sana', 'Jo‘natuvchi', 'Qabul qiluvchi')),
}
TB2_PEOPLE = {"af": "nl", "ast": "es", "be": "ru", "br": "fr", "cy": "da", "de": "de", "dsb": "cs", "es-AR": "es", "es-ES": "es",
              "fr": "fr", "fy-NL": "nl", "ga-IE": "da", "gd": "da", "hsb": "cs", "hy-AM": "ru", "is": "da", "kk": "ru",
              "lv": "sk", "ms": "id_ID", "nn-NO": "nb", "rm": "it", "ru": "ru", "sq": "it", "uz": "tr"}
for loc, strings in TB2.items():
    thunderbird(loc, strings, TB2_PEOPLE[loc], TB2_SHORT[loc], "09:31")


def main(out: str) -> None:
    data = {
        "split": "dev",
        "about": (
            "Dev split (issue 14, helper h3, session 9): Claws Mail's default reply and forward formats in its 22 "
            "shipped translations and KMail's reply-all attribution in 30, Thunderbird in 20 more locales, Horde IMP in 34, Thunderbird in 24 more (Debian bookworm), with our own names and words. Tuned on."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
