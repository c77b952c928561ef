"""Short customer messages to a support account (issue 14): complaints asked as questions, sarcasm, mild complaints
without a strong word. Each complaint of the named sets below was labelled wrongly by main at 68b8009 (session 13,
helper h4): with the rules alone, and with the embeddings too, except "what gives?" and "are you kidding me?", which
the head had right. None of them is in bench/data/short_customer_train.jsonl, the written messages the short head is
fitted on. Plain questions and sincere thanks next to them keep their labels (as on main)."""

from __future__ import annotations

import pytest

from handoff.model import Customer, ThreadMessage
from handoff.settings import TriageSettings
from handoff.triage import embeddings
from handoff.triage.sentiment import SentimentScorer, phrases_in, polarity_of

CUSTOMER = Customer(email="ann@example.com", found_by="from")
needs_extra = pytest.mark.skipif(not embeddings.available(), reason="embeddings extra not installed")

# A complaint asked as a question: the "?" made each a plain request, read as neutral (both modes on main).
RHETORICAL = (
    "how am I supposed to get home tonight?",
    "is it too much to ask for a reply?",
    "how hard is it to answer an email?",
    "the app won't let me check in, what gives?",
    "are you kidding me? cancelled again?",
)
# Praise words said of what went wrong: main read the praise ("great, another delay" and "oh great, another price
# rise" positive with the embeddings, "thanks for losing my suitcase" positive with the rules alone).
SARCASM = (
    "great, another delay",
    "oh great, another price rise",
    "thanks for losing my suitcase",
    "love waiting 2 hours for a 10 minute job",
    "nice to see the app is down again",
    "so much for next day delivery",
)
# Mild complaints with no phrase of ours and no strong word, neutral on main with the embeddings: the short head,
# fitted on the written customer messages too, reads them.
MILD = (
    "the phone line just rings and rings",
    "sitting on the runway for an hour now",
)
PLAIN = (
    "what time does boarding start for flight 88?",
    "can I bring my bike on the train?",
    "is the café open on Sundays?",
    "how do I change the address on my account?",
    "do you sell gift cards?",
    "my order number is 77120",
    "where do I send the form?",
    "is there a fee for changing seats?",
)
THANKS = (
    "thank you for sorting that so fast",
    "Thank you so much for your help!",
    "thanks, all sorted now",
    "refund landed this morning, thank you",
)


def says(body: str) -> list[ThreadMessage]:
    return [ThreadMessage(from_email="ann@example.com", body=body)]


@pytest.fixture(scope="module")
def rules() -> SentimentScorer:
    return SentimentScorer(TriageSettings(use_embeddings=False))


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    result = SentimentScorer(TriageSettings())
    assert result.head is not None
    return result


@pytest.mark.parametrize("body", RHETORICAL + SARCASM)
def test_a_rhetorical_or_sarcastic_complaint_is_negative_by_the_rules(rules: SentimentScorer, body: str) -> None:
    assert polarity_of(rules.score(says(body), CUSTOMER).label) == "negative"


@needs_extra
@pytest.mark.parametrize("body", RHETORICAL + SARCASM + MILD)
def test_a_short_complaint_is_negative_with_the_head(scorer: SentimentScorer, body: str) -> None:
    assert polarity_of(scorer.score(says(body), CUSTOMER).label) == "negative"


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ("what gives?", "rhetorical"),
        ("thanks for losing my suitcase", "sarcasm"),
        ("Well, so much for the 24 hour promise", "sarcasm"),
        # Sincere thanks is not sarcasm: "so much for" after "thank you", "thanks for" a good deed, praise then "again".
        ("Thank you so much for your help", None),
        ("thanks for sorting it", "grateful"),
        ("Great! Again, thank you so much", None),
        ("Perfect, more than I expected", None),
    ],
)
def test_the_complaint_phrases_and_what_they_leave_alone(body: str, phrase: str | None) -> None:
    found = phrases_in(body)
    assert (phrase in found) if phrase else not ({"sarcasm", "rhetorical"} & set(found))


@pytest.mark.parametrize("body", PLAIN)
def test_a_plain_question_or_fact_stays_neutral_by_the_rules(rules: SentimentScorer, body: str) -> None:
    assert rules.score(says(body), CUSTOMER).label == "neutral"


@needs_extra
@pytest.mark.parametrize("body", PLAIN)
def test_a_plain_question_or_fact_stays_neutral_with_the_head(scorer: SentimentScorer, body: str) -> None:
    assert scorer.score(says(body), CUSTOMER).label == "neutral"


@needs_extra
@pytest.mark.parametrize("body", THANKS)
def test_short_thanks_stay_positive(scorer: SentimentScorer, body: str) -> None:
    assert polarity_of(scorer.score(says(body), CUSTOMER).label) == "positive"
