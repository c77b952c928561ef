"""What the pipeline costs per thread in CPU instructions (valgrind's callgrind), immune to a loaded machine.

    python bench/pipeline_instructions.py --mails /tmp/speed_threads            # every 10th of the saved threads
    python bench/pipeline_instructions.py --mails /tmp/speed_threads --every 4

CPU time on a shared 2-core machine moves by 20% from run to run with the load; an instruction count does not.
Three runs under `valgrind --tool=callgrind`, each over the same sample of the threads `bench/pipeline_speed.py
--save` wrote: one with only a warm-up round (imports, dateparser's and the classifier's caches, as in
pipeline_speed.py), one that then runs `Pipeline.analyse` over every thread of the sample again, one that then
runs `parse_mail` alone. The differences, divided by the sample size, are the instructions per thread of the
whole pipeline (without embeddings) and of parsing; parse_mail's address caches are emptied before each mail,
as pipeline_speed.py does. Takes some minutes (valgrind runs Python about 50 times slower).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(mails_dir: Path, every: int, measure: str) -> None:
    sys.path.insert(0, str(ROOT))
    import logging

    logging.disable(logging.CRITICAL)  # mail-parser's warnings about odd parts: not what is measured
    from handoff.parse import mime
    from handoff.pipeline import Pipeline
    from handoff.settings import Settings

    settings = Settings()
    settings.triage.use_embeddings = False
    pipeline = Pipeline(settings)
    mails = [path.read_bytes() for path in sorted(mails_dir.glob("*.eml"))][::every]
    forget = getattr(mime, "forget_remembered", lambda: None)  # absent before the caches existed
    envelope = ("agent@acme-support.com", ["cases@handoff.localhost"])
    for raw in mails:
        forget()
        pipeline.analyse(raw, *envelope)
    for raw in mails:
        forget()
        if measure == "analyse":
            pipeline.analyse(raw, *envelope)
        elif measure == "parse":
            mime.parse_mail(raw, *envelope)
    print(f"sample {len(mails)}")


def instructions(mails_dir: Path, every: int, measure: str) -> tuple[int, int]:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        measure,
        "--mails",
        str(mails_dir),
        "--every",
        str(every),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    collected = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    sample = re.search(r"sample (\d+)", done.stdout)
    if not collected or not sample:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(collected.group(1)), int(sample.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=Path, required=True, help="DIR/*.eml, as bench/pipeline_speed.py --save")
    parser.add_argument("--every", type=int, default=10, help="take every Nth thread")
    parser.add_argument("--child", choices=("warm", "analyse", "parse"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.mails, args.every, args.child)
        return 0
    base, sample = instructions(args.mails, args.every, "warm")
    print(f"{sample} threads (every {args.every}th of {args.mails}), without embeddings; instructions per thread:")
    for measure in ("analyse", "parse"):
        total, _ = instructions(args.mails, args.every, measure)
        print(f"  {measure:<8} {(total - base) / sample / 1e6:8.2f} M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
