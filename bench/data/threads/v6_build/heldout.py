"""Writes bench/data/threads/heldout_v6.json (issue 14, helper h3, 2026-12-02).

Thunderbird desktop's reply attributions and inline-forward headers in 14 UI languages, each built from the
strings of thunderbird/thunderbird-l10n (MPL-2.0): `mail/chrome/messenger/messengercompose/composeMsgs.properties`
(`mailnews.reply_header_ondateauthorwrote`, `mailnews.forward_header_originalmessage`) and
`mail/chrome/messenger/mime.properties` (1000 Subject, 1007 Date, 1009 From, 1012 To, 1013 CC), at the commits
named in each case's `source`. Thunderbird fills the attribution's #1 with the author's display name, #2 and #3 with
the date and the time in the UI locale's short formats (Intl dateStyle/timeStyle "short", CLDR; typed here by hand,
not produced by any library handoff uses), and writes the forwarded Date header as it came (RFC 5322). Names,
addresses and words are ours. Committed before handoff was run on it; only its totals are read.
Run: python bench/data/threads/v6_build/heldout.py bench/data/threads/tuned_v6.json (was heldout_v6.json)
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
case = case_writer(CASES, "v6h")

L10N = "thunderbird/thunderbird-l10n"
COMPOSE = "mail/chrome/messenger/messengercompose/composeMsgs.properties"
MIME = "mail/chrome/messenger/mime.properties"

# locale: (commit of composeMsgs.properties, reply template, forward banner, commit of mime.properties,
#          (Subject, Date, From, To, CC) labels)
TB: dict[str, tuple[str, str, str, str, tuple[str, str, str, str, str]]] = {
    "ka": ("005a0c1aa8017c69f34a39ffaa007d300e1e3cfe", "თარიღი #2 #3, #1 წერს:", "-------- გადაგზავნილი წერილი --------",
           "0ff949b2b749af7f0da865249cde69926ead99a2", ("თემა", "თარიღი", "ვინ", "ვის", "ასლი")),
    "ja": ("5cd4604acabc07c60b0d7d31b0742b41ebc61651", "On #2 #3, #1 wrote:", "-------- Forwarded Message --------",
           "", ("", "", "", "", "")),
    "ko": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "#2 #3에 #1 이(가) 쓴 글:", "-------- 전달된 메시지 --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("제목", "날짜", "보낸 사람", "받는 사람", "참조")),
    "zh-TW": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "#1 於 #2 #3 寫道:", "-------- 轉寄郵件 --------",
              "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("主旨", "日期", "從", "到", "副本")),
    "he": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "נכתב על ידי #1, ב־#2 בשעה #3:", "-------- הודעה שהועברה --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("נושא", "תאריך", "מאת", "אל", "עותק")),
    "ar": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "على #2 #3، كتب #1:", "-------- رسالة ممرّرة --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("الموضوع", "التاريخ", "مِن", "إلى", "CC")),
    "id": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "Pada #2 #3, #1 menulis:", "-------- Pesan Diteruskan --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("Subjek", "Tanggal", "Dari", "Kepada", "CC")),
    "ro": ("067b6af61b303eaa97663152c7fb35d04dcd2347", "La #2 #3, #1 a scris:", "-------- Mesaj redirecționat --------",
           "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("Subiect", "Dată", "de la", "Către", "CC")),
    "sv-SE": ("002af1f4e1b5f3f79177851584d65e908e373a82", "Den #2 kl. #3, skrev #1:", "-------- Vidarebefordrat meddelande --------",
              "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("Ämne", "Datum", "Från", "Till", "Kopia")),
    "sl": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "#1 je #2 ob #3 napisal:", "-------- Posredovano sporočilo --------",
           "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("Zadeva", "Datum", "Od", "Za", "Kp")),
    "sr": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "Дана #2 у #3, #1 пише:", "-------- Прослеђена порука --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("Тема", "Датум", "Шаље", "Прима", "Коп")),
    "ca": ("0508abcd2957d17b529ef6f6439f545e0f081a57", "El #2 a les #3, #1 ha escrit:", "-------- Missatge reenviat --------",
           "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("Assumpte", "Data", "De", "A", "CC")),
    "nb-NO": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "Den #2 #3, skrev #1:", "-------- Videresendt melding --------",
              "2a76731468bbf6aa6987a732ac0fd41f36ce62a4", ("Emne", "Dato", "Fra", "Til", "CC")),
    "eu": ("09e987749e000af2404ea1e3e666c75dc3eb16ff", "#2 #3(e)an, #1 igorleak idatzi zuen:", "-------- Birbidalitako mezua --------",
           "1beaf519c3fcb3d3559bde58f014112c18808852", ("Gaia", "Data", "Nork", "Nori", "CC")),
}

# The same moment (Wednesday 27 October 2021 09:31, or the afternoon time below) in each locale's short date and
# short time (CLDR "short" patterns, as Thunderbird's Intl formatting prints them; Arabic with Arabic-Indic digits
# and right-to-left marks, as Intl's default numbering for "ar").
SHORT: dict[str, tuple[str, str, str]] = {  # locale: (date of 2021-10-27, time 09:31, time 15:05)
    "ka": ("27.10.21", "09:31", "15:05"),
    "ja": ("2021/10/27", "9:31", "15:05"),
    "ko": ("21. 10. 27.", "오전 9:31", "오후 3:05"),
    "zh-TW": ("2021/10/27", "上午9:31", "下午3:05"),
    "he": ("27.10.2021", "9:31", "15:05"),
    "ar": ("٢٧\u200f/١٠\u200f/٢٠٢١", "٩:٣١ ص", "٣:٠٥ م"),
    "id": ("27/10/21", "09.31", "15.05"),
    "ro": ("27.10.2021", "09:31", "15:05"),
    "sv-SE": ("2021-10-27", "09:31", "15:05"),
    "sl": ("27. 10. 21", "09:31", "15:05"),
    "sr": ("27.10.21.", "09:31", "15:05"),
    "ca": ("27/10/21", "9:31", "15:05"),
    "nb-NO": ("27.10.2021", "09:31", "15:05"),
    "eu": ("21/10/27", "09:31", "15:05"),
}
# A second date, 14 September 2021 (for the older message of a chain), in the same short formats.
SHORT_SEP: dict[str, str] = {
    "ka": "14.09.21", "ja": "2021/09/14", "ko": "21. 9. 14.", "zh-TW": "2021/9/14", "he": "14.9.2021",
    "ar": "١٤\u200f/٩\u200f/٢٠٢١", "id": "14/09/21", "ro": "14.09.2021", "sv-SE": "2021-09-14", "sl": "14. 09. 21",
    "sr": "14.9.21.", "ca": "14/9/21", "nb-NO": "14.09.2021", "eu": "21/9/14",
}

# Our customers, one per locale: (display name, address, text of their message, a reply above it)
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "ka": ("ნინო ბერიძე", "nino.beridze@posta.example", "შეკვეთა 5521 ჯერ არ მოსულა.", "გთხოვთ, გადაამოწმეთ."),
    "ja": ("佐藤 美咲", "misaki.sato@mail.example", "注文番号 7731 の商品がまだ届いていません。", "確認をお願いします。"),
    "ko": ("이서연", "seoyeon.lee@mail.example", "주문한 상품이 아직 도착하지 않았습니다.", "확인 부탁드립니다."),
    "zh-TW": ("陳怡君", "yijun.chen@mail.example", "我的訂單 3302 還沒有收到。", "請幫我查詢，謝謝。"),
    "he": ("נועה כהן", "noa.cohen@mail.example", "ההזמנה שלי עדיין לא הגיעה.", "אשמח לעדכון."),
    "ar": ("ليلى حداد", "layla.haddad@mail.example", "لم يصل طلبي رقم 8812 حتى الآن.", "أرجو المتابعة."),
    "id": ("Siti Rahayu", "siti.rahayu@mail.example", "Pesanan saya nomor 4410 belum sampai.", "Mohon dicek kembali."),
    "ro": ("Andreea Popa", "andreea.popa@mail.example", "Comanda 6617 nu a ajuns încă.", "Vă rog să verificați."),
    "sv-SE": ("Elin Lindqvist", "elin.lindqvist@mail.example", "Min beställning 2290 har inte kommit.", "Kan ni kolla?"),
    "sl": ("Maja Kovač", "maja.kovac@mail.example", "Naročilo 1185 še ni prispelo.", "Prosim za preverbo."),
    "sr": ("Јелена Петровић", "jelena.petrovic@mail.example", "Поруџбина 9043 још није стигла.", "Молим вас да проверите."),
    "ca": ("Laia Puig", "laia.puig@mail.example", "La comanda 3378 encara no ha arribat.", "Us ho agrairia."),
    "nb-NO": ("Ingrid Berg", "ingrid.berg@mail.example", "Bestillingen 5054 har ikke kommet.", "Kan dere sjekke?"),
    "eu": ("Ane Etxeberria", "ane.etxeberria@mail.example", "5520 eskaera ez da oraindik iritsi.", "Mesedez, begiratu."),
}
AGENT = ("Support", "support@shop.example")


def src(locale: str, what: str) -> str:
    compose, _, _, mime, _ = TB[locale]
    files = f"{L10N}@{compose[:12]} {locale}/{COMPOSE}"
    if mime and "forward" in what:
        files += f" and {locale}/{MIME}@{mime[:12]}"
    return f"Thunderbird ({locale}) {what}, from {files}; our names and words"


def attribution(locale: str, name: str, date: str, time: str) -> str:
    return TB[locale][1].replace("#1", name).replace("#2", date).replace("#3", time)


def forward_block(locale: str, name: str, email: str, rfc_date: str, subject: str, cc: str = "") -> str:
    _, _, banner, _, (ls, ld, lf, lt, lc) = TB[locale]
    lines = [banner, f"{ls}: \t{subject}", f"{ld}: \t{rfc_date}", f"{lf}: \t{name} <{email}>", f"{lt}: \t{AGENT[1]}"]
    if cc:
        lines.append(f"{lc}: \t{cc}")
    return "\n".join(lines)


# -- 1. reply attributions (ondateauthorwrote), one per locale -------------------------------------------------
for loc in TB:
    name, email, text, top = PEOPLE[loc]
    date, t_am, _ = SHORT[loc]
    line = attribution(loc, name, date, t_am)
    case(f"reply_{loc}", src(loc, f"reply attribution '{TB[loc][1]}'"),
         f"{top}\n\n{line}\n" + quote(text) + "\n",
         [msg("", "2021-10-27T09:31", text, name=name)])

# -- 2. inline forwards (forward_header_originalmessage, mime.properties labels, tab after each label) ------------
for loc in TB:
    if not TB[loc][3]:
        continue  # ja: its mime.properties is not in the index we read from
    name, email, text, top = PEOPLE[loc]
    block = forward_block(loc, name, email, "Wed, 27 Oct 2021 15:05:12 +0200", "4471")
    case(f"forward_{loc}", src(loc, f"inline forward '{TB[loc][2]}' with tab-separated labels"),
         f"{top}\n\n\n{block}\n\n\n\n{text}\n",
         [msg(email, "2021-10-27T15:05:12+02:00", text)])

# -- 3. forwards with a CC line, the sender without a display name ------------------------------------------------
for loc in ("ko", "sv-SE", "sr", "sl", "he"):
    name, email, text, top = PEOPLE[loc]
    _, _, banner, _, (ls, ld, lf, lt, lc) = TB[loc]
    block = "\n".join([banner, f"{ls}: \tRe: 4471", f"{ld}: \tThu, 14 Oct 2021 08:02:44 +0300", f"{lf}: \t{email}",
                       f"{lt}: \t{AGENT[1]}", f"{lc}: \tbilling@shop.example"])
    case(f"forward_cc_bare_{loc}", src(loc, "inline forward with a CC line and a sender with no display name"),
         f"{top}\n\n\n{block}\n\n\n\n{text}\n",
         [msg(email, "2021-10-14T08:02:44+03:00", text)])

# -- 4. two-message reply chains: the customer's reply quoting our answer quoting their first mail --------------------
for loc in ("ko", "he", "sr", "eu", "ar", "zh-TW"):
    name, email, text, top = PEOPLE[loc]
    date, _, t_pm = SHORT[loc]
    ours = "Thank you, we are checking order 4471 with the carrier."
    first = attribution(loc, name, SHORT_SEP[loc], SHORT[loc][1])
    second = attribution(loc, AGENT[0], date, t_pm)
    body = f"{top}\n\n{second}\n" + quote(f"{ours}\n\n{first}\n" + quote(text)) + "\n"
    case(f"chain_{loc}", src(loc, "reply chain of two attributions, the older one quoted twice"), body,
         [msg("", "2021-09-14T09:31", text, name=name), msg("", "2021-10-27T15:05", ours, name=AGENT[0])])

# -- 5. a forward of a reply: the forward block above our answer, which quotes the customer ---------------------------
for loc in ("ka", "sl", "ca", "id", "nb-NO", "ro"):
    name, email, text, top = PEOPLE[loc]
    ours = "We have sent a replacement for order 4471."
    first = attribution(loc, name, SHORT_SEP[loc], SHORT[loc][1])
    block = forward_block(loc, AGENT[0], AGENT[1], "Wed, 27 Oct 2021 15:05:12 +0200", "Re: 4471")
    body = f"FYI\n\n\n{block}\n\n\n\n{ours}\n\n{first}\n" + quote(text) + "\n"
    case(f"forward_of_reply_{loc}", src(loc, "inline forward of a reply that quotes the customer"), body,
         [msg("", "2021-09-14T09:31", text, name=name), msg(AGENT[1], "2021-10-27T15:05:12+02:00", ours)])

# -- 6. texts that quote nothing, with a label or verb of these locales in the customer's own words -------------------
case("nothing_ko_wrote", "A Korean customer text with '쓴 글:' and no date or sender; our words",
     "제가 예전에 쓴 글:\n주문 번호 4471, 환불 요청\n아직 답이 없습니다.\n", [], kind="quotes-nothing")
case("nothing_eu_labels", "A Basque customer text naming 'Nork:' and 'Gaia:' in its own words; our words",
     "Paketean idatzita zegoen:\nNork: ez dago izenik\nGaia: 4471 eskaera\n", [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Sixth held-out split (issue 14, helper h3, 2026-12-02): Thunderbird desktop's reply attributions, inline "
            "forwards, two-message chains and forwards of a reply in 14 UI languages (ka, ja, ko, zh-TW, he, ar, id, "
            "ro, sv-SE, sl, sr, ca, nb-NO, eu), from the strings of thunderbird/thunderbird-l10n, with our own names "
            "and words. Committed before handoff was run on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
