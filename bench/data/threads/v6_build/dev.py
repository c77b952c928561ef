"""Writes bench/data/threads/dev_v6.json (issue 14, helper h3, 2026-12-02; tuned on).

The same kinds as heldout_v6.json (an attribution and a forward header per UI language, chains, forwards of a reply,
texts that quote nothing) from another client's own strings: K-9 Mail / Thunderbird for Android, whose
`legacy/ui/legacy/src/main/res/values-*/strings.xml` in thunderbird/thunderbird-android (Apache-2.0) hold
`message_compose_reply_header_fmt_with_date` ("On %1$s, %2$s wrote:"), `message_compose_reply_header_fmt`, the header
block's separator and labels (`message_compose_quote_header_*`), which `QuotedMessageHelper.quoteOriginalTextMessage`
writes ("> " prefix for replies; the header block, unquoted, for forwards and Outlook-style replies). Its sender is
`Address.toString(from)` ("Name <a@b>"); its date is `DateFormat.getDateTimeInstance(LONG, LONG, locale)`, typed here
by hand from CLDR's long date and time patterns as Android's ICU prints them (not produced by any library handoff
uses), in the device's zone ("GMT+3") or UTC when K-9 hides the zone. Names, addresses and words are ours.
Written after heldout_v6.json was frozen; its misses were not read.
Run: python bench/data/threads/v6_build/dev.py bench/data/threads/dev_v6.json
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
case = case_writer(CASES, "v6d")

REPO = "thunderbird/thunderbird-android"
PATH = "legacy/ui/legacy/src/main/res/values-{}/strings.xml"

# locale dir: (commit, reply_header_fmt_with_date, reply_header_fmt, separator, (From, Sent, To, Cc, Subject) labels)
K9: dict[str, tuple[str, str, str, str, tuple[str, str, str, str, str]]] = {
    "ka": ("1b428ad3c9d9590371d952dfd7a2d72330a3f0ae", "თარიღში%1$s, %2$s დაწერა:", "%s დაწერა:",
           "-------- საწყისი მესიჯი --------", ("ვისგან:", "გაიგზავნა:", "ვის:", "ასლი:", "საგანი:")),
    "ko": ("050f552f788c29c5d737904ab3935a3f713c5bbd", "On %1$s, %2$s 작성함:", "%s이 씀:",
           "-------- 원본 메시지 --------", ("보낸 사람:", "보낸 날짜:", "받는 사람:", "참조:", "제목:")),
    "zh-rTW": ("058c23f6d46a2d5093a3fe98078f66638f0ac492", "於 %1$s，%2$s 寫到：", "%s寫到:",
               "--------原始郵件--------", ("寄件人：", "送件日期:", "收件人：", "副本：", "主題：")),
    "iw": ("058c23f6d46a2d5093a3fe98078f66638f0ac492", "ב %1$s, %2$s כתב:", "%s כתב:",
           "-------- הודעה מקורית --------", ("מאת:", "נשלח:", "אל:", "עותק:", "נושא:")),
    "ar": ("058c23f6d46a2d5093a3fe98078f66638f0ac492", "بتاريخ %1$s، %2$s الرسالة:", "%s كَتَب :",
           "-------- الرسالة الأصلية --------", ("مِن :", "المُرسل:", "إلى :", "نسخة كربونية :", "الموضوع :")),
    "in": ("16c3fa89b86036239645382765e6d58a1621b3a0", "Pada %1$s, %2$s menulis:", "%s menulis:",
           "-------- Pesan Orisinal --------", ("Dari:", "Terkirim:", "Kepada:", "Cc:", "Subjek:")),
    "ro": ("025d454e4538f8a042f52677aa9c711a79e161f0", "În %1$s, %2$s a scris:", "%s a scris:",
           "-------- Mesaj Original --------", ("De la:", "Trimis:", "La:", "Cc:", "Subiect:")),
    "sl": ("03036f212d323f77a127a7243419f9b3339fee8d", "Dne %1$s, %2$s sporoča:", "%s sporoča:",
           "-------- Izvirno sporočilo --------", ("Od:", "Poslano:", "Za:", "Kp:", "Zadeva:")),
    "eu": ("02a11c2f69f5f56dbb98f9a8b2e94d2d0283137e", "%1$s-(e)an, %2$s-(e)k hau idatzi zuen:", "%s-(e)k idatzi du:",
           "-------- Jatorrizko mezua --------", ("Nork:", "Bidalita:", "Nori:", "Cc:", "Gaia:")),
    # second batch, after the first was fixed
    "ja": ("17f57b336b72114ae0f5722287d149991f513539", "%1$s、%2$s より:", "%s より:",
           "-------- 元メール --------", ("差出人:", "送信日:", "宛先:", "Cc:", "件名:")),
    "ru": ("025d454e4538f8a042f52677aa9c711a79e161f0", "%1$s, %2$s пишет:", "%s пишет:",
           "------ Исходное сообщение ------", ("От:", "Отправлено:", "Кому:", "Копия:", "Тема:")),
    # third batch
    "tr": ("02a11c2f69f5f56dbb98f9a8b2e94d2d0283137e", "%1$s tarihinde %2$s yazdı:", "%s yazdı:",
           "-------- Özgün İleti --------", ("Kimden:", "Gönderilme:", "Kime:", "Cc:", "Konu:")),
}

# DateFormat LONG/LONG (Android ICU, CLDR long date + long time with a "GMT+n" zone) for three moments:
# A = 2021-10-27 09:31:12, B = 2021-09-14 16:20:05, in the device zone; U = A with K-9's "hide time zone" (UTC).
ZONE = {"ka": 4, "ko": 9, "zh-rTW": 8, "iw": 3, "ar": 3, "in": 7, "ro": 3, "sl": 2, "eu": 2, "ja": 9, "ru": 3, "tr": 3}
LONG: dict[str, tuple[str, str, str]] = {
    "ka": ("27 ოქტომბერი, 2021, 09:31:12 GMT+4", "14 სექტემბერი, 2021, 16:20:05 GMT+4", "27 ოქტომბერი, 2021, 05:31:12 UTC"),
    "ko": ("2021년 10월 27일 오전 9시 31분 12초 GMT+9", "2021년 9월 14일 오후 4시 20분 5초 GMT+9", "2021년 10월 27일 오전 12시 31분 12초 UTC"),
    "zh-rTW": ("2021年10月27日 上午9:31:12 [GMT+8]", "2021年9月14日 下午4:20:05 [GMT+8]", "2021年10月27日 上午1:31:12 [UTC]"),
    "iw": ("27 באוקטובר 2021 בשעה 9:31:12 GMT+3", "14 בספטמבר 2021 בשעה 16:20:05 GMT+3", "27 באוקטובר 2021 בשעה 6:31:12 UTC"),
    "ar": ("٢٧ أكتوبر ٢٠٢١ في ٩:٣١:١٢ ص غرينتش+٣", "١٤ سبتمبر ٢٠٢١ في ٤:٢٠:٠٥ م غرينتش+٣", "٢٧ أكتوبر ٢٠٢١ في ٦:٣١:١٢ ص UTC"),
    "in": ("27 Oktober 2021 pukul 09.31.12 GMT+7", "14 September 2021 pukul 16.20.05 GMT+7", "27 Oktober 2021 pukul 02.31.12 UTC"),
    "ro": ("27 octombrie 2021 la 09:31:12 GMT+3", "14 septembrie 2021 la 16:20:05 GMT+3", "27 octombrie 2021 la 06:31:12 UTC"),
    "sl": ("27. oktober 2021 ob 09:31:12 GMT+2", "14. september 2021 ob 16:20:05 GMT+2", "27. oktober 2021 ob 07:31:12 UTC"),
    "eu": ("2021(e)ko urriaren 27(a) 09:31:12 (GMT+2)", "2021(e)ko irailaren 14(a) 16:20:05 (GMT+2)", "2021(e)ko urriaren 27(a) 07:31:12 (UTC)"),
    "ja": ("2021年10月27日 9時31分12秒 GMT+9", "2021年9月14日 16時20分05秒 GMT+9", "2021年10月27日 0時31分12秒 UTC"),
    "ru": ("27 октября 2021 г., 09:31:12 GMT+03:00", "14 сентября 2021 г., 16:20:05 GMT+03:00", "27 октября 2021 г., 06:31:12 UTC"),
    "tr": ("27 Ekim 2021 09:31:12 GMT+03:00", "14 Eylül 2021 16:20:05 GMT+03:00", "27 Ekim 2021 06:31:12 UTC"),
}

PEOPLE: dict[str, tuple[str, str, str, str]] = {  # (name, address, their message, a reply above it)
    "ka": ("გიორგი კაპანაძე", "giorgi.kapanadze@mail.example", "ანგარიშ-ფაქტურა არასწორია.", "გთხოვთ, მიპასუხეთ."),
    "ko": ("박지훈", "jihoon.park@mail.example", "환불이 아직 처리되지 않았습니다.", "빠른 답변 부탁드립니다."),
    "zh-rTW": ("林志明", "zhiming.lin@mail.example", "發票上的金額不正確。", "麻煩盡快回覆。"),
    "iw": ("דניאל לוי", "daniel.levi@mail.example", "החיוב בכרטיס כפול.", "מחכה לתשובה."),
    "ar": ("عمر خليل", "omar.khalil@mail.example", "تم خصم المبلغ مرتين من بطاقتي.", "بانتظار ردكم."),
    "in": ("Budi Santoso", "budi.santoso@mail.example", "Tagihan saya terpotong dua kali.", "Mohon segera dibalas."),
    "ro": ("Mihai Ionescu", "mihai.ionescu@mail.example", "Factura are suma greșită.", "Aștept un răspuns."),
    "sl": ("Luka Novak", "luka.novak@mail.example", "Račun je bil zaračunan dvakrat.", "Prosim za odgovor."),
    "eu": ("Iker Agirre", "iker.agirre@mail.example", "Faktura bikoiztuta kobratu didazue.", "Erantzuna espero dut."),
    "ja": ("山田 花子", "hanako.yamada@mail.example", "請求額が二重になっています。", "ご確認ください。"),
    "ru": ("Ольга Смирнова", "olga.smirnova@mail.example", "С карты списали деньги дважды.", "Жду ответа."),
    "tr": ("Zeynep Kaya", "zeynep.kaya@mail.example", "Kartımdan iki kez ödeme alındı.", "Yanıtınızı bekliyorum."),
}
AGENT = ("Help Desk", "help@shop.example")


def src(loc: str, what: str) -> str:
    return f"K-9 Mail / Thunderbird for Android ({loc}) {what}, from {REPO}@{K9[loc][0][:12]} {PATH.format(loc)}; our names and words"


def iso(loc: str, which: str) -> str:
    z = ZONE[loc]
    if which == "A":
        return f"2021-10-27T09:31:12+{z:02d}:00"
    if which == "B":
        return f"2021-09-14T16:20:05+{z:02d}:00"
    hour = 9 - z
    return f"2021-10-{27 if hour >= 0 else 26}T{hour % 24:02d}:31:12+00:00"


def wrap(text: str, width: int = 70) -> str:
    """K-9's `Utility.wrap` of the quoted text (72 columns less the "> " prefix): long lines break at a space."""
    out = []
    for line in text.split("\n"):
        cur = ""
        for word in line.split(" "):
            if cur and len(cur) + 1 + len(word) > width:
                out.append(cur)
                cur = word
            else:
                cur = f"{cur} {word}" if cur else word
        out.append(cur)
    return "\n".join(out)


def reply_line(loc: str, date: str, who: str) -> str:
    return K9[loc][1].replace("%1$s", date).replace("%2$s", who)


def header_block(loc: str, who: str, date: str, subject: str, cc: str = "") -> str:
    _, _, _, sep, (lf, ld, lt, lc, ls) = K9[loc]
    lines = [sep, f"{lf} {who}", f"{ld} {date}", f"{lt} {AGENT[1]}"]
    if cc:
        lines.append(f"{lc} {cc}")
    lines.append(f"{ls} {subject}")
    return "\n".join(lines)


for loc in K9:
    name, email, text, top = PEOPLE[loc]
    who = f"{name} <{email}>"
    a, b, u = LONG[loc]
    # 1. reply attribution (quote style "prefix", the default)
    case(f"reply_{loc}", src(loc, f"reply attribution '{K9[loc][1]}'"),
         f"{top}\n\n{reply_line(loc, a, who)}\n" + quote(text) + "\n",
         [msg(email, iso(loc, "A"), text)])
    # 2. the same with K-9's "hide time zone" (UTC)
    case(f"reply_utc_{loc}", src(loc, "reply attribution with the time zone hidden (UTC)"),
         f"{top}\n\n{reply_line(loc, u, who)}\n" + quote(text) + "\n",
         [msg(email, iso(loc, "U"), text)])
    # 3. forward: the header block, unquoted, under the forwarder's words
    case(f"forward_{loc}", src(loc, f"forward header block '{K9[loc][3]}'"),
         f"{top}\n\n{header_block(loc, who, a, 'Fwd: 4471')}\n\n{text}\n",
         [msg(email, iso(loc, "A"), text)])
    # 4. header-style reply with a Cc line
    case(f"header_reply_cc_{loc}", src(loc, "reply in the 'header' quote style with a Cc line"),
         f"{top}\n\n{header_block(loc, who, b, 'Re: 4471', cc='billing@shop.example')}\n\n{text}\n",
         [msg(email, iso(loc, "B"), text)])
    # 5. a two-message chain: the customer quoting our answer quoting their first mail
    ours = "We are looking into order 4471 and will write again today."
    agent_who = f"{AGENT[0]} <{AGENT[1]}>"
    body = (f"{top}\n\n{reply_line(loc, a, agent_who)}\n"
            + quote(wrap(f"{ours}\n\n{reply_line(loc, b, who)}\n" + quote(text))) + "\n")
    case(f"chain_{loc}", src(loc, "two-message reply chain, the quoted attribution wrapped at 70 columns as K-9 wraps the quote"), body,
         [msg(email, iso(loc, "B"), text), msg(AGENT[1], iso(loc, "A"), ours)])

# 6. forwards of a reply (the header block above our answer, which quotes the customer) in four locales
for loc in ("ka", "sl", "zh-rTW", "in", "eu"):
    name, email, text, top = PEOPLE[loc]
    who = f"{name} <{email}>"
    a, b, _ = LONG[loc]
    ours = "A refund for order 4471 is on its way."
    body = (f"FYI\n\n{header_block(loc, f'{AGENT[0]} <{AGENT[1]}>', a, 'Re: 4471')}\n\n{ours}\n\n"
            f"{reply_line(loc, b, who)}\n" + quote(text) + "\n")
    case(f"forward_of_reply_{loc}", src(loc, "forward of a reply that quotes the customer"), body,
         [msg(email, iso(loc, "B"), text), msg(AGENT[1], iso(loc, "A"), ours)])

# 7. reply_header_fmt (no date: K-9 writes it when the mail has no Date header)
for loc in ("ko", "iw", "ro", "sl"):
    name, email, text, top = PEOPLE[loc]
    line = K9[loc][2].replace("%s", f"{name} <{email}>")
    case(f"reply_nodate_{loc}", src(loc, f"reply attribution without a date '{K9[loc][2]}'"),
         f"{top}\n\n{line}\n" + quote(text) + "\n", [msg(email, None, text)])

# 8. texts that quote nothing, with these labels or verbs in the customer's own words
case("nothing_ro_scris", "A Romanian customer text with 'a scris:' and no date or address; our words",
     "Curierul a scris:\npachet deteriorat\nVă rog să îmi trimiteți altul.\n", [], kind="quotes-nothing")
case("nothing_ka_labels", "A Georgian customer text naming 'ვისგან:' in its own words; our words",
     "ამანათზე ეწერა:\nვისგან: მითითებული არ არის\nგთხოვთ, გადაამოწმოთ.\n", [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "dev",
        "about": (
            "Dev split of issue 14 (helper h3, 2026-12-02): K-9 Mail / Thunderbird for Android's reply attributions, "
            "header blocks, chains and forwards of a reply in 11 UI languages (ka, ko, zh-TW, he, ar, id, ro, sl, eu; "
            "then ja, ru; then tr), "
            "from the strings of thunderbird/thunderbird-android, with our own names and words. Tuned on."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
