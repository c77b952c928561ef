"""Outlook's formats on hostile input: how long a 1 MB crafted or garbage winmail.dat / .msg takes.

Each case is read `--runs` times by the reader alone (`read_tnef` / `read_msg`) and as a whole mail carrying
it (`parse_mail`, MIME and base64 included); prints the median and worst of each and what became of the file
(read, or refused with the reason the defect records). The same cases are the hostile ones of
tests/test_outlook_formats.py, which asserts only that they finish and stay files of the handoff.

    .venv/bin/python bench/outlook_hostile.py           # a few seconds
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handoff.parse.mime import parse_mail
from handoff.parse.outlook import OutlookFormatError, read_msg, read_tnef
from tests.test_outlook_formats import HOSTILE_MSG, HOSTILE_TNEF, _tnef, _tnef_attr, _with_file

MB = 1_000_000
# Read, not refused: the most attributes allowed (tnefparse copies the rest of the file for each) before 1 MB body.
READ_TNEF = {
    "510-attributes-then-1MB-body": lambda: _tnef(
        _tnef_attr(1, 0x9007, 6, (1252).to_bytes(4, "little") + bytes(4)),
        *[_tnef_attr(1, 0x0006, 3, bytes(12))] * 510,
        _tnef_attr(1, 0x800C, 2, b"My order is late. " * (MB // 18)),
    ),
}


def _timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tnef = HOSTILE_TNEF | READ_TNEF
    cases = [("tnef", k, v, read_tnef, "winmail.dat", "application/ms-tnef") for k, v in tnef.items()]
    cases += [("msg", k, v, read_msg, "Order.msg", "application/vnd.ms-outlook") for k, v in HOSTILE_MSG.items()]
    print(f"{'case':34} {'bytes':>9} {'reader med/worst ms':>20} {'parse_mail med/worst ms':>24}  outcome")
    for kind, name, build, reader, filename, ctype in cases:
        data = build()
        raw = _with_file(data, filename, ctype)
        try:
            reader(data)
            outcome = "read"
        except OutlookFormatError as exc:
            outcome = f"refused: {exc}"

        def read(reader: Callable[[bytes], object] = reader, data: bytes = data) -> None:
            try:
                reader(data)
            except OutlookFormatError:
                pass

        r_med, r_max = _timed(read, args.runs)
        p_med, p_max = _timed(lambda raw=raw: parse_mail(raw), args.runs)
        label = f"{kind}:{name}"
        print(
            f"{label:34} {len(data):>9} {r_med * 1000:>9.1f} /{r_max * 1000:>8.1f} "
            f"{p_med * 1000:>12.1f} /{p_max * 1000:>9.1f}  {outcome}"
        )


if __name__ == "__main__":
    main()
