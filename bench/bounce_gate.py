"""What gating the bounce scan saves (issue 16 goal 2), and proof that it changes no outcome.

    python bench/bounce_gate.py              # every golden mail and sample, 5 measured rounds
    python bench/bounce_gate.py --rounds 10

Each mail (tests/fixtures/mail/*.eml and samples/*.eml, with the envelopes of envelopes.json) goes through
`Pipeline.analyse` (embeddings off) twice per round: as shipped, where flufl.bounce runs only when
`handoff.guards.bounce.may_be_bounce` says the mail can be a bounce, and with that gate forced open, which is
what every mail cost before. Printed: ms per mail (median, p95) of `parse_mail` and of `analyse` both ways, how
many mails opened the gate, and whether any outcome (skipped by which guard and why, parked and why, category,
sentiment, bounced recipients) differs. The first round warms caches and is not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import handoff.parse.mime as mime  # noqa: E402
from handoff.pipeline import Analysis, Pipeline  # noqa: E402
from handoff.settings import Settings, TriageSettings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "mail"
SAMPLES = ROOT / "samples"


def outcome(analysis: Analysis) -> tuple[Any, ...]:
    h = analysis.handoff
    return (
        h.skipped.guard if h.skipped else None,
        h.skipped.reason if h.skipped else None,
        analysis.park_reason,
        h.classification.category_id if h.classification else None,
        h.sentiment.label if h.sentiment else None,
        analysis.draft.body if analysis.draft else None,
    )


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f} ({ordered[max(0, int(len(ordered) * 0.95) - 1)]:.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    envelopes = json.loads((FIXTURES / "envelopes.json").read_text(encoding="utf-8"))
    mails = [
        (p.name, p.read_bytes(), envelopes.get(p.stem, {}).get("from"))
        for p in sorted(FIXTURES.glob("*.eml")) + sorted(SAMPLES.glob("*.eml"))
    ]
    pipeline = Pipeline(Settings(triage=TriageSettings(use_embeddings=False)))
    gate = mime.may_be_bounce
    forced: Callable[..., str] = lambda *_: "forced open"  # noqa: E731
    timings: dict[str, list[float]] = {"parse gated": [], "parse full": [], "analyse gated": [], "analyse full": []}
    differ: list[str] = []
    opened = sum(1 for _, raw, env in mails if gate(mime.email.message_from_bytes(raw), env, raw))
    for round_ in range(args.rounds + 1):
        for name, raw, env in mails:
            results = {}
            ways = (("gated", gate), ("full", forced))
            # Alternate which goes first, so neither always finds the other's warm caches.
            for label, fn in ways if round_ % 2 else ways[::-1]:
                mime.may_be_bounce = fn  # type: ignore[assignment]
                begin = time.perf_counter()
                parsed = mime.parse_mail(raw, envelope_from=env)
                parse_ms = (time.perf_counter() - begin) * 1000
                begin = time.perf_counter()
                analysis = pipeline.analyse(raw, mail_from=env)
                analyse_ms = (time.perf_counter() - begin) * 1000
                results[label] = (outcome(analysis), parsed.bounced_recipients)
                if round_:
                    timings[f"parse {label}"].append(parse_ms)
                    timings[f"analyse {label}"].append(analyse_ms)
            mime.may_be_bounce = gate
            if round_ == 0 and results["gated"] != results["full"]:
                differ.append(name)
    print(f"{len(mails)} mails, {args.rounds} measured rounds; {opened} open the gate (the rest skip flufl.bounce)")
    print("| step | ms per mail, median (p95) |")
    print("|---|---|")
    for key, values in timings.items():
        print(f"| {key} | {percentiles(values)} |")
    print(f"outcomes that differ between gated and full scan: {len(differ)} {differ}")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
