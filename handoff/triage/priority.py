"""Raise the incident's prioritycode from triage, by rules the operator configured (none by default).

Dynamics' prioritycode: 1 = High, 2 = Normal, 3 = Low, so "raise" means a smaller number. Rules only
raise: a rule with prioritycode 3 never lowers a default of 2. Each rule fires when any of its
conditions holds; the reason names the rule and the condition, for the replay JSON.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from handoff.errors import ConfigError
from handoff.model import Classification, Customer, PriorityDecision, Sentiment, ThreadMessage
from handoff.settings import Category, PriorityRule
from handoff.triage.text import customer_texts

_NAMES = {1: "High", 2: "Normal", 3: "Low"}


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.I)
    except re.error as exc:
        raise ConfigError(f"[[triage.priority_rules]] keyword {pattern!r} is not a valid regex: {exc}") from None


def _rule_name(rule: PriorityRule, index: int) -> str:
    return f"rule {rule.name!r}" if rule.name else f"rule {index + 1}"


def _why(
    rule: PriorityRule,
    classification: Classification,
    sentiment: Sentiment,
    customer_text: str,
) -> str | None:
    if rule.sentiment_at_most is not None and sentiment.score <= rule.sentiment_at_most:
        return f"sentiment {sentiment.score:+.2f} ({sentiment.label}) <= {rule.sentiment_at_most:+.2f}"
    if classification.category_id in rule.categories:
        return f"category {classification.category_id}"
    for pattern in rule.keywords:
        found = _compile(pattern).search(customer_text)
        if found:
            return f"keyword {found.group(0).strip().lower()!r}"
    return None


def decide_priority(
    rules: Sequence[PriorityRule],
    default: int,
    classification: Classification,
    sentiment: Sentiment,
    messages: Sequence[ThreadMessage],
    customer: Customer | None,
    *,
    categories: Sequence[Category] = (),
) -> PriorityDecision:
    """The highest priority any rule asks for, or the default with no reason.

    `categories` (optional, e.g. `Classifier.taxonomy`): a category's own `priority` acts as one more rule
    for incidents classified into it.
    """
    best = default
    reason: str | None = None
    category = next((c for c in categories if c.id == classification.category_id), None)
    if category is not None and category.priority is not None and category.priority < best:
        best = category.priority
        reason = f"category {category.id} has priority {_NAMES.get(best, best)} ({best})"
    if not rules:
        return PriorityDecision(prioritycode=best, reason=reason)
    customer_text = "\n".join(t.text for t in customer_texts(messages, customer))
    for index, rule in enumerate(rules):
        if rule.prioritycode >= best:
            continue  # cannot raise further than what already applies
        why = _why(rule, classification, sentiment, customer_text)
        if why is None:
            continue
        best = rule.prioritycode
        reason = f"{_rule_name(rule, index)}: {why} -> {_NAMES.get(best, best)} ({best})"
    return PriorityDecision(prioritycode=best, reason=reason)
