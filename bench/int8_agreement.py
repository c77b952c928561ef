"""Do the triage decisions of a faster encoder precision equal float32's? Counts, per labelled set, never gold.

    python bench/int8_agreement.py                    # float32 against [triage] embeddings_precision "int8"
    python bench/int8_agreement.py --sets short bitext
    python bench/int8_agreement.py --list             # ... and the ids that differ, dev sets only

For every text and thread the evals read (bench/triage_eval.py: the support threads of every split, default taxonomy
and description-only; the fresh threads; the other-language threads; the short messages' sentiment; the 11-intent
sets; Bitext's utterances against its 11 and 27 categories, CLINC150's and Banking77's against theirs; the airline
tweets' sentiment), and for the 1,000 bench
threads of bench/pipeline_speed.py (the golden fixtures under tests/fixtures/mail first, through
`Pipeline.analyse`): how many decisions (category, sentiment label, priority) differ between float32 and the
candidate, and the largest |difference| of the scores behind them (classification confidence, sentiment score).
With int8, triage re-reads a text in float32 when its decision is within the int8 pass's error bounds of a boundary
(handoff/triage/embeddings.py, MiniLMEncoder): the share of texts re-read is shown, and the bounds are checked here
on every set, held-out ones included (dev / held-out apart): the largest |int8 - float32| of each text's similarity to
the category phrases (and of the weighted customer vector's), of the difference of two similarities to phrases of two
categories of one taxonomy, and of the sentiment head's score, against the bounds scripts/calibrate_int8.py measured
on dev texts (a bound exceeded would make a decision change possible). Held-out sets print totals only,
whatever `--list` says: this compares two encoders, but the ids of held-out items that move are still a look at
held-out data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

import triage_eval as te  # noqa: E402

from handoff.model import Classification, Sentiment, ThreadMessage  # noqa: E402
from handoff.settings import Settings, TriageSettings  # noqa: E402
from handoff.triage import embeddings  # noqa: E402
from handoff.triage.classify import Classifier  # noqa: E402
from handoff.triage.priority import decide_priority  # noqa: E402
from handoff.triage.sentiment import SentimentScorer  # noqa: E402
from handoff.triage.taxonomy import DEFAULT_CATEGORIES  # noqa: E402
from handoff.triage.text import CustomerText, customer_texts, with_headline  # noqa: E402

SETS = ("threads", "fresh", "languages", "short", "intents", "bitext", "described", "airline", "pipeline")


@dataclass(frozen=True)
class Decision:
    category: str | None
    confidence: float
    sentiment: str | None
    score: float
    priority: int | None


@dataclass(frozen=True)
class Item:
    id: str
    heldout: bool
    messages: tuple[ThreadMessage, ...]


Runner = Callable[[str], Iterator[tuple[str, bool, Decision, list[CustomerText]]]]


def _triage(
    precision: str,
    items: list[Item],
    categories: list[Any] | None = None,
    fallback: str | None = None,
    category: bool = True,
    sentiment: bool = True,
) -> Iterator[tuple[str, bool, Decision, list[CustomerText]]]:
    defaults = Settings()
    extra: dict[str, Any] = {"fallback_category": fallback} if fallback else {}
    extra["embeddings_precision"] = precision
    settings = TriageSettings(use_embeddings=True, categories=categories or [], **extra)
    classifier = Classifier(settings) if category else None
    scorer = SentimentScorer(settings) if sentiment else None
    for item in items:
        got: Classification | None = classifier.classify(item.messages, te.CUSTOMER) if classifier else None
        felt: Sentiment | None = scorer.score(item.messages, te.CUSTOMER) if scorer else None
        priority = None
        if got is not None and felt is not None:
            priority = decide_priority(
                defaults.triage.priority_rules,
                defaults.dynamics.default_priority,
                got,
                felt,
                item.messages,
                te.CUSTOMER,
                categories=classifier.taxonomy if classifier else (),
            ).prioritycode
        yield (
            item.id,
            item.heldout,
            Decision(
                got.category_id if got else None,
                got.confidence if got else 0.0,
                felt.label if felt else None,
                felt.score if felt else 0.0,
                priority,
            ),
            customer_texts(item.messages, te.CUSTOMER),
        )


def _cases(path: Path) -> list[Item]:
    return [Item(c.id, c.split != "dev", c.messages) for c in te.load_cases(path, "all")]


def _rows(path: Path, text: Callable[[dict[str, Any]], str] = lambda r: r["text"]) -> list[Item]:
    return [Item(r["id"], r.get("split", "heldout") != "dev", te._message(text(r))) for r in te._rows(path, "all")]


def _without_keywords() -> list[Any]:
    return [c.model_copy(update={"keywords": []}) for c in DEFAULT_CATEGORIES]


def runners(name: str) -> dict[str, Runner]:
    """The sub-sets of one set name: label -> a function of the precision yielding (id, held out, decision)."""
    intents = json.loads(te.INTENT_TAXONOMY.read_text(encoding="utf-8"))
    if name in ("threads", "fresh", "languages"):
        path = {"threads": te.DATA, "fresh": te.FRESH_THREADS, "languages": te.LANGUAGE_THREADS}[name]
        return {
            f"{name}": lambda p: _triage(p, _cases(path)),
            f"{name}, taxonomy without keywords": lambda p: _triage(p, _cases(path), _without_keywords()),
        }
    if name == "short":
        return {"short messages (sentiment)": lambda p: _triage(p, _rows(te.SHORT), category=False)}
    if name == "intents":
        every = _rows(te.INTENTS) + _rows(te.INTENTS_MORE) + _rows(te.INTENTS_FRESH) + _rows(te.INTENTS_DEV2)
        return {"11 intents (category)": lambda p: _triage(p, every, intents, "other", sentiment=False)}
    if name == "bitext":
        rows = [Item(r["id"], split != "dev", te._message(r["text"])) for split in te.BITEXT for r in _bitext(split)]
        out: dict[str, Runner] = {}
        for key, path in te.BITEXT_TAXONOMIES.items():
            taxonomy = json.loads(path.read_text(encoding="utf-8"))
            out[f"bitext {key} (category)"] = lambda p, t=taxonomy: _triage(p, rows, t, "other", sentiment=False)
        return out
    if name == "described":
        # The other sets of one-sentence categories (CLINC150 x3, Banking77), each against its own taxonomy.
        described: dict[str, Runner] = {}
        for key, (sample, taxonomy_path) in te.DESCRIBED.items():
            taxonomy = json.loads(taxonomy_path.read_text(encoding="utf-8"))
            described[f"{key} (category)"] = lambda p, t=taxonomy, r=_rows(sample): _triage(
                p, r, t, "other", sentiment=False
            )
        return described
    if name == "airline":
        if not te.AIRLINE.is_file():
            return {}
        tweets = _rows(te.AIRLINE, lambda r: te.tweet_as_mail(r["text"]))
        return {"airline tweets (sentiment)": lambda p: _triage(p, tweets, category=False)}
    if name == "pipeline":
        return {"1,000 bench threads (Pipeline.analyse)": _pipeline}
    raise ValueError(name)


def _bitext(split: str) -> list[dict[str, Any]]:
    return te._rows(te.BITEXT[split], "all")


def _pipeline(precision: str) -> Iterator[tuple[str, bool, Decision, list[CustomerText]]]:
    import pipeline_speed

    from handoff.pipeline import Pipeline

    settings = Settings()
    settings.triage.embeddings_precision = precision  # type: ignore[assignment]
    pipeline = Pipeline(settings)
    goldens = len(list(pipeline_speed.FIXTURES.glob("*.eml")))
    for number, raw in enumerate(pipeline_speed.threads(1000)):
        handoff = pipeline.analyse(raw, "agent@acme-support.com", ["cases@handoff.localhost"]).handoff
        c, s, p = handoff.classification, handoff.sentiment, handoff.priority
        # The goldens and the generated threads are dev material (the thread generator's own test data).
        ident = f"golden {number}" if number < goldens else f"generated {number}"
        yield (
            ident,
            False,
            Decision(
                c.category_id if c else None,
                c.confidence if c else 0.0,
                s.label if s else None,
                s.score if s else 0.0,
                p.prioritycode if p else None,
            ),
            customer_texts(handoff.messages, handoff.customer) if handoff.customer else [],
        )


class Bounds:
    """The largest |fast - float32| of similarities and head scores seen, against the encoder's stored bounds."""

    def __init__(self, encoder: embeddings.MiniLMEncoder) -> None:
        import numpy as np
        from calibrate_int8 import phrase_groups, phrases

        from handoff.triage.sentiment import HEAD_FILE

        self.encoder = encoder
        self.units = encoder.encode(phrases(), exact=True)
        self.groups = phrase_groups(encoder)
        weights = json.loads(HEAD_FILE.read_text(encoding="utf-8"))["weights"][:-1]
        self.head = np.asarray(weights, dtype=np.float32)

    def worst(self, texts: list[CustomerText]) -> tuple[float, float, float]:
        """(similarity, similarity difference, head) errors of these texts and their weighted customer vector."""
        import numpy as np
        from calibrate_int8 import difference_error

        parts = [t for t in with_headline(texts) if t.strip()]
        if not parts:
            return 0.0, 0.0, 0.0
        delta = self.encoder.encode(parts) - self.encoder.encode(parts, exact=True)
        weighted = self.encoder.encode_weighted(texts) - self.encoder.encode_weighted(texts, exact=True)
        both = np.concatenate([delta, weighted[None, :]])
        similarity = float(np.abs(both @ self.units.T).max())
        return similarity, difference_error(both, self.groups), float(np.abs(delta @ self.head).max())


def compare(label: str, runner: Runner, candidate: str, listing: bool, bounds: Bounds | None) -> dict[str, Any]:
    started = time.process_time()
    reference = list(runner("float32"))
    encoder = embeddings.load_encoder(candidate)
    assert encoder is not None
    before = dict(encoder.encoded)
    other = list(runner(candidate))
    fast = encoder.encoded["fast"] - before["fast"]
    exact = encoder.encoded["exact"] - before["exact"]
    row: dict[str, Any] = {"set": label, "n": len(reference), "heldout": sum(1 for r in reference if r[1])}
    for field in ("category", "sentiment", "priority"):
        row[field] = [0, 0]  # [dev, held-out]
    row["max_confidence"] = row["max_score"] = 0.0
    row["reread"] = (exact, fast)
    row["worst"] = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]  # [dev, held-out] x (similarity, difference, head)
    listed: list[str] = []
    for (ident, heldout, a, texts), (_, _, b, _) in zip(reference, other, strict=True):
        if bounds is not None:
            worst = bounds.worst(texts)
            side = row["worst"][int(heldout)]
            side[:] = [max(a, b) for a, b in zip(side, worst, strict=True)]
        for field in ("category", "sentiment", "priority"):
            if getattr(a, field) != getattr(b, field):
                row[field][int(heldout)] += 1
                if listing and not heldout:
                    listed.append(f"    {ident}: {field} {getattr(a, field)} -> {getattr(b, field)}")
        row["max_confidence"] = max(row["max_confidence"], abs(a.confidence - b.confidence))
        row["max_score"] = max(row["max_score"], abs(a.score - b.score))
    row["listed"] = listed
    row["cpu_s"] = time.process_time() - started
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precision", default="int8", help="the candidate (default int8), compared with float32")
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--list", action="store_true", help="the ids whose decisions differ, dev sets only")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not embeddings.available():
        print("the embeddings extra is not installed", file=sys.stderr)
        return 2
    encoder = embeddings.load_encoder(args.precision)
    assert encoder is not None
    if encoder.precision != args.precision:
        print(f"{args.precision} does not run here ({encoder.precision} instead); nothing to compare", file=sys.stderr)
        return 2
    bounds = Bounds(encoder) if not encoder.exact else None
    rows = [
        compare(label, run, args.precision, args.list, bounds)
        for name in args.sets
        for label, run in runners(name).items()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(
        f"float32 against {args.precision}: decisions that differ and largest errors, dev / held-out "
        "(n: all / held-out)"
    )
    error = encoder.error
    # Where no difference bound is stored the classifier allows two similarity errors (Classifier._settled).
    difference = error.get("similarity_difference", 2 * error.get("similarity", 0.0))
    print(
        "| set | n | category | sentiment | priority | max abs confidence diff | max abs sentiment score diff "
        f"| texts re-read in float32 | largest similarity error (bound {error.get('similarity', 0):.4f}) "
        f"| largest similarity difference error (bound {difference:.4f}) "
        f"| largest head error (bound {error.get('sentiment_head', 0):.4f}) |"
    )
    print("|---" * 11 + "|")
    total = [0, 0]
    for r in rows:
        cells = " | ".join(f"{r[f][0]} / {r[f][1]}" for f in ("category", "sentiment", "priority"))
        exact, fast = r["reread"]
        print(
            f"| {r['set']} | {r['n']} / {r['heldout']} | {cells} | {r['max_confidence']:.2e} | {r['max_score']:.2e} "
            f"| {exact} of {fast} | "
            + " | ".join(f"{r['worst'][0][k]:.4f} / {r['worst'][1][k]:.4f}" for k in range(3))
            + " |"
        )
        for f in ("category", "sentiment", "priority"):
            total[0] += r[f][0]
            total[1] += r[f][1]
        for line in r["listed"]:
            print(line)
    print(f"decisions that differ: dev {total[0]}, held-out {total[1]}; CPU {sum(r['cpu_s'] for r in rows):.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
