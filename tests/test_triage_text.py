"""What triage reads of a customer is bounded: a 1 MB paste is judged by its first lines, like a short mail."""

from __future__ import annotations

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage.classify import Classifier
from handoff.triage.sentiment import SentimentScorer
from handoff.triage.text import MAX_MESSAGES, MAX_TEXT_CHARS, customer_texts

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
