# ruff: noqa: E501  (fixture tables and templates read best one per line)
"""Dev chains (tuned on): layouts other than heldout.py's. Gmail reply attributions in 16 languages (some wrapped
the way Gmail wraps plain text at 80 columns), Outlook's "-----Original Message-----" banner localised with the
"[mailto:]" sender and the locale's date without weekday, Outlook blocks as HTML-to-text converters print them
("*From:*"), blocks with wrapped recipient lists, Cc, "Importance" and "Attachments" lines, agent signatures and
disclaimers between messages, and deep Gmail/Outlook/Apple forwards."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ZONE, Msg, fmt, label, quote, times, tz
from texts import C, T, agent

cases: list[dict] = []


def add(name: str, source: str, text: str, msgs: list[Msg], outer: datetime) -> None:
    exp = []
    for m in msgs:
        lab = label(m)
        if m.email:
            lab.pop("from_name")
        else:
            lab["from_email"] = None
        lab["body"] = m.text  # our own words: the whole text of every message is known
        exp.append(lab)
    cases.append(
        {
            "name": f"dc/{name}",
            "source": source,
            "kind": "thread",
            "outer_date": outer.strftime("%a, %d %b %Y %H:%M:%S %z"),
            "text": text,
            "expected": exp,
        }
    )


STEPS = [(0, 0), (22, 5), (25, 50), (2, 33), (47, 8)]


def chain_msgs(lang, start, n, zone_shown=False):
    whens = times(start, STEPS[:n])
    cust, ag = C[lang], agent(lang)
    return [Msg(*(cust if i % 2 == 0 else ag), whens[i], T[lang][i], zone_shown) for i in range(n)]


# 1. Gmail reply attributions (web, plain text part), '>' one level deeper per message.
GMAIL = {
    "en": "On {wda}, {mona} {d}, {y} at {h12}:{M} {p} {who} wrote:",
    "de": "Am {wda}, {d}. {mona} {y} um {H}:{M} Uhr schrieb {who}:",
    "fr": "Le {wda} {d} {mona} {y} à {H}:{M}, {who} a écrit :",
    "es": "El {wda}, {d} {mona} {y} a las {h}:{M}, {who} escribió:",
    "it": "Il giorno {wda} {d} {mona} {y} alle ore {H}:{M} {who} ha scritto:",
    "nl": "Op {wda} {d} {mona} {y} om {H}:{M} schreef {who}:",
    "pt": "Em {wda}, {d} de {mona} de {y} às {H}:{M}, {who} escreveu:",
    "pl": "W dniu {wda}, {dd}.{mm}.{y} o {H}:{M} {who} napisał(a):",
    "ru": "{wda}, {d} {mona} {y} г. в {H}:{M}, {who}:",
    "uk": "{wda}, {d} {mona} {y} р. о {H}:{M} {who} пише:",
    "tr": "{who}, {d} {mona} {y} {wda}, {H}:{M} tarihinde şunu yazdı:",
    "hu": "{who} ezt írta (időpont: {y}. {mona} {d}., {H}:{M}):",
    "nb": "{wda} {d}. {mona} {y} kl. {H}:{M} skrev {who}:",
    "da": "Den {wda} {d}. {mona} {y} kl. {H}.{M} skrev {who}:",
    "fi": "{who} kirjoitti {wda} {d}. {mona} {y} klo {h}.{M}:",
    "ja": "{y}年{m}月{d}日({wda}) {H}:{M} {who}:",
}
for k, lang in enumerate(GMAIL):
    start = datetime(2022, 9, 12 + k, 8 + k % 10, (9 * k) % 60, tzinfo=tz(ZONE[lang]))
    n = min(3 + k % 3, len(T[lang]))
    msgs = chain_msgs(lang, start, n)
    wrap = k % 4 == 3

    def att(m, lang=lang, wrap=wrap):
        who = f"{m.name} <{m.email}>"
        line = fmt(GMAIL[lang], lang, m.when).replace("{who}", who)
        if wrap and "<" in line:  # Gmail's plain text wraps before the address when the line passes 76 columns
            at = line.index("<")
            line = line[:at] + "<\n" + line[at + 1 :]
        return line

    def render(i, msgs=msgs, att=att):
        if i == 0:
            return msgs[0].text
        return msgs[i].text + "\n\n" + att(msgs[i - 1]) + "\n\n" + quote(render(i - 1))

    top = "FYI"
    text = top + "\n\n" + att(msgs[-1]) + "\n\n" + quote(render(n - 1)) + "\n"
    add(
        f"gmail_{lang}_chain{n}",
        f"Gmail web ({lang}) reply attribution '{GMAIL[lang]}'" + (" wrapped before the address" if wrap else ""),
        text,
        msgs,
        msgs[-1].when + timedelta(hours=2),
    )

# 2. Outlook 2010-2016: localised "-----Original Message-----", "[mailto:]", the date without weekday.
ORIG = {
    "de": ("-----Ursprüngliche Nachricht-----", ("Von", "Gesendet", "An", "Betreff"), "{d}. {mon} {y} {H}:{M}"),
    "fr": ("-----Message d'origine-----", ("De", "Envoyé", "À", "Objet"), "{d} {mon} {y} {H}:{M}"),
    "es": ("-----Mensaje original-----", ("De", "Enviado el", "Para", "Asunto"), "{d} de {mon} de {y} {H}:{M}"),
    "ru": ("-----Original Message-----", ("From", "Sent", "To", "Subject"), "{wd}, {mon} {d}, {y} {h12}:{M} {p}"),
    "ru2": ("-----Исходное сообщение-----", ("От", "Отправлено", "Кому", "Тема"), "{d} {mon} {y} г. {h}:{M}"),
    "uk": ("-----Оригінальне повідомлення-----", ("Від", "Надіслано", "Кому", "Тема"), "{d} {mon} {y} р. {h}:{M}"),
    "tr": ("-----Özgün İleti-----", ("Kimden", "Gönderildi", "Kime", "Konu"), "{d} {mon} {y} {H}:{M}"),
    "hu": ("-----Eredeti üzenet-----", ("Feladó", "Küldve", "Címzett", "Tárgy"), "{y}. {mon} {d}. {h}:{M}"),
    "ro": ("-----Mesaj original-----", ("De la", "Trimis", "Către", "Subiect"), "{d} {mon} {y} {H}:{M}"),
    "hr": ("-----Izvorna poruka-----", ("Šalje", "Poslano", "Prima", "Predmet"), "{d}. {mon} {y}. {h}:{M}"),
    "sk": ("-----Pôvodná správa-----", ("Od", "Odoslané", "Komu", "Predmet"), "{d}. {mon} {y} {h}:{M}"),
    "et": ("-----Algsõnum-----", ("Saatja", "Saadetud", "Adressaat", "Teema"), "{d}. {mon} {y} {h}:{M}"),
    "nb": ("-----Opprinnelig melding-----", ("Fra", "Sendt", "Til", "Emne"), "{d}. {mon} {y} {H}:{M}"),
    "da": ("-----Oprindelig meddelelse-----", ("Fra", "Sendt", "Til", "Emne"), "{wd} den {d}. {mon} {y} {H}:{M}"),
    "fi": (
        "-----Alkuperäinen viesti-----",
        ("Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe"),
        "{d}. {mon} {y} {h}.{M}",
    ),
    "ja": ("-----Original Message-----", ("差出人", "送信日時", "宛先", "件名"), "{y}年{m}月{d}日 {H}:{M}"),
}
for k, key in enumerate(ORIG):
    lang = key.rstrip("2")
    banner, (f, s, t, subj), date_t = ORIG[key]
    start = datetime(2021, 4 + k % 8, 13 + k % 15, 9 + k % 8, (11 * k) % 60, tzinfo=tz(ZONE[lang]))
    n = min(3 + k % 2, len(T[lang]))
    msgs = chain_msgs(lang, start, n)
    colon = "\u00a0:" if lang == "fr" else ":"
    out = "Bitte übernehmen.\n\n" if lang == "de" else "Please handle.\n\n"
    for i, msg in enumerate(reversed(msgs)):
        j = n - 1 - i
        to = msgs[j - 1] if j else Msg(*agent(lang), msg.when, "")
        date = fmt(date_t, lang if lang != "ru" or key == "ru2" else "en", msg.when)
        extra = ""
        if k % 3 == 0:
            extra = f"Cc{colon} team@northwind-help.com; Ops <ops@northwind-help.com>\n"
        sig = "\n\n--\nNorthwind Support | +49 30 1234567\n" if j % 2 == 1 and k % 2 == 0 else "\n"
        out += (
            f"{banner}\n{f}{colon} {msg.name} [mailto:{msg.email}] \n{s}{colon} {date}\n{t}{colon} {to.name}\n{extra}"
            f"{subj}{colon} AW: 4410\n\n{msg.text}{sig}\n"
        )
    add(
        f"outlook_original_{key}_chain{n}",
        f"Outlook 2010-2016 ({lang}) '{banner}' banner, '[mailto:]' sender with a "
        "trailing space, the date without weekday, the recipient's name only",
        out,
        msgs,
        msgs[-1].when + timedelta(hours=2),
    )

# 3. Outlook blocks as HTML-to-text converters print them: "*From:* ..." (bold), and the To list wrapped.
for k, lang in enumerate(["en", "de", "fr", "es"]):
    labels = {
        "en": ("From", "Sent", "To", "Subject", "{wd}, {mon} {d}, {y} {h12}:{M} {p}"),
        "de": ("Von", "Gesendet", "An", "Betreff", "{wd}, {d}. {mon} {y} {H}:{M}"),
        "fr": ("De", "Envoyé", "À", "Objet", "{wd} {d} {mon} {y} {H}:{M}"),
        "es": ("De", "Enviado el", "Para", "Asunto", "{wd}, {d} de {mon} de {y} {H}:{M}"),
    }[lang]
    f, s, t, subj, date_t = labels
    start = datetime(2022, 1, 17 + k, 10, 2 + 9 * k, tzinfo=tz(1))
    msgs = chain_msgs(lang, start, 4)
    out = "Forwarding.\n\n"
    for i, msg in enumerate(reversed(msgs)):
        j = 3 - i
        out += (
            f"*{f}:* {msg.name} <{msg.email}>\n*{s}:* {fmt(date_t, lang, msg.when)}\n*{t}:* Ana Lopez <ana@northwind-help.com>; "
            f"Ben Ford <ben@northwind-help.com>;\nChris Young <chris@northwind-help.com>\n*{subj}:* RE: order 12\n"
            + ("*Importance:* High\n" if lang == "en" else "")
            + f"\n{msg.text}\n\n"
        )
    add(
        f"outlook_bold_{lang}_chain4",
        f"Outlook ({lang}) header blocks as an HTML-to-text converter prints them ('*{f}:*' "
        "bold labels), the To list wrapped onto a second line",
        out,
        msgs,
        msgs[-1].when + timedelta(hours=1),
    )

# 4. Deep forwards: Gmail in de/fr/es (Gmail keeps 'Date:/Subject:/To:' in English, localises the sender label),
# Outlook 'WG:'/'TR:'/'RV:' forwards, Apple Mail forwards '>'-quoted one level deeper each time.
GF = {
    "de": ("Von", "{wda}, {d}. {mona} {y} um {H}:{M} Uhr"),
    "fr": ("De", "{wda} {d} {mona} {y} à {H}:{M}"),
    "es": ("De", "{wda}, {d} {mona} {y} a las {h}:{M}"),
    "en": ("From", "{wda}, {mona} {d}, {y} at {h12}:{M} {p}"),
}
STAFF = [
    ("Ana Lopez", "ana@northwind-help.com"),
    ("Ben Ford", "ben@northwind-help.com"),
    ("Chris Young", "chris@northwind-help.com"),
]
for k, (client, lang, levels) in enumerate(
    [
        ("gmail", "de", 11),
        ("gmail", "fr", 7),
        ("outlook", "es", 9),
        ("outlook", "de", 6),
        ("apple", "en", 6),
        ("gmail", "es", 4),
    ]
):
    start = datetime(2022, 7, 4 + k, 8, 0, tzinfo=tz(2))
    whens = times(start, [(0, 0)] + [(1, 7 * i) for i in range(1, levels)])
    msgs = [Msg(*C[lang], whens[0], T[lang][0])] + [
        Msg(*STAFF[i % 3], whens[i], f"{['Weiter', 'Voir', 'Mira', 'See'][k % 4]} ({i})") for i in range(1, levels)
    ]
    text = "Top note.\n\n"
    depth = 0
    zone = client == "apple"
    for msg in reversed(msgs):
        if client == "gmail":
            lf, dt = GF[lang]
            block = (
                f"---------- Forwarded message ---------\n{lf}: {msg.name} <{msg.email}>\nDate: {fmt(dt, lang, msg.when)}\n"
                f"Subject: Fwd: case\nTo: <desk@northwind-help.com>\n\n\n{msg.text}\n\n"
            )
            text += block
        elif client == "outlook":
            f, s, t, subj, dt = {
                "es": ("De", "Enviado el", "Para", "Asunto", "{wd}, {d} de {mon} de {y} {H}:{M}"),
                "de": ("Von", "Gesendet", "An", "Betreff", "{wd}, {d}. {mon} {y} {H}:{M}"),
            }[lang]
            text += (
                f"________________________________\n{f}: {msg.name} <{msg.email}>\n{s}: {fmt(dt, lang, msg.when)}\n"
                f"{t}: desk@northwind-help.com\n{subj}: {'RV' if lang == 'es' else 'WG'}: case\n\n{msg.text}\n\n"
            )
        else:
            block = (
                f"Begin forwarded message:\n\nFrom: {msg.name} <{msg.email}>\nSubject: Fwd: case\n"
                f"Date: {fmt('{mon} {d}, {y} at {h12}:{M}:00 {p} GMT+2', 'en', msg.when)}\nTo: desk@northwind-help.com\n\n{msg.text}\n"
            )
            q = "\n".join((("> " * depth) + line).rstrip() for line in block.split("\n"))
            text += q + "\n"
            depth += 1
    msgs = [Msg(m.name, m.email, m.when, m.text, zone) for m in msgs]
    add(
        f"{client}_nested_{levels}_{lang}",
        f"{client} ({lang}) forward nested {levels} deep",
        text,
        msgs,
        msgs[-1].when + timedelta(hours=1),
    )

# 5. Inline answers (interleaved): the agent cut the customer's mail into pieces and answered below each; the
# customer's message is every quoted piece. Gmail's attribution, en/de/fr/es.
INLINE = {
    "en": ("On {wda}, {mona} {d}, {y} at {h12}:{M} {p} {who} wrote:", ["It shipped yesterday.", "Yes, done."]),
    "de": ("Am {wda}, {d}. {mona} {y} um {H}:{M} Uhr schrieb {who}:", ["Ist gestern raus.", "Ja, erledigt."]),
    "fr": ("Le {wda} {d} {mona} {y} à {H}:{M}, {who} a écrit :", ["Parti hier.", "Oui, c'est fait."]),
    "es": ("El {wda}, {d} {mona} {y} a las {h}:{M}, {who} escribió:", ["Salió ayer.", "Sí, hecho."]),
}
for k, lang in enumerate(INLINE):
    att_t, answers = INLINE[lang]
    start = datetime(2022, 10, 3 + k, 9, 15 + k, tzinfo=tz(1))
    cust = Msg(*C[lang], start, T[lang][0] + "\n\n" + T[lang][2])
    att = fmt(att_t, lang, cust.when).replace("{who}", f"{cust.name} <{cust.email}>")
    text = f"Answers below.\n\n{att}\n\n> {T[lang][0]}\n\n{answers[0]}\n\n> {T[lang][2]}\n\n{answers[1]}\n"
    add(
        f"gmail_inline_{lang}_chain1",
        f"Gmail ({lang}) reply with inline answers between the quoted pieces",
        text,
        [cust],
        start + timedelta(hours=3),
    )
    cases[-1]["kind"] = "single"

# 6. Exchange's legacyExchangeDN instead of an address for senders inside the organisation (internal forwards).
DN = "</O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN={cn}>"
start = datetime(2022, 11, 7, 8, 30, tzinfo=tz(1))
staff = [("Lopez, Ana", "ANA"), ("Ford, Ben", "BFORD"), ("Young, Chris", "CYOUNG")]
msgs = [Msg(*C["en"], start, T["en"][0])] + [
    Msg(staff[i][0], "", start + timedelta(hours=i + 1), f"Note {i + 1}: please check.") for i in range(3)
]
out = "Escalating.\n\n"
for i, msg in enumerate(reversed(msgs)):
    sender = (
        f"{msg.name} <{msg.email}>"
        if msg.email
        else f"{msg.name} {DN.format(cn=staff[3 - i - 1][1] if i < 3 else 'X')}"
    )
    out += (
        f"From: {sender}\nSent: {fmt('{wd}, {mon} {d}, {y} {h12}:{M} {p}', 'en', msg.when)}\nTo: Support {DN.format(cn='DESK')}\n"
        f"Subject: FW: claim\n\n{msg.text}\n\n"
    )
add(
    "exchange_dn_en_chain4",
    "Exchange/Outlook internal forwards: senders of the organisation printed by legacyExchangeDN "
    "('Lopez, Ana </O=EXCHANGELABS/...>'), labelled by name",
    out,
    msgs,
    msgs[-1].when + timedelta(hours=1),
)

# 7. Customer text with header-like labels that quotes nothing: a trip, a shipment (our words).
for k, text in enumerate(
    [
        "Hello,\n\nI booked this trip:\n\nFrom: Berlin Hbf\nTo: München\nDate: 27.10.2021 09:31\n\nPlease refund it.\n",
        "Guten Tag,\n\nmeine Sendung:\nVon: Hamburg\nAn: Köln\nDatum: Mittwoch, 27. Oktober 2021 09:31\n\nWo ist sie?\n",
    ]
):
    cases.append(
        {
            "name": f"dc/labels_in_text_{k}",
            "source": "customer text with From/To/Date labels and no quote (ours)",
            "kind": "quotes-nothing",
            "text": text,
            "expected": [],
        }
    )

data = {
    "split": "dev",
    "about": "issue 14 chains for tuning: layouts other than heldout_chains.json's (see README).",
    "cases": cases,
}
open(sys.argv[1], "w", encoding="utf-8").write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
print(len(cases), "cases", sum(len(c["expected"]) for c in cases), "messages")
