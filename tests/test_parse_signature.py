"""Signatures, sign-offs and disclaimers are split from what the customer actually wrote."""

from __future__ import annotations

import pytest

from handoff.parse.signature import split_signature


@pytest.mark.parametrize(
    ("text", "body", "signature"),
    [
        ("It broke again.\n\nBest regards,\nJohn Doe\nACME", "It broke again.", "Best regards,\nJohn Doe\nACME"),
        (
            "Das Gerät ist kaputt.\n\nMit freundlichen Grüßen\nJörg",
            "Das Gerät ist kaputt.",
            "Mit freundlichen Grüßen\nJörg",
        ),
        ("O reembolso não chegou.\n\nObrigado,\nJoão", "O reembolso não chegou.", "Obrigado,\nJoão"),
        ("Where is my order?\n\nSent from my iPhone", "Where is my order?", "Sent from my iPhone"),
        ("Please call me.\n\n-- \nJane Roe\n+1 555 0100", "Please call me.", "-- \nJane Roe\n+1 555 0100"),
    ],
)
def test_sign_offs_in_several_languages(text: str, body: str, signature: str) -> None:
    assert split_signature(text) == (body, signature)


def test_a_sentence_starting_with_thanks_is_not_a_signature() -> None:
    text = "Hello,\n\nThanks, but the update did not fix it and the device still reboots every hour.\nPlease help."
    assert split_signature(text) == (text, None)


def test_hyphen_lists_stay_in_the_body() -> None:
    text = "Steps I tried:\n- reboot\n- factory reset\n\nNothing helped."
    assert split_signature(text)[0] == text


def test_caution_banner_at_the_top_is_not_the_message() -> None:
    body, signature = split_signature(
        "CAUTION: This email originated from outside of the organization. Do not click links in this mail.\n\n"
        "Our server is down since 10:00."
    )
    assert body == "Our server is down since 10:00."
    assert signature is not None and signature.startswith("CAUTION:")


def test_a_body_that_is_only_a_sign_off_is_kept() -> None:
    assert split_signature("Thanks,\nJane") == ("Thanks,\nJane", None)


def test_a_closing_in_another_language_starts_the_signature() -> None:
    # handoff.parse.closings' list (what triage cuts by) also ends the body: Russian and Turkish closings were text.
    assert split_signature("Деньги так и не пришли.\n\nС уважением,\nДмитрий") == (
        "Деньги так и не пришли.",
        "С уважением,\nДмитрий",
    )
    assert split_signature("Faturam iki kez kesilmiş.\n\nTeşekkürler") == ("Faturam iki kez kesilmiş.", "Teşekkürler")
    # A line that carries a request after the word stays text.
    body = "Faturam iki kez kesilmiş.\n\nTeşekkürler, iadesini bekliyorum ve yeni fatura istiyorum lütfen"
    assert split_signature(body) == (body, None)


@pytest.mark.parametrize(
    "signoff",
    [
        # issue 14 (dev_v4): mobile and app sign-offs mail-parser-reply does not know, in the clients' languages
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "iPhoneから送信",
        "iPhone에서 보냄",
        "发自我的iPhone",
        "Отправлено с iPhone",
        "Wysłane z iPhone'a",
        "iPhone'umdan gönderildi",
        "Gửi từ iPhone của tôi",
        "ส่งจาก iPhone ของฉัน",
        "Dikirim dari iPhone saya",
        "נשלח מה-iPhone שלי",
        "أُرسلت من الـ iPhone",
        "Odesláno z iPhonu",
        "Αποστολή από το iPhone μου",
        "Lähetetty iPhonesta",
        "Sent from Outlook for Android",
        "Get Outlook for iOS<https://aka.ms/o0ukef>",
        "Получить Outlook для Android",
        "Samsung Galaxy スマートフォンから送信しました",
        "Von meinem Samsung Galaxy Smartphone gesendet.",
    ],
)
def test_mobile_sign_offs_in_more_languages_leave_the_body(signoff: str) -> None:
    assert split_signature(f"The lid is missing.\n\n{signoff}") == ("The lid is missing.", signoff)


@pytest.mark.parametrize(
    "line",
    [
        "I sent it from my iPhone",
        "Sent back the iPhone today",
        "Get me a new iPhone please",
        "Отправлено с опозданием",
        "Siparişim gönderildi",
        "Sent from the warehouse in Berlin",
    ],
)
def test_a_customer_sentence_naming_a_device_stays_in_the_body(line: str) -> None:
    assert split_signature(f"Hello.\n\n{line}") == (f"Hello.\n\n{line}", None)
