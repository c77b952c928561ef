"""With [triage] embeddings_precision = "int8", triage's decisions are float32's: a decision nearer its boundary than
the int8 pass's error bounds is taken again on float32 vectors (handoff/triage/embeddings.py, MiniLMEncoder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from handoff.triage import embeddings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

pytestmark = pytest.mark.skipif(
    not embeddings.available() or embeddings.int8_supported() is not None,
    reason="embeddings extra not installed, or this CPU has no exact int8 kernels",
)


def _row(name: str, ident: str) -> dict[str, object]:
    for line in (ROOT / "bench" / "data" / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["id"] == ident:
            return row
    raise KeyError(ident)


def test_a_category_near_its_boundary_is_float32s_and_a_clear_one_costs_no_float32_pass() -> None:
    import triage_eval as te

    from handoff.settings import TriageSettings
    from handoff.triage.classify import Classifier
    from handoff.triage.taxonomy import DEFAULT_CATEGORIES

    # A dev thread whose int8 vector alone moved it from "other" to technical_issue (description-only taxonomy).
    (case,) = [c for c in te.load_cases(te.DATA, "dev") if c.id == "dev-039"]
    categories = [c.model_copy(update={"keywords": []}) for c in DEFAULT_CATEGORIES]
    # float32 by name: "auto" is int8 itself on a CPU that runs it exactly.
    exact = Classifier(TriageSettings(categories=categories, embeddings_precision="float32")).classify(
        case.messages, te.CUSTOMER
    )
    classifier = Classifier(TriageSettings(categories=categories, embeddings_precision="int8"))
    encoder = classifier.encoder
    assert encoder is not None and encoder.precision == "int8"
    encoder.clear_cache()
    before = encoder.encoded["exact"]
    fast = classifier.classify(case.messages, te.CUSTOMER)
    assert (fast.category_id, fast.confidence) == (exact.category_id, exact.confidence) == ("other", exact.confidence)
    assert encoder.encoded["exact"] > before  # it was read again in float32

    clear = te._message("Please cancel my order 4471, I ordered the wrong size.")
    before = encoder.encoded["exact"]
    assert classifier.classify(clear, te.CUSTOMER).category_id == "cancellation"
    assert encoder.encoded["exact"] == before  # far from any boundary: the int8 answer stands


def test_a_sentiment_near_a_threshold_is_float32s() -> None:
    import triage_eval as te

    from handoff.settings import TriageSettings
    from handoff.triage.sentiment import SentimentScorer

    # A dev airline tweet the int8 head score alone moved from negative to neutral (-0.1768 in float32, -0.1718 in
    # int8, across the short-statement band's -0.175).
    messages = te._message(te.tweet_as_mail(str(_row("airline_tweets_sample.jsonl", "air-dev-032")["text"])))
    exact = SentimentScorer(TriageSettings(embeddings_precision="float32")).score(messages, te.CUSTOMER)
    fast = SentimentScorer(TriageSettings(embeddings_precision="int8")).score(messages, te.CUSTOMER)
    assert fast.label == exact.label == "negative"
    assert fast.score == exact.score  # read again in float32, so the same score too


def test_a_priority_rule_on_the_sentiment_score_raises_the_priority_float32_raises() -> None:
    """A rule's sentiment_at_most decides on the score itself: with a threshold between a message's int8 and float32
    scores, the int8 score alone would put it on the other side; the priority is float32's."""
    import triage_eval as te

    from handoff.model import Classification, Sentiment, ThreadMessage
    from handoff.settings import PriorityRule, TriageSettings
    from handoff.triage.priority import decide_priority
    from handoff.triage.sentiment import SentimentScorer

    exact_scorer = SentimentScorer(TriageSettings(embeddings_precision="float32"))
    fast_scorer = SentimentScorer(TriageSettings(embeddings_precision="int8"))
    rows = [json.loads(line) for line in (ROOT / "bench" / "data" / "short_messages.jsonl").read_text().splitlines()]
    for row in (r for r in rows if r["split"] == "dev" and r["language"] == "en"):
        # With a subject, so the mail head reads it on int8 vectors (a short message without one is read by the
        # short-message head on float32's vectors, sentiment.LinearHead).
        messages = (ThreadMessage(from_email=te.CUSTOMER.email, subject="Question", body=str(row["text"])),)
        exact, fast = exact_scorer.score(messages, te.CUSTOMER), fast_scorer.score(messages, te.CUSTOMER)
        if abs(exact.score - fast.score) >= 0.002:
            break
    else:
        pytest.fail("no dev message whose int8 score is off by 0.002")
    threshold = round((exact.score + fast.score) / 2, 4)
    rules = [PriorityRule(prioritycode=1, sentiment_at_most=threshold)]
    ruled = SentimentScorer(TriageSettings(embeddings_precision="int8", priority_rules=rules))
    category = Classification(label="Other", category_id="other", confidence=0.0, method="keywords+description")

    def priority(sentiment: Sentiment) -> int:
        return decide_priority(rules, 2, category, sentiment, messages, te.CUSTOMER).prioritycode

    assert priority(ruled.score(messages, te.CUSTOMER)) == priority(exact) != priority(fast)
