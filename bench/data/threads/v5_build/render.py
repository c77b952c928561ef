# ruff: noqa: E501  (fixture tables read best one per line)
# fmt: off
"""What dev.py and heldout.py share (issue 14, helper h3, 2026-12-02): localised dates, header blocks and
attributions of the clients as their UIs write them, threads rendered from a model (sender, time, text of every
message, oldest first) so every label is known by construction, and the raw-mail wrappers (HTML-only part,
quoted-printable). Month and weekday names come from chains_build/common.py (typed by hand, not from dateparser)."""

from __future__ import annotations

import json
import quopri
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chains_build"))
from common import ABBR, DAYS, DAYS_ABBR, MONTHS

# abbreviations chains_build/common.py lacks (as Gmail prints them in each UI language)
ABBR_EXTRA = {
    "ro": "ian. feb. mar. apr. mai iun. iul. aug. sept. oct. nov. dec.".split(),
    "hr": "sij veljače ožu tra svi lip srp kol ruj lis stu pro".split(),
    "et": "jaan veebr märts apr mai juuni juuli aug sept okt nov dets".split(),
    "sk": "jan feb mar apr máj jún júl aug sep okt nov dec".split(),
    "sv": "jan. feb. mars apr. maj juni juli aug. sep. okt. nov. dec.".split(),
}
DAYS_ABBR_EXTRA = {
    "ro": "lun. mar. mie. joi vin. sâm. dum.".split(),
    "hr": "pon uto sri čet pet sub ned".split(),
    "et": "E T K N R L P".split(),
    "hu": "H K Sze Cs P Szo V".split(),
    "sk": "po ut st št pi so ne".split(),
    "sv": "mån tis ons tors fre lör sön".split(),
}
MONTHS_EXTRA = {
    "sv": "januari februari mars april maj juni juli augusti september oktober november december".split(),
    "cs": "ledna února března dubna května června července srpna září října listopadu prosince".split(),
}
DAYS_EXTRA = {
    "sv": "måndag tisdag onsdag torsdag fredag lördag söndag".split(),
    "cs": "pondělí úterý středa čtvrtek pátek sobota neděle".split(),
}


def f(template: str, lang: str, when: datetime) -> str:
    """A date in `template` with {d} {dd} {m} {mm} {y} {H} {h} {M} {S} {h12} {p} {mon} {mona} {wd} {wda} {z}."""
    h12 = when.hour % 12 or 12
    values: dict[str, str] = dict(
        d=str(when.day), dd=f"{when.day:02d}", m=str(when.month), mm=f"{when.month:02d}", y=str(when.year),
        H=f"{when.hour:02d}", h=str(when.hour), M=f"{when.minute:02d}", S=f"{when.second:02d}", h12=str(h12),
        p="AM" if when.hour < 12 else "PM",
    )  # fmt: skip
    months = MONTHS.get(lang) or MONTHS_EXTRA.get(lang)
    abbr = ABBR.get(lang) or ABBR_EXTRA.get(lang)
    days = DAYS.get(lang) or DAYS_EXTRA.get(lang)
    days_abbr = DAYS_ABBR.get(lang) or DAYS_ABBR_EXTRA.get(lang)
    if months:
        values["mon"] = months[when.month - 1]
    if abbr:
        values["mona"] = abbr[when.month - 1]
    if days:
        values["wd"] = days[when.weekday()]
    if days_abbr:
        values["wda"] = days_abbr[when.weekday()]
    if when.utcoffset() is not None:
        minutes = int(when.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
        sign = "+" if minutes >= 0 else "-"
        values["z"] = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
        values["gmt"] = f"GMT{sign}{abs(minutes) // 60}"
    return template.format(**values)


@dataclass(frozen=True)
class M:
    name: str
    email: str
    when: datetime  # naive unless the layout prints the offset
    text: str


def label(m: M, by_name: bool = False) -> dict[str, Any]:
    # the text's first four words with the separators the text has (a line break stays one)
    starts = re.match(r"\S+(?:\s+\S+){0,3}", m.text).group(0)  # type: ignore[union-attr]
    out: dict[str, Any] = {"from_email": "" if by_name else m.email.lower(), "starts": starts}
    if by_name:
        out["from_name"] = m.name
    out["sent_at"] = m.when.isoformat()
    return out


def quote(text: str, depth: int = 1) -> str:
    return "\n".join((">" * depth + " " + line).rstrip() if line else ">" * depth for line in text.split("\n"))


def wrap(line: str, width: int = 72) -> str:
    """Plain-text line wrap as a client's format=flowed-less sender does it (at a space, `width` columns)."""
    out, cur = [], ""
    for word in line.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    out.append(cur)
    return "\n".join(out)


# -- Outlook desktop (Win32) header block labels and long dates, per UI language -------------------------------
OUTLOOK = {
    "en": (("From", "Sent", "To", "Cc", "Subject"), "{wd}, {mon} {d}, {y} {h12}:{M} {p}"),
    "de": (("Von", "Gesendet", "An", "Cc", "Betreff"), "{wd}, {d}. {mon} {y} {H}:{M}"),
    "fr": (("De", "Envoyé", "À", "Cc", "Objet"), "{wd} {d} {mon} {y} {H}:{M}"),
    "es": (("De", "Enviado el", "Para", "CC", "Asunto"), "{wd}, {d} de {mon} de {y} {H}:{M}"),
    "ru": (("От", "Отправлено", "Кому", "Копия", "Тема"), "{wd}, {d} {mon} {y} г. {h}:{M}"),
    "uk": (("Від", "Надіслано", "Кому", "Копія", "Тема"), "{wd}, {d} {mon} {y} р. {h}:{M}"),
    "tr": (("Kimden", "Gönderildi", "Kime", "Bilgi", "Konu"), "{d} {mon} {y} {wd} {H}:{M}"),
    "hu": (("Feladó", "Elküldve", "Címzett", "Másolatot kap", "Tárgy"), "{y}. {mon} {d}., {wd} {h}:{M}"),
    "ro": (("De la", "Trimis", "Către", "Cc", "Subiect"), "{wd}, {d} {mon} {y} {H}:{M}"),
    "hr": (("Šalje", "Poslano", "Prima", "Kopija", "Predmet"), "{wd}, {d}. {mon} {y}. {h}:{M}"),
    "sk": (("Od", "Odoslané", "Komu", "Kópia", "Predmet"), "{wd} {d}. {mon} {y} {h}:{M}"),
    "et": (("Saatja", "Saatmisaeg", "Adressaat", "Koopia", "Teema"), "{wd}, {d}. {mon} {y} {h}:{M}"),
    "nb": (("Fra", "Sendt", "Til", "Kopi", "Emne"), "{wd} {d}. {mon} {y} {H}:{M}"),
    "da": (("Fra", "Sendt", "Til", "Cc", "Emne"), "{wd} den {d}. {mon} {y} {H}:{M}"),
    "fi": (("Lähettäjä", "Lähetetty", "Vastaanottaja", "Kopio", "Aihe"), "{wd} {d}. {mon} {y} {h}.{M}"),
    "ja": (("差出人", "送信日時", "宛先", "CC", "件名"), "{y}年{m}月{d}日 {h}:{M}"),
    "sv": (("Från", "Skickat", "Till", "Kopia", "Ämne"), "den {d} {mon} {y} {H}:{M}"),
    "cs": (("Od", "Odesláno", "Komu", "Kopie", "Předmět"), "{wd} {d}. {mon} {y} {h}:{M}"),
}
# new Outlook / Outlook for Mac / OWA "From / Date / To / Subject" blocks (the date label, not "Sent")
OUTLOOK_MAC = {
    "ru": (("От", "Дата", "Кому", "Копия", "Тема"), "{wd}, {d} {mon} {y} г. в {H}:{M}"),
    "uk": (("Від", "Дата", "Кому", "Копія", "Тема"), "{wd}, {d} {mon} {y} р. о {H}:{M}"),
    "tr": (("Kimden", "Tarih", "Kime", "Bilgi", "Konu"), "{wd}, {d} {mon} {y} {H}:{M}"),
    "hu": (("Feladó", "Dátum", "Címzett", "Másolat", "Tárgy"), "{y}. {mon} {d}., {wd} {H}:{M}"),
    "ro": (("De la", "Dată", "Către", "Cc", "Subiect"), "{wd}, {d} {mon} {y} la {H}:{M}"),
    "hr": (("Od", "Datum", "Za", "Kopija", "Predmet"), "{wd}, {d}. {mon} {y}. u {H}:{M}"),
    "sk": (("Od", "Dátum", "Komu", "Kópia", "Predmet"), "{wd} {d}. {mon} {y} o {H}:{M}"),
    "et": (("Saatja", "Kuupäev", "Adressaat", "Koopia", "Teema"), "{wd}, {d}. {mon} {y} kell {H}:{M}"),
    "nb": (("Fra", "Dato", "Til", "Kopi", "Emne"), "{wd} {d}. {mon} {y} kl. {H}:{M}"),
    "da": (("Fra", "Dato", "Til", "Cc", "Emne"), "{wd} den {d}. {mon} {y} kl. {H}.{M}"),
    "fi": (("Lähettäjä", "Päivämäärä", "Vastaanottaja", "Kopio", "Aihe"), "{wd} {d}. {mon} {y} klo {H}.{M}"),
    "ja": (("差出人", "日付", "宛先", "CC", "件名"), "{y}年{m}月{d}日 {H}:{M}"),
    "de": (("Von", "Datum", "An", "Cc", "Betreff"), "{wd}, {d}. {mon} {y} um {H}:{M}"),
    "fr": (("De", "Date", "À", "Cc", "Objet"), "{wd} {d} {mon} {y} à {H}:{M}"),
    "es": (("De", "Fecha", "Para", "CC", "Asunto"), "{wd}, {d} de {mon} de {y}, {H}:{M}"),
}


def outlook_block(m: M, lang: str, to: str, subject: str, cc: str = "", mac: bool = False, mailto: bool = False,
                  bold: bool = False, french_space: bool | None = None) -> str:  # fmt: skip
    (lf, ls, lt, lc, lsub), date_t = (OUTLOOK_MAC if mac else OUTLOOK)[lang]
    sp = " " if (french_space if french_space is not None else lang == "fr") else ""
    star = "*" if bold else ""
    sender = f"{m.name} [mailto:{m.email}]" if mailto else f"{m.name} <{m.email}>"
    lines = [f"{star}{lf}{sp}:{star} {sender}", f"{star}{ls}{sp}:{star} {f(date_t, lang, m.when)}",
             f"{star}{lt}{sp}:{star} {to}"]  # fmt: skip
    if cc:
        lines.append(f"{star}{lc}{sp}:{star} {cc}")
    lines.append(f"{star}{lsub}{sp}:{star} {subject}")
    if mac:  # Outlook for Mac / new Outlook order: From, Date, To, (Cc), Subject
        return "\n".join(lines)
    return "\n".join(lines)


# -- Gmail forward banners and labels, reply attributions, per UI language ----------------------------------
GMAIL_FWD = {
    "ru": ("---------- Пересылаемое сообщение ---------", ("От", "Дата", "Тема", "Кому"), "{wda}, {d} {mona} {y} г. в {H}:{M}"),
    "uk": ("---------- Переслане повідомлення ---------", ("Від", "Дата", "Тема", "Кому"), "{wda}, {d} {mona} {y} р. о {H}:{M}"),
    "tr": ("---------- Yönlendirilen ileti ---------", ("Kimden", "Tarih", "Konu", "Kime"), "{d} {mona} {y} {wda} {H}:{M}"),
    "hu": ("---------- Továbbított levél ---------", ("Feladó", "Dátum", "Tárgy", "Címzett"), "{y}. {mona} {d}., {wda}, {h}:{M}"),
    "ro": ("---------- Mesaj redirecționat ---------", ("De la", "Date", "Subject", "To"), "{wda}, {d} {mona} {y}, {H}:{M}"),
    "hr": ("---------- Proslijeđena poruka ---------", ("Od", "Datum", "Predmet", "Prima"), "{wda}, {d}. {mona} {y}. u {H}:{M}"),
    "sk": ("---------- Preposlaná správa ---------", ("Od", "Dátum", "Predmet", "Komu"), "{wda} {d}. {m}. {y} o {h}:{M}"),
    "et": ("---------- Edastatud sõnum ---------", ("Saatja", "Kuupäev", "Teema", "Saaja"), "{wda}, {d}. {mona} {y} kell {H}:{M}"),
    "nb": ("---------- Videresendt melding ---------", ("Fra", "Dato", "Emne", "Til"), "{wda} {d}. {mona} {y} kl. {H}:{M}"),
    "da": ("---------- Videresendt besked ---------", ("Fra", "Date", "Subject", "To"), "{wda} {d}. {mona} {y} kl. {H}.{M}"),
    "fi": ("---------- Välitetty viesti ---------", ("Lähettäjä", "Date", "Subject", "To"), "{wda} {d}.{m}.{y} klo {h}.{M}"),
    "ja": ("---------- Forwarded message ---------", ("From", "Date", "Subject", "To"), "{y}年{m}月{d}日({wda}) {h}:{M}"),
    "de": ("---------- Weitergeleitete Nachricht ---------", ("Von", "Date", "Subject", "To"), "{wda}, {d}. {mona} {y} um {H}:{M} Uhr"),
    "fr": ("---------- Forwarded message ---------", ("De", "Date", "Subject", "To"), "{wda} {d} {mona} {y} à {H}:{M}"),
    "es": ("---------- Forwarded message ---------", ("De", "Date", "Subject", "To"), "{wda}, {d} {mona} {y} a las {h}:{M}"),
    "en": ("---------- Forwarded message ---------", ("From", "Date", "Subject", "To"), "{wd}, {mon} {d}, {y} at {h12}:{M} {p}"),
}
GMAIL_REPLY = {  # {when}, {who} = 'Name <a>'
    "ru": ("{wda}, {d} {mona} {y} г. в {H}:{M}", "{when}, {who}:"),
    "uk": ("{wda}, {d} {mona} {y} р. о {H}:{M}", "{when} {who} пише:"),
    "tr": ("{d} {mona} {y} {wda}, {H}:{M}", "{who}, {when} tarihinde şunu yazdı:"),
    "hu": ("{y}. {mona} {d}., {wda}, {h}:{M}", "{who} ezt írta (időpont: {when}):"),
    "ro": ("{wda}, {d} {mona} {y}, {H}:{M}", "{who} a scris:", "{when}"),
    "hr": ("{wda}, {d}. {mona} {y}. u {H}:{M}", "{who} napisao je {when}:"),
    "sk": ("{wda} {d}. {m}. {y} o {h}:{M}", "{when} {who} napísal(a):"),
    "et": ("{wda}, {d}. {mona} {y} kell {H}:{M}", "Kasutaja {who} kirjutas kuupäeval {when}:"),
    "nb": ("{wda} {d}. {mona} {y} kl. {H}:{M}", "{when} skrev {who}:"),
    "da": ("{wda} {d}. {mona} {y} kl. {H}.{M}", "Den {when} skrev {who}:"),
    "fi": ("{wda} {d}.{m}.{y} klo {h}.{M}", "{who} kirjoitti {when}:"),
    "ja": ("{y}年{m}月{d}日({wda}) {h}:{M}", "{when} {who}:"),
    "de": ("{wda}, {d}. {mona} {y} um {H}:{M} Uhr", "Am {when} schrieb {who}:"),
    "fr": ("{wda} {d} {mona} {y} à {H}:{M}", "Le {when}, {who} a écrit :"),
    "es": ("{wda}, {d} {mona} {y} a las {h}:{M}", "El {when}, {who} escribió:"),
    "en": ("{wda}, {mona} {d}, {y} at {h12}:{M} {p}", "On {when} {who} wrote:"),
}


def gmail_attribution(m: M, lang: str, wrap_at: int = 0) -> str:
    spec = GMAIL_REPLY[lang]
    when = f(spec[0], lang, m.when)
    who = f"{m.name} <{m.email}>"
    if len(spec) == 3:  # Romanian: the date on a line of its own before "Name <a> a scris:"
        line = f"{when} {spec[1].format(who=who)}"
    else:
        line = spec[1].format(when=when, who=who)
    return wrap(line, wrap_at) if wrap_at else line


def gmail_forward(m: M, lang: str, to: str, subject: str) -> str:
    banner, (lf, ld, ls, lt), date_t = GMAIL_FWD[lang]
    return (f"{banner}\n{lf}: {m.name} <{m.email}>\n{ld}: {f(date_t, lang, m.when)}\n{ls}: {subject}\n"
            f"{lt}: {to}")  # fmt: skip


# -- threads ----------------------------------------------------------------------------------------------------


def outlook_chain(msgs: list[M], top: str, block, sigs: dict[int, str] | None = None, rule: bool = False) -> str:
    """Outlook desktop's top-posted chain: newest text first, each older message under its header block,
    unquoted. `block(m, i)` renders message i's header; `sigs[i]` is a signature under message i's text."""
    sigs = sigs or {}
    parts = [top]
    for i in range(len(msgs) - 1, -1, -1):
        sep = "________________________________\n" if rule else ""
        body = msgs[i].text + (f"\n\n{sigs[i]}" if i in sigs else "")
        parts.append(f"{sep}{block(msgs[i], i)}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def gmail_chain(msgs: list[M], top: str, attribution) -> str:
    """Gmail's bottom-quoted chain: each reply quotes the whole previous mail one '>' deeper."""

    def render(i: int) -> str:
        own = msgs[i].text
        if i == 0:
            return own
        return f"{own}\n\n{attribution(msgs[i - 1], i - 1)}\n\n{quote(render(i - 1))}"

    return f"{top}\n\n{attribution(msgs[-1], len(msgs) - 1)}\n\n{quote(render(len(msgs) - 1))}\n"


# -- whole mails ------------------------------------------------------------------------------------------------
OUTER = "From: {name} <{addr}>\nTo: support@handoff.localhost\nSubject: {subject}\nDate: {date}\nMIME-Version: 1.0\n"


def raw_qp(text: str, subject: str, name: str = "Bench Forwarder", addr: str = "forwarder@bench.invalid",
           date: str = "Tue, 1 Jan 2030 12:00:00 +0000") -> str:  # fmt: skip
    """A text/plain part in quoted-printable as clients send 8-bit text (soft breaks at 76 columns)."""
    body = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    return (OUTER.format(name=name, addr=addr, subject=subject, date=date)
            + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" + body)  # fmt: skip


def raw_html(html: str, subject: str, name: str = "Bench Forwarder", addr: str = "forwarder@bench.invalid",
             date: str = "Tue, 1 Jan 2030 12:00:00 +0000", qp: bool = False) -> str:  # fmt: skip
    """A mail whose only part is text/html (no text/plain alternative), 8-bit or quoted-printable."""
    cte = "quoted-printable" if qp else "8bit"
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii") if qp else html
    return (OUTER.format(name=name, addr=addr, subject=subject, date=date)
            + f"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: {cte}\n\n{body}")  # fmt: skip


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_paras(text: str) -> str:
    return "".join(f'<p class="MsoNormal">{esc(line) or "&nbsp;"}</p>' for line in text.split("\n"))


class Cases:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.cases: list[dict[str, Any]] = []

    def add(self, name: str, source: str, expected: list[dict[str, Any]], text: str | None = None,
            raw: str | None = None, kind: str = "reply-or-forward") -> None:  # fmt: skip
        case: dict[str, Any] = {"name": f"{self.prefix}/{name}", "kind": kind, "source": source}
        if raw is not None:
            case["raw"] = raw
        else:
            case["text"] = text
        case["expected"] = expected
        self.cases.append(case)

    def save(self, out: str, split: str, about: str) -> None:
        names = [c["name"] for c in self.cases]
        assert len(names) == len(set(names)), "duplicate case names"
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"split": split, "about": about, "cases": self.cases}, fh, ensure_ascii=False, indent=1)
            fh.write("\n")
