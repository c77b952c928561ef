"""Measure the activation ranges the int8 encoder graph is smoothed by: handoff/triage/minilm_int8_ranges.json.

    python scripts/calibrate_int8.py            # writes the file (needs the embeddings extra with onnxruntime)
    python scripts/calibrate_int8.py --dry-run  # prints how many texts and the largest range per matmul
    python scripts/calibrate_int8.py --errors   # measures the int8 pass's error bounds and stores them with the ranges

For each matmul the int8 graph smooths (handoff/triage/embeddings.py, SMOOTHED), the largest |value| of every
input channel of the float32 graph, over texts of the dev splits only: bench/data/support_emails.jsonl (each
customer message as it is encoded, subject first), short_messages.jsonl, intents11.jsonl, intents11_more.jsonl,
and VADER's Amazon review sentences. The held-out splits are never read here, so bench/triage_eval.py measures
the int8 encoder on texts its calibration has not seen.

--errors (after the ranges): on the same dev texts, and on the dev support threads as the classifier reads them (the
weighted customer vector), the largest |difference| between the int8 and the float32 pass of (a) the cosine
similarity to every category phrase of the default taxonomy and of the dev taxonomies under bench/data, (b) the
difference of two such similarities, to phrases of two categories of one taxonomy, and (c) the sentiment head's
score, on the kernel this CPU runs (embeddings.int8_kernels: s8 or u8 weights). Stored under "errors_measured" by
machine (`--machine`, default the CPU's model; a machine's new figures replace its own only), and "errors" per
kernel = the largest over that kernel's machines times embeddings.ERROR_MARGIN (the ranges are kept as they are, so
the int8 graph does not change). Triage keeps an int8 decision only when it is further than these from its
boundary, so bench/int8_agreement.py checks on held-out texts that no difference went past them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoff.triage import embeddings  # noqa: E402

DATA = ROOT / "bench" / "data"
MEASURED_WHAT = (
    "largest |int8 - float32| over the dev vectors (scripts/calibrate_int8.py --errors --dry-run) on each machine, "
    "with the kernel it ran; errors = per kernel, the largest of its machines' x ERROR_MARGIN"
)


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


def dev_threads() -> list[list[object]]:
    """The customer texts of each dev support thread, as triage reads them (handoff.triage.text.customer_texts)."""
    from handoff.model import Customer, ThreadMessage
    from handoff.triage.text import customer_texts

    customer = Customer(email="customer@example.com", found_by="from")
    threads: list[list[object]] = []
    for line in (DATA / "support_emails.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["split"] != "dev":
            continue
        messages = [
            ThreadMessage(
                from_email=customer.email if m["from"] == "customer" else "agent@handoff.localhost",
                internal=m["from"] != "customer",
                subject=m.get("subject"),
                body=m["body"],
            )
            for m in case["messages"]
        ]
        threads.append(list(customer_texts(messages, customer)))
    return threads


def taxonomies() -> list[list[list[str]]]:
    """The phrases CategoryVectors embeds, category by category, of the default taxonomy and of bench/data's."""
    from handoff.settings import Category
    from handoff.triage.taxonomy import DEFAULT_CATEGORIES

    out = [list(DEFAULT_CATEGORIES)]
    for name in ("intents11_taxonomy.json", "bitext_taxonomy11.json", "bitext_taxonomy27.json"):
        out.append([Category(**c) for c in json.loads((DATA / name).read_text(encoding="utf-8"))])
    return [[[f"{c.label}: {c.description}" if c.description else c.label, *c.examples] for c in t] for t in out]


def phrases() -> list[str]:
    """Every category phrase CategoryVectors embeds, of the default taxonomy and of bench/data's taxonomies."""
    return list(dict.fromkeys(p for taxonomy in taxonomies() for category in taxonomy for p in category))


def phrase_groups(exact: embeddings.MiniLMEncoder) -> list[tuple[Any, Any]]:
    """Per taxonomy (`taxonomies`): its phrases' float32 vectors (`exact` embeds them) and each one's category."""
    import numpy as np

    groups = []
    for taxonomy in taxonomies():
        owner = np.array([index for index, category in enumerate(taxonomy) for _ in category])
        groups.append((exact.encode([p for category in taxonomy for p in category], exact=True), owner))
    return groups


def difference_error(delta: Any, groups: list[tuple[Any, Any]]) -> float:
    """The largest |difference| of the errors `delta` (vectors, int8 - float32) makes in two similarities, to
    phrases of two categories of one taxonomy (`phrase_groups`): what the classifier's lead of one category over
    another can lose (embeddings.OPTIONAL_ERROR_KEYS)."""
    worst = 0.0
    for units, owner in groups:
        similarity = delta @ units.T
        for index in set(owner.tolist()):
            mine, others = similarity[:, owner == index], similarity[:, owner != index]
            # Each pair (a phrase of this category above one of another) once from each side: max - min covers it.
            worst = max(worst, float((mine.max(axis=1) - others.min(axis=1)).max()))
    return worst


def machine() -> str:
    """This CPU as errors_measured names it: its model and the int8 instructions that pick the kernel."""
    import platform
    import re

    try:
        info = embeddings.CPUINFO.read_text(encoding="ascii", errors="replace")
    except OSError:
        info = ""
    found = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
    name = re.sub(r"\((R|TM)\)|\bProcessor\b|\d+-Core|CPU @.*", "", found.group(1)) if found else platform.machine()
    words = set(info.split())
    isa = next((flag for flag in ("avx512_vnni", "avx_vnni") if flag in words), "avx2" if "avx2" in words else "")
    return " ".join(f"{name} {isa}".split())


def measure_errors(path: Path) -> dict[str, float]:
    """The int8 pass's largest errors on this machine's kernel (see the module docstring), without the margin."""
    import numpy as np

    from handoff.triage.sentiment import HEAD_FILE

    exact = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="float32")
    fast = embeddings.MiniLMEncoder(path, runtime="onnxruntime", precision="int8", require_errors=False)
    if fast.precision != "int8":
        raise RuntimeError("the int8 encoder does not run here (see the warning above)")
    units = exact.encode(phrases())
    head = np.asarray(json.loads(HEAD_FILE.read_text(encoding="utf-8"))["weights"][:-1], dtype=np.float32)
    texts = dev_texts()
    difference = [fast.encode(texts) - exact.encode(texts)]
    difference += [
        (fast.encode_weighted(t) - exact.encode_weighted(t))[None, :]  # type: ignore[arg-type]
        for t in dev_threads()
        if t
    ]
    delta = np.concatenate(difference)
    measured = {
        "similarity": float(np.abs(delta @ units.T).max()),
        "similarity_difference": difference_error(delta, phrase_groups(exact)),
        "sentiment_head": float(np.abs(delta @ head).max()),
    }
    print(f"largest |int8 - float32| over {len(delta)} dev vectors ({fast.kernels}):")
    print("  " + ", ".join(f"{key} {value:.5f}" for key, value in measured.items()))
    return {key: round(value, 5) for key, value in measured.items()}


def merged_errors(measured: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The bounds per kernel from every machine's measurement (`errors_measured`): the largest of each figure over
    the machines of that kernel, times the margin; a figure some machine did not measure is kept from those that did
    (similarity_difference, measured since session 9 only)."""
    errors: dict[str, dict[str, float]] = {}
    for figures in measured.values():
        if not isinstance(figures, dict) or "kernel" not in figures:
            continue  # "what"
        bounds = errors.setdefault(figures["kernel"], {})
        for key in (*embeddings.ERROR_KEYS, *embeddings.OPTIONAL_ERROR_KEYS):
            if key in figures:
                bounds[key] = max(bounds.get(key, 0.0), round(float(figures[key]) * embeddings.ERROR_MARGIN, 5))
    return {kernel: bounds for kernel, bounds in errors.items() if all(k in bounds for k in embeddings.ERROR_KEYS)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--errors", action="store_true", help="measure and store the int8 error bounds only")
    parser.add_argument("--out", type=Path, default=embeddings.RANGES_FILE)
    parser.add_argument("--machine", default=machine(), help="this CPU's name in errors_measured (default: its model)")
    args = parser.parse_args(argv)
    path = embeddings.model_dir()
    if path is None:
        print("the embeddings extra is not installed (scripts/install-embeddings)", file=sys.stderr)
        return 2
    if args.errors:
        kernel = embeddings.int8_kernels()[0]
        figures = measure_errors(path)
        document = json.loads(args.out.read_text(encoding="utf-8"))
        # This machine's figures replace its own earlier ones only: another machine's, of either kernel, stay, and
        # the stored bounds are the largest over the machines of each kernel (one machine must not lower another's).
        measured = document.get("errors_measured", {})
        measured["what"] = MEASURED_WHAT
        measured[f"{args.machine}, u8 x {kernel} weights"] = {"kernel": kernel, **figures}
        document["errors_measured"] = measured
        document["errors"] = merged_errors(measured)
        print(f"errors with margin {embeddings.ERROR_MARGIN}, per kernel: {document['errors']}")
        if not args.dry_run:
            args.out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
            print(f"wrote {args.out}")
        return 0
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
        if args.out.is_file():  # new ranges make a new int8 graph: its error bounds are measured again (--errors)
            print("the error bounds are gone with the old ranges: run --errors next")
        args.out.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
