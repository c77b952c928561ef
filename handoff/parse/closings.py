"""Closing lines of a mail ("Mit freundlichen Grüßen", "Cordialement,", "Pozdrawiam Anna", "よろしくお願いします。") in
the languages handoff reads: one list for the parser (the signature cut, signature.py) and for triage (the text it
scores, triage/text.py). English closings are matched by each of those with its own rules, as before.
"""

from __future__ import annotations

import re

# Closings in the languages handoff reads, as a whole line: the phrase, a comma or full stop, and at most a name of
# up to three capitalised words ("Gruß, Eva", "Pozdrawiam Anna Nowak"). Conservative on purpose: a line that says
# more than the closing ("Danke, bitte schicken Sie ...", "Merci de me rappeler") is not one. Each alternative is a
# fixed phrase and no two unbounded runs of the same characters touch: bounded work on any line. Polish "Tak" (yes)
# and Swedish "att" (to) are left out though Danish "tak" and Portuguese "Att." close mails.
CLOSINGS: tuple[str, ...] = (
    # de
    "mit freundlichen grüßen", "mit freundlichen grüssen", "mit freundlichem gruß", "mit freundlichem gruss",
    "freundliche grüße", "freundliche grüsse", "viele grüße", "viele grüsse", "liebe grüße", "liebe grüsse",
    "beste grüße", "beste grüsse", "mit besten grüßen", "mit besten grüssen", "herzliche grüße", "herzliche grüsse",
    "schöne grüße", "schöne grüsse", "gruß", "gruss", "grüße", "grüsse", "mfg", "lg", "vg", "hochachtungsvoll",
    "danke", "vielen dank", "danke schön", "dankeschön", "besten dank", "herzlichen dank", "danke im voraus",
    "vielen dank im voraus", "vielen dank vorab", "bis bald",
    # fr
    "cordialement", "bien cordialement", "très cordialement", "bien à vous", "salutations", "meilleures salutations",
    "sincères salutations", "salutations distinguées", "bonne journée", "bonne soirée", "bonne fin de journée",
    "merci", "merci beaucoup", "merci d'avance", "merci par avance", "merci d’avance", "amicalement", "à bientôt",
    # es
    "saludos", "saludos cordiales", "un saludo", "un cordial saludo", "atentamente", "muchas gracias", "gracias",
    "gracias de antemano", "mil gracias", "un abrazo", "cordialmente",
    # it
    "cordiali saluti", "distinti saluti", "saluti", "un saluto", "grazie", "grazie mille", "grazie in anticipo",
    "a presto", "buona giornata",
    # pt
    "atenciosamente", "cumprimentos", "melhores cumprimentos", "com os melhores cumprimentos", "obrigado",
    "obrigada", "muito obrigado", "muito obrigada", "abraço", "um abraço", "abraços", "saudações",
    # nl
    "met vriendelijke groet", "met vriendelijke groeten", "vriendelijke groet", "vriendelijke groeten", "groeten",
    "groetjes", "hartelijke groet", "hartelijke groeten", "met hartelijke groet", "mvg", "bedankt", "alvast bedankt",
    "dank je wel", "dank u wel",
    # pl
    "pozdrawiam", "pozdrawiam serdecznie", "serdecznie pozdrawiam", "z poważaniem", "z wyrazami szacunku",
    "dziękuję", "dzięki", "z góry dziękuję", "pozdrowienia",
    # sv, da, no
    "med vänlig hälsning", "vänliga hälsningar", "hälsningar", "mvh", "tack", "tack på förhand", "tack så mycket",
    "med venlig hilsen", "venlig hilsen", "venlige hilsner", "de bedste hilsner", "hilsen", "mange tak",
    "på forhånd tak", "med vennlig hilsen", "vennlig hilsen", "takk", "tusen takk", "på forhånd takk",
    # fi, et
    "ystävällisin terveisin", "parhain terveisin", "terveisin", "kiitos", "kiitos paljon", "lugupidamisega",
    "parimate soovidega", "tervitades", "aitäh",
    # ru, uk
    "с уважением", "с наилучшими пожеланиями", "спасибо", "заранее спасибо", "большое спасибо", "всего доброго",
    "всего хорошего", "благодарю", "з повагою", "дякую", "заздалегідь дякую", "щиро дякую",
    "з найкращими побажаннями", "всього найкращого",
    # tr, hu, ro
    "saygılarımla", "saygılar", "iyi çalışmalar", "teşekkürler", "teşekkür ederim", "şimdiden teşekkürler",
    "iyi günler", "selamlar", "üdvözlettel", "tisztelettel", "köszönöm", "köszönettel", "előre is köszönöm",
    "baráti üdvözlettel", "üdv", "cu stimă", "cu stima", "cu respect", "mulțumesc", "mulţumesc", "multumesc",
    "cu drag", "toate cele bune", "o zi bună",
    # cs, sk, hr, el
    "s pozdravem", "s přátelským pozdravem", "se srdečným pozdravem", "děkuji", "předem děkuji", "díky", "s úctou",
    "s pozdravom", "ďakujem", "vopred ďakujem", "srdačan pozdrav", "lijep pozdrav", "s poštovanjem", "hvala",
    "με εκτίμηση", "ευχαριστώ", "ευχαριστώ πολύ", "φιλικά",
    # ja, zh, ko, ar, he
    "よろしくお願いします", "よろしくお願いいたします", "よろしくお願い致します", "宜しくお願いします",
    "宜しくお願い致します", "よろしくお願い申し上げます", "以上、よろしくお願いいたします", "ありがとうございます",
    "敬具",
    "谢谢", "謝謝", "多谢", "此致敬礼", "此致", "祝好", "顺祝商祺", "감사합니다", "고맙습니다", "مع التحية", "شكرا",
    "شكراً", "مع خالص التحيات", "تحياتي", "בברכה", "תודה",
)  # fmt: skip
_CLOSING_WORDS = "|".join(sorted(map(re.escape, CLOSINGS), key=len, reverse=True))
# Possessive runs (`*+`, `++`): a closing followed by a megabyte of spaces and no end would otherwise give the
# spaces back one at a time, each time trying every phrase again (5 s per MB).
_CLOSING = re.compile(
    rf"^[ \t]*+(?:{_CLOSING_WORDS})"
    # a second closing joined to the first ("Danke und viele Grüße", "Merci et bonne journée", "Tack och hälsningar")
    r"(?:(?:[,.!]*+[ \t]++(?:(?:und|and|et|y|e|en|i|och|og|ja|и|і|ve|és|și|a|&)[ \t]++)?|[,.!]++[ \t]*+)"
    rf"(?:{_CLOSING_WORDS}))?"
    # the closing's punctuation (also the CJK ones, and French "Merci !"), then perhaps a name of up to three words
    r"[ \t]?[,.!;:、。！，]*+(?:[ \t]++(?P<name>[^\W\d_][\w.'’-]*+(?:[ \t][^\W\d_][\w.'’-]*+){0,2}))?[ \t]*+$",
    re.IGNORECASE,
)


_WORD_ENDS = frozenset(" \t,.!;:、。！，")


def _first_word(text: str) -> str:
    """The text up to its first space or punctuation mark, lower-cased ("Danke," -> "danke")."""
    text = text.lstrip(" \t")
    for index, char in enumerate(text):
        if char in _WORD_ENDS:
            return text[:index].lower()
    return text.lower()


# Every closing starts with one of these words: a line that starts otherwise ("Ich", "The", "Mon colis") is no
# closing, and most lines are told so without trying the phrases (the pattern tried them at every line, 2.5% of the
# pipeline's instructions).
_FIRST_WORDS = frozenset(_first_word(phrase) for phrase in CLOSINGS)


def is_closing(line: str) -> bool:
    """Whether `line` is a closing in a language other than English ("Mit freundlichen Grüßen", "Pozdrawiam Anna")."""
    if len(line) > 120 or _first_word(line) not in _FIRST_WORDS:
        return False
    match = _CLOSING.match(line.rstrip("\r"))
    if not match:
        return False
    name = match.group("name")
    # A name after the closing: every word capitalised ("Gruß, Eva", "Pozdrawiam Anna Nowak"), not "danke bitte".
    return name is None or all(word[:1].isupper() for word in name.split())
