"""Reads the strings heldout.py renders from the Debian bookworm packages they ship in, into strings.json.

    mkdir pk && cd pk && apt-get download sogo-common balsa-data locales
    for f in *.deb; do d=${f%%_*}; mkdir -p x/$d; dpkg-deb -x $f x/$d; done
    python bench/data/threads/v8_build/extract.py pk/x bench/data/threads/v8_build/strings.json

Nothing is installed. What is read (each a short excerpt, kept with its package and path named in strings.json):
- SOGo 5.8.0 (`sogo-common` 5.8.0-2+deb12u4, GPL-2.0+ / LGPL-2.1+):
  `usr/share/GNUstep/SOGo/Mailer.SOGo/Resources/SOGoMail<Language>Reply.wo/*.html` (the reply attribution of
  "standard mode", the banner and header labels of "outlook mode") and `SOGoMail<Language>Forward.wo/*.html` (the
  inline forward's banner and labels); `MainUI.SOGo/Resources/<Language>.lproj/Locale` (`NSWeekDayNameArray`,
  `NSMonthNameArray`: what SOGo's date formatter prints for %A and %B in that language).
- Balsa 2.6.4 (`balsa-data` 2.6.4-2, GPL-3.0+): `usr/share/locale/<loc>/LC_MESSAGES/balsa.mo`, the msgids
  "On %s, %s wrote:\\n", "%s wrote:\\n", "------forwarded message from %s------\\n", "Date:", "Subject:",
  "From:", "To:".
- glibc's locale sources (`locales` 2.36-9+deb12u14, the same locales Balsa's default date format "%x %X" is printed
  in): `usr/share/i18n/locales/<loc>`'s LC_TIME `d_fmt`, `t_fmt`, `t_fmt_ampm`, `am_pm`, following `copy`.
"""

from __future__ import annotations

import gettext
import json
import re
import sys
from pathlib import Path
from typing import Any

SOGO_LANGS = (
    "Arabic", "Bosnian", "BrazilianPortuguese", "ChineseTaiwan", "Czech", "Finnish", "French", "German", "Hebrew",
    "Hungarian", "Icelandic", "Indonesian", "Italian", "Kazakh", "Latvian", "Lithuanian", "Macedonian", "Montenegrin",
    "NorwegianBokmal", "NorwegianNynorsk", "Polish", "Portuguese", "Romanian", "Russian", "Serbian", "SerbianLatin",
    "Slovak", "Slovenian", "SpanishSpain", "SpanishArgentina", "Swedish", "TurkishTurkey", "Ukrainian", "Welsh",
    "English", "Dutch", "Danish", "Catalan", "Croatian", "Bulgarian", "Japanese", "ChineseChina",
)  # fmt: skip
BALSA_LOCALES = (
    "de", "fr", "es", "it", "pl", "cs", "nl", "sv", "da", "ru", "uk", "ja", "fi", "hu", "sk", "sl", "hr", "tr",
    "pt_BR", "el", "ro", "lt", "eu", "gl", "ca", "nb", "zh_CN", "zh_TW", "sr", "bg", "id", "et", "lv", "ar", "he",
)  # fmt: skip
# the glibc locale Balsa's "%x %X" is printed in when its UI is in this language
GLIBC_OF = {
    "pt_BR": "pt_BR", "zh_CN": "zh_CN", "zh_TW": "zh_TW", "nb": "nb_NO", "sr": "sr_RS", "el": "el_GR", "da": "da_DK",
    "sv": "sv_SE", "cs": "cs_CZ", "ja": "ja_JP", "uk": "uk_UA", "sl": "sl_SI", "et": "et_EE", "ar": "ar_EG",
    "he": "he_IL", "ca": "ca_ES", "gl": "gl_ES", "eu": "eu_ES", "en": "en_US",
}  # fmt: skip
SOGO_PKG = "Debian sogo-common 5.8.0-2+deb12u4"
BALSA_PKG = "Debian balsa-data 2.6.4-2"
LOCALES_PKG = "Debian locales 2.36-9+deb12u14"


def _template_text(html: str) -> str:
    """The plain text of a SOGo .wo template with <#newLine/> as \\n and every other element's tag dropped."""
    html = re.sub(r"<#newLine\s*/>", "\n", html)
    return html


def _sogo_block(html: str) -> dict[str, Any]:
    text = _template_text(html)
    banner = re.search(r"(-{4,}[^\n<]*-{4,})", text)
    assert banner, "no banner"
    labels: dict[str, str] = {}
    for key in ("subject", "date", "from", "to", "cc"):
        found = re.search(r"(?:>|\n|/>)([^<>\n]*?)<#" + key + r"/>", text)
        assert found, key
        labels[key] = found.group(1)
    return {"banner": banner.group(1), "labels": labels}


def _nsarray(locale_text: str, key: str) -> list[str]:
    found = re.search(key + r"\s*=\s*\((.*?)\);", locale_text, re.S)
    assert found, key
    return [item.strip().strip('"') for item in re.findall(r'\s*("[^"]*"|[^,]+)\s*(?:,|$)', found.group(1))]


def sogo(root: Path) -> dict[str, Any]:
    res = root / "sogo-common/usr/share/GNUstep/SOGo"
    out: dict[str, Any] = {}
    for lang in SOGO_LANGS:
        reply_path = res / f"Mailer.SOGo/Resources/SOGoMail{lang}Reply.wo/SOGoMail{lang}Reply.html"
        fwd_path = res / f"Mailer.SOGo/Resources/SOGoMail{lang}Forward.wo/SOGoMail{lang}Forward.html"
        locale_path = res / f"MainUI.SOGo/Resources/{lang}.lproj/Locale"
        reply = reply_path.read_text(encoding="utf-8")
        standard = re.search(r"<#standardMode>(.*?)</#standardMode", reply, re.S)
        assert standard
        locale_text = locale_path.read_text(encoding="utf-8")
        out[lang] = {
            "attribution": standard.group(1).replace("<#date/>", "{date}").replace("<#from/>", "{from}"),
            "reply_block": _sogo_block(reply),
            "forward_block": _sogo_block(fwd_path.read_text(encoding="utf-8")),
            "weekdays": _nsarray(locale_text, "NSWeekDayNameArray"),
            "months": _nsarray(locale_text, "NSMonthNameArray"),
            "source": f"{SOGO_PKG}, {reply_path.relative_to(root / 'sogo-common')}, "
            f"{fwd_path.relative_to(root / 'sogo-common')}, {locale_path.relative_to(root / 'sogo-common')}",
        }
    return out


def _unicode(value: str) -> str:
    return re.sub(r"<U([0-9A-Fa-f]{4,6})>", lambda m: chr(int(m.group(1), 16)), value).replace("//", "/")


def _lc_time(root: Path, loc: str) -> dict[str, Any]:
    path = root / "locales/usr/share/i18n/locales" / loc
    text = path.read_text(encoding="utf-8", errors="replace")
    section = re.search(r"^LC_TIME\n(.*?)^END LC_TIME", text, re.S | re.M)
    assert section, loc
    body = section.group(1)
    copy = re.search(r'^copy\s+"([^"]+)"', body, re.M)
    if copy and not re.search(r"^d_fmt", body, re.M):
        return _lc_time(root, copy.group(1))
    fields: dict[str, Any] = {"locale": loc}
    for key in ("d_fmt", "t_fmt", "t_fmt_ampm"):
        found = re.search(r"^" + key + r'\s+"([^"]*)"', body, re.M)
        fields[key] = _unicode(found.group(1)) if found else ""
    am_pm = re.search(r'^am_pm\s+"([^"]*)";\s*"([^"]*)"', body, re.M)
    fields["am_pm"] = [_unicode(am_pm.group(1)), _unicode(am_pm.group(2))] if am_pm else ["", ""]
    fields["source"] = f"{LOCALES_PKG}, usr/share/i18n/locales/{loc}"
    return fields


def balsa(root: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for loc in BALSA_LOCALES:
        mo = root / f"balsa-data/usr/share/locale/{loc}/LC_MESSAGES/balsa.mo"
        with mo.open("rb") as fh:
            tr = gettext.GNUTranslations(fh)
        keys = ("On %s, %s wrote:\n", "%s wrote:\n", "------forwarded message from %s------\n")
        labels = ("Date:", "Subject:", "From:", "To:")
        glibc = GLIBC_OF.get(loc, f"{loc}_{loc.upper()}")
        out[loc] = {
            "attribution": tr.gettext(keys[0]),
            "undated": tr.gettext(keys[1]),
            "forward_banner": tr.gettext(keys[2]),
            "labels": dict(zip(("date", "subject", "from", "to"), (tr.gettext(k) for k in labels), strict=True)),
            "lc_time": _lc_time(root, glibc),
            "source": f"{BALSA_PKG}, usr/share/locale/{loc}/LC_MESSAGES/balsa.mo",
        }
    return out


def main() -> None:
    root, target = Path(sys.argv[1]), Path(sys.argv[2])
    # Balsa's own English strings (the msgids) are printed in en_US's date and time where no translation is used
    data = {"sogo": sogo(root), "balsa": balsa(root), "glibc_en_US": _lc_time(root, "en_US")}
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
