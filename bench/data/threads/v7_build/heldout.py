"""Writes bench/data/threads/heldout_v7.json (issue 14, helper h3, session 9, 2026-12-02).

Three clients no earlier split takes its strings from, each from its own translation files as Debian bookworm ships
them (read with `apt-get download` and `dpkg-deb -x`, nothing installed):
- Evolution 3.46.4 (`evolution-common` 3.46.4-2+deb12u1, LGPL-2.1+; `usr/share/locale/*/LC_MESSAGES/evolution.mo`):
  the reply attribution msgid "On ${AbbrevWeekdayName}, ${Year}-${Month}-${Day} at ${24Hour}:${Minute} ${TimeZone},
  ${Sender} wrote:", the inline-forward banner "-------- Forwarded Message --------" and the header labels
  "From"/"To"/"Subject"/"Date"/"Cc". ${Sender} is the display name, or the address where the mail has no name
  (em-composer-utils.c `format_sender`); the weekday and month names are glibc's %a/%A/%B, typed here by hand; the
  time zone is the original's offset (%z). The forwarded block prints From, To, Subject, Date (RFC 5322, as it came).
- Geary 43.0 (`geary` 43.0-1+b1, LGPL-2.1+; `usr/share/locale/*/LC_MESSAGES/geary.mo`): "On %1$s, %2$s wrote:" with
  the 24-hour full date "%B %-e, %Y %-H:%M" of each locale and the sender as "Name <a@b>"
  (`Util.Email.quote_email_for_reply`), and the forward "---------- Forwarded message ----------" with "From:",
  "Subject:", "Date:" (the original RFC 5322 date), "To:", "Cc:" (`quote_email_for_forward`, "%s %s" per line).
- Roundcube 1.6.5 (`roundcube-core` 1.6.5+dfsg-1+deb12u14, GPL-3.0+ with exceptions;
  `usr/share/roundcube/program/localization/*/labels.inc`): `mailreplyintro` ("On $date, $sender wrote:") with the
  default `date_long` "Y-m-d H:i" and the sender's name (or address), and the forward banner
  "-------- $originalmessage --------" with the `subject`, `date` (date_long again), `from` (the From header as it
  came) and `to` labels (rcmail_action_mail_compose::get_reply_header / get_forward_header).
Every string below is the translation that file holds (each case's `source` names the package, file and locale);
the layouts around them (the "> " quote, blank lines) are how each client writes a plain-text reply or forward as we
read its code. No line is wrapped. Names, addresses and words are ours. Committed before handoff was run on it;
only its totals are read.
Run: python bench/data/threads/v7_build/heldout.py bench/data/threads/tuned_v7.json (was heldout_v7.json)
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, quote, save

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v7h")

EVO = "Debian evolution-common 3.46.4-2+deb12u1, usr/share/locale/{loc}/LC_MESSAGES/evolution.mo"
GEARY = "Debian geary 43.0-1+b1, usr/share/locale/{loc}/LC_MESSAGES/geary.mo"
RC = "Debian roundcube-core 1.6.5+dfsg-1+deb12u14, program/localization/{loc}/labels.inc"
AGENT = ("Support", "support@shop.example")
RFC_DATE = "Wed, 27 Oct 2021 09:31:12 +0200"

# Our customers: (display name, address, their text, a line above the quote)
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "de": ("Jonas Weber", "jonas.weber@post.example", "Meine Bestellung 4471 ist noch nicht angekommen.", "Bitte um Rückmeldung."),
    "fr": ("Camille Martin", "camille.martin@mail.example", "Ma commande 4471 n'est toujours pas arrivée.", "Merci de vérifier."),
    "es": ("Lucía Romero", "lucia.romero@mail.example", "Mi pedido 4471 todavía no ha llegado.", "Gracias de antemano."),
    "it": ("Giulia Ferri", "giulia.ferri@mail.example", "Il mio ordine 4471 non è ancora arrivato.", "Grazie mille."),
    "pl": ("Katarzyna Nowak", "k.nowak@poczta.example", "Moje zamówienie 4471 jeszcze nie dotarło.", "Proszę o sprawdzenie."),
    "cs": ("Petra Dvořáková", "petra.dvorakova@mail.example", "Moje objednávka 4471 stále nedorazila.", "Děkuji za kontrolu."),
    "nl": ("Sanne de Vries", "sanne.devries@mail.example", "Mijn bestelling 4471 is nog niet aangekomen.", "Graag een reactie."),
    "sv": ("Elsa Nilsson", "elsa.nilsson@mail.example", "Min beställning 4471 har inte kommit fram.", "Tack på förhand."),
    "da": ("Mette Hansen", "mette.hansen@mail.example", "Min ordre 4471 er ikke kommet endnu.", "På forhånd tak."),
    "ru": ("Ольга Смирнова", "olga.smirnova@mail.example", "Мой заказ 4471 до сих пор не пришёл.", "Прошу проверить."),
    "uk": ("Оксана Бондар", "oksana.bondar@mail.example", "Моє замовлення 4471 досі не надійшло.", "Прошу перевірити."),
    "pt": ("Beatriz Souza", "beatriz.souza@mail.example", "Meu pedido 4471 ainda não chegou.", "Obrigada desde já."),
    "ja": ("高橋 花子", "hanako.takahashi@mail.example", "注文 4471 の商品がまだ届きません。", "ご確認ください。"),
    "tr": ("Elif Yılmaz", "elif.yilmaz@mail.example", "4471 numaralı siparişim hâlâ gelmedi.", "Kontrol eder misiniz?"),
    "fi": ("Aino Virtanen", "aino.virtanen@mail.example", "Tilaukseni 4471 ei ole vielä saapunut.", "Kiitos avusta."),
    "zh": ("王芳", "fang.wang@mail.example", "我的订单 4471 还没有到。", "麻烦帮忙查一下。"),
    "el": ("Μαρία Παπαδοπούλου", "maria.papa@mail.example", "Η παραγγελία μου 4471 δεν έχει φτάσει ακόμα.", "Ευχαριστώ."),
    "hu": ("Kovács Anna", "anna.kovacs@mail.example", "A 4471-es rendelésem még nem érkezett meg.", "Köszönöm előre is."),
    "ro": ("Ioana Stan", "ioana.stan@mail.example", "Comanda mea 4471 nu a sosit încă.", "Mulțumesc."),
    "ko": ("김민지", "minji.kim@mail.example", "주문 4471 상품이 아직 안 왔어요.", "확인 부탁드립니다."),
    "vi": ("Nguyễn Thu Hà", "thuha.nguyen@mail.example", "Đơn hàng 4471 của tôi vẫn chưa đến.", "Cảm ơn."),
    "et": ("Kadri Tamm", "kadri.tamm@mail.example", "Minu tellimus 4471 pole veel kohale jõudnud.", "Aitäh."),
    "lv": ("Līga Bērziņa", "liga.berzina@mail.example", "Mans pasūtījums 4471 vēl nav pienācis.", "Paldies."),
    "lt": ("Rūta Kazlauskienė", "ruta.kaz@mail.example", "Mano užsakymas 4471 dar neatkeliavo.", "Ačiū."),
    "ms": ("Nurul Aisyah", "nurul.aisyah@mail.example", "Pesanan saya 4471 masih belum sampai.", "Terima kasih."),
    "sl": ("Nina Horvat", "nina.horvat@mail.example", "Moje naročilo 4471 še ni prispelo.", "Hvala."),
}

# -- Evolution ---------------------------------------------------------------------------------------------------
# locale: (evolution.mo translation of the attribution, forward banner, (From, To, Subject, Date) labels, person)
EVO_L10N: dict[str, tuple[str, str, tuple[str, str, str, str], str]] = {
    "de": ("Am ${WeekdayName}, dem ${Day}.${Month}.${Year} um ${24Hour}:${Minute} ${TimeZone} schrieb ${Sender}:", "-------- Weitergeleitete Nachricht --------", ("Von", "An", "Betreff", "Datum"), "de"),
    "fr": ("Le ${WeekdayName} ${Day} ${MonthName} ${Year} à ${24Hour}:${Minute} ${TimeZone}, ${Sender} a écrit :", "-------- Message transféré --------", ("De", "À", "Objet", "Date"), "fr"),
    "es": ("El ${AbbrevWeekdayName}, ${Day}-${Month}-${Year} a las ${24Hour}:${Minute} ${TimeZone}, ${Sender} escribió:", "--------- Mensaje reenviado --------", ("De", "Para", "Asunto", "Fecha"), "es"),
    "it": ("Il giorno ${AbbrevWeekdayName}, ${Day}/${Month}/${Year} alle ${24Hour}.${Minute} ${TimeZone}, ${Sender} ha scritto:", "------- Messaggio inoltrato -------", ("Da", "A", "Oggetto", "Data"), "it"),
    "pl": ("W dniu ${AbbrevWeekdayName}, ${Day}.${Month}.${Year} o godzinie ${24Hour}\u2236${Minute} ${TimeZone}, użytkownik ${Sender} napisał:", "-------- Wiadomość przekazywana ----------", ("Od", "Do", "Temat", "Data"), "pl"),
    "cs": ("${Sender} píše v ${AbbrevWeekdayName} ${Day}. ${Month}. ${Year} v ${24Hour}:${Minute} ${TimeZone}:", "-------- Přeposlaná zpráva --------", ("Od", "Komu", "Předmět", "Datum"), "cs"),
    "nl": ("${Sender} schreef op ${AbbrevWeekdayName} ${Day}-${Month}-${Year} om ${24Hour}:${Minute} [${TimeZone}]:", "------- Doorgestuurd bericht -------", ("Van", "Aan", "Onderwerp", "Datum"), "nl"),
    "sv": ("${AbbrevWeekdayName} ${Year}-${Month}-${Day} klockan ${24Hour}:${Minute} ${TimeZone} skrev ${Sender}:", "-------- Vidarebefordrat meddelande --------", ("Från", "Till", "Ämne", "Datum"), "sv"),
    "da": ("${AbbrevWeekdayName}, ${Day} ${Month} ${Year} kl. ${24Hour}:${Minute} ${TimeZone}, skrev ${Sender}:", "-------- Videresendt brev --------", ("Fra", "Til", "Emne", "Dato"), "da"),
    "ru": ("В ${AbbrevWeekdayName}, ${Day}/${Month}/${Year} в ${24Hour}:${Minute} ${TimeZone}, ${Sender} пишет:", "-------- Пересылаемое сообщение --------", ("От", "Кому", "Тема", "Дата"), "ru"),
    "uk": ("У ${AbbrevWeekdayName}, ${Year}-${Month}-${Day} у ${24Hour}:${Minute} ${TimeZone}, ${Sender} пише:", "-------- Переслане повідомлення --------", ("Від", "Кому", "Тема", "Дата"), "uk"),
    "pt_BR": ("Em ${AbbrevWeekdayName}, ${Year}-${Month}-${Day} às ${24Hour}:${Minute} ${TimeZone}, ${Sender} escreveu:", "-------- Mensagem encaminhada --------", ("De", "Para", "Assunto", "Data"), "pt"),
    "ja": ("${Year}-${Month}-${Day} (${AbbrevWeekdayName}) の ${24Hour}:${Minute} ${TimeZone} に ${Sender} さんは書きました:", "-------- 転送するメッセージ --------", ("差出人", "宛先", "件名", "日付"), "ja"),
    "tr": ("${AbbrevWeekdayName}, ${Year}-${Month}-${Day} tarihinde ${24Hour}:${Minute} ${TimeZone} saatinde, ${Sender} yazdı:", "-------- Yönlendirilmiş İleti --------", ("Gönderen", "Alıcı", "Konu", "Tarih"), "tr"),
    "fi": ("${AbbrevWeekdayName}, ${Year}-${Month}-${Day} kello ${24Hour}:${Minute} ${TimeZone}, ${Sender} kirjoitti:", "------- välitetty viesti ---------", ("Lähettäjä", "Vastaanottaja", "Aihe", "Päiväys"), "fi"),
    "zh_CN": ("在 ${Year}-${Month}-${Day}${WeekdayName}的 ${24Hour}:${Minute} ${TimeZone}，${Sender}写道：", "-------- 转发的信息 --------", ("发件人", "收件人", "主题", "日期"), "zh"),
    "el": ("Στις ${Day}-${Month}-${Year}, ημέρα ${AbbrevWeekdayName}, και ώρα ${24Hour}:${Minute} ${TimeZone}, ο/η ${Sender} έγραψε:", "-------- Προωθημένο μήνυμα --------", ("Από", "Προς", "Θέμα", "Ημ/νία"), "el"),
}
# glibc's names of Wednesday (%a, %A) and October (%B) in each locale, typed by hand
WEDNESDAY: dict[str, tuple[str, str]] = {
    "de": ("Mi", "Mittwoch"), "fr": ("mer.", "mercredi"), "es": ("mié", "miércoles"), "it": ("mer", "mercoledì"),
    "pl": ("śro", "środa"), "cs": ("St", "Středa"), "nl": ("wo", "woensdag"), "sv": ("ons", "onsdag"),
    "da": ("ons", "onsdag"), "ru": ("Ср", "Среда"), "uk": ("ср", "середа"), "pt_BR": ("qua", "quarta"),
    "ja": ("水", "水曜日"), "tr": ("Çar", "Çarşamba"), "fi": ("ke", "keskiviikko"), "zh_CN": ("三", "星期三"),
    "el": ("Τετ", "Τετάρτη"),
}
OCTOBER_FR = "octobre"


def evo_attribution(loc: str, sender: str, day: str = "27", hour: str = "09", minute: str = "31", tz: str = "+0200") -> str:
    abbrev, full = WEDNESDAY[loc]
    out = EVO_L10N[loc][0]
    for key, value in (("AbbrevWeekdayName", abbrev), ("WeekdayName", full), ("MonthName", OCTOBER_FR), ("Year", "2021"),
                       ("Month", "10"), ("Day", day), ("24Hour", hour), ("Minute", minute), ("TimeZone", tz), ("Sender", sender)):
        out = out.replace("${" + key + "}", value)
    return out


def evo_src(loc: str, what: str) -> str:
    return f"Evolution ({loc}) {what}, from {EVO.format(loc=loc)}; our names and words"


for loc in EVO_L10N:
    name, email, text, top = PEOPLE[EVO_L10N[loc][3]]
    case(f"evolution_reply_{loc}", evo_src(loc, "reply attribution, the display name as ${Sender}"),
         f"{top}\n\n{evo_attribution(loc, name)}\n" + quote(text) + "\n",
         [msg("", "2021-10-27T09:31+02:00", text, name=name)])

for loc in ("de", "es", "pl", "ru", "ja", "tr"):  # no display name: ${Sender} is the address
    name, email, text, top = PEOPLE[EVO_L10N[loc][3]]
    case(f"evolution_reply_bare_{loc}", evo_src(loc, "reply attribution, a sender with no display name"),
         f"{top}\n\n{evo_attribution(loc, email, hour='16', minute='05', tz='+0300')}\n" + quote(text) + "\n",
         [msg(email, "2021-10-27T16:05+03:00", text)])

for loc in ("de", "fr", "es", "ru", "ja", "pl", "nl", "zh_CN"):
    name, email, text, top = PEOPLE[EVO_L10N[loc][3]]
    _, banner, (lf, lt, ls, ld), _ = EVO_L10N[loc]
    block = "\n".join([banner, f"{lf}: {name} <{email}>", f"{lt}: {AGENT[1]}", f"{ls}: 4471", f"{ld}: {RFC_DATE}"])
    case(f"evolution_forward_{loc}", evo_src(loc, "inline forward: banner and From/To/Subject/Date labels"),
         f"{top}\n\n{block}\n\n{text}\n",
         [msg(email, "2021-10-27T09:31:12+02:00", text)])

# -- Geary -------------------------------------------------------------------------------------------------------
# locale: (geary.mo "On %1$s, %2$s wrote:", 24-hour full date of 2021-10-27 09:31 from "%B %-e, %Y %-H:%M", person)
GEARY_REPLY: dict[str, tuple[str, str, str]] = {
    "de": ("Am %1$s schrieb %2$s:", "27. Oktober 2021 9:31", "de"),
    "es": ("El %1$s, %2$s escribió:", "27 de octubre de 2021 a las 9:31", "es"),
    "fr": ("Le %1$s, %2$s a écrit :", "27 octobre 2021 9:31", "fr"),
    "it": ("Il giorno %1$s, %2$s ha scritto:", "27 ottobre 2021 9:31", "it"),
    "nl": ("Op %1$s schreef %2$s:", "27 oktober 2021 9u31", "nl"),
    "sv": ("%1$s skrev %2$s:", "27 oktober 2021 9:31", "sv"),
    "da": ("%2$s skrev den %1$s:", "27. oktober 2021 9:31", "da"),
    "fi": ("%1$s %2$s kirjoitti:", "27. lokakuuta 2021, 9:31", "fi"),
    "ru": ("В %1$s, %2$s написал:", "27 октября 2021, 9:31", "ru"),
    "pl": ("W dniu %1$s użytkownik %2$s napisał:", "27 października 2021, 09\u223631", "pl"),
    "hu": ("%1$s-kor, %2$s írta:", "2021. október 27. 09:31", "hu"),
    "ro": ("La %1$s, %2$s a scris:", "27 octombrie 2021 9:31", "ro"),
    "tr": ("%1$s tarihinde, %2$s yazdı:", "Ekim 27, 2021 9:31", "tr"),
    "zh_CN": ("在 %1$s，%2$s 写道：", "2021年10月27日 9:31", "zh"),
    "uk": ("Написано %1$s, %2$s:", "жовтня 27, 2021 9:31", "uk"),
    "el": ("Στις %1$s, ο/η %2$s έγραψε:", "27 Οκτωβρίου, 2021 9:31", "el"),
}
# locale: (forward banner, From:, Subject:, Date:, To:)
GEARY_FWD: dict[str, tuple[str, str, str, str, str]] = {
    "de": ("---------- Weitergeleitete Nachricht ----------", "Von:", "Betreff:", "Datum:", "An:"),
    "fr": ("---------- Message transféré ----------", "De :", "Objet :", "Date :", "À :"),
    "es": ("---------- Mensaje reenviado ----------", "De:", "Asunto:", "Fecha:", "Para:"),
    "it": ("---------- Messaggio inoltrato ----------", "Da:", "Oggetto:", "Data:", "A:"),
    "ru": ("---------- Пересылаемое сообщение ----------", "От:", "Тема:", "Дата:", "Кому:"),
    "zh_CN": ("---------- 转发的消息 ----------", "发件人：", "主题：", "日期：", "收件人："),
    "hu": ("---------- Továbbított levél -----------", "Feladó:", "Tárgy:", "Dátum:", "Címzett:"),
    "tr": ("---------- Yönlendirilen ileti ----------", "Gönderen:", "Konu:", "Tarih:", "Kime:"),
}


def geary_src(loc: str, what: str) -> str:
    return f"Geary ({loc}) {what}, from {GEARY.format(loc=loc)}; our names and words"


def geary_attribution(loc: str, name: str, email: str, date: str | None = None) -> str:
    template, default_date, _ = GEARY_REPLY[loc]
    return template.replace("%1$s", date or default_date).replace("%2$s", f"{name} <{email}>")


for loc in GEARY_REPLY:
    name, email, text, top = PEOPLE[GEARY_REPLY[loc][2]]
    case(f"geary_reply_{loc}", geary_src(loc, "reply attribution with the 24-hour full date"),
         f"{top}\n\n{geary_attribution(loc, name, email)}\n" + quote(text) + "\n",
         [msg(email, "2021-10-27T09:31", text)])

for loc in GEARY_FWD:
    person = GEARY_REPLY[loc][2]
    name, email, text, top = PEOPLE[person]
    banner, lf, ls, ld, lt = GEARY_FWD[loc]
    block = "\n".join([banner, f"{lf} {name} <{email}>", f"{ls} 4471", f"{ld} {RFC_DATE}", f"{lt} {AGENT[1]}"])
    case(f"geary_forward_{loc}", geary_src(loc, "forward: banner and From/Subject/Date/To lines"),
         f"{top}\n\n{block}\n\n{text}\n",
         [msg(email, "2021-10-27T09:31:12+02:00", text)])

# -- Roundcube ---------------------------------------------------------------------------------------------------
# locale: (mailreplyintro, originalmessage, (subject, date, from, to) labels, person)
RC_L10N: dict[str, tuple[str, str, tuple[str, str, str, str], str]] = {
    "de_DE": ("Am $date, schrieb $sender:", "Originalnachricht", ("Betreff", "Datum", "Von", "An"), "de"),
    "fr_FR": ("Le $date, $sender a écrit :", "Courriel original", ("Objet", "Date", "De", "À"), "fr"),
    "es_ES": ("El $date, $sender escribió:", "Mensaje Original", ("Asunto", "Fecha", "De", "Destinatario"), "es"),
    "it_IT": ("Il $date $sender ha scritto:", "Messaggio originale", ("Oggetto", "Data", "Mittente", "Destinatario"), "it"),
    "nl_NL": ("$sender schreef op $date:", "Oorspronkelijke bericht", ("Onderwerp", "Datum", "Afzender", "Ontvanger"), "nl"),
    "pl_PL": ("W dniu $date, $sender napisał(a):", "Wiadomość oryginalna", ("Temat", "Data", "Od", "Do"), "pl"),
    "cs_CZ": ("Dne $date, $sender napsal:", "Původní zpráva", ("Předmět", "Datum", "Odesílatel", "Adresát"), "cs"),
    "ru_RU": ("$sender писал(а) $date:", "Исходное сообщение", ("Тема", "Дата", "От", "Кому"), "ru"),
    "sv_SE": ("$date skrev $sender:", "Ursprungligt meddelande", ("Ämne", "Datum", "Från", "Mottagare"), "sv"),
    "fi_FI": ("$sender kirjoitti $date:", "Alkuperäinen viesti", ("Aihe", "Päiväys", "Lähettäjä", "Vastaanottaja"), "fi"),
    "da_DK": ("$sender skrev den $date:", "Original besked", ("Emne", "Dato", "Afsender", "Modtager"), "da"),
    "tr_TR": ("$date, $sender yazmış:", "Özgün ileti", ("Konu", "Tarih", "Gönderici", "Alıcı"), "tr"),
    "ja_JP": ("$date に $sender さんは書きました:", "元のメッセージ", ("件名", "日付", "発信者", "宛先"), "ja"),
    "ko_KR": ("$date에 $sender이(가) 쓴 내용:", "원본 메시지", ("제목", "날짜", "보낸 사람", "받는 사람"), "ko"),
    "hu_HU": ("$date időpontban $sender ezt írta:", "Eredeti üzenet", ("Tárgy", "Dátum", "Feladó", "Címzett"), "hu"),
    "uk_UA": ("$date, $sender написав:", "Оригінальне повідомлення", ("Тема", "Дата", "Від кого", "Кому"), "uk"),
    "vi_VN": ("Vào ngày $date, $sender viết:", "Thư gốc", ("Tiêu đề", "Ngày", "Gửi từ", "Người nhận"), "vi"),
    "et_EE": ("$date kirjutas $sender:", "Esialgne kiri", ("Pealkiri", "Kuupäev", "Saatja", "Saaja"), "et"),
    "lv_LV": ("$sender @ $date rakstīja:", "Sākotnējā vēstule", ("Temats", "Datums", "No", "Kam"), "lv"),
    "ms_MY": ("Pada $date, $sender menulis", "Mesej Asal", ("Subjek", "Tarikh", "Daripada", "Kepada"), "ms"),
    "sl_SI": ("$date, je $sender napisal", "Izvorno sporočilo", ("Zadeva", "Datum", "Od", "Za"), "sl"),
    "lt_LT": ("$date, $sender rašė:", "Originalus laiškas", ("Tema", "Data", "Siuntėjas", "Gavėjas"), "lt"),
}
RC_DATE = "2021-10-27 09:31"  # config/defaults.inc.php date_long 'Y-m-d H:i', in the user's zone


def rc_src(loc: str, what: str) -> str:
    return f"Roundcube ({loc}) {what}, from {RC.format(loc=loc)} and the default date_long; our names and words"


def rc_intro(loc: str, sender: str, date: str = RC_DATE) -> str:
    return RC_L10N[loc][0].replace("$date", date).replace("$sender", sender)


for loc in RC_L10N:
    name, email, text, top = PEOPLE[RC_L10N[loc][3]]
    case(f"roundcube_reply_{loc}", rc_src(loc, "reply intro (mailreplyintro), the sender's name"),
         f"{top}\n\n{rc_intro(loc, name)}\n" + quote(text) + "\n",
         [msg("", "2021-10-27T09:31", text, name=name)])

for loc in ("de_DE", "ru_RU", "ja_JP", "fr_FR"):  # bottom-posting, Roundcube's default reply mode
    name, email, text, top = PEOPLE[RC_L10N[loc][3]]
    case(f"roundcube_reply_below_{loc}", rc_src(loc, "reply intro with the answer below the quote (reply_mode 0)"),
         f"{rc_intro(loc, email)}\n" + quote(text) + f"\n\n{top}\n",
         [msg(email, "2021-10-27T09:31", text)])

for loc in ("de_DE", "fr_FR", "es_ES", "it_IT", "ru_RU", "ja_JP", "pl_PL", "sv_SE"):
    name, email, text, top = PEOPLE[RC_L10N[loc][3]]
    _, original, (ls, ld, lf, lt), _ = RC_L10N[loc]
    block = "\n".join([f"-------- {original} --------", f"{ls}: 4471", f"{ld}: {RC_DATE}", f"{lf}: {name} <{email}>",
                       f"{lt}: {AGENT[1]}"])
    case(f"roundcube_forward_{loc}", rc_src(loc, "inline forward (get_forward_header), plain text"),
         f"{top}\n\n\n{block}\n\n{text}\n",
         [msg(email, "2021-10-27T09:31", text)])

# -- chains: two messages, the older quoted twice -------------------------------------------------------------------
OURS = "Thank you, we are checking order 4471 with the carrier."
name, email, text, top = PEOPLE["de"]
older = evo_attribution("de", name, day="20", hour="08", minute="02")
newer = evo_attribution("de", AGENT[0], hour="15", minute="05")
case("chain_evolution_de", evo_src("de", "reply chain of two attributions"),
     f"{top}\n\n{newer}\n" + quote(f"{OURS}\n\n{older}\n" + quote(text)) + "\n",
     [msg("", "2021-10-20T08:02+02:00", text, name=name), msg("", "2021-10-27T15:05+02:00", OURS, name=AGENT[0])])
name, email, text, top = PEOPLE["fr"]
case("chain_roundcube_fr", rc_src("fr_FR", "reply chain of two intros"),
     f"{top}\n\n{rc_intro('fr_FR', AGENT[0], '2021-10-27 15:05')}\n"
     + quote(f"{OURS}\n\n{rc_intro('fr_FR', name, '2021-10-20 08:02')}\n" + quote(text)) + "\n",
     [msg("", "2021-10-20T08:02", text, name=name), msg("", "2021-10-27T15:05", OURS, name=AGENT[0])])
name, email, text, top = PEOPLE["es"]
case("chain_geary_es", geary_src("es", "reply chain of two attributions"),
     f"{top}\n\n{geary_attribution('es', AGENT[0], AGENT[1], '27 de octubre de 2021 a las 15:05')}\n"
     + quote(f"{OURS}\n\n{geary_attribution('es', name, email, '20 de octubre de 2021 a las 8:02')}\n" + quote(text)) + "\n",
     [msg(email, "2021-10-20T08:02", text), msg(AGENT[1], "2021-10-27T15:05", OURS)])
name, email, text, top = PEOPLE["ru"]
case("chain_roundcube_over_evolution_ru", "Roundcube (ru_RU) intro over an Evolution (ru) attribution, from "
     f"{RC.format(loc='ru_RU')} and {EVO.format(loc='ru')}; our names and words",
     f"{top}\n\n{rc_intro('ru_RU', AGENT[0], '2021-10-27 15:05')}\n"
     + quote(f"{OURS}\n\n{evo_attribution('ru', name, day='20', hour='08', minute='02', tz='+0300')}\n" + quote(text)) + "\n",
     [msg("", "2021-10-20T08:02+03:00", text, name=name), msg("", "2021-10-27T15:05", OURS, name=AGENT[0])])
name, email, text, top = PEOPLE["it"]
fwd = "\n".join(["---------- Messaggio inoltrato ----------", f"Da: {AGENT[0]} <{AGENT[1]}>", "Oggetto: Re: 4471",
                 "Data: Wed, 27 Oct 2021 15:05:40 +0200", f"A: {email}"])
case("geary_forward_of_reply_it", geary_src("it", "forward of our reply, which quotes the customer in Geary's attribution"),
     f"Per conoscenza.\n\n{fwd}\n\n{OURS}\n\n{geary_attribution('it', name, email, '20 ottobre 2021 8:02')}\n" + quote(text) + "\n",
     [msg(email, "2021-10-20T08:02", text), msg(AGENT[1], "2021-10-27T15:05:40+02:00", OURS)])

# -- texts that quote nothing ----------------------------------------------------------------------------------------
case("nothing_de_schrieb", "A German customer text with 'schrieb' and 'Weitergeleitete Nachricht' in its own words; our words",
     "Am Mittwoch schrieb ich Ihnen schon einmal:\nDie Weitergeleitete Nachricht von DHL kam nie an.\nBitte melden Sie sich.\n",
     [], kind="quotes-nothing")
case("nothing_ru_pishet", "A Russian customer text with 'пишет:' and 'Исходное сообщение' in its own words; our words",
     "Курьер пишет: заказ доставлен.\nИсходное сообщение от службы доставки я не сохранила.\nПроверьте, пожалуйста.\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Seventh held-out split (issue 14, helper h3, session 9): Evolution's, Geary's and Roundcube's own reply "
            "attributions and forward headers in their shipped translations (Debian bookworm packages), with our own "
            "names and words. Committed before handoff was run on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
