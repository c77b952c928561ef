"""Which int8 decisions triage takes again on float32 vectors: only those the int8 pass's error bounds could change,
and every one of those (handoff/triage/embeddings.py, MiniLMEncoder). No model needed: the bounds' arithmetic."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from handoff.settings import PriorityRule, TriageSettings
from handoff.triage import embeddings
from handoff.triage.classify import Classifier
from handoff.triage.sentiment import HEAD_FILE, LinearHead, SentimentScorer

ROOT = Path(__file__).resolve().parents[1]
# The stored VNNI bounds (RANGES_FILE, "s8"): one similarity, and the difference of two.
ERROR, DIFFERENCE = 0.02943, 0.04728


def _decision(classifier: Classifier, similarities: dict[str, float], keyworded: dict[str, float]) -> tuple[str, bool]:
    probabilities = classifier._mix(dict(similarities), keyworded)
    best = max(probabilities, key=lambda k: probabilities[k])
    return best, probabilities[best] >= classifier.settings.min_confidence


def test_a_category_kept_from_int8_vectors_is_the_one_every_vector_within_the_bounds_gives() -> None:
    """Random near-ties of the default taxonomy: where the classifier keeps the int8 answer, no shift of the
    similarities that the bounds allow (each within ERROR, two categories' difference within DIFFERENCE) changes the
    category or its side of min_confidence, the extreme shifts included; and the difference bound keeps answers the
    per-similarity bound alone would have read again."""
    classifier = Classifier(TriageSettings(use_embeddings=False))
    fallback = classifier.fallback.category.id
    ids = [c.category.id for c in classifier.categories if c.category.id != fallback]
    rng = random.Random(16)
    kept = kept_by_difference = 0
    for _ in range(3000):
        similarities = {k: rng.uniform(0.15, 0.45) for k in ids}
        scores = [rng.expovariate(1.0) for _ in classifier.categories]
        keyworded = {c.category.id: s / sum(scores) for c, s in zip(classifier.categories, scores, strict=True)}
        with_fallback = {**similarities, fallback: 0.2}
        if not classifier._settled(with_fallback, keyworded, ERROR, DIFFERENCE):
            continue
        kept += 1
        kept_by_difference += not classifier._settled(with_fallback, keyworded, ERROR)
        expected = _decision(classifier, similarities, keyworded)
        best = max(similarities, key=lambda k: similarities[k])
        shifts = [
            # The extremes: the best (by similarity) down and every other up as far as allowed, and the reverse.
            {k: (-1 if k == best else 1) * DIFFERENCE / 2 for k in ids},
            {k: (1 if k == best else -1) * DIFFERENCE / 2 for k in ids},
        ]
        for _ in range(20):
            centre = rng.uniform(-(ERROR - DIFFERENCE / 2), ERROR - DIFFERENCE / 2)
            shifts.append({k: centre + rng.uniform(-DIFFERENCE / 2, DIFFERENCE / 2) for k in ids})
        for shift in shifts:
            moved = {k: v + shift[k] for k, v in similarities.items()}
            assert _decision(classifier, moved, keyworded) == expected
    assert kept > 100 and kept_by_difference > 0


def _scorer(rules: list[PriorityRule]) -> SentimentScorer:
    scorer = SentimentScorer(TriageSettings(use_embeddings=False, priority_rules=rules))
    scorer.head = LinearHead(HEAD_FILE)
    return scorer


def test_a_sentiment_score_near_a_priority_rules_threshold_is_read_again() -> None:
    """A rule raising the priority at sentiment <= -0.5 decides on the score itself: an int8 score within the bound
    of -0.5 could put the handoff on the other side of the rule, so it is not kept; one further off is."""
    error = 0.02361
    plain, ruled = _scorer([]), _scorer([PriorityRule(prioritycode=1, sentiment_at_most=-0.5)])
    assert plain._settled(-0.49, -0.6, None, error)  # well inside "negative" (-0.7 .. -0.3)
    assert not ruled._settled(-0.49, -0.6, None, error)
    assert not ruled._settled(-0.52, -0.6, None, error)
    assert ruled._settled(-0.45, -0.6, None, error)


def _ranges_with(errors: dict[str, object], tmp_path: Path) -> Path:
    document = json.loads(embeddings.RANGES_FILE.read_text(encoding="utf-8"))
    document["errors"] = errors
    path = tmp_path / "minilm_int8_ranges.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_each_kernel_gets_its_own_bounds_and_a_kernel_without_any_gets_none(tmp_path: Path) -> None:
    path = _ranges_with(
        {"s8": {"similarity": 0.03, "sentiment_head": 0.02, "similarity_difference": 0.05}, "u8": {"similarity": 0.04}},
        tmp_path,
    )
    assert embeddings.load_errors(path, kernel="s8") == {
        "similarity": 0.03,
        "sentiment_head": 0.02,
        "similarity_difference": 0.05,
    }
    assert embeddings.load_errors(path, kernel="u8") is None  # no head bound: int8 does not run there


def test_the_stored_bounds_are_the_largest_of_every_machine_of_each_kernel() -> None:
    """calibrate_int8.py --errors on one machine must not lower the bound another machine of its kernel measured."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from calibrate_int8 import merged_errors

    measured = {
        "what": "...",
        "one, u8 x s8 weights": {"kernel": "s8", "similarity": 0.02, "sentiment_head": 0.016},
        "two, u8 x s8 weights": {
            "kernel": "s8",
            "similarity": 0.01,
            "similarity_difference": 0.03,
            "sentiment_head": 0.01,
        },
        "three, u8 x u8 weights": {"kernel": "u8", "similarity": 0.02, "sentiment_head": 0.018},
    }

    def bound(value: float) -> float:
        return round(value * embeddings.ERROR_MARGIN, 5)

    assert merged_errors(measured) == {
        "s8": {"similarity": bound(0.02), "sentiment_head": bound(0.016), "similarity_difference": bound(0.03)},
        "u8": {"similarity": bound(0.02), "sentiment_head": bound(0.018)},
    }


@pytest.mark.parametrize("kernel", ["s8", "u8"])
def test_the_shipped_bounds_cover_both_kernels(kernel: str) -> None:
    errors = embeddings.load_errors(kernel=kernel)
    assert errors is not None and 0 < errors["sentiment_head"] <= errors["similarity"] <= 0.05
    # The difference of two similarities can be off by no more than both.
    assert errors.get("similarity_difference", 0.0) <= 2 * errors["similarity"]
