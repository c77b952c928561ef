"""Writes bench/data/threads/tuned_v12.json, held out as heldout_v12.json until session 13 (issue 14, helper h1, session 11, 2026-12-02).

A client no earlier split draws on (`grep -ril` for cypht, fairemail, deltachat, "delta chat" over every file and
builder in bench/data/threads found Cypht nowhere, and the others only in the README's lists of clients not yet used):
Cypht (cypht-org/cypht, LGPL-2.1), a PHP webmail. Read with the stored-repository tools (find_files/read_file/
find_string), `modules/core/message_functions.php` at 130079042d7abc2d761a097883656bb342aca459:
- reply_lead_in(): a reply is `sprintf(trans('On %s %s said') . "\\n\\n", $headers['Date'], $to)` over the quoted text;
  the date is the replied-to message's raw Date header (RFC 5322, as the sender's client wrote it), and $to is
  reply_to_address() -> format_reply_address(): the Reply-To/From header parsed into `label . ' ' . email` (the display
  name and the bare address, no angle brackets), or the address alone when there is no name.
- format_reply_text(): every line of the quoted text gets "> " in front (a line already quoted gets "> " more), and
  lines longer than 75 characters are wrapped with PHP's wordwrap() at 75 + strlen(prefix), the prefix repeated.
- a forward is "\\n\\n----- " . trans('begin forwarded message') . " -----\\n\\n" and then the From, Date and Subject
  headers as they stand, with ENGLISH labels ("From: ", "Date: ", "Subject: ": the labels are not translated), a blank
  line and the forwarded text unquoted. No To or Cc line is written.
The translated strings are typed from `language/<lang>.php` (commit per language in LANGS below): 'On %s %s said' and
'begin forwarded message' in English (the source strings), German (whose "Am %s%s sagte" has no space between the
date and the sender, so the two are glued: kept as shipped), French, Spanish, Italian (glued as German), Dutch,
Brazilian Portuguese and Hungarian. The text a user types goes above the lead-in (the compose textarea holds
lead-in + quote; our reading). Names, addresses and words are ours. Committed before handoff was run on it; only
its totals were read until session 13, when its misses were read and fixed (helper h1) and it was renamed
tuned_v12.json; from then it writes "split": "tuned" and an "about" that says so (the cases are unchanged).
Run: python bench/data/threads/v12_build/heldout.py bench/data/threads/tuned_v12.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, save

CODE_SRC = "cypht-org/cypht modules/core/message_functions.php @130079042d7abc2d761a097883656bb342aca459 (reply_lead_in, format_reply_text, format_reply_address)"

# lang: (reply lead-in, forward banner text, commit of language/<lang>.php where each was read)
LANGS: dict[str, dict[str, str]] = {
    "en": {"said": "On %s %s said", "fwd": "begin forwarded message",
           "source": "the source strings in modules/core/message_functions.php @130079042d7abc2d761a097883656bb342aca459"},
    "de": {"said": "Am %s%s sagte", "fwd": "Nachrichtweiterleiten beginnen",
           "source": "language/de.php @0a718e499dd3eefc25f8dd7c95d30edca29b2fac (the forward banner the same @bd659cad5e254f6aa7873b33f2272b0352f77877)"},
    "fr": {"said": "Le %s, %s a dit:", "fwd": "début du message transféré",
           "source": "language/fr.php @0a718e499dd3eefc25f8dd7c95d30edca29b2fac"},
    "es": {"said": "El %s, %s dijo:", "fwd": "comenzar mensaje de reenvío",
           "source": "language/es.php @030fd16df2b8b12fa8285b1fbb6ebf519bd8fdf1"},
    "it": {"said": "In data %s%s ha scritto", "fwd": "inizia messaggio inoltrato",
           "source": "language/it.php @08a3951ed7880f30deb27d07618ecfb659b094e0"},
    "nl": {"said": "op %s, %s zei:", "fwd": "Begin geforward bericht",
           "source": "language/nl.php @06235756797045f1fc80def3fe10b43a2476f296"},
    "pt-BR": {"said": "Em %s %s disse", "fwd": "iniciar mensagem encaminhada",
              "source": "language/pt-BR.php @08a3951ed7880f30deb27d07618ecfb659b094e0"},
    "hu": {"said": "%s-kor %s azt mondta", "fwd": "Továbbított üzenet kezdete",
           "source": "language/hu.php @06235756797045f1fc80def3fe10b43a2476f296"},
}

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v12h")
AGENT = ("Support Team", "support@store.example")
OURS = "The replacement part is on its way."

# The Date headers Cypht copies into the lead-in, as the customers' own clients wrote them (RFC 5322)
def tz(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


WHEN = {
    "a": datetime(2022, 3, 8, 14, 5, 12, tzinfo=tz(1)),
    "b": datetime(2023, 2, 17, 15, 8, 40, tzinfo=tz(-5)),
    "c": datetime(2023, 11, 15, 11, 26, 3, tzinfo=tz(0)),
    "d": datetime(2023, 12, 18, 20, 51, 59, tzinfo=tz(2)),
}


def date_header(key: str) -> str:
    return format_datetime(WHEN[key])  # "Tue, 08 Mar 2022 14:05:12 +0100"


def label(key: str) -> str:
    return WHEN[key].isoformat()


PEOPLE: dict[str, list[tuple[str, str, str, str]]] = {  # (name, address, their text, the agent's line above the quote)
    "en": [("Emma Clarke", "emma.clarke@web.example", "The display of my device 8812 has been flickering since yesterday.", "Thank you for your patience."),
           ("Oliver Grant", "o.grant@mailbox.example", "Parcel 4409 arrived damaged.", "We are on it.")],
    "de": [("Lena Hoffmann", "lena.hoffmann@web.example", "Das Display meines Geräts 8812 flackert seit gestern.", "Vielen Dank für die Geduld."),
           ("Tobias Krüger", "t.krueger@mailbox.example", "Die Lieferung 4409 kam beschädigt an.", "Wir kümmern uns darum.")],
    "fr": [("Julie Moreau", "julie.moreau@web.example", "L'écran de mon appareil 8812 clignote depuis hier.", "Merci pour votre patience."),
           ("Antoine Roux", "antoine.roux@mailbox.example", "La livraison 4409 est arrivée abîmée.", "Nous nous en occupons.")],
    "es": [("Carmen Ruiz", "carmen.ruiz@web.example", "La pantalla de mi aparato 8812 parpadea desde ayer.", "Gracias por su paciencia."),
           ("Diego Torres", "diego.torres@mailbox.example", "El envío 4409 llegó dañado.", "Nos ocupamos de ello.")],
    "it": [("Giulia Russo", "giulia.russo@web.example", "Lo schermo del mio dispositivo 8812 sfarfalla da ieri.", "Grazie per la pazienza."),
           ("Marco Bianchi", "m.bianchi@mailbox.example", "La spedizione 4409 è arrivata danneggiata.", "Ce ne occupiamo noi.")],
    "nl": [("Eva Jansen", "eva.jansen@web.example", "Het scherm van mijn apparaat 8812 flikkert sinds gisteren.", "Bedankt voor uw geduld."),
           ("Lars Visser", "lars.visser@mailbox.example", "Zending 4409 kwam beschadigd aan.", "We pakken het op.")],
    "pt-BR": [("Ana Souza", "ana.souza@web.example", "A tela do meu aparelho 8812 está piscando desde ontem.", "Obrigado pela paciência."),
              ("Rafael Lima", "rafael.lima@mailbox.example", "A entrega 4409 chegou danificada.", "Estamos cuidando disso.")],
    "hu": [("Kovács Anna", "anna.kovacs@web.example", "A 8812-es készülékem kijelzője tegnap óta villog.", "Köszönjük a türelmét."),
           ("Nagy Péter", "peter.nagy@mailbox.example", "A 4409-es csomag sérülten érkezett.", "Intézkedünk.")],
}
LONG_TEXT = {
    "en": "I have already restarted it twice, removed the battery and installed the latest update, but the flickering comes back after a few minutes every time.",
    "de": "Ich habe es schon zweimal neu gestartet, den Akku herausgenommen und das neueste Update installiert, aber das Flackern kommt jedes Mal nach ein paar Minuten zurück.",
    "fr": "Je l'ai déjà redémarré deux fois, j'ai retiré la batterie et installé la dernière mise à jour, mais le clignotement revient à chaque fois après quelques minutes.",
    "es": "Ya lo he reiniciado dos veces, he quitado la batería y he instalado la última actualización, pero el parpadeo vuelve cada vez después de unos minutos.",
    "it": "L'ho già riavviato due volte, ho tolto la batteria e installato l'ultimo aggiornamento, ma lo sfarfallio ritorna ogni volta dopo qualche minuto.",
    "nl": "Ik heb het al twee keer opnieuw opgestart, de batterij eruit gehaald en de nieuwste update geïnstalleerd, maar het flikkeren komt elke keer na een paar minuten terug.",
    "pt-BR": "Já reiniciei duas vezes, tirei a bateria e instalei a atualização mais recente, mas a tela volta a piscar depois de alguns minutos todas as vezes.",
    "hu": "Már kétszer újraindítottam, kivettem az akkumulátort és telepítettem a legújabb frissítést, de a villogás néhány perc múlva mindig visszatér.",
}
SUBJECT = {"en": "Device 8812", "de": "Gerät 8812", "fr": "Appareil 8812", "es": "Aparato 8812", "it": "Dispositivo 8812",
           "nl": "Apparaat 8812", "pt-BR": "Aparelho 8812", "hu": "8812-es készülék"}
PLEASE = {"en": "Please have a look.", "de": "Bitte ansehen.", "fr": "Merci de regarder.", "es": "Por favor, revíselo.",
          "it": "Per favore, dai un'occhiata.", "nl": "Graag even bekijken.", "pt-BR": "Por favor, veja.", "hu": "Kérlek, nézd meg."}


def reply_to(name: str | None, email: str) -> str:
    """format_reply_address(): `label . ' ' . email`, or the address alone."""
    return f"{name} {email}" if name else email


def lead_in(lang: str, key: str, name: str | None, email: str) -> str:
    return LANGS[lang]["said"].replace("%s", date_header(key), 1).replace("%s", reply_to(name, email), 1) + "\n\n"


def php_wordwrap(line: str, width: int) -> list[str]:
    """wordwrap($line, $width, $break) without $cut: greedy, at spaces, counting BYTES as PHP does (so a line with
    accented letters breaks earlier than its character count says); a word longer than the width stays whole."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        if current and len((current + " " + word).encode("utf-8")) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    out.append(current)
    return out


def reply_text(text: str) -> str:
    """format_reply_text(): '> ' before every line, '> ' more on a quoted line, long lines wrapped with the prefix."""
    out = []
    for line in text.split("\n"):
        pre = "> "
        stripped = line
        while stripped.startswith(">"):
            stripped = stripped[1:].lstrip(" ")
        if stripped != line:
            pre += line[: len(line) - len(stripped)].rstrip(" ") + " "
        parts = php_wordwrap(line, 75 + len(pre))
        out.append("> " + ("\n" + pre).join(parts))
    return "\n".join(out)


def forward_block(lang: str, name: str | None, email: str, key: str, subject: str) -> str:
    sender = f'"{name}" <{email}>' if name else email
    return f"----- {LANGS[lang]['fwd']} -----\n\nFrom: {sender}\nDate: {date_header(key)}\nSubject: {subject}\n\n"


def src(lang: str, what: str) -> str:
    return f"Cypht ({lang}) {what}, from {CODE_SRC} and cypht-org/cypht {LANGS[lang]['source']}; our names, addresses and words"


# -- replies: two customers x two dates per language, the answer above the lead-in ---------------------------------
for lang in LANGS:
    for who, key in ((0, "a"), (1, "b"), (0, "c"), (1, "d")):
        name, email, text, ours = PEOPLE[lang][who]
        body = f"{ours}\n\n{lead_in(lang, key, name, email)}{reply_text(text)}\n"
        case(f"reply_{lang}_{who}_{key}", src(lang, f"reply to a mail dated {date_header(key)}"), body, [msg(email, label(key), text)])

# a sender with no display name (the lead-in carries the bare address), and a long quoted line wrapped at 77
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][1]
    body = f"{ours}\n\n{lead_in(lang, 'c', None, email)}{reply_text(text)}\n"
    case(f"reply_bare_address_{lang}", src(lang, "reply to a sender with no display name"), body, [msg(email, label("c"), text)])
    name, email, text, ours = PEOPLE[lang][0]
    quoted = f"{text}\n{LONG_TEXT[lang]}\n\n--\n{name}"
    body = f"{ours}\n\n{lead_in(lang, 'd', name, email)}{reply_text(quoted)}\n"
    case(f"reply_long_line_{lang}", src(lang, "reply quoting a line longer than 75 characters (wrapped by format_reply_text) and a signature"), body, [msg(email, label("d"), text)])

# -- forwards: English labels under the translated banner --------------------------------------------------------
for lang in LANGS:
    for who, key, named in ((0, "b", True), (1, "a", False)):
        name, email, text, _ = PEOPLE[lang][who]
        block = forward_block(lang, name if named else None, email, key, SUBJECT[lang])
        case(f"forward_{lang}_{who}_{key}", src(lang, f"forward ({'named sender' if named else 'bare address'}): banner, From/Date/Subject, the text unquoted"),
             f"{PLEASE[lang]}\n\n{block}{text}\n", [msg(email, label(key), text)])

# -- two-message chains: the customer's Cypht reply quoting our Cypht reply, which quotes the customer ------------
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][0]
    ours_mail = f"{OURS}\n\n{lead_in(lang, 'a', name, email)}{reply_text(text)}"
    again = {"en": "It is still flickering.", "de": "Es flackert immer noch.", "fr": "Il clignote toujours.", "es": "Sigue parpadeando.",
             "it": "Sfarfalla ancora.", "nl": "Het flikkert nog steeds.", "pt-BR": "Ainda está piscando.", "hu": "Még mindig villog."}[lang]
    body = f"{again}\n\n{lead_in(lang, 'c', AGENT[0], AGENT[1])}{reply_text(ours_mail)}\n"
    case(f"chain_{lang}", src(lang, "reply chain: the customer's reply quoting our reply, which quotes the customer (both Cypht)"),
         body, [msg(email, label("a"), text), msg(AGENT[1], label("c"), OURS)])

# -- forwards of a reply ------------------------------------------------------------------------------------------
for lang in ("de", "fr"):
    name, email, text, _ = PEOPLE[lang][1]
    inner = f"{OURS}\n\n{lead_in(lang, 'b', name, email)}{reply_text(text)}"
    case(f"forward_of_reply_{lang}", src(lang, "forward of our reply, which quotes the customer under Cypht's lead-in"),
         f"{PLEASE[lang]}\n\n{forward_block(lang, AGENT[0], AGENT[1], 'd', 'Re: 4409')}{inner}\n",
         [msg(email, label("b"), text), msg(AGENT[1], label("d"), OURS)])

# -- texts that quote nothing ---------------------------------------------------------------------------------------
case("nothing_en_said", "An English customer text with 'On <date> <name> said' inside a sentence, no quote; our words",
     "On Tuesday the courier Oliver Grant said the parcel would come back to you.\nCan you confirm that?\n",
     [], kind="quotes-nothing")
case("nothing_de_sagte", "A German customer text with 'Am <date> ... sagte' and an address in sentences, no quote; our words",
     "Am 8. März sagte mir Ihr Kollege (support@store.example), das Gerät sei unterwegs.\nEs ist nie angekommen.\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "tuned",
        "about": (
            "Twelfth held-out split (issue 14, helper h1, session 11): Cypht's reply lead-in and forward block in eight "
            "translations (raw RFC 5322 dates), from its repository's code and translations, with our own names, addresses "
            "and words. Committed before handoff was run on it; only its totals were read until session 13, when its "
            "misses were read and fixed (helper h1): tuned on since, reported apart from both splits."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
