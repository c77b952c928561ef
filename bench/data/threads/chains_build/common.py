# ruff: noqa: E501  (fixture tables and templates read best one per line)
"""Shared rendering for the chains fixtures (bench/data/threads/*chains*.json).

Each thread is a small model (sender, time, text of every message, oldest first) rendered the way a named
client lays out a reply or forward, so every label is known by construction, not read back from handoff.
Month/weekday names are written out here by hand per language (not taken from dateparser, which handoff uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(),
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro".split(),
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia".split(),
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(),
    "uk": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня".split(),
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık".split(),
    "hu": "január február március április május június július augusztus szeptember október november december".split(),
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie".split(),
    "hr": "siječnja veljače ožujka travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga prosinca".split(),
    "sk": "januára februára marca apríla mája júna júla augusta septembra októbra novembra decembra".split(),
    "et": "jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember".split(),
    "nb": "januar februar mars april mai juni juli august september oktober november desember".split(),
    "da": "januar februar marts april maj juni juli august september oktober november december".split(),
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta marraskuuta joulukuuta".split(),
}
ABBR = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "de": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split(),
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.".split(),
    "es": "ene feb mar abr may jun jul ago sept oct nov dic".split(),
    "it": "gen feb mar apr mag giu lug ago set ott nov dic".split(),
    "nl": "jan. feb. mrt. apr. mei jun. jul. aug. sep. okt. nov. dec.".split(),
    "pt": "jan. fev. mar. abr. mai. jun. jul. ago. set. out. nov. dez.".split(),
    "ru": "янв. февр. мар. апр. мая июн. июл. авг. сент. окт. нояб. дек.".split(),
    "uk": "січ. лют. бер. квіт. трав. черв. лип. серп. вер. жовт. лист. груд.".split(),
    "tr": "Oca Şub Mar Nis May Haz Tem Ağu Eyl Eki Kas Ara".split(),
    "hu": "jan. febr. márc. ápr. máj. jún. júl. aug. szept. okt. nov. dec.".split(),
    "nb": "jan. feb. mar. apr. mai jun. jul. aug. sep. okt. nov. des.".split(),
    "da": "jan. feb. mar. apr. maj jun. jul. aug. sep. okt. nov. dec.".split(),
    "fi": "tammik. helmik. maalisk. huhtik. toukok. kesäk. heinäk. elok. syysk. lokak. marrask. jouluk.".split(),
}
DAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag".split(),
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
    "es": "lunes martes miércoles jueves viernes sábado domingo".split(),
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica".split(),
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split(),
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo".split(),
    "pl": "poniedziałek wtorek środa czwartek piątek sobota niedziela".split(),
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье".split(),
    "uk": "понеділок вівторок середа четвер пʼятниця субота неділя".split(),
    "tr": "Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi Pazar".split(),
    "hu": "hétfő kedd szerda csütörtök péntek szombat vasárnap".split(),
    "ro": "luni marți miercuri joi vineri sâmbătă duminică".split(),
    "hr": "ponedjeljak utorak srijeda četvrtak petak subota nedjelja".split(),
    "sk": "pondelok utorok streda štvrtok piatok sobota nedeľa".split(),
    "et": "esmaspäev teisipäev kolmapäev neljapäev reede laupäev pühapäev".split(),
    "nb": "mandag tirsdag onsdag torsdag fredag lørdag søndag".split(),
    "da": "mandag tirsdag onsdag torsdag fredag lørdag søndag".split(),
    "fi": "maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai".split(),
}
DAYS_ABBR = {
    "en": "Mon Tue Wed Thu Fri Sat Sun".split(),
    "de": "Mo. Di. Mi. Do. Fr. Sa. So.".split(),
    "fr": "lun. mar. mer. jeu. ven. sam. dim.".split(),
    "es": "lun mar mié jue vie sáb dom".split(),
    "it": "lun mar mer gio ven sab dom".split(),
    "nl": "ma di wo do vr za zo".split(),
    "pt": "seg. ter. qua. qui. sex. sáb. dom.".split(),
    "pl": "pon. wt. śr. czw. pt. sob. niedz.".split(),
    "ru": "пн вт ср чт пт сб вс".split(),
    "uk": "пн вт ср чт пт сб нд".split(),
    "tr": "Pzt Sal Çar Per Cum Cmt Paz".split(),
    "nb": "man. tir. ons. tor. fre. lør. søn.".split(),
    "da": "man. tirs. ons. tors. fre. lør. søn.".split(),
    "fi": "ma ti ke to pe la su".split(),
    "ja": "月火水木金土日",
}


@dataclass(frozen=True)
class Msg:
    name: str
    email: str
    when: datetime  # aware; the label keeps the offset only where the layout prints one
    text: str
    zone_shown: bool = False


def fields(lang: str, when: datetime) -> dict[str, str]:
    h12 = when.hour % 12 or 12
    out = dict(
        d=str(when.day),
        dd=f"{when.day:02d}",
        m=str(when.month),
        mm=f"{when.month:02d}",
        y=str(when.year),
        yy=f"{when.year % 100:02d}",
        H=f"{when.hour:02d}",
        h=str(when.hour),
        M=f"{when.minute:02d}",
        S=f"{when.second:02d}",
        h12=str(h12),
        p="AM" if when.hour < 12 else "PM",
    )
    if lang in MONTHS:
        out["mon"] = MONTHS[lang][when.month - 1]
    if lang in ABBR:
        out["mona"] = ABBR[lang][when.month - 1]
    if lang in DAYS:
        out["wd"] = DAYS[lang][when.weekday()]
    if lang in DAYS_ABBR:
        out["wda"] = DAYS_ABBR[lang][when.weekday()]
    off = when.utcoffset() or timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    out["z"] = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    out["zc"] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    out["gmt"] = f"GMT{sign}{abs(minutes) // 60}" + (f":{abs(minutes) % 60:02d}" if minutes % 60 else "")
    return out


def fmt(template: str, lang: str, when: datetime) -> str:
    return template.format(**fields(lang, when), who="{who}")


def tz(hours: float) -> timezone:
    return timezone(timedelta(minutes=int(hours * 60)))


def label(msg: Msg) -> dict[str, object]:
    when = msg.when if msg.zone_shown else msg.when.replace(tzinfo=None)
    words = msg.text.split()
    starts = " ".join(words[:4])
    return {
        "from_email": msg.email.lower() if msg.email else None,
        "from_name": msg.name,
        "sent_at": when.isoformat(),
        "starts": starts,
    }


def quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.split("\n"))


def times(start: datetime, steps: list[tuple[int, int]]) -> list[datetime]:
    """Times of a chain: each step (hours, minutes) after the previous one."""
    out, now = [], start
    for hours, minutes in steps:
        now = now + timedelta(hours=hours, minutes=minutes)
        out.append(now)
    return out


# Each language's zone (hours east of UTC) for the threads' times: the same in both builders.
ZONE = {
    "ru": 3,
    "uk": 2,
    "tr": 3,
    "hu": 1,
    "ro": 2,
    "hr": 1,
    "sk": 1,
    "et": 2,
    "nb": 1,
    "da": 1,
    "fi": 2,
    "ja": 9,
    "it": 1,
    "nl": 1,
    "pt": 0,
    "pl": 1,
    "de": 1,
    "fr": 1,
    "es": 1,
    "en": 0,
}
