"""What the start of a forwarded or quoted message looks like, in the clients and languages we meet.

The vocabularies come from the libraries that maintain them, extended where they miss what
handoff sees (each addition says which client writes it):
- forward separators: email-forward-parser's `SEPARATOR` list (20+ languages) and quotequail's
  `FORWARD_PATTERNS`;
- header labels: quotequail's `HEADER_MAP`, completed with New Outlook / Gmail / Thunderbird labels
  for de, fr, es, it, nl, pt, pl, sv (email-forward-parser keeps its labels inside regexes only);
- reply attributions ("On ... wrote:"): quotequail's `REPLY_PATTERNS` cover en/de/fr/es/sv/pt/nl
  with the verb at a fixed place; Gmail and Outlook put the sender before or after the verb depending
  on the language, so the verbs are matched here and the date/sender split is done by `split_attribution`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from emailforwardparser import regexs as efp
from quotequail import _patterns as qq

# Compiled once: they run for every line or header read (re.sub with a string looks the pattern up each time).
_SPACES = re.compile(r"\s+")

# -- header labels ----------------------------------------------------------------------------------------

_EXTRA_LABELS: dict[str, str] = {
    # from
    "from": "from",
    "von": "from",
    "de": "from",
    "da": "from",  # it (Gmail, New Outlook)
    "van": "from",
    "od": "from",  # pl
    "från": "from",
    "fra": "from",  # da, no
    "mittente": "from",  # it (Thunderbird)
    "nadawca": "from",  # pl (Thunderbird)
    "expéditeur": "from",
    "remitente": "from",
    "absender": "from",
    "lähettäjä": "from",
    "afzender": "from",
    # date
    "date": "date",
    "sent": "date",
    "datum": "date",
    "gesendet": "date",
    "envoyé": "date",
    "envoyé le": "date",
    "message du": "date",  # fr webmail's quoted block "Message du : 27/10/2021 09:31 / De : / A : / Objet :"
    "date d'envoi": "date",
    "fecha": "date",
    "enviado": "date",
    "enviado el": "date",
    "enviada em": "date",
    "enviado em": "date",
    "data": "date",  # it, pl, pt
    "inviato": "date",
    "data invio": "date",
    "verzonden": "date",
    "verstuurd": "date",
    "wysłano": "date",
    "wysłane": "date",
    "skickat": "date",
    "sendt": "date",
    "dato": "date",
    "lähetetty": "date",
    "päivämäärä": "date",
    # to
    "to": "to",
    "an": "to",
    "à": "to",
    "a": "to",  # it
    "para": "to",
    "aan": "to",
    "naar": "to",  # nl (SnappyMail's GLOBAL/TO in its forward block)
    "do": "to",  # pl
    "till": "to",
    "til": "to",
    "pour": "to",
    "destinataire": "to",
    "destinatario": "to",
    "empfänger": "to",
    "adresat": "to",
    "vastaanottaja": "to",
    # cc
    "cc": "cc",
    "kopie": "cc",
    "kopie (cc)": "cc",
    "copie": "cc",
    "copie à": "cc",
    "cc.": "cc",
    "dw": "cc",
    "kopia": "cc",
    "kopi": "cc",
    "copia": "cc",
    "kopio": "cc",
    "bcc": "bcc",
    "cci": "bcc",
    "cco": "bcc",
    "ccn": "bcc",
    "bcc.": "bcc",
    "blindkopie": "bcc",
    # subject
    "subject": "subject",
    "betreff": "subject",
    "objet": "subject",
    "sujet": "subject",
    "asunto": "subject",
    "oggetto": "subject",
    "onderwerp": "subject",
    "temat": "subject",
    "ämne": "subject",
    "emne": "subject",
    "assunto": "subject",
    "aihe": "subject",
    "ogg": "subject",  # it (Libero Mail: "----Messaggio originale---- Da: Data: A: Ogg:")
    # reply-to
    "reply-to": "reply-to",
    "reply to": "reply-to",
    "antwort an": "reply-to",
    "répondre à": "reply-to",
    "responder a": "reply-to",
    "antwoord aan": "reply-to",
    "rispondi a": "reply-to",
    "svara till": "reply-to",
    "odpowiedź do": "reply-to",
    # lines Outlook puts inside the block that are not worth keeping but must not end it
    "importance": "ignore",
    "wichtigkeit": "ignore",
    "priorité": "ignore",
    "importancia": "ignore",
    "priorità": "ignore",
    "urgentie": "ignore",
    "priorytet": "ignore",
    "prioritet": "ignore",
    "attachments": "ignore",
    "anlagen": "ignore",
    "anhänge": "ignore",
    "pièces jointes": "ignore",
    "datos adjuntos": "ignore",
    "allegati": "ignore",
    "bijlagen": "ignore",
    "załączniki": "ignore",
    "bifogade filer": "ignore",
    "anexos": "ignore",
    "organization": "ignore",
    "organisation": "ignore",
    "sensitivity": "ignore",
    "vertraulichkeit": "ignore",
    # the raw headers of a mail forwarded inline with all its headers (mutt with $weed unset, Gmail's "show
    # original" pasted, Evolution): part of the block, not the start of the body
    "return-path": "ignore",
    "message-id": "ignore",
    "in-reply-to": "ignore",
    "references": "ignore",
    "mime-version": "ignore",
    "content-type": "ignore",
    "content-transfer-encoding": "ignore",
    "content-disposition": "ignore",
    "content-language": "ignore",
    "user-agent": "ignore",
    "x-mailer": "ignore",
    "thread-topic": "ignore",
    "thread-index": "ignore",
}

# Outlook's localised header labels (desktop, web and mobile print the same ones) in the languages issue 14
# names and the other big ones, as Microsoft's localised Outlook UIs print them; Gmail localises only the
# sender label of a forward ("От:", "Gönderen:", "Šalje:", "Saatja:", ...), which email-forward-parser lists.
_OUTLOOK_LABELS: dict[str, str] = {
    # ru / uk
    "от": "from", "отправлено": "date", "кому": "to", "копия": "cc", "тема": "subject", "дата": "date",
    "від": "from", "надіслано": "date", "відправлено": "date", "копія": "cc",
    # tr
    "kimden": "from", "gönderen": "from", "gönderildi": "date", "gönderilen": "date", "tarih": "date",
    "kime": "to", "bilgi": "cc", "konu": "subject",
    # hu ("Küldve:" in Outlook 2010-2016, "Elküldve:" since)
    "feladó": "from", "elküldve": "date", "küldve": "date", "dátum": "date", "címzett": "to", "másolat": "cc",
    "másolatot kap": "cc", "tárgy": "subject",
    # ro
    "de la": "from", "trimis": "date", "dată": "date", "către": "to", "subiect": "subject",
    "expeditorul": "from", "destinatarul": "to", "subiectul": "subject",
    # hr / sk / cs
    "šalje": "from", "poslano": "date", "prima": "to", "predmet": "subject", "naslov": "subject", "kopija": "cc",
    "odoslané": "date", "komu": "to", "kópia": "cc", "pre": "to", "odesláno": "date", "předmět": "subject",
    # et
    "saatja": "from", "saadetud": "date", "saatmisaeg": "date", "kuupäev": "date", "adressaat": "to", "saaja": "to",
    "koopia": "cc", "teema": "subject",
    # SOGo's forward and outlook-mode reply templates: fi, sr (Cyrillic; its "Датум:" is Thunderbird's too), cy
    "aihe": "subject", "pvm": "date", "keneltä": "from", "kenelle": "to", "од": "from", "за": "to", "цц": "cc",
    "testun": "subject",
    # Balsa's Greek forward (balsa.mo): "Ημ/νία:" (ημερομηνία, date)
    "ημ/νία": "date",
    # tr (older Outlook: "Gönderilme Tarihi:"), lv, sl ("Kp:"), sr latin ("Poslato:"), pl ("Wysłany:", Outlook 2007)
    "gönderilme tarihi": "date", "no": "from", "nosūtīts": "date", "tēma": "subject", "kp": "cc",
    "poslato": "date", "wysłany": "date",
    # no / da / fi
    "sendt": "date", "päiväys": "date", "vastaus": "reply-to", "svar til": "reply-to",
    # ja (Outlook: 差出人/送信日時/宛先/件名; HubSpot and Gmail: 送信元/日付/送信先; Roundcube: 発信者)
    "差出人": "from", "送信者": "from", "送信元": "from", "発信者": "from", "送信日時": "date", "日付": "date",
    "日時": "date",
    "宛先": "to", "送信先": "to", "件名": "subject",
    # zh (simplified / traditional)
    "发件人": "from", "發件人": "from", "寄件者": "from", "发送时间": "date", "發送時間": "date", "日期": "date",
    "寄件日期": "date", "时间": "date", "收件人": "to", "收件者": "to", "抄送": "cc", "副本": "cc",
    "主题": "subject", "主題": "subject", "主旨": "subject",
    # ko
    "보낸 사람": "from", "보낸사람": "from", "보낸 날짜": "date", "날짜": "date", "받는 사람": "to", "받는사람": "to",
    "참조": "cc", "제목": "subject",
    # el
    "από": "from", "εστάλη": "date", "ημερομηνία": "date", "προς": "to", "κοιν.": "cc", "θέμα": "subject",
    # ar / he
    "من": "from", "تم الإرسال": "date", "التاريخ": "date", "إلى": "to", "نسخة": "cc", "الموضوع": "subject",
    "מאת": "from", "נשלח": "date", "תאריך": "date", "אל": "to", "עותק": "cc", "נושא": "subject",
    # pt-PT, bg, sl, ca, lt (and el "Στάλθηκε"), as those Outlook UIs print their reply blocks
    "enviada": "date", "изпратено": "date", "относно": "subject", "до": "to", "za": "to", "zadeva": "subject",
    "enviat el": "date", "enviat": "date", "per a": "to", "tema": "subject", "nuo": "from", "išsiųsta": "date",
    "kam": "to", "στάλθηκε": "date",
    # vi / id / th
    "từ": "from", "đã gửi": "date", "ngày": "date", "đến": "to", "chủ đề": "subject", "tiêu đề": "subject",
    "dari": "from", "dikirim": "date", "tanggal": "date", "kepada": "to", "subjek": "subject",
    "จาก": "from", "ส่ง": "date", "วันที่": "date", "ถึง": "to", "เรื่อง": "subject",
    # id Outlook's subject label; NetEase 163/126 Mail's forward block ("发送日期：2021-01-21 10:33:41")
    "perihal": "subject", "发送日期": "date", "發送日期": "date",
    # fa (Outlook and Gmail's forward: "از:" is the sender label)
    "از": "from", "ارسال شده": "date", "ارسال‌شده": "date", "تاریخ": "date", "به": "to", "موضوع": "subject",
    # Samsung Email (ko) "발신:/수신:"; Outlook in Hindi, Malay, Filipino
    "발신": "from", "수신": "to",
    "प्रेषक": "from", "भेजा गया": "date", "प्रति": "to", "विषय": "subject",
    "daripada": "from", "dihantar": "date",
    "mula kay": "from", "ipinadala": "date", "para kay": "to", "paksa": "subject",
    # K-9 Mail / Thunderbird for Android's header block (strings.xml `message_compose_quote_header_*`) in ka, zh-TW,
    # eu, ar, id, ro, ja and tr; ar's "Sent" label is "المُرسل" ("sender"), read by its value (`_FROM_OR_DATE`)
    "ვისგან": "from", "გაიგზავნა": "date", "ვის": "to", "ასლი": "cc", "საგანი": "subject",
    "寄件人": "from", "送件日期": "date",
    "nork": "from", "bidalita": "date", "nori": "to", "gaia": "subject",
    "المرسل": "from", "نسخة كربونية": "cc",
    "terkirim": "date", "la": "to", "送信日": "date", "gönderilme": "date",
    # Thunderbird desktop's forward headers (mime.properties 1000/1007/1009/1012/1013) in ka, zh-TW, sr, ca
    "თემა": "subject", "თარიღი": "date", "ვინ": "from", "從": "from", "到": "to",
    "шаље": "from", "прима": "to", "датум": "date", "коп": "cc", "assumpte": "subject",
    # Claws Mail's default forward format (claws-mail.mo) in ca, es, id, tr
    "des de": "from", "desde": "from", "subyek": "subject", "başlık": "subject",
    # Thunderbird in Lithuanian labels the sender "Kas:"
    "kas": "from",
    # Horde IMP's forward headers (imp.mo) in fi, sv, fa, et, is, lv
    "otsikko": "subject", "ärende": "subject", "عنوان": "subject", "kellelt": "from", "kellele": "to",
    "dags": "date", "datums": "date", "frá": "from", "efni": "subject", "sūtītājs": "from", "saņēmējs": "to",
    "temats": "subject",
    # Thunderbird's forward headers in be, br, cy, dsb/hsb, fy, ga, gd, hy, is, kk, ms, nn, sq, uz, ast, rm
    "тэма": "subject", "ад": "from", "да": "to", "danvez": "subject", "deiziad": "date", "a-berzh": "from",
    "pwnc": "subject", "dyddiad": "date", "oddi wrth": "from", "at": "to", "wót": "from", "wot": "from",
    "underwerp": "subject", "fan": "from", "oan": "to", "ábhar": "subject", "dáta": "date", "ó": "from",
    "chuig": "to", "cuspair": "subject", "ceann-là": "date", "o": "from", "gu": "to", "վերնագիր": "subject",
    "ամսաթիվ": "date", "ումից": "from", "ում": "to", "viðfangsefni": "subject", "dagsetning": "date",
    "тақырыбы": "subject", "күні": "date", "кімнен": "from", "кімге": "to", "tarikh": "date", "frå": "from",
    "subjekt": "subject", "datë": "date", "nga": "from", "për": "to", "mavzu": "subject", "sana": "date",
    "jo‘natuvchi": "from", "qabul qiluvchi": "to", "asuntu": "subject", "pa": "to", "object": "subject",
}  # fmt: skip
# A label that is the sender in one language and the recipient in another (Italian "Da:" is From, Breton "Da:" is
# To): once the block has its sender, the same label is read as the other field.
SECOND_MEANING: dict[str, str] = {"da": "to"}


def _efp_labels() -> dict[str, str]:
    """The labels inside email-forward-parser's ORIGINAL_* patterns ("Отправитель", "Від кого", "Kopie (CC)",
    "送信元", ...): its table of Apple Mail, Gmail, Outlook, Thunderbird and Yahoo labels per language."""
    tables = {
        "from": efp.ORIGINAL_FROM + efp.ORIGINAL_FROM_LAX,
        "to": efp.ORIGINAL_TO + efp.ORIGINAL_TO_LAX,
        "cc": efp.ORIGINAL_CC + efp.ORIGINAL_CC_LAX,
        "date": efp.ORIGINAL_DATE + efp.ORIGINAL_DATE_LAX,
        "subject": efp.ORIGINAL_SUBJECT + efp.ORIGINAL_SUBJECT_LAX,
        "reply-to": efp.ORIGINAL_REPLY_TO,
    }
    found: dict[str, str] = {}
    for field_name, patterns in tables.items():
        for pattern in patterns:
            source = re.sub(r"^\(\?\w+\)", "", pattern.pattern).lstrip("^(")
            while True:
                stripped = re.sub(r"^(?:\\s\*|\\s\?|\\\*\?)", "", source)
                if stripped == source:
                    break
                source = stripped
            label = re.split(r"\\s|[:：`]", source, maxsplit=1)[0].replace("\\(", "(").replace("\\)", ")")
            label = label.strip().lower()
            if label and not any(c in label for c in "\\[]|?+*"):
                found.setdefault(label, field_name)
    return found


LABELS: dict[str, str] = {**_efp_labels(), **qq.HEADER_MAP, **_OUTLOOK_LABELS, **_EXTRA_LABELS}
# quotequail maps "received" to a date; in a forwarded block that word starts ordinary sentences.
LABELS.pop("received", None)

FIELDS = ("from", "date", "to", "cc", "bcc", "subject", "reply-to", "ignore")

_LABEL_LINE = re.compile(r"^[*_\s]*(?P<label>[^\W\d_][^:\n]{0,28}?)[*_\s]*[:：][*_\s]*(?P<value>.*)$")
# Arabic vowel marks some translations write on a label ("مِن", "المُرسل"), never part of the word looked up.
_HARAKAT = dict.fromkeys(range(0x064B, 0x0660)) | {0x0670: None}
# A label that names the sender in one client and the date in another (K-9 in Arabic labels the date "المُرسل",
# "the sender"): the value decides, an address is the sender, a value with digits and no address the date.
_FROM_OR_DATE = frozenset({"المرسل"})


def label_line(line: str) -> tuple[str, str] | None:
    """("from", "John <j@x>") for a header line in any known language, else None."""
    match = _LABEL_LINE.match(line.strip())
    if not match:
        return None
    label = _SPACES.sub(" ", match.group("label").strip().lower())
    field = LABELS.get(label)
    if field is None:
        label = label.translate(_HARAKAT)
        field = LABELS.get(label)
        if field is None:
            return None
    value = match.group("value").strip().strip("*").strip()
    if label in _FROM_OR_DATE and "@" not in value and any(c.isdigit() for c in value):
        field = "date"
    return field, value


# -- forward separators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Separator:
    source: str
    # Some separators only say "a forward follows" (Gmail, Thunderbird); the rule line may also be a
    # signature divider, so it only counts when headers follow.
    needs_headers: bool


_KIND_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)^-{9,10}\s*forwarded message\s*-{8,10}$"), "gmail-forward"),  # Gmail: 10 and 9 dashes
    (re.compile(r"(?i)^-{5}\s*forwarded message\s*-{5}"), "yahoo-forward"),
    (
        re.compile(
            r"(?i)^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|"
            r"messaggio originale|oorspronkelijk bericht|oryginalna wiadomość|wiadomość oryginalna|"
            r"ursprungligt meddelande|originalmeddelande|mensagem original|oprindelig meddelelse|"
            r"opprinnelig melding|alkuperäinen viesti|původní zpráva)\s*-{2,}$"
        ),
        "outlook-original",
    ),
    # Thunderbird: exactly eight dashes each side, in every language; Gmail uses 10 and 9.
    (re.compile(r"^-{8} [^\W\d_][^-]{2,60} -{8}$"), "thunderbird-forward"),
    (re.compile(r"^_{20,}$"), "outlook-rule"),
    (re.compile(r"^(?:\* ?){3,}$"), "outlook-rule"),  # html2text's rendering of Outlook's <hr>
    (re.compile(r"^-{20,}$"), "outlook-rule"),
    # Zoho Mail: "============ Forwarded message ============" (localised), above and below the header block.
    (re.compile(r"^={3,} ?[^\W\d_][^=]{2,60}? ?={3,}$"), "zoho-forward"),
]

_APPLE = re.compile(
    r"(?i)^(begin forwarded message|anfang der weitergeleiteten (?:nachricht|e-mail)|début du message "
    r"(?:réexpédié|transféré)|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd "
    r"bericht|início da mensagem (?:reencaminhada|encaminhada)|początek przekazywanej wiadomości|"
    r"vidarebefordrat (?:mejl|meddelande)|forwarded message)\s?:$"
)
# Any "----- words -----" line: every client and language has one, too many to list.
# (a hyphen inside a word is part of the title: SquirrelMail's Danish "---- Oprindelig e-mail ----")
_DASHED = re.compile(r"^-{3,}\s*[^\W\d_](?:[^-]|(?<=\w)-(?=\w)){2,60}?\s*-{3,}$")
# mutt names the sender in its banner, as long as the From: header is ("----- Forwarded message from "Lima, Ana
# (Partners)" <ana.lima@cliente.example> -----"), and closes the forward with "----- End forwarded message -----".
_MUTT = re.compile(r"(?i)^-{5} forwarded message from \S.{0,250} -{5}$")
# Horde IMP's translations of it name the sender's address anywhere in the banner ("----- Weitergeleitete Nachricht
# von Name <a@b> -----", "----- Edastatud kiri Name <a@b>'lt -----"); a header block must follow.
_DASHED_ADDRESS = re.compile(r"^-{5} [^-\s][^<>@]{0,120}<[^<>\s@]+@[^<>\s]+>[^<>@-]{0,60} -{5}$")
_END_FORWARD = re.compile(r"(?i)^-{3,} ?end (?:of )?forwarded message ?-{3,}$")
# Horde IMP's closing banner "----- End forwarded message -----" in its translations (imp.mo), lower case
_END_BANNERS = frozenset({
    'amaitu birbidalitako mezua',
    'edastatud kirja lõpp',
    'einde doorgestuurd bericht',
    'ende der weitergeleiteten nachricht',
    'fi del missatge reenviat',
    'fin da mensaxe reenviada',
    'fin du message transféré',
    'final da mensagem encaminhada',
    'fine messaggio inoltrato',
    'i̇letilen iletinin sonu',
    'konec posredovanega sporočila',
    'konec přeposlané zprávy',
    'koniec preposlanej správy',
    'koniec przekazanej wiadomości',
    'ljúka framsendu skeyti',
    'persiųsto laiško pabaiga',
    'pārsūtītās vēstules beigas',
    'slut på vidarebefordrat meddelande',
    'slutning af videresendt besked',
    'slutt på videresendt melding',
    'terminar mensaje reenviado',
    'välitetty viesti päättyy',
    'vége a továbbított levélnek',
    'završi proslijeđenu poruku',
    'τέλος προωθημένου μηνύματος',
    'кiнець пересланого лист',
    'конец пересылаемого сообщения',
    'край на препратеното писмо',
    'إنهاء الرسائل المحولة',
    'انتهای پیغام\u200c ارجاع شده',
    '完成轉寄郵件',
    '结束转发的邮件',
    '転送するメッセージは以上です',
    '전달 편지 끝',
})  # fmt: skip


def ends_forward(line: str) -> bool:
    """A forward's closing banner (mutt's "----- End forwarded message -----"): no text of the message."""
    text = line.strip()
    if len(text) > 90 or text[:1] != "-":
        return False
    if _END_FORWARD.match(text) is not None:
        return True
    return text.startswith("-----") and text.endswith("-----") and text.strip("- ").rstrip(".").lower() in _END_BANNERS


# email-forward-parser's separators, minus the rule line and its Outlook 2019 attribution patterns
# (both handled on their own here); its patterns are multi-line ones, here they see one line at a time.
# ("[\[|<" also catches the Hungarian one, whose bracket class adds "(": "[\[|<|(]".)
_EFP_SEPARATORS = [p for p in efp.SEPARATOR if not p.pattern.startswith("(?m)^\\s*_") and "[\\[|<" not in p.pattern]


def separator(line: str) -> Separator | None:
    text = line.strip()
    if text.startswith("-----") and len(text) <= 300 and (_MUTT.match(text) or _DASHED_ADDRESS.match(text)):
        return Separator("forward", needs_headers=True)
    # Every separator has a dash, underscore, asterisk, colon or "=": skip ordinary lines cheaply.
    if not text or len(text) > 90 or not any(c in text for c in "-_*:="):
        return None
    for pattern, source in _KIND_PATTERNS:
        if pattern.match(text):
            return Separator(source, needs_headers=source in ("outlook-rule", "zoho-forward"))
    if _APPLE.match(text):
        return Separator("apple-forward", needs_headers=False)
    for pattern in _EFP_SEPARATORS:
        if pattern.match(text):
            return Separator("forward", needs_headers=False)
    for compiled in qq.COMPILED_PATTERN_MAP["forward"]:
        if compiled.match(text):
            return Separator("forward", needs_headers=text.startswith("_"))
    if _DASHED.match(text):
        return Separator("forward", needs_headers=True)
    return None


# Yahoo writes the whole block on the separator line: "----- Forwarded Message ----- From: a To: b ...".
_YAHOO_START = re.compile(r"^\s*-{3,}\s*[^\W\d_][^-]{2,60}?\s*-{3,}\s*(?=\S)")
# Every label of every language may be glued to the previous value ("...<a@b>Til: ...", "...CETEmne: ...",
# "...SEČPředmět: ..."), so the block is cut at each colon whose preceding text ends with a known label.
_ONE_LINE_LENGTHS = sorted({len(label) for label in LABELS}, reverse=True)
_ONE_LINE_SCAN = 20_000  # characters of the line searched for labels
_ONE_LINE_COLONS = 400


def _glued_label(text: str, colon: int) -> tuple[int, str] | None:
    """(start, field) of the longest known label that ends at `colon` (an optional space before it)."""
    end = colon - 1 if colon and text[colon - 1] == " " else colon
    for length in _ONE_LINE_LENGTHS:
        start = end - length
        if start < 0:
            continue
        field = LABELS.get(text[start:end].lower())
        # A label starts the text, follows a space, '>', '"', a digit, or an upper-case letter (the end of a
        # zone such as "CET"): never inside a lower-case word ("...nicht:" is no label "t").
        if field and field != "ignore" and (start == 0 or not text[start - 1].islower()):
            return start, field
    return None


def yahoo_block(line: str) -> dict[str, str] | None:
    """Fields of a one-line Yahoo forward block, or None."""
    start = _YAHOO_START.match(line)
    if not start:
        return None
    return _glued_fields(line[start.end() :])


# A whole header block written on one line with no separator above it, as a reply quoted by a client that
# joined its lines ("Date: ... From: a@b To: ... Subject: ...", github/email_reply_parser's
# email_from_name_in_quote_header fixture).
_INLINE_FIELDS = frozenset({"from", "date", "to", "cc", "subject"})


def inline_block(line: str) -> dict[str, str] | None:
    """Fields of a whole header block on one line ("Date: ... From: a@b To: ... Subject: ..."), else None: it
    must start with a From, Date or Subject label and hold three fields, one a sender address."""
    if line.count(":") + line.count("：") < 3:
        return None
    first = label_line(line)
    if first is None or first[0] not in ("from", "date", "subject"):
        return None
    fields = _glued_fields(line.strip())
    if not fields or len(_INLINE_FIELDS.intersection(fields)) < 3 or "@" not in fields["from"]:
        return None
    return fields


def _glued_fields(rest: str) -> dict[str, str] | None:
    """The fields of a text whose labels are glued to the previous value, when it starts with a label and
    names a sender."""
    hits: list[tuple[int, int, str]] = []  # (label start, value start, field)
    # A real block has a few dozen colons (times have two); a hostile line of colons is bounded here.
    colons = [i for i, char in enumerate(rest[:_ONE_LINE_SCAN]) if char in ":："][:_ONE_LINE_COLONS]
    for index in colons:
        found = _glued_label(rest, index)
        if found and (not hits or found[0] >= hits[-1][1]):
            hits.append((found[0], index + 1, found[1]))
    if not hits or hits[0][0] != 0:
        return None
    fields: dict[str, str] = {}
    for number, (_, value_start, field) in enumerate(hits):
        end = hits[number + 1][0] if number + 1 < len(hits) else len(rest)
        if field not in fields:
            fields[field] = rest[value_start:end].strip()
    return fields if "from" in fields else None


# -- reply attributions -----------------------------------------------------------------------------------

_VERB_END = (
    r"wrote|a écrit|a ecrit|escribió|escribio|ha scritto|escreveu|napisał\(a\)|napisała|napisał|pisze|"
    r"kirjoitti|написал\(а\)|написал|написала|skrev|schrieb|napsal\(a\)|napsal|napsala|写道|寫道|작성|"
    # Gmail in Ukrainian ("... <a@b> пише:"), Turkish ("... tarihinde <a@b> şunu yazdı:"), Romanian, Croatian,
    # Slovak, Estonian, Greek (the verb after the sender, as Gmail's localised attribution strings put it)
    r"пише|şunu yazdı|a scris|je napisao|je napisala|napísal\(a\)|napísal|kirjutas|έγραψε|"
    # Gmail and Apple Mail with the verb last in Dutch ("... <a@b>\nschreef:"), Turkish ("... tarihinde <a@b> yazdı:"),
    # Vietnamese, Lithuanian, Latvian, Catalan, Indonesian/Malay, Bulgarian, Ukrainian, Slovenian; Japanese Gmail
    # ("2026年8月4日(月) 9:14 Name <a@b>のメッセージ:").
    r"schreef|yazdı|đã viết|rašė|rakstīja|va escriure|menulis|написа|написав|napisal\(a\)|napisala|napisal|"
    # Thunderbird in Russian ("15.01.2025 17:03, Name пишет:"), Gmail in Arabic ("... Name <a@b> كتب:")
    r"のメッセージ|пишет|كتب|"
    # Gmail in Croatian with the verb last ("... <a@b> napisao je:"), Thai ("... <a@b> เขียนว่า:"); Apple Mail in
    # Japanese ("2026/08/04 18:47、Name <a@b>のメール:")
    r"napisao je|napisala je|เขียนว่า|のメール|"
    # Apple Mail in Turkish ("..., Name <a@b> şunları yazdı:"), Ukrainian ("написав(ла)"), Croatian ("je napisao/la"),
    # Hebrew ("כתב/ה")
    r"şunları yazdı|написав\(ла\)|je napisao/la|כתב/ה|"
    # K-9 Mail / Thunderbird for Android (strings.xml `message_compose_reply_header_fmt[_with_date]`): ka "დაწერა",
    # ko "작성함" and "...>이 씀" (no date), zh-TW "寫到", he "כתב", sl "sporoča", eu "...-(e)k hau idatzi zuen" and
    # "...-(e)k idatzi du", ar "... Name <a@b> الرسالة:" (its translation ends with "the message"),
    # ja "...、Name <a@b> より:"
    r"დაწერა|작성함|이 씀|寫到|כתב|sporoča|hau idatzi zuen|idatzi du|الرسالة|より|"
    # Thunderbird desktop (composeMsgs.properties `mailnews.reply_header_ondateauthorwrote`): ka "... #1 წერს:",
    # ko "#2 #3에 #1 이(가) 쓴 글:", ca "El #2 a les #3, #1 ha escrit:", eu "..., #1 igorleak idatzi zuen:"; Claws
    # Mail's default quote format (claws-mail.mo): ca "... va escriure el següent:", hu "... írta:"
    r"წერს|이\(가\) 쓴 글|ha escrit|igorleak idatzi zuen|va escriure el següent|írta|"
    # Claws Mail in traditional Chinese: "在 <date>\nName <a@b> 上， 已寫入" (no colon: `attribution` adds one)
    r"上，\s?已寫入|"
    # KMail's reply-all template (libtemplateparser.mo): ko "... %3 님이 쓴 글:", sk "... %3 napísali:",
    # uk "... %3 написано:"
    r"님이 쓴 글|napísali|написано|"
    # Thunderbird in Galician ("O #2 ás #3, #1 escribiu:") and Croatian ("#2 u #3, #1 piše:")
    r"escribiu|piše|"
    # Thunderbird in be, dsb, hsb, kk, ms, sq, uz, hy ("... Name ը գրել է.", its full stop read as the colon)
    r"напісаў|jo napisał|napisał|napisa|жазған|membalas|shkroi|da yozdi|yozdi|գրել է|"
    # ... and its undated "#1 wrote:" in fy, is, nn, rm
    r"skreau|skrifaði|skreiv|ha scrit|"
    # Roundcube's `mailreplyintro` ("On $date, $sender wrote:") in tr ("..., Name yazmış:"), vi ("Vào ngày ..., Name
    # viết:") and ko ("...에 Name이(가) 쓴 내용:")
    r"yazmış|viết|쓴 내용|"
    # SOGo's standard-mode reply templates (SOGoMail<Language>Reply.wo): bs "napisao/napisala", zh_TW "編輯", zh_CN
    # "撰寫", id "tulis", kk "жазды", ru "писал(а)", sr "је написао/ла", sl "je Name napisal-a", es "Ha escrito", cy
    # "... Name <a@b> ysgrifennodd:"; Balsa's (balsa.mo) sr "је написао" and de "schrieb(en)" (undated: "Name
    # schrieb(en):")
    r"napisao/napisala|編輯|撰寫|tulis|жазды|писал\(а\)|је написао/ла|је написао|napisal-a|ha escrito|ysgrifennodd|"
    r"schrieb\(en\)|"
    # SnappyMail's COMPOSE/REPLY_MESSAGE_TITLE in Polish: "%DATETIME%, %EMAIL% napisał/-a/:" (both forms, slashes kept)
    r"napisał/-a/|"
    # SquirrelMail's undated 'author_said' citation in Hungarian (squirrelmail.po hu_HU): "%s ezt írta:"
    r"ezt írta"
)
# Outlook 2019 puts a word between date and sender in some languages (email-forward-parser's
# SEPARATOR_WITH_INFORMATION: ru "пользователь", sk "používateľ", hu "időpontban") and the verb after both.
# (KMail in Estonian: "Ühel kenal päeval (<date>) kirjutas Name:")
# (Thunderbird with the verb before the sender: cy "ysgrifennodd", fy "skreau", ga "scríobh", is "skrifaði", nn
# "skreiv", br "eo bet skrivet gant")
_VERB_MID = (
    r"schrieb|schreef|skrev|heeft|scrisse|пользователь|používateľ|időpontban|kirjutas|ysgrifennodd|skreau|scríobh|"
    r"skrifaði|skreiv|eo bet skrivet gant|"
    # Balsa (balsa.mo) in German: "Am <date> schrieb(en) Name:"
    r"schrieb\(en\)"
)
_MID_TRAIL = r"(?:\s+(?:ezt írta|написал\(а\)|написала|написал|napísal\(a\)|napísal))?"

# "...<notifications@github.com>wrote:" (no space) happens when clients re-wrap the line.
# The separator may only start where a run of spaces and commas starts (or right after the first character, where
# the lazy lead first tries it): "1,,,,...,:" made the lazy lead retry `[\s,]+` from every comma, 14 ms a line.
ATTRIBUTION_END = re.compile(
    rf"^(?P<lead>.+?)(?:(?:(?<![\s,])|(?<=^.))[\s,]++|(?<=>))(?:{_VERB_END})\s*[:：]$", re.IGNORECASE
)
# Gmail on Android and Lotus Notes put the sender first: "John Doe <j@x> schrieb am Do., 28. Okt. 2021, 12:46:".
ATTRIBUTION_SENDER_FIRST = re.compile(
    r"^(?P<tail>.+?)\s+(?:schrieb am|wrote on|a écrit le|escribió el|ha scritto il|schreef op|escreveu em|"
    r"skrev følgende den|skrev den|napisał\(a\) dnia|napisał dnia|kirjoitti|hat am|"
    # Croatian with the date after the verb: "Name <a@b> napisao je pet, 3. pro 2021. u 12:14:"
    r"napisao je|napisala je|"
    # Evolution in Czech ("Name píše v St 27. 10. 2021 v 09:31 +0200:") and Roundcube in Russian ("Name писал(а)
    # 2021-10-27 09:31:"): the sender, the verb, then the date
    r"píše v|píše dne|писал\(а\)|писала|писал)\s+(?P<lead>.+?)"
    # web.de/GMX and Outlook for iOS in German: "Jonas Weber <j@x> hat am 03.11.2021 07:58 geschrieben:"
    r"(?:\s+geschrieben)?\s*[:：]$",
    re.IGNORECASE,
)
# Outlook 2019 in Turkish: '"Ayşe" <a@b>, 14/03/2022 08:05 tarihinde şunu yazdı:' (sender, date, verb).
ATTRIBUTION_SENDER_DATE = re.compile(r"^(?P<tail>[^,]+?[>)\]]),?\s+(?P<lead>[^<>]+?)\s+tarihinde şunu yazdı\s*[:：]$")
# Gmail in Hungarian: "Kiss Anna <a@b> ezt írta (időpont: 2022. márc. 14., H, 8:05):".
ATTRIBUTION_HU = re.compile(r"^(?P<tail>.+?)\s+ezt írta\s+\(időpont:\s*(?P<lead>[^()]+)\)\s*[:：]$", re.IGNORECASE)
# Thunderbird and Outlook in Hungarian: "2026. 01. 05. 14:32 keltezéssel, Nagy Béla a következőt írta:".
ATTRIBUTION_HU_DATED = re.compile(
    r"^(?P<lead>[^,]+?)\s+keltezéssel,?\s+(?P<tail>.+?)(?:\s+a következőt)?\s+írta\s*[:：]$", re.IGNORECASE
)
# Gmail in Chinese puts the sender first: "Name <a@b> 于2025年12月13日 周六 下午8:55写道：" (traditional: 於 ... 寫道).
# The address splits at its first '@' (no backtracking over every '@' of "a@a@a@...").
ATTRIBUTION_ZH = re.compile(r"^(?P<tail>[^<>]*<[^<>\s@]+@[^<>\s]+>)\s*[于於在]\s*(?P<lead>[^<>]+?)\s*[写寫]道\s*[:：]$")
# Thunderbird in traditional Chinese writes the display name alone: "Name 於 2021/10/27 上午9:31 寫道:".
ATTRIBUTION_ZH_NAME = re.compile(
    r"^(?P<tail>[^<>\d:：]{1,80}?)\s*[于於]\s*(?P<lead>[^<>]*\d[^<>]*?)\s*[写寫]道\s*[:：]$"
)
# Thunderbird in Hebrew puts the sender first: "נכתב על ידי Name, ב־27.10.2021 בשעה 9:31:" ("written by ..., on ...").
ATTRIBUTION_HE = re.compile(
    r"^נכתב על ידי\s+(?P<tail>[^,<>]+?(?:\s*<[^<>\s@]+@[^<>\s]+>)?)\s*,\s*ב[־-]?\s*(?P<lead>.+?)\s*[:：]$"
)
# Thunderbird in Arabic puts the verb before the sender: "على ٢٧/١٠/٢٠٢١ ٩:٣١ ص، كتب Name:" ("on ..., wrote Name").
ATTRIBUTION_AR = re.compile(r"^(?:على\s+)?(?P<lead>[^،,]+?)\s*[،,]\s*كتب\s+(?P<tail>[^:：]+?)\s*[:：]$")
# Thunderbird in Scottish Gaelic puts the verb and the sender first: "Sgrìobh Name na leanas 27/10/2021 aig 09:31:".
ATTRIBUTION_GD = re.compile(r"^Sgrìobh\s+(?P<tail>[^:：]+?)\s+na leanas\s+(?P<lead>\d.*?)\s*[:：]$")
# ... and, with no date, its Welsh, Irish, Breton and Gaelic forms: "Ysgrifennodd Name:" (only above a quote).
_VERB_FIRST_UNDATED = re.compile(
    r"^(?:ysgrifennodd|scríobh|skrivet eo bet gant|sgrìobh)\s+(?P<tail>[^:：]+?)(?:\s+na leanas)?\s*[:：]$",
    re.IGNORECASE,
)
# Thunderbird in Romansh: "Ils 27-10-21 a las 09:31 ha Name scrit:" (the auxiliary before the sender, the verb after).
ATTRIBUTION_RM = re.compile(r"^(?P<lead>[^:：]*\d.*?)\s+ha\s+(?P<tail>[^\d:：]+?)\s+scrit\s*[:：]$")
# KMail in Arabic puts the verb and the sender first: "كتب Name في <date> <time>:" ("wrote Name on ...").
ATTRIBUTION_AR_FIRST = re.compile(r"^كتب\s+(?P<tail>[^:：]+?)\s+في\s+(?P<lead>[^:：]*\d.*?)\s*[:：]$")
# KMail in Hungarian ends with the date, after the colon: "Name a következőt írta ekkor: 2021. október 27., szerda ...".
ATTRIBUTION_HU_KMAIL = re.compile(r"^(?P<tail>[^:：]+?)\s+a következőt írta ekkor\s*[:：]\s*(?P<lead>[^:：]*\d.*)$")
# Thunderbird in Slovenian: "Name je 27. 10. 21 ob 09:31 napisal:" (sender, "je", the date, the verb).
ATTRIBUTION_SL = re.compile(
    r"^(?P<tail>[^\d<>:]+?(?:\s*<[^<>\s@]+@[^<>\s]+>)?)\s+je\s+(?P<lead>\d[^<>]*?)\s+napisal(?:a|\(a\))?\s*[:：]$"
)
# Apple Mail in Japanese: "Name さんは 2026年8月4日 9:14 に書きました：" (the name only, no address).
ATTRIBUTION_JA = re.compile(r"^(?P<tail>[^<>]+?)\s*さん[はが]\s*(?P<lead>[^<>]+?)\s*に書きました\s*[:：]$")
# Gmail in Persian puts the sender first: "Name <a@b> در تاریخ چهارشنبه ۲۷ اکتبر ۲۰۲۱ ساعت ۹:۳۱ نوشت:".
ATTRIBUTION_FA = re.compile(r"^(?P<tail>[^<>]*<[^<>\s@]+@[^<>\s]+>)\s*در تاریخ\s+(?P<lead>[^<>]+?)\s+نوشت\s*[:：]$")
# Evolution and Roundcube in Japanese put the date first: "2021-10-27 (水) の 09:31 +0200 に Name さんは書きました:".
# (the lead holds no digit test of its own: `attribution` checks it is dateish; "[^<>]*\d[^<>]*?" tried every digit)
ATTRIBUTION_JA_DATE = re.compile(r"^(?P<lead>[^<>]+?)\s+に\s+(?P<tail>[^<>]+?)\s*さん[はが]書きました\s*[:：]$")
# Evolution in simplified Chinese: "在 2021-10-27星期三的 09:31 +0200，王芳写道：" (the name glued to the verb).
# The lead stops at the first comma and the tail holds none, so a line without one fails in linear time.
ATTRIBUTION_ZH_LEAD = re.compile(
    r"^在\s*(?P<lead>[^，,<>]+?)\s*[，,]\s*(?P<tail>[^，,<>\d]+?(?:\s*<[^<>\s@]+@[^<>\s]+>)?)\s*[写寫]道\s*[:：]$"
)
# Balsa in Czech: "Dne 8.3.2022 14:05:12 napsal Name:" (glibc's "%x %X", then the verb and the name). Only a date of
# digits right before the verb: "Dne 8.3.2022 jsem napsal dopravci:" is a sentence.
ATTRIBUTION_CS_BALSA = re.compile(r"^Dne\s+(?P<lead>\d[\d.:\s]*\d)\s+napsal\s+(?P<tail>[^\d:：<>]+?)\s*:$")
# Balsa in Slovak: "Napísané dňa 08.03.2022 14:05:12, (autor: Name):" ("written on <date>, (author: Name)").
ATTRIBUTION_SK_BALSA = re.compile(r"^Napísané dňa\s+(?P<lead>[^(),]+?),?\s*\(autor:\s*(?P<tail>[^()]+?)\)\s*:$")
# Roundcube in Latvian: "Name @ 2021-10-27 09:31 rakstīja:" (the sender, an at sign, the date, the verb).
ATTRIBUTION_AT = re.compile(r"^(?P<tail>[^@<>:：]+?)\s+@\s+(?P<lead>\d[^@<>]*?)\s+rakstīja\s*[:：]$")
_PAREN_ADDRESS = re.compile(r"\s*\(<?([^()<>\s@]+@[^()<>\s]+?)>?\)\s*$")
# Glue a few Gmail attributions leave at the start of the sender once the date is split off.
# (Polish "użytkownik", Catalan "en/na", Slovenian "je oseba", Greek "ο/η", Latvian "— lietotājs" and Hebrew "מאת"
# stand before the sender's name in Gmail.)
_SENDER_GLUE = re.compile(
    r"(?i)^[\s,—–-]*(?:tarihinde|saatinde,?|пользователь|používateľ|időpontban|użytkownik|en/na|je oseba|ο/η|ο χρήστης|"
    # K-9 in Basque ends the date with the locative "-(e)an," ("... 09:31:12 (GMT+2)-(e)an, Name <a@b>-(e)k ...")
    r"lietotājs|מאת|\(e\)an,|"
    # Thunderbird in Korean ends the time with the locative "에" ("21. 10. 27. 오전 9:31에 Name 이(가) 쓴 글:"); KMail
    # in Slovenian puts "je" before the sender ("Dne <date> ob <time> je Name napisal(a):"); Claws Mail in Hungarian
    # ends the date with the suffix "-n" ("Wed, 27 Oct 2021 09:31:12 +0200 -n\nName <a@b> írta:")
    r"에|je|jo|(?<=-)n|"
    # Thunderbird in Kazakh ("27.10.21 09:31 уақытында, Name жазған:") and Armenian ("27.10.21 09:31-ին Nameը ...")
    r"уақытында,|-ին|"
    # Balsa in Turkish glues the locative to the time: "08-03-2022 14:05:12’de Name yazmış:"
    r"’de|'de)\s+"
)
# ... and the sender with the ergative "-(e)k".
# (and Armenian's article "-ը" glued to the name: "#1ը գրել է.", "#1-ը գրել է.")
# (and Roundcube's Korean "Name이(가)", the subject particle glued to the name)
_SENDER_TAIL = re.compile(r"-\(e\)k$|-?ը$|이\(가\)$")
# SquirrelMail's Polish long date ends with the weekday after the time (squirrelmail.po pl_PL "j F Y, g:i a, D", its
# day names N, Pn, Wt, Śr, Cz, Pt, So): "Dnia 8 Marca 2022, 2:05 pm, Wt, Name napisał(a):". Split after the time,
# the sender starts with ", Wt, ": the weekday is dropped (the date names the day; dateparser reads "N" as no day).
# Only between two commas right after a time.
_PL_WEEKDAY_AFTER_TIME = re.compile(
    r"^\s*,\s*(?P<day>(?:n|pn|wt|śr|cz|pt|so|nd|ndz|pon|wto|śro|czw|pią|sob|niedz?)\.?)\s*,\s+(?=\S)", re.IGNORECASE
)
# Gmail in Japanese, Chinese and Korean writes no verb: "2022年1月1日(金) 9:00 田中太郎 <taro@example.com>:".
# The first digit is found without backtracking and the address splits at its first '@': `.*\d.*<[^<>\s]+@...`
# tried every digit against every '<' and every '@' ("1<" or "1 <a@b>" repeated: 0.5 ms a line, cubic).
ATTRIBUTION_BARE = re.compile(r"^(?P<lead>[^\d\n]*\d.*<[^<>\s][^<>\s@]*@[^<>\s]+>)\s*[:：]$")
# The lookahead rules out a line that does not end with ':' before the lazy groups try every "schrieb" in it.
ATTRIBUTION_MID = re.compile(
    rf"^(?=[\s\S]*:$)(?P<lead>.+?)\s+(?:{_VERB_MID})\s+(?P<tail>.+?)(?:\s+het volgende)?(?:\s+geschreven)?"
    rf"(?:\s+följande)?{_MID_TRAIL}\s*:$",
    re.IGNORECASE,
)
ATTRIBUTION_PREFIX = re.compile(
    r"(?i)^(?:în data de|în ziua de|в письме от|vào lúc|on|am|le|el|il giorno|il|op|em|w dniu|dnia|den|dne|d\.|kello|"
    r"в|på|vào|în|pada|在|in data"
    # Cypht in Romanian: "La data de <Date header>, Name a@b a scris:"
    r"|la data de"
    # Thunderbird/Gmail in Slovak ("Dňa"), Slovenian ("V"), Bulgarian ("На"), Greek ("Στις"); Gmail in Thai ("เมื่อ")
    # and Hebrew ("בתאריך")
    r"|dňa|v|на|στις|เมื่อ|בתאריך"
    # Apple Mail in Romanian ("Pe 3 nov. 2021, la 15:05, ...") and Hebrew ("ב-3 בנוב׳ 2021, בשעה 15:05, ...")
    r"|pe"
    # K-9 Mail in Hebrew ("ב 27 באוקטובר 2021 ..."), Arabic ("بتاريخ ٢٧ أكتوبر ..."), traditional Chinese
    # ("於 2021年..."); in Georgian the word is glued to the date ("თარიღში27 ოქტომბერი, 2021, ...")
    r"|ב(?=\s)|بتاريخ|於"
    # Thunderbird in Georgian ("თარიღი 27.10.21 09:31, ...") and Arabic ("على ٢٧/١٠/٢٠٢١ ..."); Claws Mail's
    # Romanian "În data de Wed, 27 Oct 2021 ..." is the first alternative, before the shorter "în"
    r"|თარიღი|على"
    # KMail in Russian ("В письме от <date> пользователь ..."), Romanian ("În ziua de ..."), Serbian ("Дана ..."),
    # Estonian ("Ühel kenal päeval (<date>) ...")
    r"|дана|dana|ühel kenal päeval"
    # KMail in Slovak ("Na streda 27. októbra 2021 ...") and Portuguese ("A quarta, 27 de outubro de 2021 ...")
    r"|na|a(?=\s+(?:\d|segunda|terça|quarta|quinta|sexta|sábado|domingo))"
    # Thunderbird in Galician ("O 27/10/21 ás 09:31, ...") and Portuguese ("Às 09:31 de 27/10/21, ...")
    r"|o(?=\s+\d)|às(?=\s+\d)"
    # Thunderbird in br ("D'an/ar ..."), cy and ga ("Ar ..."), is ("Þann ..."), rm ("Ils ..."), sq ("Më ...")
    r"|d'an/ar|ar|þann|ils|më"
    # Geary in Ukrainian: "Написано <date>, Name <a@b>:" ("written <date>, ...")
    r"|написано)(?!\w)[\s,]*|^ב-\s?(?=\d)|^თარიღში(?=\d)"
)
_DATEISH = re.compile(r"\d{4}|\d{1,2}[:.h]\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2}")
# AM/PM after the time: Latin "p.m.", Greek "μ.μ.", Arabic "م"/"ص" (a letter alone, not a name's first letter).
_TIME_END = re.compile(
    # seconds after a dot too (Indonesian "09.31.12")
    # (Greek "μμ"/"πμ" without the dots too: glibc's el_GR am_pm, as Balsa's "%X" prints it)
    r"\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?(?:\s?(?:[AaPp]\.?\s?[Mm]\.?|[πμ]\.?μ\.?|[مص](?!\w)))?"
    # (an offset of hours alone, "-03", "+06", as tzdata names the zones it has no letters for and SOGo prints them)
    r"(?:\s?(?:(?:GMT|UTC|غرينتش)[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5}|[+-]\d{2}(?::?\d{2})?(?!\d)))?(?:\s?Uhr)?"
    # Android's long time writes its zone in brackets in Chinese and Basque ("上午9:31:12 [GMT+8]", "09:31:12 (GMT+2)")
    r"(?:\s?[\[(](?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?[\])])?"
    # Bulgarian Thunderbird: "На 13.6.2011 г. 00:38 ч., Name написа:" ("ч." is "hours")
    r"(?:\s?ч\.)?"
)
_YEAR_END = re.compile(r"\b\d{4}\b")
_SHORT_DATE_END = re.compile(r"(?<![\d/.-])\d{1,2}[./-]\d{1,2}[./-]\d{2}(?![\d/.-])")


# Apple Mail in Polish: "Wiadomość napisana przez Name <a@b> w dniu 03.11.2021, o godz. 15:05:" (sender, then date).
ATTRIBUTION_PL_APPLE = re.compile(
    r"^Wiadomość napisana przez (?P<tail>[^<>]*<[^<>\s@]+@[^<>\s]+>|[^<>]+?) w dniu (?P<lead>[^<>]+?)\s*[:：]$"
)
# Yahoo Mail in German: "Am Mittwoch, 27. Oktober 2021, 10:30:12 MESZ hat Name <a@b> Folgendes geschrieben:" (date,
# "hat", sender, "Folgendes geschrieben"; "geschrieben" is required, so "Am Montag hat er gesagt:" is no attribution).
ATTRIBUTION_HAT = re.compile(
    r"^(?=.*geschrieben\s*[:：]$)(?P<lead>[^<>]+?)\s+hat\s+(?P<tail>[^<>]*<[^<>\s@]+@[^<>\s]+>|[^<>]+?)\s+(?:folgendes\s+)?geschrieben\s*[:：]$",
    re.IGNORECASE,
)

# Each with the words it cannot match without (lower case): a line is only tried against the forms whose words it
# holds, so the list may grow without every line ending in a colon paying for every form.
_SENDER_DATE_FORMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (ATTRIBUTION_SENDER_DATE, ("tarihinde şunu yazdı",)), (ATTRIBUTION_HU, ("ezt írta",)),
    (ATTRIBUTION_HU_DATED, ("keltezéssel",)), (ATTRIBUTION_ZH, ("道",)), (ATTRIBUTION_JA, ("に書きました",)),
    (ATTRIBUTION_FA, ("نوشت",)), (ATTRIBUTION_HAT, ("geschrieben",)), (ATTRIBUTION_PL_APPLE, ("wiadomość napisana",)),
    (ATTRIBUTION_ZH_NAME, ("於", "于")), (ATTRIBUTION_HE, ("נכתב על ידי",)), (ATTRIBUTION_AR, ("كتب",)),
    (ATTRIBUTION_SL, (" je ",)), (ATTRIBUTION_AR_FIRST, ("كتب",)), (ATTRIBUTION_GD, ("sgrìobh",)),
    (ATTRIBUTION_RM, ("scrit",)), (ATTRIBUTION_JA_DATE, ("書きました",)), (ATTRIBUTION_ZH_LEAD, ("道",)),
    (ATTRIBUTION_AT, (" @ ",)), (ATTRIBUTION_CS_BALSA, (" napsal ",)),
    (ATTRIBUTION_SK_BALSA, ("napísané dňa",)),
)  # fmt: skip


def _sender_date_match(text: str) -> re.Match[str] | None:
    """The attribution forms with a fixed word between sender and date, matched before the verb-last ones
    ("... 写道：" is also a verb at the end, but there the text before it is "sender 于 date")."""
    low = text.lower()
    for pattern, words in _SENDER_DATE_FORMS:
        if any(word in low for word in words):
            match = pattern.match(text)
            if match:
                return match
    return None


# Zoho Mail writes its attribution between dashes and without a colon: "---- On Wed, 24 Feb 2021 14:02:50 +0530
# john@gmail.com wrote ----".
_DASHED_ATTRIBUTION = re.compile(r"^-{2,} ?([^-].*?[^-]) ?-{2,}$")
# Verbs a translation ends without a colon (Claws Mail zh_TW "... 上， 已寫入") or with a full stop (Thunderbird hy
# "... գրել է.").
COLONLESS_VERBS = ("已寫入", "գրել է.")
# Verbs Roundcube's translations end without a colon, read only right above a quote (a sentence may end so): ms
# "Pada <date>, Name menulis", sl "<date>, je Name napisal".
COLONLESS_ABOVE_QUOTE = ("menulis", "napisal")
# (and the Arabic vowel marks a translation may write on the verb: "كَتَب" is "كتب")
_BIDI = dict.fromkeys((0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069))
_BIDI |= _HARAKAT
# Evolution's and Geary's Polish time is written with U+2236 RATIO ("09∶31"), not a colon.
_BIDI[0x2236] = ":"


# Right above a quote, an attribution may carry no date and no address ("Name wrote:", Thunderbird's
# `reply_header_authorwrotesingle`) or no verb ("27.10.21 09:31, Name:", Thunderbird in Ukrainian): the sender must
# then look like a name, at most five words, each starting with a capital or a letter of a script without case.
_NAME = re.compile(r"^(?:[^\W\d_a-z][^\s,:;<>@]*)(?: [^\W\d_a-z][^\s,:;<>@]*){0,4}$")
# ... or put its words before the sender and nothing after the address (Horde IMP's default "Quoting %f:", in German
# "Zitat von Name <a@b>:", in Hungarian "Idézet (Name <a@b>):"): the address is the sender, the name is the run of
# capitalised words before it.
_QUOTING = re.compile(r"^(?P<head>[^<>:：@]{1,80}?)\s*<(?P<address>[^<>\s@]+@[^<>\s]+)>\)?\s*[:：]$")
_VERBLESS = re.compile(r"^(?P<lead>[^:：]*\d{1,2}[:.]\d{2}[^,，:：]*),\s*(?P<tail>[^,，:：<>\d]{1,60}?)\s*[:：]$")
# Tutanota (Tuta Mail) writes no verb: `formatDateTime(date) + " " + lang.get("by_label") + " " + sender.address + ":"`
# over its blockquote (src/mail-app/mail/view/MailViewerViewModel.ts), the preposition "by" in the UI language (de
# "von", fr "de", ru "От", es "por", nl "van", pl "od"; src/translations/<lang>.ts) and the bare address:
# "16. Sept. 2023, 09:42 von a@b:". The prepositions are common words, so only right above a quote, only a date that
# ends with a time right before the preposition and holds a year, and only a bare address then the colon. The lead
# is at most 80 characters and holds no '@' or bracket, the address no space or colon: a line fails in linear time.
_BY_ADDRESS = re.compile(
    r"^(?P<lead>[^<>@]{0,80}?\d{1,2}[:.]\d{2})\s(?:von|de|от|por|van|od)\s"
    r"(?P<address>[^\s<>@:：]{1,64}@[^\s<>@:：]{1,255})[:：]$",
    re.IGNORECASE,
)
# FairEmail writes no verb and no preposition: `date + " " + MessageHelper.formatAddresses(from) + ":"`
# (EntityMessage.getReplyHeader in M66B/FairEmail), the date its locale's MEDIUM date and time ("08.03.2022 14:05:09",
# "Mar 8, 2022 2:05:09 PM") or, with hide_timezone, "2022-03-08T13:05:09Z"; a sender without a name is the bare
# address: "01.06.2022 10:12:44 a@b:". (With a name, "... Name <a@b>:" is ATTRIBUTION_BARE.) A forward puts the same
# line over the text unquoted, so a quote below is not asked for (as for ATTRIBUTION_BARE); instead only a lead that
# ends with a time (seconds, AM/PM or 'Z' allowed) right before the address, its date holding a day
# and a year ("01.06.2022", "1 juin 2022", "Jun 1, 2022", "2022-03-08T"; not "2022 at"), and only the address then the
# colon. The lead is at most 80 characters with no '@' or bracket: linear time.
_DATE_ADDRESS = re.compile(
    r"^(?P<lead>(?P<date>[^<>@]{0,80}?)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[AaPp]\.?\s?[Mm]\.?|Z)?)\s"
    r"(?P<address>[^\s<>@:：]{1,64}@[^\s<>@:：]{1,255})[:：]$"
)
_DAY_AND_YEAR = re.compile(r"(?<!\d)\d{1,2}\D{1,12}\d{4}(?!\d)|(?<!\d)\d{4}\D{1,3}\d{1,2}(?!\d)")

# Cypht (a PHP webmail) writes a reply's lead-in as `sprintf(trans('On %s %s said'), <the Date header as it stands>,
# <label> <address>)`, a blank line, then the "> " quote (modules/core/message_functions.php: reply_lead_in,
# format_reply_address): the display name and the BARE address, no brackets, and in most translations no colon. Its
# translations (language/<lang>.php): de "Am %s%s sagte" and it "In data %s%s ha scritto" glue the date to the sender
# (no space: "+0100Lena Hoffmann a@b", "+0000a@b"), fr "Le %s, %s a dit:", es "El %s, %s dijo:", nl "op %s, %s zei:",
# pt-BR "Em %s %s disse", hu "%s-kor %s azt mondta", et "%s %s ütles", id "Di %s %s mengatakan", ja "%sに%sが言いました"
# (ro "La data de %s, %s a scris:" is read by `attribution`). The verbs are common words, so only right above a quote,
# only a date that ends with a time (its zone after it) and holds a year, and only a bare address right before the
# verb. The lead stops at its first time (lazy, at most 80 characters with no '@' or bracket), the name holds no '@'
# and the address no space: a line fails in linear time.
CYPHT_VERBS = (
    "said", "sagte", "a dit", "dijo", "ha scritto", "zei", "disse", "azt mondta", "ütles", "mengatakan", "が言いました",
)  # fmt: skip
# (Japanese glues its verb to the address: no space before it in _CYPHT.)
CYPHT_ENDS = (*CYPHT_VERBS, *(verb + ":" for verb in CYPHT_VERBS))
# ... and the last word of each, for a lead-in wrapped inside its verb (PHP's wordwrap of a quoted lead-in: "... a@b
# a" / "dit:", "... a@b azt" / "mondta")
CYPHT_LAST_WORDS = tuple(sorted({end.rsplit(" ", 1)[-1] for end in CYPHT_ENDS}))
_CYPHT = re.compile(
    r"^(?:(?i:on|am|le|el|in data|op|em|di)\s)?"
    r"(?P<lead>[^@<>]{0,80}?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[+-]\d{4}(?:\s?\([^()@<>]{1,40}\))?|\s(?:GMT|UTC|UT)\b)?)"
    r"(?:-kor|に)?,?\s?(?P<name>[^@<>\s][^@<>]{0,100}?\s)?(?P<address>[^\s<>@:,]{1,64}@[^\s<>@:,]{1,255}?)"
    r"(?:\s(?:" + "|".join(re.escape(verb) for verb in CYPHT_VERBS if verb != "が言いました") + r")|が言いました):?$"
)


def cypht_attribution(text: str) -> tuple[str, str] | None:
    """(date text, sender text) of Cypht's "On Tue, 08 Mar 2022 14:05:12 +0100 Name a@b said" in its translations
    (only above a quote: the caller checks)."""
    text = _SPACES.sub(" ", text.translate(_BIDI).strip())
    if len(text) > 320 or not text.endswith(CYPHT_ENDS):
        return None
    match = _CYPHT.match(text)
    if not match or not _YEAR_END.search(match.group("lead")):
        return None
    date_text = match.group("lead").strip(" ,")
    # Cypht strips the quotes off the label: "Doe, Jane a@b" is one sender, so its comma goes back inside quotes.
    name, address = (match.group("name") or "").strip(" ,").replace('"', ""), match.group("address")
    if not name:
        return date_text, address
    return date_text, (f'"{name}" <{address}>' if "," in name or ";" in name else f"{name} <{address}>")


# Thunderbird in Basque writes CLDR's short date year first with two digits, "21/10/27 09:31(e)an, Name igorleak
# idatzi zuen:": read as day-first it is 21 October 2027. The locative "(e)an" after the time tells the language.
_BASQUE_LOCATIVE = re.compile(r"^\s*-?\(e\)an\b")
_BASQUE_SHORT = re.compile(r"^(\d{2})/(\d{1,2})/(\d{1,2})(?=\s|$)")


def _basque_short_date(date_text: str) -> str:
    """ "21/10/27 09:31" (yy/M/d) as "2021-10-27 09:31"; any other date text as it is."""
    return _BASQUE_SHORT.sub(lambda m: f"20{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}", date_text, 1)


def attribution(text: str, above_quote: bool = False) -> tuple[str, str] | None:
    """(date text, sender text) when `text` is a reply attribution in any supported language; `above_quote` (the
    next line is quoted) also lets through the undated and the verbless forms."""
    # Gmail wraps right-to-left names and addresses in bidi marks (he, ar, fa): they are no part of either.
    text = _SPACES.sub(" ", text.translate(_BIDI).strip())
    if text[:2] == "--" and len(text) <= 320 and (dashed := _DASHED_ATTRIBUTION.match(text)):
        text = dashed.group(1) + ":"
    elif text.endswith(COLONLESS_VERBS):
        text = text.removesuffix(".") + ":"
    elif text.endswith("\u05c3"):
        # Balsa's Hebrew ends with SOF PASUQ, the Hebrew colon: "ב- 08/03/22 14:05:12, Name כתב/ה׃"
        text = text[:-1] + ":"
    elif above_quote and text.endswith(COLONLESS_ABOVE_QUOTE):
        text += ":"
    elif "írta ekkor" in text and len(text) <= 320 and (hu := ATTRIBUTION_HU_KMAIL.match(text)):
        # the one form whose line ends with the date, not with a colon
        return hu.group("lead").strip(" ,"), hu.group("tail").strip(" ,")
    if len(text) > 320 or not text.endswith((":", "：")):
        return None
    lead = tail = None
    match = ATTRIBUTION_MID.match(text)
    first = ATTRIBUTION_SENDER_FIRST.match(text)
    if match and _DATEISH.search(match.group("lead")):
        lead, tail = match.group("lead"), match.group("tail")
    elif first and _DATEISH.search(first.group("lead")) and not _DATEISH.search(first.group("tail")):
        lead, tail = first.group("lead"), first.group("tail")
    elif (other := _sender_date_match(text)) and _DATEISH.search(other.group("lead")):
        lead, tail = other.group("lead"), other.group("tail")
    else:
        match = ATTRIBUTION_END.match(text) or ATTRIBUTION_BARE.match(text)
        if match:
            lead = match.group("lead")
    if lead is None:
        if above_quote and (by := _BY_ADDRESS.match(text)) and _YEAR_END.search(by.group("lead")):
            return by.group("lead").strip(" ,"), by.group("address")
        if (dated := _DATE_ADDRESS.match(text)) and _DAY_AND_YEAR.search(dated.group("date")):
            return dated.group("lead").strip(" ,"), dated.group("address")
        if above_quote and (verbless := _VERBLESS.match(text)) and _NAME.match(verbless.group("tail")):
            return ATTRIBUTION_PREFIX.sub("", verbless.group("lead"), count=1).strip(" ,"), verbless.group("tail")
        if above_quote and (first := _VERB_FIRST_UNDATED.match(text)) and _NAME.match(first.group("tail")):
            return "", first.group("tail")
        if above_quote and (quoting := _QUOTING.match(text)) and len(quoting.group("head").split()) <= 8:
            return "", f"{_quoted_name(quoting.group('head'))} <{quoting.group('address')}>".lstrip()
        return None
    lead = ATTRIBUTION_PREFIX.sub("", lead, count=1).strip()
    if tail is not None:
        date_text, sender = lead, tail
    else:
        date_text, sender = split_attribution(lead)
        if sender[:1] == "," and (day := _PL_WEEKDAY_AFTER_TIME.match(sender)) and _TIME_END.search(date_text):
            sender = sender[day.end() :]
    if _BASQUE_LOCATIVE.match(sender):
        date_text = _basque_short_date(date_text)
    sender = _SENDER_TAIL.sub("", _SENDER_GLUE.sub("", sender, count=1).rstrip())
    # Outlook 2019 in Hungarian and Slovak wraps the address in parentheses: "Kiss Anna (a@b)".
    sender = _PAREN_ADDRESS.sub(r" <\1>", sender)
    if not _DATEISH.search(date_text) and "@" not in sender:
        if not (above_quote and not date_text.strip() and _NAME.match(sender.strip(" ,，、،"))):
            return None
    if not sender.strip() or len(sender) > 160:
        return None
    return date_text.strip(" ,，、،"), sender.strip(" ,，、،")


# Gmail for Android (2013) wrote its attribution with no verb and no colon: "2013/11/1 John Smith <john@smith.org>",
# wrapped inside the brackets when long (web-ridge/email-reply-parser's dataset/quoted_reply/android.txt). Without
# its colon only a numeric date first, a sender with an address last, and a quote right below (the caller checks)
# make it one. The name is at most 100 characters, so a run of spaces costs at most that per start.
_COLONLESS_ATTRIBUTION = re.compile(
    r"^(?P<date>\d{4}[/-]\d{1,2}[/-]\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?) "
    r"(?P<sender>[^<>\s][^<>]{0,100}<[^<>\s@]+@[^<>\s]+>)$"
)


# Nextcloud Mail's reply quote names the sender and the date with no verb and no colon: `"Name" address – <date>`
# (src/ReplyBuilder.js: the label in double quotes, the address, an en dash, moment's "LLL" in the user's language),
# the quoted lines right below it. Without a verb only the quoted label, an address, the dash and a date (with a
# digit), and a quote right below (the caller checks) make it one. The label holds no double quote and the address
# no space, so each part ends where the next one's delimiter is: linear.
_NEXTCLOUD_ATTRIBUTION = re.compile(
    r'^"(?P<label>[^"]{1,100})" (?P<address>[^\s"<>@]+@[^\s"<>]+) \u2013 (?P<date>\S.{0,80})$'
)


def nextcloud_attribution(text: str) -> tuple[str, str] | None:
    """(date text, sender text) of Nextcloud Mail's `"Name" a@b – 8. März 2022 14:05` (only above a quote)."""
    text = _SPACES.sub(" ", text.translate(_BIDI).strip())
    if len(text) > 260 or text[:1] != '"' or "\u2013" not in text:
        return None
    match = _NEXTCLOUD_ATTRIBUTION.match(text)
    if not match or not _DATEISH.search(match.group("date")):
        return None
    label, address = match.group("label").strip(), match.group("address")
    # With no display name Nextcloud's label is the address itself.
    sender = address if label.lower() == address.lower() else f"{label} <{address}>"
    return match.group("date").strip(), sender


def _quoted_name(head: str) -> str:
    """The capitalised words at the end of "Zitat von Jonas Weber" (at most four), without the bracket before them."""
    words = head.replace("(", " ").split()
    name: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or len(name) == 4:
            break
        name.insert(0, word)
    return " ".join(name)


def colonless_attribution(text: str) -> tuple[str, str] | None:
    """(date text, sender text) of "2013/11/1 John Smith <john@smith.org>" (no colon: only above a quote)."""
    text = _SPACES.sub(" ", text.strip())
    if len(text) > 200 or not text[:1].isdigit() or not text.endswith(">"):
        return None
    match = _COLONLESS_ATTRIBUTION.match(text)
    return (match.group("date"), match.group("sender").strip()) if match else None


def may_wrap_attribution(line: str) -> bool:
    """Whether an attribution may start on this line and end on the next one or two: Gmail wraps long ones
    ("Le lun. 15 janv. 2025 à 17:03, Anna <a@b>" / "a écrit :"); the first line starts with "On"/"Am"/... or a
    digit, or carries the date ("Dijous 29 Gener 2004 13:06, en/na Geert (<Geert" / "<g@x>>) va escriure:") or the
    sender's address ("Aa Bb <abc@abc.org> schrieb am So., 23." / "Juni 2024, 21:08:"), or ends where the sender's
    address opens (Gmail in Hungarian, sender first: "Kovács Péter <" / "kp@x> ezt írta (időpont: ...):")."""
    return bool(
        ATTRIBUTION_PREFIX.match(line)
        or line[:1].isdigit()
        or "@" in line
        or _DATEISH.search(line)
        or line.rstrip().endswith("<")
    )


def split_attribution(lead: str) -> tuple[str, str]:
    """Split "Mon, Mar 4, 2024 at 3:01 PM John Doe <j@x>" after the time (Gmail's commas are not
    separators), else after the year; "date, sender" with a last comma as the fallback."""
    best = None
    for match in _TIME_END.finditer(lead):
        best = match
    # Apple Mail in Vietnamese writes the time first: "15:05, ngày 3 thg 11, 2021, Name <a@b>"; a year after the time
    # and before any address or bracket is still the date.
    end = best.end() if best is not None else 0
    # Found once, not sliced per year: "2024 " repeated over a MB would rescan the slice for every year.
    stops = [at for at in (lead.find("<", end), lead.find("@", end)) if at >= 0]
    stop = min(stops) if stops else len(lead)
    for match in _YEAR_END.finditer(lead, end, stop):
        best = match
    # Thunderbird in Portuguese and Vietnamese writes the time before a short numeric date ("Às 09:31 de 27/10/21,")
    for match in _SHORT_DATE_END.finditer(lead, end, stop):
        best = match if best is None or match.end() > best.end() else best
    if best is not None:
        return lead[: best.end()], lead[best.end() :]
    # The last comma, or the ideographic one where no Latin comma is (K-9 in Japanese: "2021年10月27日 9時31分12秒
    # GMT+9、Name <a@b>", a time no pattern above reads).
    head, _, rest = lead.rpartition(",")
    if not head and "、" in lead:
        head, _, rest = lead.rpartition("、")
    return head, rest


# -- quotes ---------------------------------------------------------------------------------------------


def is_quoted(line: str) -> bool:
    return line.lstrip(" ").startswith(">")


def unquote(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        stripped = line.lstrip(" ")
        if stripped.startswith(">"):
            stripped = stripped[1:]
            if stripped.startswith(" "):
                stripped = stripped[1:]
            out.append(stripped)
        else:
            out.append(line)
    return out
