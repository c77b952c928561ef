"""The optional embeddings extra: same numbers as sentence-transformers, better triage, clean fallback."""

from __future__ import annotations

import logging

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import Category, TriageSettings
from handoff.triage import embeddings
from handoff.triage.classify import Classifier
from handoff.triage.sentiment import SentimentScorer
from handoff.triage.taxonomy import DEFAULT_CATEGORIES

CUSTOMER = Customer(email="ann@example.com", found_by="from")
needs_extra = pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")


def customer_says(body: str) -> ThreadMessage:
    return ThreadMessage(from_email="ann@example.com", body=body)


@needs_extra
def test_encoder_matches_sentence_transformers_reference() -> None:
    # Cosine similarities published for all-MiniLM-L6-v2 in the sentence-transformers quickstart: the model's own
    # vectors, float32 (the default "auto" is int8 on a VNNI CPU, whose vectors are within ~0.03 of these).
    encoder = embeddings.load_encoder("float32")
    assert encoder is not None
    vectors = encoder.encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
    similarity = vectors @ vectors.T
    assert similarity[0, 1] == pytest.approx(0.6660, abs=2e-3)
    assert similarity[0, 2] == pytest.approx(0.1046, abs=2e-3)
    assert similarity[1, 2] == pytest.approx(0.1411, abs=2e-3)


@needs_extra
def test_classifier_uses_embeddings_and_finds_a_paraphrase() -> None:
    settings = TriageSettings(
        categories=[
            *DEFAULT_CATEGORIES,
            Category(
                id="warranty",
                label="Warranty claim",
                description="Repair or replacement of a faulty device under warranty or guarantee.",
            ),
        ]
    )
    classifier = Classifier(settings)
    assert classifier.mode == "keywords+embeddings"
    # Shares no keyword and no description word with the category: only the meaning matches.
    body = "My headphones died after eight weeks, they should still be covered, right?"
    result = classifier.classify([customer_says(body)], None)
    assert result.method == "keywords+embeddings"
    assert result.category_id == "warranty"
    assert any("similarity" in m for m in result.matched)


@needs_extra
def test_sentiment_head_reads_a_polite_complaint_as_negative() -> None:
    scorer = SentimentScorer(TriageSettings())
    assert scorer.method == "vader+embeddings"
    body = "Hi,\nI have been waiting 3 weeks for my refund. Please help.\nThanks,\nJohn"
    result = scorer.score([customer_says(body)], CUSTOMER)
    assert result.method == "vader+embeddings"
    assert result.label in ("negative", "very negative")
    praise = scorer.score([customer_says("Thank you so much, it works perfectly now. Brilliant service!")], CUSTOMER)
    assert praise.label in ("positive", "very positive")


@needs_extra
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Perfect, thank you.", "positive"),
        ("I was told someone would call me back on Monday. Nobody did.", "negative"),
        # Not English: the English head stays out, the support phrases decide.
        ("Grazie mille per l'aiuto veloce, adesso è tutto risolto!", "positive"),
        ("Ich warte immer noch auf meine Rückerstattung, das ist schon das dritte Mal.", "negative"),
    ],
)
def test_sentiment_head_on_short_messages(body: str, expected: str) -> None:
    result = SentimentScorer(TriageSettings()).score([customer_says(body)], CUSTOMER)
    assert expected in result.label


def test_without_the_extra_triage_falls_back_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embeddings, "available", lambda: False)
    monkeypatch.setattr(embeddings, "_ENCODERS", {})
    with caplog.at_level(logging.INFO, logger="handoff.triage"):
        classifier = Classifier(TriageSettings(use_embeddings=True))
        scorer = SentimentScorer(TriageSettings(use_embeddings=True))
    assert classifier.mode == "keywords+description"
    assert scorer.method == "vader"
    assert "not installed" in caplog.text
    assert classifier.classify([customer_says("Please cancel my subscription.")], None).category_id == "cancellation"


def test_use_embeddings_false_never_loads_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise AssertionError("model loaded although use_embeddings is false")

    monkeypatch.setattr(embeddings, "load_encoder", boom)
    assert Classifier(TriageSettings(use_embeddings=False)).mode == "keywords+description"
    assert SentimentScorer(TriageSettings(use_embeddings=False)).method == "vader"


@needs_extra
@pytest.mark.parametrize(
    "body",
    [
        "Ich warte immer noch auf meine Rückerstattung, das ist schon das dritte Mal.",
        "Je suis très déçu, la commande n'est toujours pas arrivée et personne ne répond.",
        "Muito obrigado pela ajuda rápida, ficou tudo resolvido!",
        # Too short for langid to be sure it is Spanish: still no text for the English head.
        "Muchas gracias, ya está solucionado.",
    ],
)
def test_text_in_other_languages_is_labelled_on_the_phrase_scale_with_or_without_the_extra(body: str) -> None:
    with_extra = SentimentScorer(TriageSettings()).score([customer_says(body)], CUSTOMER)
    without = SentimentScorer(TriageSettings(use_embeddings=False)).score([customer_says(body)], CUSTOMER)
    assert (with_extra.label, with_extra.score) == (without.label, without.score)


@needs_extra
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The head squeezes "very" together with plain (0.50 here, under its 0.7 bound); VADER's intensity says "very".
        ("Absolutely brilliant service, you went above and beyond, I am so impressed, thank you!!", "very positive"),
        ("This is the FOURTH time I write and still NOTHING!!! I am fed up, fix this today or I go to my lawyer.",
         "very negative"),
        # ... and a plain complaint stays plain.
        ("My parcel arrived damaged, the box was crushed.", "negative"),
    ],
)  # fmt: skip
def test_sentiment_head_gives_the_polarity_and_vader_the_intensity(body: str, expected: str) -> None:
    result = SentimentScorer(TriageSettings()).score([customer_says(body)], CUSTOMER)
    assert result.method == "vader+embeddings"
    assert result.label == expected
