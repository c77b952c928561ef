"""Measure the activation ranges the int8 encoder graph is smoothed by: handoff/triage/minilm_int8_ranges.json.

    python scripts/calibrate_int8.py            # writes the file (needs the embeddings extra with onnxruntime)
    python scripts/calibrate_int8.py --dry-run  # prints how many texts and the largest range per matmul

For each matmul the int8 graph smooths (handoff/triage/embeddings.py, SMOOTHED), the largest |value| of every
input channel of the float32 graph, over texts of the dev splits only: bench/data/support_emails.jsonl (each
customer message as it is encoded, subject first), short_messages.jsonl, intents11.jsonl, intents11_more.jsonl,
and VADER's Amazon review sentences. The held-out splits are never read here, so bench/triage_eval.py measures
the int8 encoder on texts its calibration has not seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoff.triage import embeddings  # noqa: E402

DATA = ROOT / "bench" / "data"


def dev_texts() -> list[str]:
    texts: list[str] = []
    for line in (DATA / "support_emails.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["split"] == "dev":
            texts += [f"{m.get('subject', '')}.\n{m['body']}" for m in case["messages"] if m["from"] == "customer"]
    for name in ("short_messages.jsonl", "intents11.jsonl", "intents11_more.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["split"] == "dev":
                texts.append(row["text"])
    for line in (DATA / "vader_amazon_snippets.tsv").read_text(encoding="utf-8").splitlines():
        texts.append(line.split("\t", 2)[2])
    return list(dict.fromkeys(texts))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--out", type=Path, default=embeddings.RANGES_FILE)
    args = parser.parse_args(argv)
    path = embeddings.model_dir()
    if path is None:
        print("the embeddings extra is not installed (scripts/install-embeddings)", file=sys.stderr)
        return 2
    try:
        ranges, texts = embeddings.activation_ranges(path, dev_texts())
    except ImportError:
        print("onnxruntime and onnx are needed (the embeddings extra)", file=sys.stderr)
        return 2
    for key, values in ranges.items():
        print(f"{key:<28} largest {max(values):8.3f}  median {sorted(values)[len(values) // 2]:6.3f}")
    print(f"{texts} texts of the dev splits")
    if not args.dry_run:
        document = {
            "model": "all-MiniLM-L6-v2",
            "what": "largest |input| per channel of the smoothed matmuls, float32 graph (scripts/calibrate_int8.py)",
            "texts": texts,
            "ranges": {key: [float(f"{v:.4g}") for v in values] for key, values in ranges.items()},
        }
        args.out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
