"""The embedding head's own bands for short English messages without a subject (issue 14): short complaints and
short praise are no longer read as neutral, short plain requests stay neutral, and mail (a subject, or longer) keeps
the head's mail band."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage import embeddings
from handoff.triage.sentiment import HEAD_FILE, LinearHead, SentimentScorer

CUSTOMER = Customer(email="ann@example.com", found_by="from")
needs_extra = pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")


def says(body: str, subject: str | None = None) -> list[ThreadMessage]:
    return [ThreadMessage(from_email="ann@example.com", subject=subject, body=body)]


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    result = SentimentScorer(TriageSettings())
    assert result.head is not None
    return result


@needs_extra
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Each was neutral with the mail band (-0.3..0.3) on the head's score.
        ("The parcel came today, all good.", "positive"),
        ("New phone arrived and it's lovely.", "positive"),
        ("The app keeps asking me to log in every five minutes.", "negative"),
        ("The refund only covered half of what I paid.", "negative"),
    ],
)
def test_a_short_complaint_or_short_praise_is_not_neutral(scorer: SentimentScorer, body: str, expected: str) -> None:
    assert expected in scorer.score(says(body), CUSTOMER).label


@needs_extra
@pytest.mark.parametrize(
    "body",
    [
        "Can you help me change my booking to Friday?",
        "Please cancel my order 4410.",
        "Is there a delay on flight 220 today?",
        "How do I reset my password?",
        "Attached is the photo you asked for.",
    ],
)
def test_a_short_plain_request_stays_neutral(scorer: SentimentScorer, body: str) -> None:
    assert scorer.score(says(body), CUSTOMER).label == "neutral"


@needs_extra
@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # Short, but with a subject: mail (on the support threads the short bands lost polarity accuracy).
        ("Delivery", "The parcel came today, all good."),
        ("Login", "The app keeps asking me to log in every five minutes."),
        (
            None,
            "Hello, I ordered the blue kettle last week and I would like to know whether it can still be delivered to "
            "my office instead of my home address, because nobody is at home during the day. The order number is 4410.",
        ),
        (
            None,
            "Hi team, the parcel came today and everything was in it. The instructions were a bit short but my "
            "neighbour helped me put the shelf together, so all is fine now. Have a good weekend.",
        ),
    ],
)
def test_mail_with_a_subject_or_longer_keeps_the_mail_band(
    scorer: SentimentScorer, subject: str | None, body: str
) -> None:
    assert scorer.head is not None
    with_bands = scorer.score(says(body, subject), CUSTOMER)
    bands, scorer.head.bands = scorer.head.bands, {}
    try:
        without = scorer.score(says(body, subject), CUSTOMER)
    finally:
        scorer.head.bands = bands
    assert with_bands == without


def test_a_head_file_without_bands_gives_every_message_the_mail_thresholds(tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    shipped = json.loads(HEAD_FILE.read_text(encoding="utf-8"))
    assert set(shipped["bands"]) == {"short_statement", "short_request"}
    old = tmp_path / "head.json"
    old.write_text(json.dumps({key: value for key, value in shipped.items() if key != "bands"}), encoding="utf-8")
    head, old_head = LinearHead(), LinearHead(old)
    # 0.2 is inside the mail band's neutral (-0.3..0.3) and past the short statements' (..0.175).
    assert head.label_for(0.2, "mail") == old_head.label_for(0.2, "mail") == "neutral"
    assert head.label_for(0.2, "short_statement") == "positive"
    assert old_head.label_for(0.2, "short_statement") == "neutral"


@needs_extra
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The mail head read these short lines as neutral or as praise (issue 14: "neutral tweets get read as a mood");
        # the short-message head reads them as a customer would.
        ("My order number is 55812.", "neutral"),
        ("My flight number is BA 2231.", "neutral"),
        ("The driver left the parcel in the rain.", "negative"),
        ("Your agent sorted it in two minutes, brilliant.", "positive"),
    ],
)
def test_the_short_message_head_reads_short_lines_as_a_customer_would(
    scorer: SentimentScorer, body: str, expected: str
) -> None:
    assert expected in scorer.score(says(body), CUSTOMER).label


@needs_extra
def test_a_short_statement_is_read_by_the_short_head_and_mail_by_the_mail_head(scorer: SentimentScorer) -> None:
    assert scorer.head is not None and scorer.head.short_weights is not None
    body = "The driver left the parcel in the rain."
    short = scorer.score(says(body), CUSTOMER)
    mail = scorer.score(says(body, "Delivery"), CUSTOMER)
    weights, scorer.head.short_weights = scorer.head.short_weights, None
    try:
        # Without a short head in the file, a short statement is read by the mail head (with the short bands).
        assert scorer.score(says(body), CUSTOMER).score != short.score
        assert scorer.score(says(body, "Delivery"), CUSTOMER) == mail
    finally:
        scorer.head.short_weights = weights


@needs_extra
def test_the_short_head_reads_float32_vectors_so_int8_gives_the_same_answer() -> None:
    exact = SentimentScorer(TriageSettings(embeddings_precision="float32"))
    fast = SentimentScorer(TriageSettings(embeddings_precision="int8"))
    if fast.encoder is None or fast.encoder.precision != "int8":
        pytest.skip("no int8 encoder on this CPU")
    # Short statements (a short plain request keeps the mail head and its int8 reading, with its re-reads).
    for body in ("Still waiting, third time I ask.", "Perfect, thank you.", "The driver left the parcel in the rain."):
        assert fast.score(says(body), CUSTOMER) == exact.score(says(body), CUSTOMER)
