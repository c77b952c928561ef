"""Non-English customers: the sentiment says it is a guess instead of pretending."""

from __future__ import annotations

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage.language import detect
from handoff.triage.sentiment import SentimentScorer

CUSTOMER = Customer(email="cliente@example.com", found_by="from")


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer(TriageSettings(use_embeddings=False))


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Hola, todavía no he recibido mi pedido y nadie responde a mis correos.", "es"),
        ("Hallo, meine Bestellung ist seit zwei Wochen unterwegs und immer noch nicht angekommen.", "de"),
        ("Bonjour, l'application ne fonctionne plus depuis la mise à jour, elle plante à chaque fois.", "fr"),
    ],
)
def test_non_english_sentiment_is_marked_low_confidence(scorer: SentimentScorer, body: str, language: str) -> None:
    result = scorer.score([ThreadMessage(from_email=CUSTOMER.email, body=body)], CUSTOMER)
    assert result.confidence == "low"
    assert result.language == language


def test_english_sentiment_keeps_high_confidence(scorer: SentimentScorer) -> None:
    body = "My parcel has not arrived and the tracking page has not changed for a week."
    result = scorer.score([ThreadMessage(from_email=CUSTOMER.email, body=body)], CUSTOMER)
    assert (result.confidence, result.language) == ("high", "en")


def test_too_short_to_tell_is_not_called_foreign() -> None:
    assert detect("ok thanks") == (None, 0.0)


def test_short_english_reply_is_not_marked_low(scorer: SentimentScorer) -> None:
    result = scorer.score([ThreadMessage(from_email=CUSTOMER.email, body="Still nothing.")], CUSTOMER)
    assert result.confidence == "high"
