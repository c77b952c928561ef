"""Short English messages get their own embedding head (issue 14): a clear complaint or thanks in a sentence is not
"neutral", a plain question still is, and longer mail is read by the thread head as before."""

from __future__ import annotations

import json

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage.sentiment import HEAD_FILE, SHORT_HEAD_FILE, SentimentScorer

CUSTOMER = Customer(email="john@example.com", found_by="from")


def customer_says(body: str) -> ThreadMessage:
    return ThreadMessage(from_email="john@example.com", body=body)


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    pytest.importorskip("numpy")
    scorer = SentimentScorer(TriageSettings(use_embeddings=True))
    if scorer.head is None:
        pytest.skip("the embeddings extra is not installed")
    return scorer


def test_the_short_head_ships_in_the_thread_heads_form() -> None:
    short, thread = (json.loads(path.read_text(encoding="utf-8")) for path in (SHORT_HEAD_FILE, HEAD_FILE))
    assert len(short["weights"]) == len(thread["weights"])
    # Trained only on data whose licence allows it (bench/data/README.md): never the airline or Sanders tweets.
    assert not any("airline" in name or "sanders" in name for name in short["trained_on"])
    bounds = [bound for bound, _ in short["thresholds"]]
    assert bounds == sorted(bounds)


@pytest.mark.parametrize(
    "body",
    [
        "The battery died after two days.",
        "Very disappointed with the headset, the sound keeps cutting out.",
        "The food was cold and the waiter ignored us.",
    ],
)
def test_with_embeddings_a_short_complaint_is_negative(scorer: SentimentScorer, body: str) -> None:
    assert scorer.score([customer_says(body)], CUSTOMER).label in ("negative", "very negative")


@pytest.mark.parametrize(
    "body",
    [
        "Great phone, works perfectly.",
        "The staff were lovely and the delivery came early.",
    ],
)
def test_with_embeddings_a_short_compliment_is_positive(scorer: SentimentScorer, body: str) -> None:
    assert scorer.score([customer_says(body)], CUSTOMER).label in ("positive", "very positive")


@pytest.mark.parametrize(
    "body",
    [
        "Where can I get last month's invoice?",
        "How do I cancel my plan?",
        "Please change the delivery address to 12 High Street.",
        "What time do you open on Saturday?",
    ],
)
def test_with_embeddings_a_short_request_stays_neutral(scorer: SentimentScorer, body: str) -> None:
    assert scorer.score([customer_says(body)], CUSTOMER).label == "neutral"


def test_longer_mail_is_read_by_the_thread_head(scorer: SentimentScorer) -> None:
    body = (
        "Hello, I ordered the blue kettle three weeks ago and the tracking page has said 'label created' ever since. "
        "I wrote to you twice last week and have had no answer. Could you tell me where it is, or refund the order "
        "if it is lost? I need it before my parents visit at the end of the month."
    )
    with_short_head = scorer.score([customer_says(body)], CUSTOMER)
    short_head, scorer.short_head = scorer.short_head, None
    try:
        without = scorer.score([customer_says(body)], CUSTOMER)
    finally:
        scorer.short_head = short_head
    assert with_short_head == without
    assert with_short_head.label in ("negative", "very negative")
