"""Priority rules: off by default, only ever raise, and say why in the replay JSON."""

from __future__ import annotations

import pytest

from handoff.errors import ConfigError
from handoff.model import Classification, Customer, Sentiment, ThreadMessage
from handoff.settings import Category, PriorityRule
from handoff.triage.priority import decide_priority

CUSTOMER = Customer(email="ann@example.com", found_by="from")
CANCEL = Classification(label="Cancellation", category_id="cancellation", confidence=0.9)
BILLING = Classification(label="Billing", category_id="billing", confidence=0.9)
CALM = Sentiment(label="neutral", score=0.0)
FURIOUS = Sentiment(label="very negative", score=-0.85)


def thread(body: str = "Where is my invoice?") -> list[ThreadMessage]:
    return [ThreadMessage(from_email="ann@example.com", body=body)]


def test_no_rules_keeps_the_default_without_reason() -> None:
    decision = decide_priority([], 2, CANCEL, FURIOUS, thread(), CUSTOMER)
    assert decision.prioritycode == 2
    assert decision.reason is None


def test_very_negative_sentiment_raises_to_high_with_a_reason() -> None:
    rules = [PriorityRule(prioritycode=1, sentiment_at_most=-0.6)]
    decision = decide_priority(rules, 2, BILLING, FURIOUS, thread(), CUSTOMER)
    assert decision.prioritycode == 1
    assert decision.reason is not None and "sentiment" in decision.reason


def test_named_rule_is_named_in_the_reason() -> None:
    rules = [PriorityRule(name="churn risk", prioritycode=1, categories=["cancellation"])]
    decision = decide_priority(rules, 2, CANCEL, CALM, thread(), CUSTOMER)
    assert decision.reason is not None and "churn risk" in decision.reason and "cancellation" in decision.reason


def test_category_rule_raises() -> None:
    rules = [PriorityRule(prioritycode=1, categories=["cancellation"])]
    assert decide_priority(rules, 2, CANCEL, CALM, thread(), CUSTOMER).prioritycode == 1
    assert decide_priority(rules, 2, BILLING, CALM, thread(), CUSTOMER).prioritycode == 2


def test_keyword_rule_reads_customer_text_only() -> None:
    rules = [PriorityRule(prioritycode=1, keywords=[r"\blawyer\b"])]
    messages = [
        *thread("Where is my invoice?"),
        ThreadMessage(from_email="rep@handoff.localhost", body="No need for a lawyer!", internal=True),
    ]
    assert decide_priority(rules, 2, BILLING, CALM, messages, CUSTOMER).prioritycode == 2
    decision = decide_priority(rules, 2, BILLING, CALM, thread("My lawyer will call you."), CUSTOMER)
    assert decision.prioritycode == 1
    assert decision.reason is not None and "lawyer" in decision.reason


def test_rules_never_lower_priority() -> None:
    rules = [PriorityRule(prioritycode=3, categories=["billing"])]
    assert decide_priority(rules, 2, BILLING, CALM, thread(), CUSTOMER).prioritycode == 2


def test_bad_regex_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        decide_priority([PriorityRule(keywords=["(unclosed"])], 2, BILLING, CALM, thread(), CUSTOMER)


def test_a_category_priority_applies_when_its_taxonomy_is_passed() -> None:
    taxonomy = [Category(id="cancellation", label="Cancellation", priority=1), Category(id="billing", label="Billing")]
    decision = decide_priority([], 2, CANCEL, CALM, thread(), CUSTOMER, categories=taxonomy)
    assert decision.prioritycode == 1
    assert decision.reason is not None and "cancellation" in decision.reason
    assert decide_priority([], 2, BILLING, CALM, thread(), CUSTOMER, categories=taxonomy).prioritycode == 2
