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

    python bench/pipeline_instructions.py --mails /tmp/speed_threads --stages

`--stages`: one run instead, which after the warm-up round takes every thread of the sample through the steps of
`Pipeline.analyse` one by one as `Pipeline.stages` yields them (parse and digest, split, customer, guards, triage,
render: the draft), calling a marker function of the math module before each step and after the last;
callgrind (`--dump-before`) writes its counters at each marker, so the instructions between two markers are one
step's. Per step and in total, instructions per thread.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The step each marker starts (`--stages`); "other" ends the last step and starts what runs between threads. Library
# code calls some of these too (VADER calls math.fabs, once the end marker): a marker counts as a step boundary only
# where it is the next step (NEXT); elsewhere its dump is part of the step under way.
MARKERS = {
    "erf": "parse",
    "erfc": "split",
    "gamma": "customer",
    "lgamma": "guards",
    "expm1": "triage",
    "log1p": "render",
    "atanh": "other",
}
NEXT = {
    None: ("parse",),
    "other": ("parse",),
    "parse": ("split",),
    "split": ("customer",),
    "customer": ("guards",),
    "guards": ("triage", "other"),
    "triage": ("render",),
    "render": ("other",),
}


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
        elif measure == "stages":
            stages(pipeline, raw, envelope)
    print(f"sample {len(mails)}")


def stages(pipeline: object, raw: bytes, envelope: tuple[str, list[str]]) -> None:
    """Pipeline.analyse's steps as Pipeline.stages yields them (handoff/pipeline.py), a math marker before each
    (see MARKERS) and one after the last."""
    import math

    markers = {step: getattr(math, name) for name, step in MARKERS.items()}
    for step in pipeline.stages(raw, *envelope):  # type: ignore[attr-defined]
        markers[step](1.0)
    markers["other"](0.0)


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


def stage_instructions(mails_dir: Path, every: int) -> tuple[dict[str, int], int, int]:
    """Instructions per step of the measured round (summed over the sample), the threads that reached triage, and
    the sample size."""
    with tempfile.TemporaryDirectory(prefix="pipeline-stages-") as out:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--dump-instr=no",
            "--dump-line=no",
            f"--callgrind-out-file={out}/cg.out",
            *(f"--dump-before=math_{name}" for name in MARKERS),
            sys.executable,
            __file__,
            "--child",
            "stages",
            "--mails",
            str(mails_dir),
            "--every",
            str(every),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        sample = re.search(r"sample (\d+)", done.stdout)
        if not sample:
            raise SystemExit(f"no sample size in the child's output:\n{done.stderr[-2000:]}")
        dumps = sorted(Path(out).glob("cg.out.*"), key=lambda path: int(path.suffix[1:]))
        spent: dict[str, int] = {}
        triaged = 0
        step: str | None = None  # the step under way when the dump was written
        for path in dumps:
            text = path.read_text(errors="replace")
            trigger = re.search(r"Trigger: --dump-before=math_(\w+)", text)
            total = re.search(r"^summary:\s*(\d+)", text, re.MULTILINE)
            if step is not None and step != "other" and total:
                spent[step] = spent.get(step, 0) + int(total.group(1))
            marked = MARKERS.get(trigger.group(1)) if trigger else None
            if marked in NEXT[step]:
                step = marked
                triaged += step == "triage"
    return spent, triaged, int(sample.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=Path, required=True, help="DIR/*.eml, as bench/pipeline_speed.py --save")
    parser.add_argument("--every", type=int, default=10, help="take every Nth thread")
    parser.add_argument("--stages", action="store_true", help="instructions per step of Pipeline.analyse instead")
    parser.add_argument("--child", choices=("warm", "analyse", "parse", "stages"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.mails, args.every, args.child)
        return 0
    if args.stages:
        spent, triaged, sample = stage_instructions(args.mails, args.every)
        print(f"{sample} threads (every {args.every}th of {args.mails}), without embeddings; instructions per thread:")
        for name in ("parse", "split", "customer", "guards", "triage", "render"):
            print(f"  {name:<8} {spent.get(name, 0) / sample / 1e6:8.2f} M")
        total = sum(spent.values()) / sample / 1e6
        print(f"  {'total':<8} {total:8.2f} M  ({triaged} of {sample} triaged and rendered)")
        return 0
    base, sample = instructions(args.mails, args.every, "warm")
    print(f"{sample} threads (every {args.every}th of {args.mails}), without embeddings; instructions per thread:")
    for measure in ("analyse", "parse"):
        total, _ = instructions(args.mails, args.every, measure)
        print(f"  {measure:<8} {(total - base) / sample / 1e6:8.2f} M")
    return 0


if __name__ == "__main__":
    sys.exit(main())
