"""Writes bench/data/threads/tuned_v9.json (was heldout_v9.json; issue 14, helper h5, session 10, 2026-12-02).

Two clients no earlier split draws on (checked with `grep -ril` over every file and builder in bench/data/threads):
- Nextcloud Mail (nextcloud/mail, AGPL-3.0, `src/ReplyBuilder.js` at 055c62a8cdc4f3e48a405a3c079a4dd21f611840,
  `buildReplyBody`): its reply puts `"<from.label>" <from.email> – <date>` (an en dash, no "wrote") on one line and
  the quoted text under it, each line prefixed "> " (`'<br>&gt; ' + value.replace(/\\n/g, '<br>&gt; ')`); the answer
  goes above (replyOnTop, the default) or below the quote. The date is `moment.unix(date).format('LLL')` in the user's
  Nextcloud language, so in 43 locales it is moment's own LLL ("8. März 2022 14:05", "8 марта 2022 г., 14:05",
  "2022年3月8日下午2点05分", "٨ مارس ٢٠٢٢ ١٤:٠٥"), rendered by moment 2.30.1 itself (`extract.js` -> `strings.json`).
  No zone is printed, so every label keeps the wall clock only.
- Mailspring (Foundry376/Mailspring, GPL-3.0): `app/src/flux/models/message.ts`' `replyAttributionLine()`, "On
  <date>, <Name <email>> wrote:" (not localised), and `app/src/flux/stores/draft-factory.ts`' forward block,
  "---------- <Forwarded Message> ---------", then "From: " (not localised), "<Subject>: ", "<Date>: ",
  "<To>: ", "<Cc>: ", whose labels come from `app/lang/<lang>.json` (English, and German at
  003881f06f7ffc09d779032a506e65932b270c4c: "Weitergeleitete E-Mail", "Betreff", "Datum", "An", "CC"). Its date is
  moment's "MMM D YYYY, [at] h:mm a" in English (intl.ts never sets moment's locale): "Mar 8 2022, at 2:05 pm".
Mailspring writes HTML (an attribution div over a blockquote); the plain text here quotes it with "> ", our reading.
The layouts around the strings (blank lines, "> " quotes, where the answer goes) are our reading of each client's
code, not a copy of a mail it wrote. Names, addresses and words are ours. Committed before handoff was run on it;
only its totals were read until session 10's h6 read its misses (it is tuned_v9.json since).
Run: python bench/data/threads/v9_build/heldout.py bench/data/threads/tuned_v9.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, quote, save

STRINGS: dict[str, Any] = json.loads((Path(__file__).resolve().parent / "strings.json").read_text(encoding="utf-8"))
LLL: dict[str, Any] = STRINGS["nextcloud_lll"]
MS_DATE: dict[str, str] = STRINGS["mailspring_en"]
MOMENT = f"moment {STRINGS['moment_version']} (npm, its locale/<lang>.js LLL)"
NC_SRC = "nextcloud/mail 055c62a8cdc4f3e48a405a3c079a4dd21f611840 src/ReplyBuilder.js (buildReplyBody)"
MS_REPLY_SRC = "Foundry376/Mailspring app/src/flux/models/message.ts (replyAttributionLine, formattedDate)"
MS_FWD_SRC = "Foundry376/Mailspring f0280ebbfab0f9799c5fad85fd96a8c9453ba61f app/src/flux/stores/draft-factory.ts (createDraftForForward)"

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v9h")
AGENT = ("Service Desk", "service@shop.example")
OURS = "We have passed this on to the warehouse."

FIRST, SECOND, OLDER = "2022-03-08T14:05:00", "2022-03-09T08:47:00", "2022-03-07T16:20:00"

# Our customers per locale: (display name, address, their text, the agent's line beside the quote)
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "en": ("Hannah Reed", "hannah.reed@post.example", "My order 7341 came without the charger.", "Thanks for looking."),
    "en-gb": ("Oliver Hughes", "oliver.hughes@post.example", "Order 7341 arrived without its charger.", "Cheers for checking."),
    "de": ("Jonas Becker", "jonas.becker@post.example", "Bei Bestellung 7341 fehlt das Ladegerät.", "Danke fürs Prüfen."),
    "fr": ("Camille Martin", "camille.martin@post.example", "La commande 7341 est arrivée sans chargeur.", "Merci de vérifier."),
    "es": ("Lucía García", "lucia.garcia@post.example", "El pedido 7341 llegó sin el cargador.", "Gracias por revisarlo."),
    "it": ("Giulia Bianchi", "giulia.bianchi@post.example", "L'ordine 7341 è arrivato senza caricatore.", "Grazie mille."),
    "nl": ("Sanne de Vries", "sanne.devries@post.example", "Bestelling 7341 kwam zonder oplader.", "Bedankt voor het nakijken."),
    "pl": ("Kacper Nowak", "kacper.nowak@post.example", "Zamówienie 7341 przyszło bez ładowarki.", "Dziękuję za sprawdzenie."),
    "ru": ("Дмитрий Орлов", "dmitry.orlov@post.example", "Заказ 7341 пришёл без зарядного устройства.", "Спасибо заранее."),
    "uk": ("Олена Бондар", "olena.bondar@post.example", "Замовлення 7341 прийшло без зарядного пристрою.", "Дякую за перевірку."),
    "cs": ("Jakub Dvořák", "jakub.dvorak@post.example", "Objednávka 7341 přišla bez nabíječky.", "Děkuji za kontrolu."),
    "sk": ("Martina Kováčová", "martina.kovacova@post.example", "Objednávka 7341 prišla bez nabíjačky.", "Ďakujem pekne."),
    "hu": ("Nagy Bence", "bence.nagy@post.example", "A 7341-es rendelés töltő nélkül érkezett.", "Köszönöm az ellenőrzést."),
    "tr": ("Emre Yılmaz", "emre.yilmaz@post.example", "7341 numaralı sipariş şarj aleti olmadan geldi.", "Kontrol ederseniz sevinirim."),
    "ja": ("高橋 健太", "kenta.takahashi@post.example", "注文 7341 に充電器が入っていませんでした。", "確認をお願いします。"),
    "zh-cn": ("王磊", "lei.wang@post.example", "订单 7341 没有附带充电器。", "麻烦核实一下。"),
    "zh-tw": ("林佳穎", "jiaying.lin@post.example", "訂單 7341 沒有附充電器。", "麻煩確認一下。"),
    "ko": ("김민준", "minjun.kim@post.example", "주문 7341에 충전기가 없었습니다.", "확인 부탁드립니다."),
    "sv": ("Elsa Nilsson", "elsa.nilsson@post.example", "Order 7341 kom utan laddare.", "Tack på förhand."),
    "da": ("Magnus Jensen", "magnus.jensen@post.example", "Ordre 7341 kom uden oplader.", "Tak for hjælpen."),
    "nb": ("Nora Hansen", "nora.hansen@post.example", "Ordre 7341 kom uten lader.", "Takk for at dere sjekker."),
    "fi": ("Aino Virtanen", "aino.virtanen@post.example", "Tilaus 7341 tuli ilman laturia.", "Kiitos tarkistuksesta."),
    "pt": ("Tiago Santos", "tiago.santos@post.example", "A encomenda 7341 chegou sem carregador.", "Obrigado pela ajuda."),
    "pt-br": ("Beatriz Lima", "beatriz.lima@post.example", "O pedido 7341 chegou sem o carregador.", "Obrigada desde já."),
    "ca": ("Jordi Vila", "jordi.vila@post.example", "La comanda 7341 ha arribat sense carregador.", "Gràcies per mirar-ho."),
    "gl": ("Brais Otero", "brais.otero@post.example", "O pedido 7341 chegou sen cargador.", "Grazas por revisalo."),
    "eu": ("Ane Etxeberria", "ane.etxeberria@post.example", "7341 eskaera kargagailurik gabe iritsi da.", "Eskerrik asko."),
    "el": ("Νίκος Παπαδόπουλος", "nikos.papadopoulos@post.example", "Η παραγγελία 7341 ήρθε χωρίς φορτιστή.", "Ευχαριστώ για τον έλεγχο."),
    "bg": ("Георги Димитров", "georgi.dimitrov@post.example", "Поръчка 7341 пристигна без зарядно.", "Благодаря за проверката."),
    "sr": ("Stefan Ilić", "stefan.ilic@post.example", "Porudžbina 7341 je stigla bez punjača.", "Hvala na proveri."),
    "sr-cyrl": ("Ана Марковић", "ana.markovic@post.example", "Поруџбина 7341 је стигла без пуњача.", "Хвала на провери."),
    "hr": ("Luka Horvat", "luka.horvat@post.example", "Narudžba 7341 stigla je bez punjača.", "Hvala na provjeri."),
    "sl": ("Nina Zupan", "nina.zupan@post.example", "Naročilo 7341 je prispelo brez polnilnika.", "Hvala za preverbo."),
    "ro": ("Ioana Munteanu", "ioana.munteanu@post.example", "Comanda 7341 a venit fără încărcător.", "Mulțumesc pentru verificare."),
    "lt": ("Lukas Kazlauskas", "lukas.kazlauskas@post.example", "Užsakymas 7341 atkeliavo be įkroviklio.", "Ačiū, kad patikrinsite."),
    "lv": ("Elīza Bērziņa", "eliza.berzina@post.example", "Pasūtījums 7341 atnāca bez lādētāja.", "Paldies par pārbaudi."),
    "et": ("Kertu Tamm", "kertu.tamm@post.example", "Tellimus 7341 saabus ilma laadijata.", "Aitäh kontrollimast."),
    "is": ("Jón Sigurðsson", "jon.sigurdsson@post.example", "Pöntun 7341 kom án hleðslutækis.", "Takk fyrir að athuga."),
    "he": ("יואב כהן", "yoav.cohen@post.example", "הזמנה 7341 הגיעה בלי מטען.", "תודה על הבדיקה."),
    "ar": ("عمر خالد", "omar.khaled@post.example", "وصل الطلب 7341 بدون شاحن.", "شكرًا على المراجعة."),
    "fa": ("سارا رضایی", "sara.rezaei@post.example", "سفارش 7341 بدون شارژر رسید.", "ممنون از بررسی."),
    "vi": ("Nguyễn Minh Anh", "minhanh.nguyen@post.example", "Đơn hàng 7341 đến mà không có bộ sạc.", "Cảm ơn đã kiểm tra."),
    "id": ("Dewi Lestari", "dewi.lestari@post.example", "Pesanan 7341 datang tanpa pengisi daya.", "Terima kasih sudah mengecek."),
}


def wall(when: str) -> str:
    return when[:16]  # neither client prints a zone: the label keeps the wall clock only


def nc_attribution(locale: str, label: str, email: str, when: str) -> str:
    return f'"{label}" {email} – {LLL[locale]["dates"][when]}'


def nc_src(locale: str, what: str) -> str:
    return f"Nextcloud Mail ({locale}) {what}, from {NC_SRC}; date {LLL[locale]['format']!r} from {MOMENT}; our names and words"


# -- Nextcloud Mail: a reply per locale (answer above, the default; every third below) --------------------------
for index, locale in enumerate(LLL):
    name, email, text, ours = PEOPLE[locale]
    block = nc_attribution(locale, name, email, FIRST) + "\n" + quote(text)
    if index % 3 == 2:
        body, what = f"{block}\n\n{ours}\n", "reply, the answer below the quote (replyOnTop off)"
    else:
        body, what = f"{ours}\n\n{block}\n", "reply, the answer above the quote"
    case(f"nextcloud_reply_{locale}", nc_src(locale, what), body, [msg(email, wall(FIRST), text)])

# a morning time (single-digit hours where the locale's LLL has H or h)
for locale in ("es", "ru", "cs", "hu", "sr", "bg", "ro", "et", "is", "ca", "el", "en", "ko", "zh-cn"):
    name, email, text, ours = PEOPLE[locale]
    body = f"{ours}\n\n{nc_attribution(locale, name, email, SECOND)}\n" + quote(text + "\n\n-- \n" + name) + "\n"
    case(f"nextcloud_reply_morning_{locale}", nc_src(locale, "reply at 08:47, the quoted text ending in a signature"), body,
         [msg(email, wall(SECOND), text)])

# a sender with no display name: from.label is the address itself
for locale in ("de", "fr", "pl", "ja"):
    name, email, text, ours = PEOPLE[locale]
    body = f"{ours}\n\n{nc_attribution(locale, email, email, FIRST)}\n" + quote(text) + "\n"
    case(f"nextcloud_reply_bare_{locale}", nc_src(locale, "reply to a sender with no display name (label = address)"),
         body, [msg(email, wall(FIRST), text)])

# -- Mailspring ------------------------------------------------------------------------------------------------
MS_LABELS: dict[str, dict[str, str]] = {
    "en": {"banner": "Forwarded Message", "subject": "Subject", "date": "Date", "to": "To", "cc": "Cc"},
    "de": {"banner": "Weitergeleitete E-Mail", "subject": "Betreff", "date": "Datum", "to": "An", "cc": "CC"},
}
MS_LANG_SRC = {"en": "the English keys themselves", "de": "Foundry376/Mailspring 003881f06f7ffc09d779032a506e65932b270c4c app/lang/de.json"}


def ms_contact(name: str | None, email: str) -> str:
    return f"{name} <{email}>" if name else email  # Contact.toString: the address alone when there is no name


def ms_attribution(name: str | None, email: str, when: str) -> str:
    return f"On {MS_DATE[when]}, {ms_contact(name, email)} wrote:"


def ms_forward(lang: str, name: str | None, email: str, when: str, to: str, subject: str, cc: str | None = None) -> str:
    lab = MS_LABELS[lang]
    lines = [f"---------- {lab['banner']} ---------", "", f"From: {ms_contact(name, email)}", f"{lab['subject']}: {subject}",
             f"{lab['date']}: {MS_DATE[when]}", f"{lab['to']}: {to}"]
    if cc:
        lines.append(f"{lab['cc']}: {cc}")
    return "\n".join(lines)


for locale in ("en", "en-gb", "de", "fr", "es", "nl", "sv", "pl"):  # the attribution is English in every UI language
    name, email, text, ours = PEOPLE[locale]
    when = SECOND if locale in ("fr", "sv") else FIRST
    body = f"{ours}\n\n{ms_attribution(name, email, when)}\n\n" + quote(text) + "\n"
    case(f"mailspring_reply_{locale}", f"Mailspring reply attribution (UI {locale}; not localised), from {MS_REPLY_SRC}; date from {MOMENT} 'en'; our names and words",
         body, [msg(email, wall(when), text)])

name, email, text, ours = PEOPLE["it"]
case("mailspring_reply_bare_it", f"Mailspring reply attribution to a sender with no display name, from {MS_REPLY_SRC}; our names and words",
     f"{ours}\n\n{ms_attribution(None, email, FIRST)}\n\n" + quote(text) + "\n", [msg(email, wall(FIRST), text)])

for lang, locales in (("en", ("en", "en-gb", "nl", "tr")), ("de", ("de", "pl", "cs", "hu"))):
    for i, locale in enumerate(locales):
        name, email, text, ours = PEOPLE[locale]
        cc = "warehouse@shop.example" if i == 1 else None
        block = ms_forward(lang, name, email, FIRST, AGENT[1], "Order 7341", cc)
        case(f"mailspring_forward_{lang}_{locale}", f"Mailspring inline forward (UI {lang}){', with Cc' if cc else ''}, from {MS_FWD_SRC} and {MS_LANG_SRC[lang]}; date from {MOMENT} 'en'; our names and words",
             f"FYI\n\n{block}\n\n{text}\n", [msg(email, wall(FIRST), text)])

# -- two-message chains ----------------------------------------------------------------------------------------
for locale in ("de", "fr", "pl", "ja", "ru"):
    name, email, text, ours = PEOPLE[locale]
    older = nc_attribution(locale, name, email, OLDER) + "\n" + quote(text)
    newer = nc_attribution(locale, AGENT[0], AGENT[1], FIRST)
    case(f"chain_nextcloud_{locale}", nc_src(locale, "reply chain: our Nextcloud reply quoting the customer's Nextcloud-quoted text"),
         f"{ours}\n\n{newer}\n" + quote(f"{OURS}\n\n{older}") + "\n",
         [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])

name, email, text, ours = PEOPLE["en"]
case("chain_mailspring_over_nextcloud_en", f"Mailspring attribution over a Nextcloud Mail (en) one, from {MS_REPLY_SRC} and {NC_SRC}; dates from {MOMENT}; our names and words",
     f"{ours}\n\n{ms_attribution(AGENT[0], AGENT[1], FIRST)}\n\n" + quote(f"{OURS}\n\n{nc_attribution('en', name, email, OLDER)}\n" + quote(text)) + "\n",
     [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])

name, email, text, ours = PEOPLE["de"]
case("mailspring_forward_of_nextcloud_reply_de", f"Mailspring (de) forward of our reply, which quotes the customer in Nextcloud Mail's (de) attribution, from {MS_FWD_SRC}, {MS_LANG_SRC['de']} and {NC_SRC}; our names and words",
     f"Zur Info.\n\n{ms_forward('de', AGENT[0], AGENT[1], FIRST, email, 'Re: 7341')}\n\n{OURS}\n\n{nc_attribution('de', name, email, OLDER)}\n" + quote(text) + "\n",
     [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])

name, email, text, ours = PEOPLE["es"]
case("chain_mailspring_over_mailspring_es", f"Mailspring reply chain (UI es; the attribution is English), from {MS_REPLY_SRC}; our names and words",
     f"{ours}\n\n{ms_attribution(AGENT[0], AGENT[1], FIRST)}\n\n" + quote(f"{OURS}\n\n{ms_attribution(name, email, OLDER)}\n\n" + quote(text)) + "\n",
     [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])

# -- texts that quote nothing ----------------------------------------------------------------------------------
case("nothing_de_dash_date", "A German customer text with a quoted name, an address, a dash and a date on one line, in its own words; our words",
     'Ich habe "Paketdienst" info@paket.example – 8. März 2022 angeschrieben,\nbisher ohne Antwort.\nBitte helfen Sie mir.\n',
     [], kind="quotes-nothing")
case("nothing_en_on_wrote", "An English customer text with 'On Mar 8' and 'wrote' inside a sentence; our words",
     "On Mar 8 I wrote to the courier and they never answered.\nCould you chase them?\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Ninth held-out split (issue 14, helper h5, session 10): Nextcloud Mail's reply quote in 43 locales (moment's "
            "LLL dates) and Mailspring's reply attribution and inline forward (English and German labels), from their "
            "repositories' code and translations, with our own names and words. Committed before handoff was run on it. "
            "Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
