"""What triage reads of a customer is bounded: a 1 MB paste is judged by its first lines, like a short mail."""

from __future__ import annotations

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage.classify import Classifier
from handoff.triage.sentiment import SentimentScorer
from handoff.triage.text import MAX_MESSAGES, MAX_TEXT_CHARS, clean_body, customer_texts

CUSTOMER = Customer(email="ann@example.com", found_by="from")


def says(body: str) -> ThreadMessage:
    return ThreadMessage(from_email="ann@example.com", body=body)


REQUEST = "My parcel never arrived and I want a refund, this is the third time I ask.\n"
LOG = "2024-03-04 12:00:01 DEBUG sync worker heartbeat ok queue=0 retries=0\n" * 15_000  # ~1 MB


def test_a_huge_message_is_read_up_to_the_bound() -> None:
    (text,) = customer_texts([says(REQUEST + LOG)], CUSTOMER)
    assert text.text.startswith(REQUEST.strip())
    assert len(text.text) <= MAX_TEXT_CHARS


def test_a_huge_message_gets_the_category_and_mood_of_its_request() -> None:
    settings = TriageSettings(use_embeddings=False)
    classifier, scorer = Classifier(settings), SentimentScorer(settings)
    short, huge = [says(REQUEST)], [says(REQUEST + LOG)]
    assert classifier.classify(huge, CUSTOMER).category_id == classifier.classify(short, CUSTOMER).category_id
    assert scorer.score(huge, CUSTOMER).label == scorer.score(short, CUSTOMER).label == "very negative"


def test_a_long_thread_keeps_the_first_and_the_latest_customer_messages() -> None:
    thread = [says(f"message number {n}") for n in range(40)]
    texts = customer_texts(thread, CUSTOMER)
    assert len(texts) == MAX_MESSAGES
    assert texts[0].text == "message number 0" and texts[0].weight == 1.0
    assert [t.text for t in texts[1:]] == [f"message number {n}" for n in range(40 - MAX_MESSAGES + 1, 40)]


def test_a_short_thread_is_read_whole() -> None:
    thread = [says("first"), says("second"), says("third")]
    assert [t.text for t in customer_texts(thread, CUSTOMER)] == ["first", "second", "third"]


# -- closings in the languages handoff reads (issue 14) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        # a closing line and the signature under it go, whatever the language
        ("Mein Paket ist nicht angekommen.\n\nMit freundlichen Grüßen\nEva Musterfrau\nTel: +43 1 234", "Mein Paket"),
        ("Mein Paket ist nicht angekommen.\nDanke und viele Grüße\nEva", "Mein Paket"),
        ("Mein Paket ist nicht angekommen.\nLG, Eva", "Mein Paket"),
        ("Mon colis est abîmé.\n\nCordialement,\nClaire Dubois", "Mon colis"),
        ("Mon colis est abîmé.\nMerci !\nClaire", "Mon colis"),
        ("Mi pedido no ha llegado.\n\nUn cordial saludo,\nLucía", "Mi pedido"),
        ("Il pacco non è arrivato.\n\nCordiali saluti\nMarco Rossi", "Il pacco"),
        ("A encomenda não chegou.\n\nCumprimentos\nPedro Lima", "A encomenda"),
        ("Mijn pakket is niet aangekomen.\n\nMet vriendelijke groet,\nJan de Vries", "Mijn pakket"),
        ("Zamówienie nie dotarło.\nPozdrawiam Anna Nowak", "Zamówienie"),
        ("Paketet har inte kommit.\n\nMed vänlig hälsning\nKarin", "Paketet"),
        ("Pakken er ikke kommet.\n\nMed venlig hilsen\nMette", "Pakken"),
        ("Pakken har ikke kommet.\n\nMed vennlig hilsen\nOla", "Pakken"),
        ("Paketti ei ole saapunut.\n\nYstävällisin terveisin\nMatti", "Paketti"),
        ("Заказ не пришёл.\n\nС уважением,\nИван", "Заказ"),
        ("Замовлення не прийшло.\n\nЗ повагою,\nОлена", "Замовлення"),
        ("Siparişim gelmedi.\n\nSaygılarımla,\nAyşe", "Siparişim"),
        ("A csomag nem érkezett meg.\n\nÜdvözlettel,\nBéla", "A csomag"),
        ("Coletul nu a ajuns.\n\nCu stimă,\nIoana", "Coletul"),
        ("Zásilka nedorazila.\n\nS pozdravem\nJana Nováková", "Zásilka"),
        ("荷物が届きません。\nよろしくお願いします。\n田中", "荷物が"),
        ("包裹还没到。\n谢谢！\n王", "包裹"),
    ],
)
def test_a_closing_and_its_signature_are_cut_in_every_language(body: str, kept: str) -> None:
    text = clean_body(body)
    assert text.startswith(kept)
    assert "\n" not in text  # only the request's line is left


@pytest.mark.parametrize(
    "body",
    [
        # a line that says more than the closing carries the request
        "Mein Paket ist nicht angekommen.\nDanke, bitte schicken Sie mir ein neues.",
        "Mon colis est abîmé.\nMerci de me rappeler au plus vite.",
        # Polish "Tak" is "yes", not the Danish thanks: never a closing
        "Czy mogę zwrócić towar?\nTak.",
        # a closing at the start of a message is its content ("Danke, alles gut jetzt.")
        "Danke",
    ],
)
def test_a_line_that_carries_more_than_a_closing_is_kept(body: str) -> None:
    assert clean_body(body) == body


def test_text_after_a_closing_that_is_no_signature_is_kept() -> None:
    # "Merci !" mid-text, then a long sentence and a question: the closing line goes, the request stays.
    body = (
        "Mon colis est abîmé.\nMerci !\n\n"
        "Par ailleurs, la facture porte une mauvaise adresse et je voudrais la corriger au plus vite.\n"
        "Pouvez-vous me dire quand ?"
    )
    text = clean_body(body)
    assert "Merci" not in text
    assert "la facture porte une mauvaise adresse" in text and text.endswith("quand ?")


def test_customer_texts_of_one_thread_asked_again_and_of_the_next_thread() -> None:
    ann = Customer(email="ann@example.org", found_by="from")
    first = [ThreadMessage(from_email=ann.email, body="My parcel never arrived.")]
    second = [ThreadMessage(from_email=ann.email, body="The app crashes at login.")]
    texts = customer_texts(first, ann)
    assert customer_texts(first, ann) == texts and customer_texts(first, ann) is not texts  # a list of its own
    assert [t.text for t in customer_texts(second, ann)] == ["The app crashes at login."]
    assert [t.text for t in customer_texts(first, None)] == ["My parcel never arrived."]
    assert customer_texts([*first, *second], ann)[1].text == "The app crashes at login."
