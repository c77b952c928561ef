"""Train the short-message sentiment head shipped as handoff/triage/sentiment_short_head.json (embeddings extra).

    python scripts/train_sentiment_short_head.py          # writes handoff/triage/sentiment_short_head.json

SentimentScorer uses this head for a short English message (sentiment.SHORT_MESSAGE_WORDS or fewer words) and the
thread head (scripts/train_sentiment_head.py) for longer mail. Same form as the thread head: a ridge regression from
[MiniLM embedding (384), support-tuned VADER score (1)] to a mood on [-1, 1]. Training data, all in bench/data with
a licence that allows it (bench/data/README.md):
- the dev split of UCI's Sentiment Labelled Sentences (CC BY 4.0): Amazon, Yelp and IMDb sentences, +-0.5;
- VADER's human-rated tweets and all its Amazon review sentences (MIT): mean rating / 4;
- as for the thread head, the dev split of our support threads (5 levels) and the English dev split of our short
  messages (3 classes), each counted THREAD_WEIGHT times.
No held-out split is read. ALPHA and the neutral band (BAND) were chosen on the dev splits of the airline and Sanders
tweets and of our short messages (`bench/triage_eval.py --airline`, embeddings mode; the tweets are never trained on,
their licences do not allow it): airline / Sanders / short dev 3-class macro-F1, by (alpha, band): (3, 0.2) 0.758 /
0.628 / 0.948, (30, 0.2) 0.792 / 0.646 / 0.979, (100, 0.15) 0.804 / 0.661 / 0.979, (300, 0.15) 0.815 / 0.659 /
0.969; the thread head with its own band on the same rows: 0.752 / 0.561 / 0.990. The middle of that plateau is kept.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_sentiment_head import SHORT_TARGET, TARGET, THREAD_WEIGHT, ridge  # noqa: E402
from triage_eval import CUSTOMER, SHORT, _message, _rows, load_cases  # noqa: E402

from handoff.triage import embeddings  # noqa: E402
from handoff.triage.sentiment import SHORT_HEAD_FILE, VaderScorer  # noqa: E402
from handoff.triage.text import customer_texts, with_headline  # noqa: E402

DATA = ROOT / "bench" / "data"
ALPHA = 100.0
BAND = 0.15
UCI_TARGET = 0.5


def rated(path: Path) -> tuple[list[str], list[float]]:
    """VADER's ground-truth files: id, mean rating on -4..+4, text."""
    texts, targets = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, rating, text = line.split("\t", 2)
            texts.append(text.strip())
            targets.append(max(-1.0, min(1.0, float(rating) / 4.0)))
    return texts, targets


def sentence_features(encoder: Any, vader: VaderScorer, texts: Sequence[str]) -> Any:
    vectors = encoder.encode(list(texts), exact=True)
    scores = np.asarray([[vader.score_text(t)] for t in texts], dtype=np.float32)
    return np.concatenate([vectors, scores], axis=1)


def mail_features(encoder: Any, vader: VaderScorer, messages: Any) -> Any:
    """As SentimentScorer reads a mail: its customer texts with the headline, weighted (the head is linear)."""
    texts = customer_texts(messages, CUSTOMER)
    parts = with_headline(texts)
    rows = sentence_features(encoder, vader, parts)
    weights = np.asarray([t.weight for t in texts], dtype=np.float32)[:, None]
    return (rows * weights).sum(axis=0) / weights.sum()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=SHORT_HEAD_FILE)
    args = parser.parse_args(argv)
    # float32's vectors: the short head always reads them (SentimentScorer._scores).
    encoder = embeddings.load_encoder("float32")
    if encoder is None:
        print("the embeddings extra is not installed (scripts/install-embeddings)", file=sys.stderr)
        return 2
    vader = VaderScorer()
    parts: list[tuple[Any, Any, float]] = []
    counts: dict[str, int] = {}
    for name in ("vader_amazon_all", "vader_tweets"):
        texts, targets = rated(DATA / f"{name}.tsv")
        parts.append((sentence_features(encoder, vader, texts), np.asarray(targets), 1.0))
        counts[name] = len(texts)
    uci = _rows(DATA / "uci_sentences.jsonl", "dev")
    targets = [UCI_TARGET if r["sentiment"] == "positive" else -UCI_TARGET for r in uci]
    parts.append((sentence_features(encoder, vader, [r["text"] for r in uci]), np.asarray(targets), 1.0))
    counts["uci_sentences_dev"] = len(uci)
    threads = [c for c in load_cases(split="dev") if c.language == "en"]
    short = [r for r in _rows(SHORT, "dev") if r["language"] == "en"]
    own = [mail_features(encoder, vader, c.messages) for c in threads]
    own += [mail_features(encoder, vader, _message(r["text"])) for r in short]
    own_targets = [TARGET[c.sentiment] for c in threads] + [SHORT_TARGET[r["sentiment"]] for r in short]
    parts.append((np.stack(own), np.asarray(own_targets), THREAD_WEIGHT))
    counts["support_emails_dev"] = len(threads)
    counts["short_messages_dev_en"] = len(short)
    x = np.concatenate([p[0] for p in parts]).astype(np.float32)
    y = np.concatenate([p[1] for p in parts]).astype(np.float32)
    sw = np.concatenate([np.full(len(p[0]), p[2]) for p in parts]).astype(np.float32)
    w, b = ridge(x, y, sw, ALPHA)
    head = {
        "about": "ridge regression over [all-MiniLM-L6-v2 embedding (float32), support-tuned VADER] for short English "
        "messages; trained by scripts/train_sentiment_short_head.py",
        "trained_on": counts,
        "alpha": ALPHA,
        "bias": round(float(b), 6),
        # Only the neutral band is read: the "very" labels come from VADER (SentimentScorer._head_label).
        "thresholds": [[-0.7, "very negative"], [-BAND, "negative"], [BAND, "neutral"], [0.7, "positive"]],
        "weights": [round(float(v), 6) for v in w],
    }
    args.out.write_text(json.dumps(head) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({sum(counts.values())} examples: {counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
