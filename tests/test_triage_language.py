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


def test_every_text_of_bench_data_gets_the_language_and_probability_py3langid_gives() -> None:
    """The detector reads float32 copies of py3langid's float16 feature rows (handoff/triage/language.py): every
    decision, to the last bit of the probability, is py3langid's own."""
    import json
    from pathlib import Path

    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from handoff.triage import language

    texts: list[str] = []
    for path in sorted((Path(__file__).resolve().parents[1] / "bench" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts += [record[k] for k in ("text", "body") if isinstance(record.get(k), str)]
            texts += [m["body"] for m in record.get("messages") or [] if isinstance(m, dict) and "body" in m]
    assert len(texts) > 5000
    ours = language._identifier()
    assert type(ours.nb_ptc).__name__ == "_Float32Rows"
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert [ours.classify(t) for t in texts] == [plain.classify(t) for t in texts]
    assert ours.nb_ptc.used > 4096  # grown past its first block on the way
